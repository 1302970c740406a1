{#
    One row per calendar day from `start_date` to `end_date` inclusive, as
    column `date_day`. Both arguments are SQL expressions of type date; they may
    reference a relation that is joined laterally before this call.
#}
{% macro day_spine(start_date, end_date) -%}
    {{ return(adapter.dispatch('day_spine', 'kpitree')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__day_spine(start_date, end_date) -%}
    generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval '1 day'
    ) as spine (date_day)
{%- endmacro %}

{#- Spark: the days of sequence(), one row each (a lateral generator). -#}
{% macro spark__day_spine(start_date, end_date) -%}
    lateral explode(
        sequence(
            cast({{ start_date }} as date),
            cast({{ end_date }} as date),
            interval 1 day
        )
    ) as spine (date_day)
{%- endmacro %}
