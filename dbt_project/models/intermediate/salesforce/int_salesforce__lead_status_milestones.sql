{#
    Lifecycle dates of Salesforce leads from LeadHistory: per lead, the first
    change of Status into an `mql` / `sql` status of the lead status map and
    the last into a `recycled` one. int_salesforce__leads takes them where
    the field map's date field is missing or empty.
#}
with

lead_history as (select * from {{ ref('stg_salesforce__lead_history') }}),

lead_status_map as (

    {{ salesforce_value_map(
        'salesforce_lead_status_map', ['lifecycle_stage']
    ) }}

),

status_milestones as (

    select
        lead_history.lead_id,
        min(
            case
                when lead_status_map.lifecycle_stage = 'mql'
                    then lead_history.created_date
            end
        ) as mql_at,
        min(
            case
                when lead_status_map.lifecycle_stage = 'sql'
                    then lead_history.created_date
            end
        ) as sql_at,
        max(
            case
                when lead_status_map.lifecycle_stage = 'recycled'
                    then lead_history.created_date
            end
        ) as recycled_at
    from lead_history
    inner join lead_status_map
        on
            {{ salesforce_value_key('lead_history.new_value') }}
            = lead_status_map.value_key
    where lower(lead_history.field) = 'status'
    group by lead_history.lead_id

)

select * from status_milestones
