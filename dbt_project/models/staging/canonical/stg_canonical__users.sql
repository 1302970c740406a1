with

source as (

    select * from {{ source('canonical', 'users') }}

),

current_versions as (

    {{ latest_version('source', ['user_id'], 'updated_at') }}

),

renamed as (

    select
        user_id,
        user_name,
        department,
        team,
        manager_id,
        email,
        is_active,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
