{#
    Stage changes from OpportunityFieldHistory: each StageName change, with
    the Amount / Probability in effect then (the last tracked change at or
    before it, else the old value of the first change after it, else the
    opportunity's current value). The second choice of
    int_salesforce__opportunity_stage_history.
#}
with

field_history as (

    select * from {{ ref('stg_salesforce__opportunity_field_history') }}

),

opportunities as (select * from {{ ref('stg_salesforce__opportunity') }}),

field_changes as (

    select
        opportunity_field_history_id as change_id,
        opportunity_id,
        lower(field) as field_name,
        old_value,
        new_value,
        created_date as changed_at,
        _file,
        _line
    from field_history
    where lower(field) in ('stagename', 'amount', 'probability')

),

stage_changes as (

    select * from field_changes
    where field_name = 'stagename'

),

{#
    For each stage change and tracked number field: the last change of that
    field at or before the stage change (its new value), else the first one
    after it (its old value).
#}
number_changes_ranked as (

    select
        stage_changes.change_id,
        number_changes.field_name,
        case
            when number_changes.changed_at <= stage_changes.changed_at
                then number_changes.new_value
            else number_changes.old_value
        end as value_then,
        row_number() over (
            partition by stage_changes.change_id, number_changes.field_name
            order by
                case
                    when number_changes.changed_at <= stage_changes.changed_at
                        then 0
                    else 1
                end,
                case
                    when number_changes.changed_at <= stage_changes.changed_at
                        then number_changes.changed_at
                end desc,
                number_changes.changed_at asc
        ) as value_rank
    from stage_changes
    inner join field_changes as number_changes
        on
            stage_changes.opportunity_id = number_changes.opportunity_id
            and number_changes.field_name in ('amount', 'probability')

),

numbers_then as (

    select
        change_id,
        max(
            case when field_name = 'amount' then value_then end
        ) as amount_then,
        max(
            case when field_name = 'probability' then value_then end
        ) as probability_then
    from number_changes_ranked
    where value_rank = 1
    group by change_id

),

with_numbers as (

    select
        stage_changes.opportunity_id,
        stage_changes.new_value as stage_name,
        coalesce(
            {{ try_cast_to('numbers_then.amount_then', 'double') }},
            opportunities.amount
        ) as amount,
        coalesce(
            {{ try_cast_to('numbers_then.probability_then', 'double') }},
            opportunities.probability
        ) as probability,
        stage_changes.changed_at,
        stage_changes._file,
        stage_changes._line
    from stage_changes
    left join numbers_then on stage_changes.change_id = numbers_then.change_id
    left join opportunities
        on stage_changes.opportunity_id = opportunities.opportunity_id

)

select * from with_numbers
