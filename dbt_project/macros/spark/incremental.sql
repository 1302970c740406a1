{#
    dbt-spark's incremental models know append, insert_overwrite, merge and
    microbatch; merge needs Delta, Iceberg or Hudi. kpitree's Parquet tables
    on Spark have no DELETE, so the two strategies the models use elsewhere,
    replace_keys (macros/replace_keys.sql) and delete+insert, are carried out
    as one rewrite with the same result: the rows whose unique_key is not
    among the new rows' keys, plus the new rows, written to a helper table
    and put in place with INSERT OVERWRITE. The computing stays incremental
    (only the new periods are aggregated); the table's files are rewritten.
    These two override dbt-spark's macros of the same name and hand every
    other strategy to them.
#}
{% macro dbt_spark_validate_get_incremental_strategy(
    raw_strategy, file_format
) -%}
    {%- if raw_strategy in ['replace_keys', 'delete+insert'] -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(
        raw_strategy, file_format
    )) }}
{%- endmacro %}

{% macro dbt_spark_get_incremental_sql(
    strategy, source, target, existing, unique_key, incremental_predicates
) -%}
    {%- if strategy not in ['replace_keys', 'delete+insert'] -%}
        {{ return(dbt.dbt_spark_get_incremental_sql(
            strategy, source, target, existing, unique_key,
            incremental_predicates
        )) }}
    {%- endif -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set columns = get_quoted_csv(
        adapter.get_columns_in_relation(target) | map(attribute='name')
    ) -%}
    {%- set rows -%}
        select {{ columns }}
        from {{ target }} as kept
        where not exists (
            select 1
            from {{ source }} as new_rows
            where
                {%- for key in keys %}
                new_rows.{{ key }} = kept.{{ key }}
                {%- if not loop.last %} and{% endif %}
                {%- endfor %}
        )
        union all
        select {{ columns }}
        from {{ source }}
    {%- endset -%}
    {%- do spark_overwrite_rows(target, rows) -%}
    select 1
{%- endmacro %}

{#- The rows of `relation` replaced by those `rows_sql` selects, which may
    read `relation` itself (Spark overwrites no table from itself): written
    to the helper table `<name>__kpitree_next`, put in place by INSERT
    OVERWRITE, the helper dropped. The incremental strategies above and
    delete_rows_where (macros/replace_keys.sql) use it. -#}
{% macro spark_overwrite_rows(relation, rows_sql) -%}
    {%- set next = relation.incorporate(
        path={'identifier': relation.identifier ~ '__kpitree_next'}
    ) -%}
    {%- do run_query('drop table if exists ' ~ next) -%}
    {%- do run_query(
        'create table ' ~ next ~ ' using parquet as ' ~ rows_sql
    ) -%}
    {%- do run_query(
        'insert overwrite table ' ~ relation ~ ' select * from ' ~ next
    ) -%}
    {%- do run_query('drop table if exists ' ~ next) -%}
{%- endmacro %}
