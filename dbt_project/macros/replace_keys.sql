{#
    Incremental strategy `replace_keys`: delete every row of the table whose
    unique_key (a list of columns) is among the new rows' keys, then insert
    the new rows. The same result as delete+insert, but the delete is a
    semi-join: a key held by many rows (a measure-day has thousands) is
    matched once, where a join of the table's rows with the new rows on the
    key multiplies them.
#}
{% macro get_incremental_replace_keys_sql(arg_dict) -%}
    {{ return(adapter.dispatch('replace_keys_sql', 'kpitree')(arg_dict)) }}
{%- endmacro %}

{% macro default__replace_keys_sql(arg_dict) -%}
    {%- set keys = arg_dict['unique_key'] -%}
    {%- if keys is string -%}
        {%- set keys = [keys] -%}
    {%- endif -%}
    {%- set columns = get_quoted_csv(
        arg_dict['dest_columns'] | map(attribute='name')
    ) -%}
    delete from {{ arg_dict['target_relation'] }} as replaced
    where exists (
        select 1
        from {{ arg_dict['temp_relation'] }} as new_rows
        where
            {%- for key in keys %}
                new_rows.{{ key }} = replaced.{{ key }}
                {%- if not loop.last %} and{% endif %}
            {%- endfor %}
    );

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }}
    from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
