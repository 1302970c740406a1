{#
    Form fills, downloads, registrations, as every later model reads them:
    the canonical landing rows (stg_canonical__campaign_responses) and each
    adapter's rows (adapter_models), one row per response_id (the current
    version: the later file), timestamps in local time. The logic is
    combined_rows.
#}
{%- set columns = [
    'response_id',
    'campaign_id',
    'lead_id',
    'response_type',
    'responded_at',
] -%}

{{ combined_rows(
    'campaign_responses',
    columns,
    key=['response_id'],
    local_time_columns=['responded_at'],
) }}
