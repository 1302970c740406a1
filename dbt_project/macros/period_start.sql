{#
    The first day of the period of `grain` that contains the local timestamp or
    date `value`. Weeks are ISO weeks (Monday); fiscal years start in
    var('fiscal_year_start_month') and are labelled by their first day.
#}
{% macro period_start(grain, value) -%}
    {%- if grain == 'fiscal_year' -%}
        {%- set shift = var('fiscal_year_start_month') | int - 1 -%}
        cast({{ dbt.dateadd('month', shift, dbt.date_trunc('year', dbt.dateadd('month', -shift, value))) }} as date)
    {%- else -%}
        cast({{ dbt.date_trunc(grain, value) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- The exclusive end of the period of `grain` that starts on `start`. -#}
{% macro period_end(grain, start) -%}
    {%- set steps = {
        'day': ('day', 1),
        'week': ('day', 7),
        'month': ('month', 1),
        'quarter': ('month', 3),
        'fiscal_year': ('month', 12),
    } -%}
    {%- set part, count = steps[grain] -%}
    cast({{ dbt.dateadd(part, count, start) }} as date)
{%- endmacro %}

{#- Every grain a KPI can be reported at, in display order: `grains` of the
    KPI catalog file (macros/kpi_catalog.yml); empty while dbt parses. -#}
{% macro all_grains() -%}
    {{ return(kpi_catalog_file().get('grains', [])) }}
{%- endmacro %}
