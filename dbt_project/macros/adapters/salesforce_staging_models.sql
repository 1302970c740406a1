{#- Canonical table -> the Salesforce staging models that feed it. -#}
{% macro salesforce_staging_models() -%}
    {{ return({}) }}
{%- endmacro %}
