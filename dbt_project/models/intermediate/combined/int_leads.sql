{#
    People in the funnel, as every later model reads them: the canonical
    landing rows (stg_canonical__leads) and each adapter's rows
    (adapter_models), one row per lead_id (the current version: newest
    updated_at, then the later file), timestamps in local time. The logic is
    combined_rows.
#}
{%- set columns = [
    'lead_id',
    'account_id',
    'email',
    'phone',
    'lead_source',
    'owner_id',
    'lead_score',
    'status',
    'created_at',
    'mql_at',
    'sql_at',
    'recycled_at',
    'recycle_reason',
    'converted_opportunity_id',
    'updated_at',
] -%}

{{ combined_rows(
    'leads',
    columns,
    key=['lead_id'],
    version_column='updated_at',
    local_time_columns=[
        'created_at',
        'mql_at',
        'sql_at',
        'recycled_at',
        'updated_at',
    ],
) }}
