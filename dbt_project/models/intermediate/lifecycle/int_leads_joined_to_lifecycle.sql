{#
    Each lead with its lifecycle milestones and the attributes KPIs slice by.
    The MQL and SQL flags are the ones the departments set; whether they meet
    the shared definition is checked elsewhere, not corrected here.
#}
with

leads as (select * from {{ ref('int_leads') }}),

accounts as (select * from {{ ref('int_accounts') }}),

users as (select * from {{ ref('int_users') }}),

activities as (select * from {{ ref('int_activities_classified') }}),

meetings as (select * from {{ ref('int_meetings') }}),

opportunities as (select * from {{ ref('int_opportunities') }}),

first_touches as (
    select
        lead_id,
        min(case when is_follow_up then occurred_at end) as first_follow_up_at,
        min(
            case when is_connected_call then occurred_at end
        ) as first_connected_call_at,
        count(case when is_follow_up then 1 end) as follow_up_count
    from activities
    where lead_id is not null
    group by lead_id
),

first_meetings as (
    select
        lead_id,
        min(created_at) as first_appointment_at,
        min(case when status = 'held' then scheduled_at end)
            as first_meeting_held_at
    from meetings
    where lead_id is not null
    group by lead_id
),

lead_opportunities as (
    select
        lead_id,
        min(created_at) as first_opportunity_at,
        min(
            case when is_won then cast(close_date as timestamp) end
        ) as first_won_at
    from opportunities
    where lead_id is not null
    group by lead_id
),

joined as (
    select
        leads.lead_id,
        leads.account_id,
        leads.owner_id,
        users.department as owner_department,
        users.team as owner_team,
        leads.lead_source,
        accounts.segment,
        leads.lead_score,
        leads.status,
        leads.created_at,
        leads.mql_at,
        leads.sql_at,
        leads.recycled_at,
        leads.recycle_reason,
        first_touches.first_follow_up_at,
        first_touches.first_connected_call_at,
        coalesce(first_touches.follow_up_count, 0) as follow_up_count,
        first_meetings.first_appointment_at,
        first_meetings.first_meeting_held_at,
        lead_opportunities.first_opportunity_at,
        lead_opportunities.first_won_at
    from leads
    left join accounts on leads.account_id = accounts.account_id
    left join users on leads.owner_id = users.user_id
    left join first_touches on leads.lead_id = first_touches.lead_id
    left join first_meetings on leads.lead_id = first_meetings.lead_id
    left join lead_opportunities
        on leads.lead_id = lead_opportunities.lead_id
)

select * from joined
