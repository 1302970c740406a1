{#
    Deals, as every later model reads them: the canonical landing rows
    (stg_canonical__opportunities) and each adapter's rows (adapter_models),
    one row per opportunity_id (the current version: newest updated_at, then
    the later file), timestamps in local time. The logic is combined_rows.
#}
{%- set columns = [
    'opportunity_id',
    'account_id',
    'lead_id',
    'owner_id',
    'created_by_id',
    'opportunity_type',
    'stage',
    'amount',
    'currency',
    'probability',
    'created_at',
    'close_date',
    'is_closed',
    'is_won',
    'updated_at',
] -%}

{{ combined_rows(
    'opportunities',
    columns,
    key=['opportunity_id'],
    version_column='updated_at',
    local_time_columns=['created_at', 'updated_at'],
) }}
