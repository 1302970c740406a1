{#
    HubSpot meetings: one row per meeting engagement. scheduled_at is the
    meeting's start time; created_at when it was booked (the engagement's
    creation). status maps the meeting outcome through
    hubspot_meeting_outcome_map (a meeting without an outcome takes the
    default row `*`: scheduled). Lead, account and opportunity are the
    associated contact, company and deal (lowest id). HubSpot does not say
    who set a meeting, so set_by_id is empty.
#}
with

meetings as (select * from {{ ref('stg_hubspot__engagement_meeting') }}),

engagements as (select * from {{ ref('stg_hubspot__engagement') }}),

associations as (
    select * from {{ ref('int_hubspot__engagement_associations') }}
),

meeting_outcomes as (
    select
        status,
        {{ hubspot_map_key('hubspot_outcome') }} as map_key
    from {{ ref('hubspot_meeting_outcome_map') }}
),

joined as (
    select
        meetings.engagement_id as meeting_id,
        associations.contact_id as lead_id,
        associations.company_id as account_id,
        associations.deal_id as opportunity_id,
        coalesce(meetings.owner_id, engagements.owner_id) as owner_id,
        cast(null as {{ dbt.type_string() }}) as set_by_id,
        coalesce(
            meetings.created_at, engagements.created_at, meetings.occurred_at
        ) as created_at,
        coalesce(
            meetings.starts_at, meetings.occurred_at, engagements.occurred_at
        ) as scheduled_at,
        coalesce(
            by_outcome.status, by_default.status, 'scheduled'
        ) as status,
        cast(null as boolean) as is_first_meeting,
        meetings.updated_at,
        meetings._extra,
        meetings._file,
        meetings._line
    from meetings
    left join engagements
        on meetings.engagement_id = engagements.engagement_id
    left join associations
        on meetings.engagement_id = associations.engagement_id
    left join meeting_outcomes as by_outcome
        on
            {{ hubspot_map_key('meetings.meeting_outcome') }}
            = by_outcome.map_key
    left join meeting_outcomes as by_default
        on by_default.map_key = '*'
)

select * from joined
