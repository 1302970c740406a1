{#
    Which source-system staging models feed each canonical table. Every model
    listed returns the canonical table's columns (as the contract types them,
    timestamps as instants) plus _extra, _file and _line, so that
    stg_canonical__<table> can take the rows of every system alike.
#}
{% macro adapter_models(table_name) -%}
    {%- set models = [] -%}
    {%- for system_models in [salesforce_adapter_models(), hubspot_adapter_models()] -%}
        {%- do models.extend(system_models.get(table_name, [])) -%}
    {%- endfor -%}
    {{ return(models) }}
{%- endmacro %}
