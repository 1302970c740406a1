{#
    Salesforce LeadHistory (field changes of leads): one row per record, its
    current version from the object table (a change log: no history-mode
    table), without deleted records; ids in their 15-character form. Fields
    keep their Salesforce names (snake_case; Id is lead_history_id), so the
    field map finds them by name.
#}
{{ salesforce_current_rows(
    'lead_history',
    key='lead_history_id',
    columns=[
        'lead_id',
        'field',
        'old_value',
        'new_value',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
    history_mode=false,
) }}
