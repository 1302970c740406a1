{#
    A value as the key of a mapping seed: case, surrounding blanks and the
    difference between spaces, underscores and hyphens do not matter, so
    `Closed Won`, `closed_won` and `CLOSED-WON` are one key (`closedwon`, the
    internal id, is another).
#}
{% macro hubspot_map_key(expression) -%}
    lower({{ regex_replace_all(
        'trim(' ~ expression ~ ')', "'[\\s_-]+'", "'_'"
    ) }})
{%- endmacro %}
