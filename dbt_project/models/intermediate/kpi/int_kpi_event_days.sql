{#
    The events of int_kpi_events reduced to days, per dimension value: one
    row per measure, local day and dimension value holding the day's sum
    (value), and for measures that count distinct things one row per
    distinct_key instead (value NULL), since distinct keys do not add up
    across days. A measure counts distinct keys when its events carry one;
    its events without a key count nothing.

    Incremental by measure, day and dimension. Each of them also has one
    fingerprint row (dimension_value NULL) holding day_fingerprint, what its
    events were when it was last computed (rows_fingerprint of the dimension's
    column, value and distinct_key, and whether the measure counts distinct
    keys). A build recomputes only those whose fingerprint differs from the
    stored one -- new days, and old days a late update or correction touched,
    in the dimensions it touched (a lead's corrected source changes its
    events' lead_source rows, not their owner rows) -- and replaces their rows
    (incremental strategy replace_keys, macros/replace_keys.sql). A day that
    lost all its events keeps fingerprint rows with day_fingerprint NULL and
    nothing else. changed_at says when rows were last written:
    int_kpi_event_measures rolls up what changed since its last build.

    Each dimension is one pass over the events table (no shared CTE, so no
    copy of the events is held while the passes run).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_keys',
        unique_key=['measure_name', 'event_day', 'dimension'],
    )
}}
{%- set dimension_columns = [
    ('all', "'all'"),
    ('department', 'department'),
    ('team', 'team'),
    ('owner', 'owner_id'),
    ('lead_source', 'lead_source'),
    ('segment', 'segment'),
] -%}
{%- set changed_at =
    "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f')
    ~ "' as timestamp)" -%}

with

event_days as (
    select
        measure_name,
        cast(event_at as date) as event_day,
        count(distinct_key) as keyed_events,
        {% for dimension, column in dimension_columns %}
            {{ rows_fingerprint([column, 'value', 'distinct_key']) }}
                as {{ dimension }}_fingerprint{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('int_kpi_events') }}
    group by measure_name, cast(event_at as date)
),

distinct_measures as (
    select measure_name
    from event_days
    group by measure_name
    having sum(keyed_events) > 0
),

current_days as (
    {% for dimension, column in dimension_columns %}
        select
            event_days.measure_name,
            event_days.event_day,
            '{{ dimension }}' as dimension,
            event_days.{{ dimension }}_fingerprint
            || case
                when distinct_measures.measure_name is null then ':sum'
                else ':distinct'
            end as day_fingerprint
        from event_days
        left join distinct_measures
            on event_days.measure_name = distinct_measures.measure_name
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

changed_days as (
    {% if is_incremental() %}
        select
            coalesce(current_days.measure_name, stored.measure_name)
                as measure_name,
            coalesce(current_days.event_day, stored.event_day) as event_day,
            coalesce(current_days.dimension, stored.dimension) as dimension,
            current_days.day_fingerprint
        from current_days
        full outer join (
            select
                measure_name,
                event_day,
                dimension,
                day_fingerprint
            from {{ this }}
            where dimension_value is null
        ) as stored
            on
                current_days.measure_name = stored.measure_name
                and current_days.event_day = stored.event_day
                and current_days.dimension = stored.dimension
        where current_days.day_fingerprint is distinct from stored.day_fingerprint
    {% else %}
        select * from current_days
    {% endif %}
),

fingerprints as (
    select
        measure_name,
        event_day,
        dimension,
        cast(null as {{ dbt.type_string() }}) as dimension_value,
        cast(null as {{ dbt.type_string() }}) as distinct_key,
        cast(null as {{ type_double() }}) as value,
        day_fingerprint,
        {{ changed_at }} as changed_at
    from changed_days
),

by_dimension as (
    {% for dimension, column in dimension_columns %}
        select
            events.measure_name,
            cast(events.event_at as date) as event_day,
            '{{ dimension }}' as dimension,
            {{ column }} as dimension_value,
            events.distinct_key,
            case
                when events.distinct_key is null then sum(events.value)
            end as value,
            cast(null as {{ dbt.type_string() }}) as day_fingerprint,
            {{ changed_at }} as changed_at
        from {{ ref('int_kpi_events') }} as events
        {% if is_incremental() -%}
            inner join changed_days
                on
                    events.measure_name = changed_days.measure_name
                    and cast(events.event_at as date) = changed_days.event_day
                    and changed_days.dimension = '{{ dimension }}'
        {% endif -%}
        where
            {{ column }} is not null
            and (
                events.distinct_key is not null
                or events.measure_name not in (
                    select distinct_measures.measure_name
                    from distinct_measures
                )
            )
        group by
            events.measure_name,
            cast(events.event_at as date),
            {% if dimension != 'all' -%}
                {{ column }},
            {% endif -%}
            events.distinct_key
        union all
    {% endfor %}
    select * from fingerprints
)

select * from by_dimension
