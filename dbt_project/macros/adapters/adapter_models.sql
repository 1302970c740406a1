{#
    Which source-system intermediate models feed each canonical table. Every
    model listed returns the canonical table's columns (as the contract types
    them, timestamps as instants) plus _file and _line, so that
    combined_rows can take the rows of every system alike.
#}
{% macro adapter_models(table_name) -%}
    {%- set models = [] -%}
    {%- for system_models in [salesforce_adapter_models(), hubspot_adapter_models()] -%}
        {%- do models.extend(system_models.get(table_name, [])) -%}
    {%- endfor -%}
    {{ return(models) }}
{%- endmacro %}
