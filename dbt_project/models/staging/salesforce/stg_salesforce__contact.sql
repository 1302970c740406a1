{#
    Salesforce Contacts (people at accounts; converted leads point to them):
    one row per record, its current version from the object table and the
    active versions of a connector's history-mode table, without deleted
    records; ids in their 15-character form. Fields keep their Salesforce
    names (snake_case; Id is contact_id), so the field map finds them by
    name.
#}
{{ salesforce_current_rows(
    'contact',
    key='contact_id',
    columns=[
        'account_id',
        'owner_id',
        'email',
        'phone',
        'mobile_phone',
        'lead_source',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
) }}
