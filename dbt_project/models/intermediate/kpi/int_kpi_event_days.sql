{#
    The events of int_kpi_events reduced to days, per dimension value: one
    row per measure, local day and dimension value holding the day's sum
    (value), and for measures that count distinct things one row per
    distinct_key instead (value NULL), since distinct keys do not add up
    across days. A measure counts distinct keys when its events carry one;
    its events without a key count nothing.

    Each dimension is one pass over the events table (no shared CTE, so no
    copy of the events is held while the passes run).
#}
{%- set dimension_columns = [
    ('all', "'all'"),
    ('department', 'department'),
    ('team', 'team'),
    ('owner', 'owner_id'),
    ('lead_source', 'lead_source'),
    ('segment', 'segment'),
] -%}

with

distinct_measures as (
    select measure_name
    from {{ ref('int_kpi_events') }}
    group by measure_name
    having count(distinct_key) > 0
),

by_dimension as (
    {% for dimension, column in dimension_columns %}
        select
            measure_name,
            cast(event_at as date) as event_day,
            '{{ dimension }}' as dimension,
            {{ column }} as dimension_value,
            distinct_key,
            case
                when distinct_key is null then sum(value)
            end as value
        from {{ ref('int_kpi_events') }}
        where
            {{ column }} is not null
            and (
                distinct_key is not null
                or measure_name not in (
                    select distinct_measures.measure_name
                    from distinct_measures
                )
            )
        group by
            measure_name,
            cast(event_at as date),
            {{ column }},
            distinct_key
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from by_dimension
