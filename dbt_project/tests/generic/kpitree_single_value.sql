{#
    Generic test: `column_name` holds one value at most over the whole model,
    a NULL counting as `missing_as` (a SQL expression; by default NULL is a
    value of its own). When there are two or more, each is a failing row.
#}
{% test kpitree_single_value(model, column_name, missing_as='null') %}
    with

    distinct_values as (
        select distinct coalesce({{ column_name }}, {{ missing_as }}) as value
        from {{ model }}
    )

    select value
    from distinct_values
    where (select count(*) from distinct_values) > 1
{% endtest %}
