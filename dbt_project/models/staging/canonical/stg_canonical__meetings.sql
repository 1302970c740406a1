{#
    The one canonical relation for meetings: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'meeting_id',
    'lead_id',
    'account_id',
    'opportunity_id',
    'owner_id',
    'set_by_id',
    'created_at',
    'scheduled_at',
    'status',
    'is_first_meeting',
    'updated_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'meetings') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('meetings') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['meeting_id'], 'updated_at') }}

),

renamed as (

    select
        meeting_id,
        lead_id,
        account_id,
        opportunity_id,
        owner_id,
        set_by_id,
        {{ to_reporting_tz('created_at') }} as created_at,
        {{ to_reporting_tz('scheduled_at') }} as scheduled_at,
        status,
        is_first_meeting,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
