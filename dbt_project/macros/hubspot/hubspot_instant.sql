{#
    A HubSpot timestamp as text -> an instant (timestamp with time zone).
    Connectors write UTC without an offset, sometimes with a one-digit hour
    (`2020-12-30 3:15:52`), a ` UTC` suffix (BigQuery exports), a spaced
    offset (`+0000`) or epoch milliseconds (the API's format). Offset-less
    values are read in `naive_timezone`: the connector's zone, UTC unless the
    var `hubspot_connector_timezone` says otherwise. NULL when unparseable.
#}
{% macro hubspot_instant(column, naive_timezone=none) -%}
    {{ return(adapter.dispatch('hubspot_instant', 'kpitree')(
        column,
        naive_timezone or var('hubspot_connector_timezone', 'UTC'),
    )) }}
{%- endmacro %}

{% macro default__hubspot_instant(column, naive_timezone) -%}
    {%- set text = "regexp_replace(trim(" ~ column ~ "), "
        ~ "'\\s*(UTC|utc)$', 'Z')" -%}
    {%- set text = "regexp_replace(" ~ text ~ ", "
        ~ "'\\s+([+-]\\d{2}:?\\d{2}|Z)$', '\\1')" -%}
    case
        when {{ regex_matches('trim(' ~ column ~ ')', "'^\\d{13}$'") }}
            then to_timestamp(cast(trim({{ column }}) as bigint) / 1000.0)
        when {{ regex_matches(
            text, "'\\d:\\d{2}(:\\d{2}(\\.\\d+)?)?([zZ]|[+-]\\d{2}(:?\\d{2})?)$'"
        ) }}
            then {{ try_cast_to(text, 'timestamptz') }}
        else
            {{ try_cast_to(text, 'timestamp') }}
            at time zone '{{ naive_timezone }}'
    end
{%- endmacro %}

{#- Spark: timestamp_millis for epoch milliseconds, its timestamp for an
    instant, to_utc_timestamp to read a wall-clock time in a zone; Java
    names a regular expression's group $1. -#}
{% macro spark__hubspot_instant(column, naive_timezone) -%}
    {%- set text = "regexp_replace(trim(" ~ column ~ "), "
        ~ "'\\s*(UTC|utc)$', 'Z')" -%}
    {%- set text = "regexp_replace(" ~ text ~ ", "
        ~ "'\\s+([+-]\\d{2}:?\\d{2}|Z)$', '$1')" -%}
    case
        when {{ regex_matches('trim(' ~ column ~ ')', "'^\\d{13}$'") }}
            then timestamp_millis(cast(trim({{ column }}) as bigint))
        when {{ regex_matches(
            text, "'\\d:\\d{2}(:\\d{2}(\\.\\d+)?)?([zZ]|[+-]\\d{2}(:?\\d{2})?)$'"
        ) }}
            then {{ try_cast_to(text, 'timestamptz') }}
        else
            to_utc_timestamp(
                {{ try_cast_to(text, 'timestamp') }}, '{{ naive_timezone }}'
            )
    end
{%- endmacro %}
