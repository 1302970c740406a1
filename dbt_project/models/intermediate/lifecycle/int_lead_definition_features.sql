{#
    The facts the shared MQL / SQL definition (expectations/lead_definitions.yml)
    looks at, one row per lead: its source, owner department, score and
    lifecycle timestamps, its first campaign response, email click, connected
    call and held meeting, and whether it engaged before mql_at or had a
    conversation before sql_at. No rule is judged here: the rules are
    evaluated in int_lead_definition_rule_results, one row per lead and rule.
#}
with

leads as (select * from {{ ref('int_leads_joined_to_lifecycle') }}),

responses as (select * from {{ ref('int_campaign_responses') }}),

email_events as (select * from {{ ref('int_email_events') }}),

first_responses as (
    select
        lead_id,
        min(responded_at) as first_response_at
    from responses
    group by lead_id
),

first_clicks as (
    select
        lead_id,
        min(occurred_at) as first_click_at
    from email_events
    where event_type = 'clicked'
    group by lead_id
),

features as (
    select
        leads.lead_id,
        leads.lead_source,
        leads.owner_id,
        leads.owner_department,
        leads.lead_score,
        leads.created_at,
        leads.mql_at,
        leads.sql_at,
        leads.recycled_at,
        leads.recycle_reason,
        first_responses.first_response_at,
        first_clicks.first_click_at,
        leads.first_connected_call_at,
        leads.first_meeting_held_at,
        coalesce(
            first_responses.first_response_at <= leads.mql_at
            or first_clicks.first_click_at <= leads.mql_at,
            false
        ) as has_engagement_before_mql,
        coalesce(
            leads.first_connected_call_at <= leads.sql_at
            or leads.first_meeting_held_at <= leads.sql_at,
            false
        ) as has_conversation_before_sql
    from leads
    left join first_responses on leads.lead_id = first_responses.lead_id
    left join first_clicks on leads.lead_id = first_clicks.lead_id
)

select * from features
