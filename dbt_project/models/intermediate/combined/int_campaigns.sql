{#
    Marketing programmes, as every later model reads them: the canonical
    landing rows (stg_canonical__campaigns) and each adapter's rows
    (adapter_models), one row per campaign_id (the current version: the
    later file), timestamps in local time. The logic is combined_rows.
#}
{%- set columns = [
    'campaign_id',
    'campaign_name',
    'campaign_type',
    'started_at',
] -%}

{{ combined_rows(
    'campaigns',
    columns,
    key=['campaign_id'],
    local_time_columns=['started_at'],
) }}
