{#
    Generic test: a mapping seed lists each key once, compared as
    hubspot_map_key compares them (two spellings of one key would map a value
    twice).
#}
{% test hubspot_unique_map_key(model, column_name) %}
    select {{ hubspot_map_key(column_name) }} as map_key, count(*) as row_count
    from {{ model }}
    group by {{ hubspot_map_key(column_name) }}
    having count(*) > 1
{% endtest %}
