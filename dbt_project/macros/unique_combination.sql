{#
    Generic test: no two rows share the same values in `columns` (a composite
    primary key). Written here because the project installs no dbt packages.
#}
{% test kpitree_unique_combination(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as row_count
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
