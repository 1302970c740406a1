{#
    Salesforce Tasks -> canonical activities. Open tasks (IsClosed false) are
    to-dos, not touches, and are left out. The activity type is TaskSubtype
    through the activity type map, else Type through it, else `call` for a
    task with a CallType (a CTI call), else `other`; an Internal call is
    `other`. Direction: CallType Inbound is inbound, everything else
    outbound. A call's outcome is its CallDisposition through the call
    outcome map. occurred_at: CompletedDateTime, else CreatedDate (when the
    call was logged). The lead is the task's WhoId through lead_keys (a
    converted lead's contact maps back to the lead).
#}
with

tasks as (select * from {{ ref('stg_salesforce__task') }}),

lead_keys as (select * from {{ ref('int_salesforce__lead_keys') }}),

activity_type_map as (

    {{ salesforce_value_map(
        'salesforce_activity_type_map', ['activity_type']
    ) }}

),

outcome_map as (

    {{ salesforce_value_map('salesforce_call_outcome_map', ['outcome']) }}

),

outcome_default as (

    {{ salesforce_default_row('salesforce_call_outcome_map', ['outcome']) }}

),

completed_tasks as (

    select * from tasks
    where coalesce(is_closed, true)

),

typed as (

    select
        completed_tasks.*,
        case
            when lower(trim(completed_tasks.call_type)) = 'internal'
                then 'other'
            else
                coalesce(
                    by_subtype.activity_type,
                    by_type.activity_type,
                    case
                        when completed_tasks.call_type is not null then 'call'
                    end,
                    'other'
                )
        end as activity_type
    from completed_tasks
    left join activity_type_map as by_subtype
        on
            {{ salesforce_value_key('completed_tasks.task_subtype') }}
            = by_subtype.value_key
    left join activity_type_map as by_type
        on
            {{ salesforce_value_key('completed_tasks.type') }}
            = by_type.value_key

),

mapped as (

    select
        typed.*,
        lead_keys.lead_id as mapped_lead_id,
        case
            when typed.activity_type = 'call'
                then coalesce(outcome_map.outcome, outcome_default.outcome)
        end as canonical_outcome
    from typed
    left join lead_keys on typed.who_id = lead_keys.salesforce_id
    left join outcome_map
        on
            {{ salesforce_value_key('typed.call_disposition') }}
            = outcome_map.value_key
    cross join outcome_default

),

renamed as (

    select
        task_id as activity_id,
        {{ salesforce_activity_lead_id() }} as lead_id,
        {{ salesforce_activity_account_id() }} as account_id,
        owner_id,
        activity_type,
        case
            when lower(trim(call_type)) = 'inbound' then 'inbound'
            else 'outbound'
        end as direction,
        canonical_outcome as outcome,
        call_duration_in_seconds as duration_seconds,
        coalesce(completed_date_time, created_date, _version_at) as occurred_at,
        _file,
        _line
    from mapped

)

select * from renamed
