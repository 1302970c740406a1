{#
    The one canonical relation for campaign_responses: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'response_id',
    'campaign_id',
    'lead_id',
    'response_type',
    'responded_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'campaign_responses') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('campaign_responses') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['response_id'], none) }}

),

renamed as (

    select
        response_id,
        campaign_id,
        lead_id,
        response_type,
        {{ to_reporting_tz('responded_at') }} as responded_at
    from current_versions

)

select * from renamed
