{#
    The one canonical relation for email_events: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'event_id',
    'email_id',
    'lead_id',
    'campaign_id',
    'event_type',
    'occurred_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'email_events') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('email_events') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['event_id'], none) }}

),

renamed as (

    select
        event_id,
        email_id,
        lead_id,
        campaign_id,
        event_type,
        {{ to_reporting_tz('occurred_at') }} as occurred_at
    from current_versions

)

select * from renamed
