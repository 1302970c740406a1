{#
    Every countable event behind the event-based KPI measures, one row per
    event and measure, with the local time that places it in a period and the
    attributes it is sliced by. This is where each measure's record selection
    is written (which calls count as calls, which deals as won); the catalog in
    macros/kpi_catalog.sql combines measures into KPIs.

    value: 1 for a counted event, the amount for a summed one.
    distinct_key: set only for measures that count distinct things.
#}
with

leads as (select * from {{ ref('int_leads_joined_to_lifecycle') }}),

activities as (select * from {{ ref('int_activities_classified') }}),

meetings as (select * from {{ ref('stg_canonical__meetings') }}),

opportunities as (select * from {{ ref('stg_canonical__opportunities') }}),

subscriptions as (select * from {{ ref('stg_canonical__subscriptions') }}),

responses as (select * from {{ ref('stg_canonical__campaign_responses') }}),

email_events as (select * from {{ ref('stg_canonical__email_events') }}),

accounts as (select * from {{ ref('stg_canonical__accounts') }}),

users as (select * from {{ ref('stg_canonical__users') }}),

lead_events as (
    select 'leads_created' as measure_name, created_at as event_at,
        owner_id, lead_id, account_id, 1.0 as value,
        cast(null as varchar) as distinct_key
    from leads
    union all
    select 'mqls', mql_at, owner_id, lead_id, account_id, 1.0, null
    from leads
    where mql_at is not null
    union all
    select 'sqls', sql_at, owner_id, lead_id, account_id, 1.0, null
    from leads
    where sql_at is not null
),

response_events as (
    select
        case response_type
            when 'document_request' then 'document_requests'
            when 'seminar_registration' then 'seminar_registrations'
        end as measure_name,
        responded_at as event_at,
        cast(null as varchar) as owner_id,
        lead_id,
        cast(null as varchar) as account_id,
        1.0 as value,
        cast(null as varchar) as distinct_key
    from responses
    where response_type in ('document_request', 'seminar_registration')
),

email_measures as (
    select
        case event_type
            when 'sent' then 'emails_sent'
            when 'delivered' then 'emails_delivered'
        end as measure_name,
        occurred_at as event_at,
        lead_id,
        cast(null as varchar) as distinct_key
    from email_events
    where event_type in ('sent', 'delivered')
    union all
    select
        case event_type
            when 'delivered' then 'email_pairs_delivered'
            when 'opened' then 'email_pairs_opened'
            when 'clicked' then 'email_pairs_clicked'
        end,
        occurred_at,
        lead_id,
        email_id || '|' || lead_id
    from email_events
    where event_type in ('delivered', 'opened', 'clicked')
),

email_kpi_events as (
    select
        measure_name,
        event_at,
        cast(null as varchar) as owner_id,
        lead_id,
        cast(null as varchar) as account_id,
        1.0 as value,
        distinct_key
    from email_measures
),

activity_events as (
    select 'calls' as measure_name, occurred_at as event_at, owner_id,
        lead_id, account_id, 1.0 as value,
        cast(null as varchar) as distinct_key
    from activities
    where is_outbound_call
    union all
    select 'connected_calls', occurred_at, owner_id, lead_id, account_id,
        1.0, null
    from activities
    where is_connected_call
    union all
    select 'call_rep_days', occurred_at, owner_id, lead_id, account_id, 1.0,
        owner_id || '|' || cast(occurred_date as varchar)
    from activities
    where is_outbound_call
    union all
    select 'follow_ups', occurred_at, owner_id, lead_id, account_id, 1.0, null
    from activities
    where is_follow_up
    union all
    select 'followed_up_leads', occurred_at, owner_id, lead_id, account_id,
        1.0, lead_id
    from activities
    where is_follow_up
    union all
    select 'contacted_leads', occurred_at, owner_id, lead_id, account_id,
        1.0, lead_id
    from activities
    where is_connected_call and lead_id is not null
),

meeting_events as (
    select 'appointments' as measure_name, created_at as event_at, owner_id,
        lead_id, account_id, 1.0 as value,
        cast(null as varchar) as distinct_key
    from meetings
    union all
    select 'meetings_held', scheduled_at, owner_id, lead_id, account_id, 1.0,
        null
    from meetings
    where status = 'held'
),

opportunity_events as (
    select 'opportunities_created' as measure_name, created_at as event_at,
        owner_id, lead_id, account_id, 1.0 as value,
        cast(null as varchar) as distinct_key
    from opportunities
    where opportunity_type = 'new_business'
    union all
    select 'pipeline_created_amount', created_at, owner_id, lead_id,
        account_id, coalesce(amount, 0), null
    from opportunities
    where opportunity_type = 'new_business'
    union all
    select 'won_deals', cast(close_date as timestamp), owner_id, lead_id,
        account_id, 1.0, null
    from opportunities
    where opportunity_type = 'new_business' and is_won
    union all
    select 'won_amount', cast(close_date as timestamp), owner_id, lead_id,
        account_id, coalesce(amount, 0), null
    from opportunities
    where opportunity_type = 'new_business' and is_won
    union all
    select 'lost_deals', cast(close_date as timestamp), owner_id, lead_id,
        account_id, 1.0, null
    from opportunities
    where opportunity_type = 'new_business' and is_closed and not is_won
    union all
    select 'closed_deals', cast(close_date as timestamp), owner_id, lead_id,
        account_id, 1.0, null
    from opportunities
    where opportunity_type = 'new_business' and is_closed
),

renewed_subscriptions as (
    select distinct renewed_from_subscription_id as subscription_id
    from subscriptions
    where renewed_from_subscription_id is not null
),

subscription_events as (
    select 'subscriptions_ending' as measure_name,
        cast(subscriptions.end_date as timestamp) as event_at,
        cast(null as varchar) as owner_id,
        cast(null as varchar) as lead_id,
        subscriptions.account_id,
        1.0 as value,
        cast(null as varchar) as distinct_key
    from subscriptions
    where subscriptions.end_date is not null
    union all
    select 'subscriptions_renewed', cast(subscriptions.end_date as timestamp),
        null, null, subscriptions.account_id, 1.0, null
    from subscriptions
    inner join renewed_subscriptions
        on subscriptions.subscription_id = renewed_subscriptions.subscription_id
    where subscriptions.end_date is not null
),

events as (
    select * from lead_events
    union all select * from response_events
    union all select * from email_kpi_events
    union all select * from activity_events
    union all select * from meeting_events
    union all select * from opportunity_events
    union all select * from subscription_events
),

with_attributes as (
    select
        events.measure_name,
        events.event_at,
        users.department,
        users.team,
        events.owner_id,
        leads.lead_source,
        accounts.segment,
        events.value,
        events.distinct_key
    from events
    left join leads on events.lead_id = leads.lead_id
    left join users on events.owner_id = users.user_id
    left join accounts
        on coalesce(events.account_id, leads.account_id) = accounts.account_id
    where events.event_at is not null
)

select * from with_attributes
