{#
    Actual against target for every target (seeds/kpi_targets.csv) of the
    current KPI version whose period has started by the as-of date. The
    actual is read from kpi_values_current; the current definition says what
    a target without a value row means (0 for a count or sum published at
    that grain and dimension, else NULL).

    The as-of date is var('as_of_date'), by default the last day of the data
    span (the latest event date in int_periods), never the wall clock, so the
    same data always gives the same statuses. The period containing it is in
    progress: a KPI that accrues day by day (counts, and sums that are not a
    point-in-time level) is projected linearly to the period's end; rates,
    ratios, averages and levels are projected as they are. Thresholds and
    directions: macros/attainment_status.sql.
#}
{%- set as_of_date = var('as_of_date', none) %}

with

targets as (select * from {{ ref('kpi_targets') }}),

definitions as (select * from {{ ref('kpi_definitions') }}),

kpi_values_current as (select * from {{ ref('kpi_values_current') }}),

periods as (select * from {{ ref('int_periods') }}),

as_of as (
    select
        coalesce(
            {% if as_of_date -%}
                cast('{{ as_of_date }}' as date)
            {%- else -%}
                cast(null as date)
            {%- endif %},
            max(period_start)
        ) as as_of_date
    from periods
    where grain = 'day'
),

current_definitions as (
    select
        kpi_name,
        kpi_version,
        is_sum,
        ',' || grains || ',' as grain_list,
        ',' || dimensions || ',' as dimension_list
    from definitions
    where is_current
),

targets_in_started_periods as (
    select
        targets.kpi_name,
        current_definitions.kpi_version,
        targets.grain,
        targets.period_start,
        periods.period_end,
        targets.dimension,
        targets.dimension_value,
        targets.target_value,
        as_of.as_of_date,
        as_of.as_of_date < periods.period_end as is_in_progress,
        {{ dbt.datediff('periods.period_start', 'periods.period_end', 'day') }}
            as period_days,
        {{ dbt.datediff('periods.period_start', 'as_of.as_of_date', 'day') }}
        + 1 as elapsed_days,
        -- Published where the catalog says; elsewhere there is no actual.
        current_definitions.grain_list like ('%,' || targets.grain || ',%')
        and current_definitions.dimension_list
        like ('%,' || targets.dimension || ',%') as is_published,
        -- Sums over no records are 0, averages and rates are NULL.
        current_definitions.is_sum,
        targets.kpi_name in (
            {%- for name in point_in_time_kpis() -%}
                '{{ name }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        ) as is_point_in_time
    from targets
    inner join current_definitions
        on targets.kpi_name = current_definitions.kpi_name
    inner join periods
        on
            targets.grain = periods.grain
            and targets.period_start = periods.period_start
    cross join as_of
    where targets.period_start <= as_of.as_of_date
),

joined_to_actuals as (
    select
        targets_in_started_periods.*,
        case
            when kpi_values_current.kpi_name is not null
                then kpi_values_current.value
            -- No row: the dimension value had no records in the period.
            when
                targets_in_started_periods.is_published
                and targets_in_started_periods.is_sum
                then 0
        end as actual
    from targets_in_started_periods
    left join kpi_values_current
        on
            targets_in_started_periods.kpi_name = kpi_values_current.kpi_name
            and targets_in_started_periods.grain = kpi_values_current.grain
            and targets_in_started_periods.period_start
            = kpi_values_current.period_start
            and targets_in_started_periods.dimension
            = kpi_values_current.dimension
            and targets_in_started_periods.dimension_value
            = kpi_values_current.dimension_value
),

projected as (
    select
        *,
        case
            when is_in_progress and is_sum and not is_point_in_time
                then actual * period_days / elapsed_days
            else actual
        end as projected,
        {{ kpi_direction('kpi_name') }} as direction
    from joined_to_actuals
),

final as (
    select
        {{ kpi_value_columns(key_only=true) }},
        cast(actual as double) as actual,
        -- `target` is the published column name (docs/outputs.md).
        cast(target_value as double) as target,
        cast(100.0 * actual / nullif(target_value, 0) as double)
            as attainment_pct,
        cast(projected as double) as projected,
        cast(
            {{ attainment_status('projected', 'target_value', 'direction') }}
            as varchar
        ) as status,
        cast(direction as varchar) as direction,
        cast(is_in_progress as boolean) as is_in_progress,
        cast(as_of_date as date) as as_of_date
    from projected
)

select * from final
order by kpi_name, grain, period_start, dimension, dimension_value
