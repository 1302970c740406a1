with

source as (

    select * from {{ source('canonical', 'campaign_responses') }}

),

current_versions as (

    {{ latest_version('source', ['response_id'], none) }}

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
