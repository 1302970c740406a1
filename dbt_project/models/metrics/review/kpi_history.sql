{#
    kpi_values as of each run: every build inserts the whole of kpi_values
    under run_date = var('run_date'), by default today in the reporting
    timezone (the one model that reads the wall clock: it records when the
    numbers were seen). Building again with the same run_date first deletes
    that day's snapshot (delete+insert on run_date), so a re-run replaces it
    and rows that no longer exist do not linger. full_refresh is off: a
    `dbt build --full-refresh` must not erase the past snapshots.
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

with

kpi_values as (select * from {{ ref('kpi_values') }}),

snapshot as (
    select
        {% if run_date -%}
            cast('{{ run_date }}' as date)
        {%- else -%}
            cast({{ to_reporting_tz('current_timestamp') }} as date)
        {%- endif %} as run_date,
        kpi_values.*
    from kpi_values
),

final as (
    select
        cast(run_date as date) as run_date,
        cast(kpi_name as varchar) as kpi_name,
        cast(kpi_version as integer) as kpi_version,
        cast(grain as varchar) as grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(dimension as varchar) as dimension,
        cast(dimension_value as varchar) as dimension_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(value as double) as value,
        cast(unit as varchar) as unit
    from snapshot
)

select * from final
