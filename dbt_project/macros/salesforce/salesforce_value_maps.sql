{#-
    Value-map seeds (`salesforce_value`, then the canonical columns) keyed
    for a case- and space-insensitive join on `value_key`. Duplicates that
    differ only in case keep one row. The row `*` is the default for values
    the seed does not list (and for empty values); `salesforce_default_row`
    selects it.
-#}
{% macro salesforce_value_map(seed_name, columns) -%}
    select
        lower(trim(salesforce_value)) as value_key,
        {% for column in columns -%}
            min({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref(seed_name) }}
    where trim(salesforce_value) <> '*'
    group by lower(trim(salesforce_value))
{%- endmacro %}

{#- The `*` row of a value-map seed: the value for anything unlisted. -#}
{% macro salesforce_default_row(seed_name, columns) -%}
    select
        {% for column in columns -%}
            min({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref(seed_name) }}
    where trim(salesforce_value) = '*'
{%- endmacro %}

{#- The join key of a Salesforce picklist value against a value map. -#}
{% macro salesforce_value_key(column) -%}
    lower(trim({{ column }}))
{%- endmacro %}
