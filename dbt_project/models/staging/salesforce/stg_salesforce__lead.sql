{#
    Salesforce Leads (people in the funnel before conversion): one row per
    record, its current version from the object table and the active
    versions of a connector's history-mode table, without deleted records;
    ids in their 15-character form. Fields keep their Salesforce names
    (snake_case; Id is lead_id), so the field map finds them by name.
#}
{{ salesforce_current_rows(
    'lead',
    key='lead_id',
    columns=[
        'owner_id',
        'email',
        'phone',
        'mobile_phone',
        'lead_source',
        'status',
        'is_converted',
        'converted_date',
        'converted_account_id',
        'converted_contact_id',
        'converted_opportunity_id',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
) }}
