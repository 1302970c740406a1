{#
    The YAML of the project (seed column_types, model contracts) spells types
    as DuckDB and PostgreSQL both know them: varchar, float8, timestamptz.
    Spark knows none of the three (its varchar needs a length). These
    overrides of dbt-spark's seed macros and of dbt's contract check on Spark
    read the YAML types through spark_type_name, so the YAML stays one
    spelling and the contracts stay enforced on Spark too.
#}
{% macro spark_type_name(data_type) -%}
    {%- set names = {
        'varchar': 'string',
        'text': 'string',
        'float8': 'double',
        'timestamptz': 'timestamp',
    } -%}
    {{ return(names.get(data_type | trim | lower, data_type)) }}
{%- endmacro %}

{#- `model` with its column_types spelled for Spark. -#}
{% macro spark_seed_model(model) -%}
    {%- set column_types = {} -%}
    {%- for name, data_type in model['config'].get('column_types', {}).items() -%}
        {%- do column_types.update({name: spark_type_name(data_type)}) -%}
    {%- endfor -%}
    {%- set config = model['config'].copy() -%}
    {%- do config.update({'column_types': column_types}) -%}
    {%- set spark_model = model.copy() -%}
    {%- do spark_model.update({'config': config}) -%}
    {{ return(spark_model) }}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) -%}
    {{ return(dbt.spark__create_csv_table(
        spark_seed_model(model), agate_table
    )) }}
{%- endmacro %}

{#- dbt-spark's session method puts the values into the statement unescaped
    (a quote in a seed's text breaks it): written here as literals, text
    with a quote or backslash as UTF-8 hex (no escape survives
    spark.sql.parser.escapedStringLiterals). -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = spark_seed_model(model)['config']['column_types'] -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }}
            {% for row in chunk -%}
                select {% for value in row -%}
                    {%- set type = column_types.get(
                        agate_table.column_names[loop.index0],
                        adapter.convert_type(agate_table, loop.index0)
                    ) -%}
                    cast({{ spark_seed_literal(value) }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor %}
                {% if not loop.last %}union all{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{#- A seed value (from agate) as a Spark SQL literal. -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is boolean -%}
        {{ return('true' if value else 'false') }}
    {%- elif value is number -%}
        {{ return(value | string) }}
    {%- endif -%}
    {{ return(text_literal(value | string)) }}
{%- endmacro %}

{#- dbt's contract check casts NULL to each declared type: spelled for Spark. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spark_columns = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set spark_column = column.copy() -%}
        {%- if column.get('data_type') -%}
            {%- do spark_column.update(
                {'data_type': spark_type_name(column['data_type'])}
            ) -%}
        {%- endif -%}
        {%- do spark_columns.update({name: spark_column}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(spark_columns)) }}
{%- endmacro %}
