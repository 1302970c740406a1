with

source as (

    select * from {{ source('canonical', 'activities') }}

),

current_versions as (

    {{ latest_version('source', ['activity_id'], none) }}

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
