{#
    Generic test (severity warn): values of a Salesforce picklist column that
    the value map `seed_name` does not list (they take its `*` default, or
    stay unmapped). Put on source columns; reads the upper-case-export alias
    too.
#}
{% test salesforce_value_is_mapped(model, column_name, seed_name) %}
    {%- set value = salesforce_column(column_name) -%}
    select distinct {{ value }} as unmapped_value
    from {{ model }}
    where
        nullif(trim({{ value }}), '') is not null
        and {{ salesforce_value_key(value) }} not in (
            select {{ salesforce_value_key('salesforce_value') }}
            from {{ ref(seed_name) }}
        )
{% endtest %}
