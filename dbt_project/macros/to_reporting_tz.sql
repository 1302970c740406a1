{#
    An instant (timestamp with time zone) as local wall-clock time in the
    reporting timezone. Periods are cut on local time.
#}
{% macro to_reporting_tz(column) -%}
    {{ return(adapter.dispatch('to_reporting_tz', 'kpitree')(column)) }}
{%- endmacro %}

{% macro default__to_reporting_tz(column) -%}
    cast(({{ column }}) at time zone '{{ var("reporting_timezone") }}' as timestamp)
{%- endmacro %}

{% macro spark__to_reporting_tz(column) -%}
    from_utc_timestamp({{ column }}, '{{ var("reporting_timezone") }}')
{%- endmacro %}
