{#
    HubSpot calls and one-to-one emails as activities: one row per
    engagement. The lead and account are the engagement's associated contact
    and company (the lowest id when there are several). Owner and time fall
    back to the engagement parent table.

    Calls: direction from hs_call_direction (a call without one was logged by
    a rep: outbound); outcome maps the disposition, else the call status,
    through hubspot_call_outcome_map (none when neither maps); duration from
    milliseconds. Emails: INCOMING_EMAIL is inbound with outcome replied,
    every other email outbound; a bounced email has outcome bounced.
#}
with

calls as (select * from {{ ref('stg_hubspot__engagement_call') }}),

emails as (select * from {{ ref('stg_hubspot__engagement_email') }}),

engagements as (select * from {{ ref('stg_hubspot__engagement') }}),

associations as (
    select * from {{ ref('int_hubspot__engagement_associations') }}
),

call_outcomes as (
    select
        outcome,
        {{ hubspot_map_key('hubspot_value') }} as map_key
    from {{ ref('hubspot_call_outcome_map') }}
),

call_activities as (
    select
        calls.engagement_id,
        calls.owner_id,
        calls.occurred_at,
        calls.created_at,
        'call' as activity_type,
        case
            when upper(trim(calls.call_direction)) = 'INBOUND' then 'inbound'
            else 'outbound'
        end as direction,
        coalesce(by_disposition.outcome, by_status.outcome) as outcome,
        cast(round(calls.duration_ms / 1000.0) as bigint) as duration_seconds,
        calls._extra,
        calls._file,
        calls._line
    from calls
    left join call_outcomes as by_disposition
        on
            {{ hubspot_map_key('calls.call_disposition') }}
            = by_disposition.map_key
    left join call_outcomes as by_status
        on {{ hubspot_map_key('calls.call_status') }} = by_status.map_key
),

email_activities as (
    select
        engagement_id,
        owner_id,
        occurred_at,
        created_at,
        'email' as activity_type,
        case
            when upper(trim(email_direction)) = 'INCOMING_EMAIL' then 'inbound'
            else 'outbound'
        end as direction,
        case
            when upper(trim(email_direction)) = 'INCOMING_EMAIL' then 'replied'
            when upper(trim(email_status)) = 'BOUNCED' then 'bounced'
        end as outcome,
        cast(null as bigint) as duration_seconds,
        _extra,
        _file,
        _line
    from emails
),

typed_activities as (
    select * from call_activities
    union all
    select * from email_activities
),

activities as (
    select
        typed_activities.engagement_id as activity_id,
        associations.contact_id as lead_id,
        associations.company_id as account_id,
        coalesce(typed_activities.owner_id, engagements.owner_id) as owner_id,
        typed_activities.activity_type,
        typed_activities.direction,
        typed_activities.outcome,
        typed_activities.duration_seconds,
        coalesce(
            typed_activities.occurred_at,
            engagements.occurred_at,
            typed_activities.created_at
        ) as occurred_at,
        typed_activities._extra,
        typed_activities._file,
        typed_activities._line
    from typed_activities
    left join engagements
        on typed_activities.engagement_id = engagements.engagement_id
    left join associations
        on typed_activities.engagement_id = associations.engagement_id
)

select * from activities
