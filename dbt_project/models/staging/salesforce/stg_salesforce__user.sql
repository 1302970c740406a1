{#
    Salesforce Users (reps and staff): one row per record, its current
    version from the object table and the active versions of a connector's
    history-mode table, without deleted records; ids in their 15-character
    form. Fields keep their Salesforce names (snake_case; Id is user_id), so
    the field map finds them by name.
#}
{{ salesforce_current_rows(
    'user',
    key='user_id',
    columns=[
        'name',
        'first_name',
        'last_name',
        'department',
        'division',
        'user_role_id',
        'manager_id',
        'email',
        'is_active',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ],
) }}
