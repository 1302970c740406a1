{#
    Activities with the flags the inside-sales KPIs and the lead rules count on,
    so that "an outbound call" or "a follow-up" is decided in one place.
#}
with

activities as (select * from {{ ref('int_activities') }}),

classified as (
    select
        activity_id,
        lead_id,
        account_id,
        owner_id,
        activity_type,
        direction,
        outcome,
        duration_seconds,
        occurred_at,
        cast(occurred_at as date) as occurred_date,
        (
            activity_type = 'call' and direction = 'outbound'
        ) as is_outbound_call,
        (
            activity_type = 'call'
            and direction = 'outbound'
            and outcome = 'connected'
        ) as is_connected_call,
        (
            activity_type in ('call', 'email')
            and direction = 'outbound'
            and lead_id is not null
        ) as is_follow_up
    from activities
)

select * from classified
