{#
    Event-based measures per grain, period and dimension value.

    The events are reduced to one row per measure, day and dimension value;
    the grains are rolled up from those days. Counts
    and sums add up across days. A measure whose events carry a distinct_key
    counts distinct keys, which do not add up across days: its keys are
    de-duplicated per day, then counted per period of each grain (an event of
    such a measure without a key counts nothing).
#}
{%- set dimension_columns = [
    ('department', 'department'),
    ('team', 'team'),
    ('owner', 'owner_id'),
    ('lead_source', 'lead_source'),
    ('segment', 'segment'),
] -%}

with

events as (select * from {{ ref('int_kpi_events') }}),

periods as (select * from {{ ref('int_periods') }}),

distinct_measures as (
    select measure_name
    from events
    group by measure_name
    having count(distinct_key) > 0
),

classified as (
    select
        events.*,
        cast(events.event_at as date) as event_day,
        events.measure_name in (
            select distinct_measures.measure_name from distinct_measures
        ) as counts_distinct
    from events
),

daily_sums as (
    select
        measure_name,
        event_day,
        'all' as dimension,
        'all' as dimension_value,
        sum(value) as value
    from classified
    where not counts_distinct
    group by measure_name, event_day
    {% for dimension, column in dimension_columns %}
        union all
        select
            measure_name,
            event_day,
            '{{ dimension }}' as dimension,
            {{ column }} as dimension_value,
            sum(value) as value
        from classified
        where not counts_distinct and {{ column }} is not null
        group by measure_name, event_day, {{ column }}
    {% endfor %}
),

daily_keys as (
    select
        measure_name,
        event_day,
        'all' as dimension,
        'all' as dimension_value,
        distinct_key
    from classified
    where counts_distinct and distinct_key is not null
    group by measure_name, event_day, distinct_key
    {% for dimension, column in dimension_columns %}
        union all
        select
            measure_name,
            event_day,
            '{{ dimension }}' as dimension,
            {{ column }} as dimension_value,
            distinct_key
        from classified
        where
            counts_distinct
            and distinct_key is not null
            and {{ column }} is not null
        group by measure_name, event_day, {{ column }}, distinct_key
    {% endfor %}
),

rolled_up as (
    {% for grain in all_grains() %}
        select
            measure_name,
            '{{ grain }}' as grain,
            {{ period_start(grain, 'event_day') }} as period_start,
            dimension,
            dimension_value,
            cast(sum(value) as double) as measure_value
        from daily_sums
        group by
            measure_name,
            {{ period_start(grain, 'event_day') }},
            dimension,
            dimension_value
        union all
        select
            measure_name,
            '{{ grain }}' as grain,
            {{ period_start(grain, 'event_day') }} as period_start,
            dimension,
            dimension_value,
            {# Keys are unique per day already: a day counts its rows. -#}
            cast(
                {% if grain == 'day' -%}
                    count(*)
                {%- else -%}
                    count(distinct distinct_key)
                {%- endif %} as double
            ) as measure_value
        from daily_keys
        group by
            measure_name,
            {{ period_start(grain, 'event_day') }},
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
