{#
    Salesforce UserRoles: the role name is a user's team and a fallback for
    the department map.
#}
with

source as (

    {{ salesforce_rows('user_role', ['name']) }}

),

live_records as (

    {{ salesforce_live_records('source') }}

),

renamed as (

    select
        id as role_id,
        name as role_name
    from live_records

)

select * from renamed
