{#
    The one canonical relation for campaigns: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'campaign_id',
    'campaign_name',
    'campaign_type',
    'started_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'campaigns') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('campaigns') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['campaign_id'], none) }}

),

renamed as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        {{ to_reporting_tz('started_at') }} as started_at
    from current_versions

)

select * from renamed
