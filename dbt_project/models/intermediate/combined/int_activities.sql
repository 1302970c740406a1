{#
    Calls, emails and other touches, as every later model reads them: the
    canonical landing rows (stg_canonical__activities) and each adapter's
    rows (adapter_models), one row per activity_id (the current version: the
    later file), timestamps in local time. The logic is combined_rows.
#}
{%- set columns = [
    'activity_id',
    'lead_id',
    'account_id',
    'owner_id',
    'activity_type',
    'direction',
    'outcome',
    'duration_seconds',
    'occurred_at',
] -%}

{{ combined_rows(
    'activities',
    columns,
    key=['activity_id'],
    local_time_columns=['occurred_at'],
) }}
