{#
    On Spark the landed rows arrive as Parquet folders, one per table, which
    the run writes before dbt starts (orchestration/spark.py): this hook
    (on-run-start) declares each as a table of its schema, so the sources read
    them as on the other warehouses, where the landed tables already exist.
    KPITREE_SPARK_LANDED is the folder, KPITREE_SPARK_LANDED_TABLES the
    `schema.table` names; without them (dbt's unit tests, parse) it does
    nothing.
#}
{% macro register_landed_tables() -%}
    {{ return(adapter.dispatch('register_landed_tables', 'kpitree')()) }}
{%- endmacro %}

{% macro default__register_landed_tables() -%}
    select 1
{%- endmacro %}

{% macro spark__register_landed_tables() -%}
    {%- set folder = env_var('KPITREE_SPARK_LANDED', '') -%}
    {%- set names = env_var('KPITREE_SPARK_LANDED_TABLES', '') -%}
    {%- if execute and folder and names -%}
        {%- set schemas = [] -%}
        {%- for name in names.split(',') -%}
            {%- set schema, table = name.split('.') -%}
            {%- if schema not in schemas -%}
                {%- do run_query('create database if not exists ' ~ schema) -%}
                {%- do schemas.append(schema) -%}
            {%- endif -%}
            {#- Dropped and declared again: the files and their columns change
                from run to run; views over the table resolve it when read. -#}
            {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table) -%}
            {%- do run_query(
                'create table ' ~ schema ~ '.' ~ table ~ ' using parquet'
                ~ " location '" ~ folder ~ '/' ~ schema ~ '/' ~ table ~ "'"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
