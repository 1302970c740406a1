{#
    How each KPI value changed, run by run: a build adds a row under
    run_date = var('run_date') (by default today in the reporting timezone:
    the one model that reads the wall clock) for each kpi_values row that is
    new or whose numerator, denominator, value or unit differs from the last
    row the history holds for it, and a `removed` row for each value that is
    no longer in kpi_values. A night that changes nothing adds nothing, so the
    history grows with the data's changes, not with the runs.

    Building again with the same run_date first deletes that day's rows
    (delete+insert on run_date) and compares with the days before it, so a
    re-run replaces the day. full_refresh is off: `dbt build --full-refresh`
    must not erase the past.

    The value a KPI had on a date D is its latest row with run_date <= D
    (none, or `removed`: it had no value then).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='run_date',
        on_schema_change='append_new_columns',
        full_refresh=false,
    )
}}
{%- set run_date = var('run_date', none) %}
{%- if run_date %}
    {%- set run_date_sql = "cast('" ~ run_date ~ "' as date)" %}
{%- else %}
    {%- set today = to_reporting_tz('current_timestamp') %}
    {%- set run_date_sql = 'cast(' ~ today ~ ' as date)' %}
{%- endif %}
{%- set key = [
    'kpi_name', 'kpi_version', 'grain', 'period_start', 'dimension',
    'dimension_value',
] %}

with

kpi_values as (select * from {{ ref('kpi_values') }}),

{# The last row the history holds for each value, before this run date. #}
latest as (
    {% if is_incremental() %}
        {#- A history written before change_type existed has no such column
            (on_schema_change adds it after this select). In a unit test `this`
            is the fixture, which has it. -#}
        {%- if this is string %}
            {%- set existing = ['change_type'] %}
        {%- else %}
            {%- set existing = adapter.get_columns_in_relation(this)
                | map(attribute='name') | map('lower') | list %}
        {%- endif %}
        select
            run_date,
            kpi_name,
            kpi_version,
            grain,
            period_start,
            period_end,
            dimension,
            dimension_value,
            numerator,
            denominator,
            value,
            unit,
            change_type
        from (
            select
                run_date,
                {{ kpi_value_columns() }},
                {% if 'change_type' in existing -%}
                    change_type
                {%- else -%}
                    cast(null as {{ dbt.type_string() }}) as change_type
                {%- endif %},
                row_number() over (
                    partition by {{ key | join(', ') }}
                    order by run_date desc
                ) as recency
            from {{ this }}
            where run_date < {{ run_date_sql }}
        ) as history
        where recency = 1
    {% else %}
        select
            cast(null as date) as run_date,
            {{ kpi_value_columns() }},
            cast(null as {{ dbt.type_string() }}) as change_type
        from kpi_values
        where false
    {% endif %}
),

still_there as (
    select * from latest
    {# Rows written before the history recorded changes have no change. #}
    where coalesce(change_type, 'snapshot') <> 'removed'
),

new_or_changed as (
    select
        kpi_values.*,
        case
            when still_there.kpi_name is null then 'new' else 'changed'
        end as change_type
    from kpi_values
    left join still_there
        on
            {% for column in key -%}
                kpi_values.{{ column }} = still_there.{{ column }}
                {% if not loop.last %}and {% endif %}
            {%- endfor %}
    where
        still_there.kpi_name is null
        {% for column in ['numerator', 'denominator', 'value', 'unit'] -%}
            or kpi_values.{{ column }} is distinct from still_there.{{ column }}
        {% endfor %}
),

removed as (
    select
        still_there.kpi_name,
        still_there.kpi_version,
        still_there.grain,
        still_there.period_start,
        still_there.period_end,
        still_there.dimension,
        still_there.dimension_value,
        cast(null as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        cast(null as {{ type_double() }}) as value,
        still_there.unit,
        'removed' as change_type
    from still_there
    where not exists (
        select 1
        from kpi_values
        where
            {% for column in key -%}
                kpi_values.{{ column }} = still_there.{{ column }}
                {% if not loop.last %}and {% endif %}
            {%- endfor %}
    )
),

changes as (
    select * from new_or_changed
    union all
    select * from removed
),

final as (
    select
        {{ run_date_sql }} as run_date,
        {{ kpi_value_columns() }},
        cast(change_type as {{ dbt.type_string() }}) as change_type
    from changes
)

select * from final
