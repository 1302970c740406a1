{#
    Salesforce CampaignMembers (leads and contacts in campaigns): one row
    per record, its current version from the object table and the active
    versions of a connector's history-mode table, without deleted records;
    ids in their 15-character form. Fields keep their Salesforce names
    (snake_case; Id is campaign_member_id), so the field map finds them by
    name.
#}
{{ salesforce_current_rows(
    'campaign_member',
    key='campaign_member_id',
    columns=[
        'campaign_id',
        'lead_id',
        'contact_id',
        'status',
        'has_responded',
        'first_responded_date',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
) }}
