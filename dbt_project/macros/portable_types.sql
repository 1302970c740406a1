{#
    What differs between the warehouses in casts, written once:

    type_double()   the 8-byte float: `double` on DuckDB and Spark, `float8` on
                    PostgreSQL (which has no `double`). In YAML (contracts,
                    seeds) the type is spelled `float8`, a name DuckDB and
                    PostgreSQL both know.
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
                    on PostgreSQL the function kpitree_fail_query.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'kpitree')()) }}
{%- endmacro %}

{% macro default__type_double() -%}double{%- endmacro %}

{% macro postgres__type_double() -%}float8{%- endmacro %}

{% macro try_cast_to(expression, type) -%}
    {{ return(adapter.dispatch('try_cast_to', 'kpitree')(expression, type)) }}
{%- endmacro %}

{% macro default__try_cast_to(expression, type) -%}
    try_cast({{ expression }} as {{ type_double() if type == 'double' else type }})
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

{% macro postgres__json_text(document, path) -%}
    (jsonb_path_query_first({{ document }}, cast({{ path }} as jsonpath)) #>> '{}')
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
