{#
    BI tools read schemas named exactly as the contract says (`metrics`,
    `quality`), so a custom schema is used as-is instead of being prefixed with
    the target schema; on PostgreSQL those two are built as `<name>_build`
    and published under their own names.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.type == 'postgres'
        and custom_schema_name | trim in ('metrics', 'quality') -%}
        {#- On a server BI tools read while a run builds: the working schemas
            metrics_build and quality_build, which publishing copies and swaps
            in (orchestration/postgres.py). -#}
        {{ custom_schema_name | trim }}_build
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
