{#
    HubSpot deal stage history: one row per stage a (not deleted) deal
    entered, changed_at being when it entered it. stage and probability come
    from int_hubspot__deal_stages. amount is the deal's amount as of that
    moment from the deal property history; a deal without amount history
    takes its current amount.
#}
with

deal_stage_history as (select * from {{ ref('stg_hubspot__deal_stage') }}),

deals as (select * from {{ ref('stg_hubspot__deal') }}),

deal_stages as (select * from {{ ref('int_hubspot__deal_stages') }}),

deal_property_history as (
    select * from {{ ref('stg_hubspot__deal_property_history') }}
),

amount_changes as (
    select
        deal_id,
        changed_at,
        {{ try_cast_to('property_value', 'double') }} as amount
    from deal_property_history
    where property_name = 'amount'
),

deals_with_amount_history as (
    select distinct deal_id from amount_changes
),

{# The last amount change at or before each stage entry. #}
amounts_as_of_entry as (
    select
        deal_stage_history.deal_id,
        deal_stage_history.stage_id,
        deal_stage_history.entered_at,
        amount_changes.amount,
        row_number() over (
            partition by
                deal_stage_history.deal_id,
                deal_stage_history.stage_id,
                deal_stage_history.entered_at
            order by amount_changes.changed_at desc
        ) as change_rank
    from deal_stage_history
    inner join amount_changes
        on
            deal_stage_history.deal_id = amount_changes.deal_id
            and deal_stage_history.entered_at >= amount_changes.changed_at
),

history as (
    select
        deal_stage_history.deal_id as opportunity_id,
        deal_stages.stage,
        case
            when deals_with_amount_history.deal_id is not null
                then amounts_as_of_entry.amount
            else deals.amount
        end as amount,
        deal_stages.probability,
        deal_stage_history.entered_at as changed_at,
        deal_stage_history._extra,
        deal_stage_history._file,
        deal_stage_history._line
    from deal_stage_history
    inner join deals on deal_stage_history.deal_id = deals.deal_id
    left join deal_stages
        on deal_stage_history.stage_id = deal_stages.stage_id
    left join deals_with_amount_history
        on deal_stage_history.deal_id = deals_with_amount_history.deal_id
    left join amounts_as_of_entry
        on
            deal_stage_history.deal_id = amounts_as_of_entry.deal_id
            and deal_stage_history.stage_id = amounts_as_of_entry.stage_id
            and deal_stage_history.entered_at = amounts_as_of_entry.entered_at
            and amounts_as_of_entry.change_rank = 1
)

select * from history
