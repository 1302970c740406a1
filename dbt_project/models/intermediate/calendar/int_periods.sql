{#
    The reporting periods: every period of every grain that overlaps the data
    span, the span running from the earliest to the latest event in the data.
    Planned dates (close_date of open deals, scheduled_at of future meetings,
    subscription end dates) are not events and do not extend it.
#}
with

leads as (select created_at as event_at from {{ ref('int_leads') }}),

activities as (
    select occurred_at as event_at from {{ ref('int_activities') }}
),

meetings as (
    select created_at as event_at from {{ ref('int_meetings') }}
),

opportunities as (
    select created_at as event_at from {{ ref('int_opportunities') }}
),

stage_changes as (
    select changed_at as event_at
    from {{ ref('int_opportunity_stage_history') }}
),

responses as (
    select responded_at as event_at
    from {{ ref('int_campaign_responses') }}
),

email_events as (
    select occurred_at as event_at from {{ ref('int_email_events') }}
),

subscriptions as (
    select cast(start_date as timestamp) as event_at
    from {{ ref('int_subscriptions') }}
),

events as (
    select event_at from leads
    union all
    select event_at from activities
    union all
    select event_at from meetings
    union all
    select event_at from opportunities
    union all
    select event_at from stage_changes
    union all
    select event_at from responses
    union all
    select event_at from email_events
    union all
    select event_at from subscriptions
),

span as (
    select
        cast(min(event_at) as date) as first_day,
        cast(max(event_at) as date) as last_day
    from events
    having count(*) > 0
),

days as (
    select cast(spine.date_day as date) as date_day
    from span
    cross join {{ day_spine('span.first_day', 'span.last_day') }}
),

periods as (
    {% for grain in all_grains() %}
        select distinct
            '{{ grain }}' as grain,
            {{ period_start(grain, 'date_day') }} as period_start
        from days
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        grain,
        period_start,
        case grain
            {% for grain in all_grains() %}
                when '{{ grain }}' then {{ period_end(grain, 'period_start') }}
            {% endfor %}
        end as period_end
    from periods
)

select * from final
