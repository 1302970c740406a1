{#
    Every stage / amount / probability change of a deal, as every later
    model reads them: the canonical landing rows
    (stg_canonical__opportunity_stage_history) and each adapter's rows
    (adapter_models), one row per opportunity_id + changed_at (the current
    version: the later file), timestamps in local time. The logic is
    combined_rows.
#}
{%- set columns = [
    'opportunity_id',
    'stage',
    'amount',
    'probability',
    'changed_at',
] -%}

{{ combined_rows(
    'opportunity_stage_history',
    columns,
    key=['opportunity_id', 'changed_at'],
    local_time_columns=['changed_at'],
) }}
