{#- Canonical table -> the HubSpot staging models that feed it. -#}
{% macro hubspot_adapter_models() -%}
    {{ return({
        'users': ['stg_hubspot__users', 'stg_hubspot__export_users'],
        'accounts': ['stg_hubspot__accounts'],
        'leads': ['stg_hubspot__leads'],
        'activities': ['stg_hubspot__activities'],
        'meetings': ['stg_hubspot__meetings'],
        'opportunities': [
            'stg_hubspot__opportunities',
            'stg_hubspot__export_opportunities',
        ],
        'opportunity_stage_history': [
            'stg_hubspot__opportunity_stage_history',
        ],
        'campaigns': ['stg_hubspot__campaigns'],
        'campaign_responses': ['stg_hubspot__campaign_responses'],
        'email_events': ['stg_hubspot__email_events'],
    }) }}
{%- endmacro %}

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
        when regexp_full_match(trim({{ column }}), '\d{13}')
            then to_timestamp(cast(trim({{ column }}) as bigint) / 1000.0)
        when regexp_matches(
            {{ text }}, '\d:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}(:?\d{2})?)$'
        )
            then try_cast({{ text }} as timestamptz)
        else
            try_cast({{ text }} as timestamp)
            at time zone '{{ naive_timezone }}'
    end
{%- endmacro %}

{#
    A value as the key of a mapping seed: case, surrounding blanks and the
    difference between spaces, underscores and hyphens do not matter, so
    `Closed Won`, `closed_won` and `CLOSED-WON` are one key (`closedwon`, the
    internal id, is another).
#}
{% macro hubspot_map_key(expression) -%}
    lower(regexp_replace(trim({{ expression }}), '[\s_-]+', '_', 'g'))
{%- endmacro %}

{#
    An id as text: the first of a `;`-separated list (CRM exports list every
    associated record), without the `.0` a numeric property gets in some
    warehouses. NULL when empty.
#}
{% macro hubspot_id(expression) -%}
    nullif(
        regexp_replace(
            trim({{ dbt.split_part(expression, "';'", 1) }}), '\.0+$', ''
        ),
        ''
    )
{%- endmacro %}

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

{#
    Generic test: every non-empty value of a text timestamp column parses
    (hubspot_instant). Put on source columns with severity warn: a value that
    does not parse becomes NULL in staging.
#}
{% test hubspot_parses_as_instant(model, column_name) %}
    select {{ column_name }}
    from {{ model }}
    where
        nullif(trim({{ column_name }}), '') is not null
        and {{ hubspot_instant(column_name) }} is null
{% endtest %}
