with

source as (

    select * from {{ source('canonical', 'campaigns') }}

),

current_versions as (

    {{ latest_version('source', ['campaign_id'], none) }}

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
