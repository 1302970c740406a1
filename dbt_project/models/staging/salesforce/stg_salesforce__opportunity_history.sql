{#
    Salesforce OpportunityHistory (one row per stage / amount / probability
    change): one row per record, its current version from the object table
    (a change log: no history-mode table), without deleted records; ids in
    their 15-character form. Fields keep their Salesforce names (snake_case;
    Id is opportunity_history_id), so the field map finds them by name.
#}
{{ salesforce_current_rows(
    'opportunity_history',
    key='opportunity_history_id',
    columns=[
        'opportunity_id',
        'stage_name',
        'amount',
        'probability',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
    history_mode=false,
) }}
