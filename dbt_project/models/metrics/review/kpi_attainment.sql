{#
    Actual against target for every target (seeds/kpi_targets.csv) of the
    current KPI version whose period has started by the as-of date, judged
    by macros/judge_targets.sql (the as-of date, projection of the period in
    progress, thresholds and directions are described there).
#}

with

targets as (select * from {{ ref('kpi_targets') }}),

judged as (
    {{ judge_targets('targets') }}
),

final as (
    select
        {{ kpi_value_columns(key_only=true) }},
        cast(actual as {{ type_double() }}) as actual,
        -- `target` is the published column name (docs/outputs.md).
        cast(target_value as {{ type_double() }}) as target,
        cast(attainment_pct as {{ type_double() }}) as attainment_pct,
        cast(projected as {{ type_double() }}) as projected,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(is_in_progress as boolean) as is_in_progress,
        cast(as_of_date as date) as as_of_date
    from judged
)

select * from final
order by kpi_name, grain, period_start, dimension, dimension_value
