{#
    Salesforce Campaigns (marketing programmes): one row per record, its
    current version from the object table and the active versions of a
    connector's history-mode table, without deleted records; ids in their
    15-character form. Fields keep their Salesforce names (snake_case; Id is
    campaign_id), so the field map finds them by name.
#}
{{ salesforce_current_rows(
    'campaign',
    key='campaign_id',
    columns=[
        'name',
        'type',
        'start_date',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
) }}
