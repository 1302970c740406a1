with

source as (

    select * from {{ source('canonical', 'email_events') }}

),

current_versions as (

    {{ latest_version('source', ['event_id'], none) }}

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
