{#
    Salesforce Tasks (logged calls, emails, to-dos): one row per record, its
    current version from the object table and the active versions of a
    connector's history-mode table, without deleted records; ids in their
    15-character form. Fields keep their Salesforce names (snake_case; Id is
    task_id), so the field map finds them by name.
#}
{{ salesforce_current_rows(
    'task',
    key='task_id',
    columns=[
        'who_id',
        'what_id',
        'account_id',
        'owner_id',
        'type',
        'task_subtype',
        'call_type',
        'call_disposition',
        'call_duration_in_seconds',
        'status',
        'is_closed',
        'completed_date_time',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
) }}
