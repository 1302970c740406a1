{#
    Salesforce Contracts: one row per record, its current version from the
    object table and the active versions of a connector's history-mode
    table, without deleted records; ids in their 15-character form. Fields
    keep their Salesforce names (snake_case; Id is contract_id), so the
    field map finds them by name.
#}
{{ salesforce_current_rows(
    'contract',
    key='contract_id',
    columns=[
        'account_id',
        'status',
        'status_code',
        'start_date',
        'end_date',
        'contract_term',
        'currency_iso_code',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
) }}
