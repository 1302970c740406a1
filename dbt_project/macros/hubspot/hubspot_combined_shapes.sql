{#
    One entity from every shape it lands in — the connector table and the
    CRM export of the same object (contact / contacts, company / companies,
    deal / deals, owners / owners named in exports): the rows of
    `relations` (each already aligned on `columns`, which include `key` and
    updated_at), reduced to one row per `key`, its current version whichever
    shape it came from (newest updated_at, then the later file and line:
    latest_version). Returns `columns`, _extra, _file and _line.
#}
{% macro hubspot_combined_shapes(relations, key, columns) -%}
    {%- set keys = [key] if key is string else key -%}
    {%- set selected = (columns + ['_extra', '_file', '_line']) | join(', ') -%}
    {%- set shapes -%}
        (
            {%- for relation in relations %}
                select {{ selected }} from {{ relation }}
                {%- if not loop.last %}
                    union all
                {%- endif %}
            {%- endfor %}
        ) as shapes
    {%- endset -%}
    select {{ selected }}
    from (
        {{ latest_version(shapes, keys, 'updated_at') }}
    ) as current_shapes
{%- endmacro %}
