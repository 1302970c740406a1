{#
    Companies, as every later model reads them: the canonical landing rows
    (stg_canonical__accounts) and each adapter's rows (adapter_models), one
    row per account_id (the current version: newest updated_at, then the
    later file), timestamps in local time. The logic is combined_rows.
#}
{%- set columns = [
    'account_id',
    'account_name',
    'industry',
    'employee_count',
    'segment',
    'created_at',
    'updated_at',
] -%}

{{ combined_rows(
    'accounts',
    columns,
    key=['account_id'],
    version_column='updated_at',
    local_time_columns=['created_at', 'updated_at'],
) }}
