{#
    The one relation of a canonical table: the rows landed in the canonical
    contract (stg_canonical__<table>) and the rows every source-system
    adapter maps onto it (adapter_models), reduced to the current version of
    each `key` (latest_version: newest `version_column`, then the later file
    and line) and with `local_time_columns` (instants) shown as local time
    in the reporting timezone. Returns `columns` in their order.
#}
{% macro combined_rows(
    table_name,
    columns,
    key,
    version_column=none,
    local_time_columns=[]
) -%}
    {%- set landed_columns = columns | join(', ') ~ ', _file, _line' -%}
    with

    landed as (

        select {{ landed_columns }}
        from {{ ref('stg_canonical__' ~ table_name) }}
        {%- for model in adapter_models(table_name) %}
            union all
            select {{ landed_columns }}
            from {{ ref(model) }}
        {%- endfor %}

    ),

    current_versions as (

        {{ latest_version('landed', key, version_column) }}

    ),

    localized as (

        select
            {% for column in columns -%}
                {%- if column in local_time_columns -%}
                    {{ to_reporting_tz(column) }} as {{ column }}
                {%- else -%}
                    {{ column }}
                {%- endif -%}
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        from current_versions

    )

    select * from localized
{%- endmacro %}
