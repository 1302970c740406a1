{#
    Every countable event behind the event-based KPI measures, one row per
    event and measure, with the local time that places it in a period and the
    attributes it is sliced by. This is where each measure's record selection
    is written (which calls count as calls, which deals as won); the catalog in
    macros/kpi_catalog.yml combines measures into KPIs. Each source record gets
    its attributes once (kpi_attributed) before it fans out into measures.
#}
with

leads as (select * from {{ ref('int_leads_joined_to_lifecycle') }}),

activities as (select * from {{ ref('int_activities_classified') }}),

meetings as (select * from {{ ref('int_meetings') }}),

opportunities as (select * from {{ ref('int_opportunities') }}),

new_business as (
    select * from opportunities
    where opportunity_type = 'new_business'
),

subscriptions as (select * from {{ ref('int_subscriptions') }}),

responses as (select * from {{ ref('int_campaign_responses') }}),

email_events as (select * from {{ ref('int_email_events') }}),

kpi_accounts as (
    select
        account_id,
        segment
    from {{ ref('int_accounts') }}
),

kpi_users as (
    select
        user_id,
        department,
        team
    from {{ ref('int_users') }}
),

kpi_leads as (
    select
        lead_id,
        lead_source,
        account_id
    from leads
),

rule_results as (
    select * from {{ ref('int_lead_definition_rule_results') }}
),

{# Which populations of the shared definition each lead breaks a rule of. #}
broken_populations as (
    select
        lead_id,
        max(
            case when population = 'mql' then 1 else 0 end
        ) as breaks_mql_definition,
        max(
            case when population = 'sql' then 1 else 0 end
        ) as breaks_sql_definition
    from rule_results
    where is_violation
    group by lead_id
),

conforming_leads as (
    select
        leads.*,
        coalesce(broken_populations.breaks_mql_definition, 0) = 0
            as meets_mql_definition,
        coalesce(broken_populations.breaks_sql_definition, 0) = 0
            as meets_sql_definition
    from leads
    left join broken_populations
        on leads.lead_id = broken_populations.lead_id
),

attributed_leads as ({{ kpi_attributed('conforming_leads') }}),

lead_events as (
    select {{ kpi_event('leads_created', 'created_at') }}
    from attributed_leads
    union all
    select {{ kpi_event('mqls', 'mql_at') }}
    from attributed_leads
    where mql_at is not null
    union all
    select {{ kpi_event('sqls', 'sql_at') }}
    from attributed_leads
    where sql_at is not null
    union all
    select {{ kpi_event('mqls_conforming', 'mql_at') }}
    from attributed_leads
    where mql_at is not null and meets_mql_definition
    union all
    select {{ kpi_event('sqls_conforming', 'sql_at') }}
    from attributed_leads
    where sql_at is not null and meets_sql_definition
),

{# Campaign responses and email events belong to a lead, not to an owner. #}
attributed_responses as (
    {{ kpi_attributed('responses', owner_id='null', account_id='null') }}
),

response_events as (
    select {{ kpi_event('document_requests', 'responded_at') }}
    from attributed_responses
    where response_type = 'document_request'
    union all
    select {{ kpi_event('seminar_registrations', 'responded_at') }}
    from attributed_responses
    where response_type = 'seminar_registration'
),

attributed_email_events as (
    {{ kpi_attributed('email_events', owner_id='null', account_id='null') }}
),

email_kpi_events as (
    select {{ kpi_event('emails_sent', 'occurred_at') }}
    from attributed_email_events
    where event_type = 'sent'
    union all
    select {{ kpi_event('emails_delivered', 'occurred_at') }}
    from attributed_email_events
    where event_type = 'delivered'
    {% for event_type, measure in [
        ('delivered', 'email_pairs_delivered'),
        ('opened', 'email_pairs_opened'),
        ('clicked', 'email_pairs_clicked'),
    ] %}
        union all
        select
            {{ kpi_event(measure, 'occurred_at',
                distinct_key="email_id || '|' || lead_id") }}
        from attributed_email_events
        where event_type = '{{ event_type }}'
    {% endfor %}
),

attributed_activities as ({{ kpi_attributed('activities') }}),

activity_events as (
    select {{ kpi_event('calls', 'occurred_at') }}
    from attributed_activities
    where is_outbound_call
    union all
    select {{ kpi_event('connected_calls', 'occurred_at') }}
    from attributed_activities
    where is_connected_call
    union all
    select
        {{ kpi_event('call_rep_days', 'occurred_at',
            distinct_key="owner_id || '|' || cast(occurred_date as "
            ~ dbt.type_string() ~ ")") }}
    from attributed_activities
    where is_outbound_call
    union all
    select {{ kpi_event('follow_ups', 'occurred_at') }}
    from attributed_activities
    where is_follow_up
    union all
    select
        {{ kpi_event('followed_up_leads', 'occurred_at',
            distinct_key='lead_id') }}
    from attributed_activities
    where is_follow_up
    union all
    select
        {{ kpi_event('contacted_leads', 'occurred_at',
            distinct_key='lead_id') }}
    from attributed_activities
    where is_connected_call and lead_id is not null
),

attributed_meetings as ({{ kpi_attributed('meetings') }}),

meeting_events as (
    select {{ kpi_event('appointments', 'created_at') }}
    from attributed_meetings
    union all
    select {{ kpi_event('meetings_held', 'scheduled_at') }}
    from attributed_meetings
    where status = 'held'
),

attributed_new_business as ({{ kpi_attributed('new_business') }}),

opportunity_events as (
    select {{ kpi_event('opportunities_created', 'created_at') }}
    from attributed_new_business
    union all
    select
        {{ kpi_event('pipeline_created_amount', 'created_at',
            value='coalesce(amount, 0)') }}
    from attributed_new_business
    union all
    select {{ kpi_event('won_deals', 'close_date') }}
    from attributed_new_business
    where is_won
    union all
    select
        {{ kpi_event('won_amount', 'close_date',
            value='coalesce(amount, 0)') }}
    from attributed_new_business
    where is_won
    union all
    select {{ kpi_event('lost_deals', 'close_date') }}
    from attributed_new_business
    where is_closed and not is_won
    union all
    select {{ kpi_event('closed_deals', 'close_date') }}
    from attributed_new_business
    where is_closed
),

renewed_subscriptions as (
    select distinct renewed_from_subscription_id as subscription_id
    from subscriptions
    where renewed_from_subscription_id is not null
),

{# A subscription counts where it ends; a renewal names what it renews. #}
attributed_subscriptions as (
    {{ kpi_attributed('subscriptions', owner_id='null', lead_id='null') }}
),

subscription_events as (
    select {{ kpi_event('subscriptions_ending', 'end_date') }}
    from attributed_subscriptions
    where end_date is not null
    union all
    select {{ kpi_event('subscriptions_renewed', 'end_date') }}
    from attributed_subscriptions
    where
        end_date is not null
        and subscription_id in (
            select renewed_subscriptions.subscription_id
            from renewed_subscriptions
        )
),

events as (
    select * from lead_events
    union all
    select * from response_events
    union all
    select * from email_kpi_events
    union all
    select * from activity_events
    union all
    select * from meeting_events
    union all
    select * from opportunity_events
    union all
    select * from subscription_events
),

final as (
    select * from events
    where event_at is not null
)

select * from final
