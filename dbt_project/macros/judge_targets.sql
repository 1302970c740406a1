{#
    Actual against target, as a query over `targets`: a relation or CTE with
    one row per target (kpi_name, grain, period_start, dimension,
    dimension_value, target_value, and any other columns, carried through).
    Used by kpi_attainment (targets of seeds/kpi_targets.csv) and kpi_tree
    (targets of the KPI tree files), so both judge the same way.

    Only targets whose period has started by the as-of date are kept, judged
    against the current KPI version. The as-of date is var('as_of_date'), by
    default the last day of the data span (the latest event date in
    int_periods), never the wall clock, so the same data always gives the
    same statuses. The actual is read from kpi_values_current; the current
    definition says what a target without a value row means (0 for a count
    or sum published at that grain and dimension, else NULL). The period
    containing the as-of date is in progress: a KPI that accrues day by day
    (counts, and sums that are not a point-in-time level) is projected
    linearly to the period's end; rates, ratios, averages and levels are
    projected as they are. Thresholds and directions:
    macros/attainment_status.sql.

    Adds: kpi_version, period_end, actual, projected, attainment_pct,
    status, direction, is_in_progress, as_of_date.
#}
{% macro judge_targets(targets) -%}
    with

    judge_as_of as ({{ as_of_date_query() }}),

    judge_definitions as (
        select
            kpi_name,
            kpi_version,
            is_sum,
            ',' || grains || ',' as grain_list,
            ',' || dimensions || ',' as dimension_list
        from {{ ref('kpi_definitions') }}
        where is_current
    ),

    judge_started as (
        select
            {{ targets }}.*,
            judge_definitions.kpi_version,
            periods.period_end,
            judge_as_of.as_of_date,
            judge_as_of.as_of_date < periods.period_end as is_in_progress,
            {{ dbt.datediff('periods.period_start', 'periods.period_end', 'day') }}
                as period_days,
            {{ dbt.datediff('periods.period_start', 'judge_as_of.as_of_date', 'day') }}
            + 1 as elapsed_days,
            -- Published where the catalog says; elsewhere there is no actual.
            judge_definitions.grain_list like ('%,' || {{ targets }}.grain || ',%')
            and judge_definitions.dimension_list
            like ('%,' || {{ targets }}.dimension || ',%') as is_published,
            -- Sums over no records are 0, averages and rates are NULL.
            judge_definitions.is_sum,
            {{ targets }}.kpi_name in (
                {%- for name in point_in_time_kpis() -%}
                    '{{ name }}'{% if not loop.last %}, {% endif %}
                {%- endfor -%}
            ) as is_point_in_time
        from {{ targets }}
        inner join judge_definitions
            on {{ targets }}.kpi_name = judge_definitions.kpi_name
        inner join {{ ref('int_periods') }} as periods
            on
                {{ targets }}.grain = periods.grain
                and {{ targets }}.period_start = periods.period_start
        cross join judge_as_of
        where {{ targets }}.period_start <= judge_as_of.as_of_date
    ),

    judge_actuals as (
        select
            judge_started.*,
            case
                when values_current.kpi_name is not null
                    then values_current.value
                -- No row: the dimension value had no records in the period.
                when judge_started.is_published and judge_started.is_sum
                    then 0
            end as actual
        from judge_started
        left join {{ ref('kpi_values_current') }} as values_current
            on
                judge_started.kpi_name = values_current.kpi_name
                and judge_started.grain = values_current.grain
                and judge_started.period_start = values_current.period_start
                and judge_started.dimension = values_current.dimension
                and judge_started.dimension_value
                = values_current.dimension_value
    ),

    judge_projected as (
        select
            *,
            case
                when is_in_progress and is_sum and not is_point_in_time
                    then actual * period_days / elapsed_days
                else actual
            end as projected,
            {{ kpi_direction('kpi_name') }} as direction
        from judge_actuals
    )

    select
        *,
        100.0 * actual / nullif(target_value, 0) as attainment_pct,
        {{ attainment_status('projected', 'target_value', 'direction') }}
            as status
    from judge_projected
{%- endmacro %}


{#- One row, one column `as_of_date`: var('as_of_date'), or the last day of
    the data span. -#}
{% macro as_of_date_query() -%}
    {%- set as_of_date = var('as_of_date', none) -%}
    select
        coalesce(
            {% if as_of_date -%}
                cast('{{ as_of_date }}' as date)
            {%- else -%}
                cast(null as date)
            {%- endif %},
            max(period_start)
        ) as as_of_date
    from {{ ref('int_periods') }}
    where grain = 'day'
{%- endmacro %}
