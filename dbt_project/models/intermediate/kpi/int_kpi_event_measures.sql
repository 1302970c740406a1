{#
    Event-based measures per grain, period and dimension value, rolled up
    from the days of int_kpi_event_days: sums add up across the days of a
    period; a distinct count counts the distinct keys of the period's days
    (for a day, its rows: they are distinct per day already).
#}
-- depends_on: {{ ref('int_kpi_event_days') }}
with

periods as (select * from {{ ref('int_periods') }}),

rolled_up as (
    {% for grain in all_grains() %}
        select
            measure_name,
            '{{ grain }}' as grain,
            {{ period_start(grain, 'event_day') }} as period_start,
            dimension,
            dimension_value,
            cast(sum(value) as double) as measure_value
        from {{ ref('int_kpi_event_days') }}
        where distinct_key is null
        group by
            measure_name,
            {{ period_start(grain, 'event_day') }},
            dimension,
            dimension_value
        union all
        select
            measure_name,
            grain,
            period_start,
            dimension,
            dimension_value,
            cast(count(*) as double) as measure_value
        from (
            select distinct
                measure_name,
                '{{ grain }}' as grain,
                {{ period_start(grain, 'event_day') }} as period_start,
                dimension,
                dimension_value,
                distinct_key
            from {{ ref('int_kpi_event_days') }}
            where distinct_key is not null
        ) as period_keys
        group by
            measure_name,
            grain,
            period_start,
            dimension,
            dimension_value
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

in_reporting_periods as (
    select rolled_up.*
    from rolled_up
    inner join periods
        on
            rolled_up.grain = periods.grain
            and rolled_up.period_start = periods.period_start
)

select * from in_reporting_periods
