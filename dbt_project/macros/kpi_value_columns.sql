{#-
    The published columns of a KPI value, typed as the metrics contracts
    declare them: the key (KPI, version, grain, period, dimension value) and,
    unless `key_only`, the numerator, denominator, value and unit.
-#}
{% macro kpi_value_columns(key_only=false) -%}
    cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
    cast(kpi_version as integer) as kpi_version,
    cast(grain as {{ dbt.type_string() }}) as grain,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(dimension as {{ dbt.type_string() }}) as dimension,
    cast(dimension_value as {{ dbt.type_string() }}) as dimension_value
    {%- if not key_only %},
    cast(numerator as {{ type_double() }}) as numerator,
    cast(denominator as {{ type_double() }}) as denominator,
    cast(value as {{ type_double() }}) as value,
    cast(unit as {{ dbt.type_string() }}) as unit
    {%- endif %}
{%- endmacro %}
