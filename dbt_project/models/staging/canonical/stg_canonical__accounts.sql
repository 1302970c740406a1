with

source as (

    select * from {{ source('canonical', 'accounts') }}

),

current_versions as (

    {{ latest_version('source', ['account_id'], 'updated_at') }}

),

renamed as (

    select
        account_id,
        account_name,
        industry,
        employee_count,
        segment,
        {{ to_reporting_tz('created_at') }} as created_at,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
