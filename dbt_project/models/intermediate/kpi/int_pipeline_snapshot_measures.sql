{#
    The pipeline as it stood at the end of each period, from stage history.

    An opportunity (any type) is open at the end E of a period when it was
    created before E and its latest stage-history row with changed_at < E is not
    a closed stage; with no history row before E, the opportunity as it is now,
    if it is open now. Amount and probability come from that same row.
#}
with

opportunities as (select * from {{ ref('int_opportunities') }}),

history as (
    select * from {{ ref('int_opportunity_stage_history') }}
),

leads as (select * from {{ ref('int_leads') }}),

accounts as (select * from {{ ref('int_accounts') }}),

users as (select * from {{ ref('int_users') }}),

periods as (
    select
        grain,
        period_start,
        cast(period_end as timestamp) as period_end_at
    from {{ ref('int_periods') }}
),

history_states as (
    select
        opportunity_id,
        changed_at as valid_from,
        lead(changed_at) over (
            partition by opportunity_id order by changed_at
        ) as valid_until,
        stage not in ('closed_won', 'closed_lost') as is_open,
        amount,
        probability
    from history
),

first_changes as (
    select
        opportunity_id,
        min(changed_at) as first_changed_at
    from history
    group by opportunity_id
),

{# Before its first history row, an opportunity is taken as it is now. #}
current_states as (
    select
        opportunities.opportunity_id,
        cast(null as timestamp) as valid_from,
        first_changes.first_changed_at as valid_until,
        not opportunities.is_closed as is_open,
        opportunities.amount,
        opportunities.probability
    from opportunities
    left join first_changes
        on opportunities.opportunity_id = first_changes.opportunity_id
),

states as (
    select * from history_states
    union all
    select * from current_states
),

open_at_period_end as (
    select
        periods.grain,
        periods.period_start,
        opportunities.opportunity_id,
        opportunities.owner_id,
        opportunities.lead_id,
        opportunities.account_id,
        coalesce(states.amount, 0) as amount,
        coalesce(states.amount, 0) * coalesce(states.probability, 0) / 100.0
            as weighted_amount
    from states
    inner join opportunities
        on states.opportunity_id = opportunities.opportunity_id
    inner join periods
        on
            opportunities.created_at < periods.period_end_at
            and (
                states.valid_from is null
                or states.valid_from < periods.period_end_at
            )
            and (
                states.valid_until is null
                or states.valid_until >= periods.period_end_at
            )
    where states.is_open
),

with_attributes as (
    select
        open_at_period_end.*,
        users.department,
        users.team,
        leads.lead_source,
        accounts.segment
    from open_at_period_end
    left join users on open_at_period_end.owner_id = users.user_id
    left join leads on open_at_period_end.lead_id = leads.lead_id
    left join accounts
        on
            coalesce(open_at_period_end.account_id, leads.account_id)
            = accounts.account_id
),

by_dimension as (
    select
        grain,
        period_start,
        'all' as dimension,
        'all' as dimension_value,
        amount,
        weighted_amount
    from with_attributes
    {% for dimension, column in [
        ('department', 'department'),
        ('team', 'team'),
        ('owner', 'owner_id'),
        ('lead_source', 'lead_source'),
        ('segment', 'segment'),
    ] %}
        union all
        select
            grain,
            period_start,
            '{{ dimension }}',
            {{ column }},
            amount,
            weighted_amount
        from with_attributes
        where {{ column }} is not null
    {% endfor %}
),

aggregated as (
    select
        grain,
        period_start,
        dimension,
        dimension_value,
        cast(sum(amount) as {{ type_double() }}) as open_pipeline_amount,
        cast(sum(weighted_amount) as {{ type_double() }})
            as weighted_pipeline_amount
    from by_dimension
    group by grain, period_start, dimension, dimension_value
),

unpivoted as (
    select
        'open_pipeline_amount' as measure_name,
        grain,
        period_start,
        dimension,
        dimension_value,
        open_pipeline_amount as measure_value
    from aggregated
    union all
    select
        'weighted_pipeline_amount' as measure_name,
        grain,
        period_start,
        dimension,
        dimension_value,
        weighted_pipeline_amount as measure_value
    from aggregated
)

select * from unpivoted
