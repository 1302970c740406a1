{#
    Salesforce Opportunities (deals): one row per record, its current
    version from the object table and the active versions of a connector's
    history-mode table, without deleted records; ids in their 15-character
    form. Fields keep their Salesforce names (snake_case; Id is
    opportunity_id), so the field map finds them by name.
#}
{{ salesforce_current_rows(
    'opportunity',
    key='opportunity_id',
    columns=[
        'account_id',
        'owner_id',
        'created_by_id',
        'type',
        'stage_name',
        'amount',
        'probability',
        'close_date',
        'is_closed',
        'is_won',
        'currency_iso_code',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
) }}
