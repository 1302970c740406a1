with

source as (

    select * from {{ source('canonical', 'leads') }}

),

current_versions as (

    {{ latest_version('source', ['lead_id'], 'updated_at') }}

),

renamed as (

    select
        lead_id,
        account_id,
        email,
        phone,
        lead_source,
        owner_id,
        lead_score,
        status,
        {{ to_reporting_tz('created_at') }} as created_at,
        {{ to_reporting_tz('mql_at') }} as mql_at,
        {{ to_reporting_tz('sql_at') }} as sql_at,
        {{ to_reporting_tz('recycled_at') }} as recycled_at,
        recycle_reason,
        converted_opportunity_id,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
