{#
    Generic test (severity warn) on int_salesforce__users: active Salesforce
    users left out because none of their Department, role name and Division
    is in the department map. Their records still count at `all`, but not
    under a department or team.
#}
{% test salesforce_users_have_department(model) %}
    with

    salesforce_users as (select * from {{ ref('stg_salesforce__user') }})

    select
        salesforce_users.user_id,
        salesforce_users.department
    from salesforce_users
    where
        coalesce(salesforce_users.is_active, true)
        and salesforce_users.user_id not in (select user_id from {{ model }})
{% endtest %}
