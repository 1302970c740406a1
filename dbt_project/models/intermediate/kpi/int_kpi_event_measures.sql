{#
    Event-based measures per grain, period and dimension value. Counts and sums
    are added up; distinct measures count distinct keys within the period, so
    they are computed from the events at every grain, never rolled up.
#}
with

events as (select * from {{ ref('int_kpi_events') }}),

periods as (select * from {{ ref('int_periods') }}),

bucketed as (
    {% for grain in all_grains() %}
        select
            '{{ grain }}' as grain,
            {{ period_start(grain, 'event_at') }} as period_start,
            measure_name,
            department,
            team,
            owner_id,
            lead_source,
            segment,
            value,
            distinct_key
        from events
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

by_dimension as (
    select
        grain,
        period_start,
        measure_name,
        'all' as dimension,
        'all' as dimension_value,
        value,
        distinct_key
    from bucketed
    {% for dimension, column in [
        ('department', 'department'),
        ('team', 'team'),
        ('owner', 'owner_id'),
        ('lead_source', 'lead_source'),
        ('segment', 'segment'),
    ] %}
        union all
        select
            grain,
            period_start,
            measure_name,
            '{{ dimension }}',
            {{ column }},
            value,
            distinct_key
        from bucketed
        where {{ column }} is not null
    {% endfor %}
),

aggregated as (
    select
        measure_name,
        grain,
        period_start,
        dimension,
        dimension_value,
        case
            when count(distinct_key) > 0
                then cast(count(distinct distinct_key) as double)
            else cast(sum(value) as double)
        end as measure_value
    from by_dimension
    group by measure_name, grain, period_start, dimension, dimension_value
),

in_reporting_periods as (
    select aggregated.*
    from aggregated
    inner join periods
        on
            aggregated.grain = periods.grain
            and aggregated.period_start = periods.period_start
)

select * from in_reporting_periods
