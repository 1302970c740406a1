with

source as (

    select * from {{ source('canonical', 'opportunities') }}

),

current_versions as (

    {{ latest_version('source', ['opportunity_id'], 'updated_at') }}

),

renamed as (

    select
        opportunity_id,
        account_id,
        lead_id,
        owner_id,
        created_by_id,
        opportunity_type,
        stage,
        amount,
        currency,
        probability,
        {{ to_reporting_tz('created_at') }} as created_at,
        close_date,
        is_closed,
        is_won,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
