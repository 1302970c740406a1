{#
    Generic test: every row satisfies `expression` (a SQL boolean over the
    model's columns). Local because the project installs no dbt packages.
#}
{% test kpitree_expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not ({{ expression }})
{% endtest %}
