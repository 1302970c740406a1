{#
    Event-based measures per grain, period and dimension value, rolled up
    from the days of int_kpi_event_days: sums add up across the days of a
    period; a distinct count counts the distinct keys of the period's days
    (for a day, its rows: they are distinct per day already). Every period
    that has days is rolled up; int_kpi_measures keeps the reporting periods.

    Incremental by measure, grain, period and dimension: a build rolls up
    again only the periods that contain a day whose rows of that dimension
    int_kpi_event_days changed since this table's last build
    (days_changed_at), and replaces their rows (incremental strategy
    replace_keys). Each of them gets one row with dimension_value NULL here,
    so that its old rows are deleted even where nothing is left to roll up;
    the post-hook removes it.
#}
-- depends_on: {{ ref('int_kpi_event_days') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_keys',
        unique_key=['measure_name', 'grain', 'period_start', 'dimension'],
        post_hook="{{ delete_rows_where(this, 'dimension_value is null') }}",
    )
}}

{#- The day rows are read in each pass (a shared CTE would be a copy). -#}
{%- set day_rows = ref('int_kpi_event_days') ~ ' as day_rows' %}

with

{# The days' latest change this build covers (NULL for an empty table). #}
latest_change as (
    select max(changed_at) as days_changed_at
    from {{ ref('int_kpi_event_days') }}
    where dimension_value is null
),

{% if is_incremental() %}
    changed_days as (
        select
            measure_name,
            event_day,
            dimension
        from {{ ref('int_kpi_event_days') }}
        where
            dimension_value is null
            and changed_at > (
                select coalesce(max(days_changed_at), cast('1900-01-01' as timestamp))
                from {{ this }}
            )
    ),

    {% for grain in all_grains() %}
        changed_{{ grain }}_periods as (
            select distinct
                measure_name,
                {{ period_start(grain, 'event_day') }} as period_start,
                dimension
            from changed_days
        ),
    {% endfor %}
{% endif %}

rolled_up as (
    {% for grain in all_grains() %}
        {%- set in_changed_periods %}
            {%- if is_incremental() %}
                inner join changed_{{ grain }}_periods as changed
                    on
                        day_rows.measure_name = changed.measure_name
                        and {{ period_start(grain, 'day_rows.event_day') }}
                        = changed.period_start
                        and day_rows.dimension = changed.dimension
            {%- endif %}
        {%- endset %}
        select
            day_rows.measure_name,
            '{{ grain }}' as grain,
            {{ period_start(grain, 'day_rows.event_day') }} as period_start,
            day_rows.dimension,
            day_rows.dimension_value,
            cast(sum(day_rows.value) as {{ type_double() }}) as measure_value
        from {{ day_rows }}
        {{ in_changed_periods }}
        where
            day_rows.dimension_value is not null
            and day_rows.distinct_key is null
        group by
            day_rows.measure_name,
            {{ period_start(grain, 'day_rows.event_day') }},
            day_rows.dimension,
            day_rows.dimension_value
        union all
        select
            measure_name,
            grain,
            period_start,
            dimension,
            dimension_value,
            cast(count(*) as {{ type_double() }}) as measure_value
        from (
            select distinct
                day_rows.measure_name,
                '{{ grain }}' as grain,
                {{ period_start(grain, 'day_rows.event_day') }} as period_start,
                day_rows.dimension,
                day_rows.dimension_value,
                day_rows.distinct_key
            from {{ day_rows }}
            {{ in_changed_periods }}
            where
                day_rows.dimension_value is not null
                and day_rows.distinct_key is not null
        ) as period_keys
        group by
            measure_name,
            grain,
            period_start,
            dimension,
            dimension_value
        {% if is_incremental() %}
            {#- One row per changed period and dimension, so that its old
                rows are deleted even where nothing is left to roll up. -#}
            union all
            select
                measure_name,
                '{{ grain }}' as grain,
                period_start,
                dimension,
                cast(null as {{ dbt.type_string() }}) as dimension_value,
                cast(null as {{ type_double() }}) as measure_value
            from changed_{{ grain }}_periods
        {% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        rolled_up.*,
        latest_change.days_changed_at
    from rolled_up
    cross join latest_change
)

select * from final
