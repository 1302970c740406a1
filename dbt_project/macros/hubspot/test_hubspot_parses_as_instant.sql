{#
    Generic test: every non-empty value of a text timestamp column parses
    (hubspot_instant). Put on source columns with severity warn: a value that
    does not parse becomes NULL in staging.
#}
{% test hubspot_parses_as_instant(model, column_name) %}
    select {{ column_name }}
    from {{ model }}
    where
        nullif(trim({{ column_name }}), '') is not null
        and {{ hubspot_instant(column_name) }} is null
{% endtest %}
