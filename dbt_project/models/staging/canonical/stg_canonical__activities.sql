{#
    The one canonical relation for activities: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'activity_id',
    'lead_id',
    'account_id',
    'owner_id',
    'activity_type',
    'direction',
    'outcome',
    'duration_seconds',
    'occurred_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'activities') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('activities') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['activity_id'], none) }}

),

renamed as (

    select
        activity_id,
        lead_id,
        account_id,
        owner_id,
        activity_type,
        direction,
        outcome,
        duration_seconds,
        {{ to_reporting_tz('occurred_at') }} as occurred_at
    from current_versions

)

select * from renamed
