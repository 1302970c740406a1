{#
    The select list of one row of int_kpi_events: which measure an event
    feeds, when it happened (local time), who and what it belongs to, and what
    it adds (value 1 for a count, an amount for a sum; distinct_key only for
    measures that count distinct things).
#}
{% macro kpi_event(
    measure,
    event_at,
    value='1.0',
    distinct_key='null',
    owner_id='owner_id',
    lead_id='lead_id',
    account_id='account_id'
) -%}
    cast('{{ measure }}' as varchar) as measure_name,
    cast({{ event_at }} as timestamp) as event_at,
    cast({{ owner_id }} as varchar) as owner_id,
    cast({{ lead_id }} as varchar) as lead_id,
    cast({{ account_id }} as varchar) as account_id,
    cast({{ value }} as double) as value,
    cast({{ distinct_key }} as varchar) as distinct_key
{%- endmacro %}
