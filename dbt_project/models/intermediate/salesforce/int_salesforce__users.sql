{#
    Salesforce Users -> canonical users. The department is the first of the
    user's Department, role name and Division that the department map lists;
    a user with none listed (integration users, admins) is left out, since
    the contract requires a department. The team is the role name, else the
    Division.
#}
with

salesforce_users as (select * from {{ ref('stg_salesforce__user') }}),

user_roles as (select * from {{ ref('stg_salesforce__user_role') }}),

department_map as (

    {{ salesforce_value_map('salesforce_department_map', ['department']) }}

),

with_roles as (

    select
        salesforce_users.*,
        user_roles.name as role_name
    from salesforce_users
    left join user_roles
        on salesforce_users.user_role_id = user_roles.user_role_id

),

mapped as (

    select
        with_roles.*,
        coalesce(
            by_department.department,
            by_role.department,
            by_division.department
        ) as canonical_department
    from with_roles
    left join department_map as by_department
        on
            {{ salesforce_value_key('with_roles.department') }}
            = by_department.value_key
    left join department_map as by_role
        on
            {{ salesforce_value_key('with_roles.role_name') }}
            = by_role.value_key
    left join department_map as by_division
        on
            {{ salesforce_value_key('with_roles.division') }}
            = by_division.value_key

),

renamed as (

    select
        user_id,
        coalesce(
            nullif(trim(name), ''),
            nullif(trim(concat_ws(' ', first_name, last_name)), ''),
            user_id
        ) as user_name,
        canonical_department as department,
        coalesce(role_name, division) as team,
        manager_id,
        email,
        is_active,
        _version_at as updated_at,
        _file,
        _line
    from mapped
    where canonical_department is not null

)

select * from renamed
