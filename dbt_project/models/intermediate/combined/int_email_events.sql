{#
    Marketing email events, as every later model reads them: the canonical
    landing rows (stg_canonical__email_events) and each adapter's rows
    (adapter_models), one row per event_id (the current version: the later
    file), timestamps in local time. The logic is combined_rows.
#}
{%- set columns = [
    'event_id',
    'email_id',
    'lead_id',
    'campaign_id',
    'event_type',
    'occurred_at',
] -%}

{{ combined_rows(
    'email_events',
    columns,
    key=['event_id'],
    local_time_columns=['occurred_at'],
) }}
