{#- Canonical table -> the HubSpot staging models that feed it. -#}
{% macro hubspot_staging_models() -%}
    {{ return({}) }}
{%- endmacro %}
