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
        {{ kpi_value_columns() }}
    from snapshot
)

select * from final
