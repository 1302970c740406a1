{#
    Salesforce Events (calendar entries): one row per record, its current
    version from the object table and the active versions of a connector's
    history-mode table, without deleted records; ids in their 15-character
    form. Fields keep their Salesforce names (snake_case; Id is event_id),
    so the field map finds them by name.
#}
{{ salesforce_current_rows(
    'event',
    key='event_id',
    columns=[
        'who_id',
        'what_id',
        'account_id',
        'owner_id',
        'created_by_id',
        'type',
        'start_date_time',
        'activity_date_time',
        'activity_date',
        'is_child',
        'is_recurrence',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
) }}
