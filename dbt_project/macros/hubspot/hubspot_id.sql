{#
    An id as text: the first of a `;`-separated list (CRM exports list every
    associated record), without the `.0` a numeric property gets in some
    warehouses. NULL when empty.
#}
{% macro hubspot_id(expression) -%}
    nullif(
        regexp_replace(
            trim({{ dbt.split_part(expression, "';'", 1) }}), '\.0+$', ''
        ),
        ''
    )
{%- endmacro %}
