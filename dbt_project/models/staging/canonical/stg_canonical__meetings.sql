with

source as (

    select * from {{ source('canonical', 'meetings') }}

),

current_versions as (

    {{ latest_version('source', ['meeting_id'], 'updated_at') }}

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
