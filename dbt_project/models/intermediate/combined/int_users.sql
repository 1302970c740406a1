{#
    Reps and staff, as every later model reads them: the canonical landing
    rows (stg_canonical__users) and each adapter's rows (adapter_models),
    one row per user_id (the current version: newest updated_at, then the
    later file), timestamps in local time. The logic is combined_rows.
#}
{%- set columns = [
    'user_id',
    'user_name',
    'department',
    'team',
    'manager_id',
    'email',
    'is_active',
    'updated_at',
] -%}

{{ combined_rows(
    'users',
    columns,
    key=['user_id'],
    version_column='updated_at',
    local_time_columns=['updated_at'],
) }}
