with

source as (

    select * from {{ source('canonical', 'subscriptions') }}

),

current_versions as (

    {{ latest_version('source', ['subscription_id'], 'updated_at') }}

),

renamed as (

    select
        subscription_id,
        account_id,
        opportunity_id,
        start_date,
        end_date,
        mrr,
        currency,
        renewed_from_subscription_id,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
