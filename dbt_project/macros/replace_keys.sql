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

{#
    A statement deleting the rows of `relation` for which `condition` (SQL
    over its columns) is true: int_kpi_event_measures' post-hook removes its
    marker rows with it.
#}
{% macro delete_rows_where(relation, condition) -%}
    {{ return(adapter.dispatch('delete_rows_where', 'kpitree')(
        relation, condition)) }}
{%- endmacro %}

{% macro default__delete_rows_where(relation, condition) -%}
    delete from {{ relation }} where {{ condition }}
{%- endmacro %}

{#- Spark's Parquet tables have no DELETE: when a row matches, the table is
    overwritten with the rows kept (spark_overwrite_rows, run here; the hook
    itself is a no-op select). -#}
{% macro spark__delete_rows_where(relation, condition) -%}
    {%- set found = run_query(
        'select 1 from ' ~ relation ~ ' where ' ~ condition ~ ' limit 1'
    ) if execute else none -%}
    {#- Nothing to delete (a full build): the files are left as they are. -#}
    {%- if found is not none and found.rows | length > 0 -%}
        {%- do spark_overwrite_rows(
            relation,
            'select * from ' ~ relation
            ~ ' where not coalesce(' ~ condition ~ ', false)'
        ) -%}
    {%- endif -%}
    select 1
{%- endmacro %}
