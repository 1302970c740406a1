{#
    What differs between the warehouses in casts, written once:

    type_double()   the 8-byte float: `double` on DuckDB and Spark, `float8` on
                    PostgreSQL (which has no `double`). In YAML (contracts,
                    seeds) the type is spelled `float8`, a name DuckDB and
                    PostgreSQL both know.
    type_timestamptz()
                    the instant: `timestamptz` on DuckDB and PostgreSQL,
                    `timestamp` on Spark (an instant, shown in the session's
                    UTC). Text is dbt.type_string() (PostgreSQL has no
                    `string`, Spark no varchar without a length).
    try_cast_to(expression, type)
                    the cast, or NULL when the text does not parse, so a
                    hostile value never fails a model: try_cast on DuckDB and
                    Spark; PostgreSQL has none, so there it calls the
                    functions kpitree_try_<type> that
                    create_portable_functions() writes at the start of every
                    run (on-run-start). `type`: double, bigint, date,
                    timestamp, timestamptz.
    fail_query(message)
                    a boolean expression that stops the query with `message`
                    when evaluated (a rule without SQL, say): DuckDB's error();
                    on PostgreSQL the function kpitree_fail_query; Spark's
                    raise_error().
    regex_replace_all(expression, pattern, replacement)
                    every match replaced: the `g` flag on DuckDB and
                    PostgreSQL; Spark replaces all and names groups $1.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'kpitree')()) }}
{%- endmacro %}

{% macro default__type_double() -%}double{%- endmacro %}

{% macro postgres__type_double() -%}float8{%- endmacro %}

{% macro type_timestamptz() -%}
    {{ return(adapter.dispatch('type_timestamptz', 'kpitree')()) }}
{%- endmacro %}

{% macro default__type_timestamptz() -%}timestamptz{%- endmacro %}

{#- Spark's timestamp is an instant (shown in the session's timezone, UTC). -#}
{% macro spark__type_timestamptz() -%}timestamp{%- endmacro %}

{% macro try_cast_to(expression, type) -%}
    {{ return(adapter.dispatch('try_cast_to', 'kpitree')(expression, type)) }}
{%- endmacro %}

{% macro default__try_cast_to(expression, type) -%}
    try_cast({{ expression }} as {{ type_double() if type == 'double' else type }})
{%- endmacro %}

{#- Spark has no timestamptz: its timestamp is the instant. -#}
{% macro spark__try_cast_to(expression, type) -%}
    try_cast({{ expression }} as {{ 'timestamp' if type == 'timestamptz' else type }})
{%- endmacro %}

{% macro postgres__try_cast_to(expression, type) -%}
    {{ target.schema }}.kpitree_try_{{ type }}(cast({{ expression }} as text))
{%- endmacro %}

{% macro fail_query(message) -%}
    {{ return(adapter.dispatch('fail_query', 'kpitree')(message)) }}
{%- endmacro %}

{% macro default__fail_query(message) -%}
    cast(error({{ message }}) as boolean)
{%- endmacro %}

{% macro spark__fail_query(message) -%}
    cast(raise_error({{ message }}) as boolean)
{%- endmacro %}

{% macro postgres__fail_query(message) -%}
    {{ target.schema }}.kpitree_fail_query(cast({{ message }} as text))
{%- endmacro %}

{% macro create_portable_functions() -%}
    {{ return(adapter.dispatch('create_portable_functions', 'kpitree')()) }}
{%- endmacro %}

{% macro default__create_portable_functions() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_portable_functions() -%}
    {%- for name, type in [
        ('double', 'float8'),
        ('bigint', 'bigint'),
        ('date', 'date'),
        ('timestamp', 'timestamp'),
        ('timestamptz', 'timestamptz'),
    ] %}
    create or replace function {{ target.schema }}.kpitree_try_{{ name }}(
        value text
    ) returns {{ type }} language plpgsql stable parallel safe as $body$
    begin
        return cast(value as {{ type }});
    exception when others then
        return null;
    end
    $body$;
    {%- endfor %}
    create or replace function {{ target.schema }}.kpitree_fail_query(
        message text
    ) returns boolean language plpgsql volatile as $body$
    begin
        raise exception '%', message;
    end
    $body$;
{%- endmacro %}

{#- Whether `expression` contains a match of the regular expression `pattern`
    (anchor it with ^ and $ for a whole match). -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'kpitree')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike {{ pattern }})
{%- endmacro %}

{% macro postgres__regex_matches(expression, pattern) -%}
    ({{ expression }} ~ {{ pattern }})
{%- endmacro %}

{#- The text at the JSON path `path` ('$."field"') of the JSON `document`
    (NULL where there is none). -#}
{% macro json_text(document, path) -%}
    {{ return(adapter.dispatch('json_text', 'kpitree')(document, path)) }}
{%- endmacro %}

{% macro default__json_text(document, path) -%}
    json_extract_string({{ document }}, {{ path }})
{%- endmacro %}

{#- Spark's get_json_object reads `$.field`, not `$."field"`: the quotes go
    (the field names of the paths are plain, macros/salesforce). -#}
{% macro spark__json_text(document, path) -%}
    get_json_object({{ document }}, replace({{ path }}, '"', ''))
{%- endmacro %}

{% macro postgres__json_text(document, path) -%}
    (jsonb_path_query_first({{ document }}, cast({{ path }} as jsonpath)) #>> '{}')
{%- endmacro %}

{#- A text (a Jinja string) as a SQL literal, whatever quotes it holds. -#}
{% macro text_literal(value) -%}
    {{ return(adapter.dispatch('text_literal', 'kpitree')(value)) }}
{%- endmacro %}

{% macro default__text_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{#- Spark reads 'a''b' as two literals run together ('ab'), and with
    spark.sql.parser.escapedStringLiterals no escape survives: a text with a
    quote or a backslash is written as its UTF-8 bytes in hex. -#}
{% macro spark__text_literal(value) -%}
    {%- if "'" in value or '\\' in value -%}
        decode(unhex('{{ value.encode('utf-8').hex() }}'), 'UTF-8')
    {%- else -%}
        '{{ value }}'
    {%- endif -%}
{%- endmacro %}

{#- Every match of the regular expression `pattern` in `expression` replaced
    by `replacement` (a literal; \1 .. \9 name the groups). -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'kpitree')(
        expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{#- Spark replaces every match already (its 4th argument is a position) and
    names a group $1 (Java), not \1. -#}
{% macro spark__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace(
        {{ expression }},
        {{ pattern }},
        {{ modules.re.sub('\\\\([1-9])', '$\\1', replacement) }}
    )
{%- endmacro %}

{#- `value` rounded to `digits` decimals, as a double (PostgreSQL rounds only
    numeric to a number of digits; halves go away from zero everywhere). -#}
{% macro round_to(value, digits) -%}
    {{ return(adapter.dispatch('round_to', 'kpitree')(value, digits)) }}
{%- endmacro %}

{% macro default__round_to(value, digits) -%}
    round({{ value }}, {{ digits }})
{%- endmacro %}

{% macro postgres__round_to(value, digits) -%}
    cast(round(cast({{ value }} as numeric), {{ digits }}) as float8)
{%- endmacro %}
