{#
    Salesforce stage history -> canonical opportunity_stage_history, from the
    best source landed for each opportunity:
      1. OpportunityHistory: one row per change of stage, amount or
         probability, as Salesforce records it (changed_at = CreatedDate);
      2. else OpportunityFieldHistory: each StageName change, with the
         Amount / Probability in effect then (the last tracked change at or
         before it, else the old value of the first change after it, else
         the opportunity's current value);
      3. else a connector's history-mode opportunity table: each version
         whose stage, amount or probability differs from the one before,
         changed_at = _fivetran_start (the first version from CreatedDate).
    Stage names go through the stage map; a name the map does not list is
    closed_won / closed_lost when current opportunities in that stage are
    closed (won), else kept as an open stage.
#}
with

opportunity_history_source as (

    {{ salesforce_rows(
        'opportunity_history',
        ['opportunity_id', 'stage_name', 'amount', 'probability', 'created_date'],
        history_mode=false,
    ) }}

),

opportunity_history as (

    {{ salesforce_live_records('opportunity_history_source') }}

),

field_history_source as (

    {{ salesforce_rows(
        'opportunity_field_history',
        ['opportunity_id', 'field', 'old_value', 'new_value', 'created_date'],
        history_mode=false,
    ) }}

),

field_history as (

    {{ salesforce_live_records('field_history_source') }}

),

opportunity_source as (

    {{ salesforce_rows(
        'opportunity',
        ['stage_name', 'amount', 'probability', 'is_closed', 'is_won'],
    ) }}

),

opportunities as (

    {{ salesforce_live_records('opportunity_source') }}

),

{# Every version of the history-mode table, not only the active one. #}
opportunity_versions as (

    select
        {{ salesforce_id('id') }} as opportunity_id,
        stage_name,
        amount,
        probability,
        created_date,
        fivetran_start,
        is_deleted,
        fivetran_deleted,
        _file,
        _line
    from {{ source('salesforce_history', 'opportunity') }}

),

stage_map as (

    {{ salesforce_value_map('salesforce_stage_map', ['stage']) }}

),

closed_stage_names as (

    select
        {{ salesforce_value_key('stage_name') }} as value_key,
        case
            when max(case when is_won then 1 else 0 end) = 1 then 'closed_won'
            else 'closed_lost'
        end as stage
    from opportunities
    where is_closed and stage_name is not null
    group by {{ salesforce_value_key('stage_name') }}

),

from_opportunity_history as (

    select
        opportunity_id,
        stage_name,
        amount,
        probability,
        created_date as changed_at,
        1 as source_priority,
        _file,
        _line
    from opportunity_history

),

field_changes as (

    select
        id as change_id,
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

from_field_history as (

    select
        stage_changes.opportunity_id,
        stage_changes.new_value as stage_name,
        coalesce(
            {{ dbt.safe_cast('numbers_then.amount_then', 'double') }},
            opportunities.amount
        ) as amount,
        coalesce(
            {{ dbt.safe_cast('numbers_then.probability_then', 'double') }},
            opportunities.probability
        ) as probability,
        stage_changes.changed_at,
        2 as source_priority,
        stage_changes._file,
        stage_changes._line
    from stage_changes
    left join numbers_then on stage_changes.change_id = numbers_then.change_id
    left join opportunities
        on stage_changes.opportunity_id = opportunities.id

),

versions_compared as (

    select
        *,
        row_number() over (
            partition by opportunity_id order by fivetran_start
        ) as version_number,
        lag(stage_name) over (
            partition by opportunity_id order by fivetran_start
        ) as previous_stage_name,
        lag(amount) over (
            partition by opportunity_id order by fivetran_start
        ) as previous_amount,
        lag(probability) over (
            partition by opportunity_id order by fivetran_start
        ) as previous_probability
    from opportunity_versions
    where
        not coalesce(is_deleted, false)
        and not coalesce(fivetran_deleted, false)

),

from_history_mode as (

    select
        opportunity_id,
        stage_name,
        amount,
        probability,
        case
            when version_number = 1 and created_date < fivetran_start
                then created_date
            else fivetran_start
        end as changed_at,
        3 as source_priority,
        _file,
        _line
    from versions_compared
    where
        version_number = 1
        or previous_stage_name is distinct from stage_name
        or previous_amount is distinct from amount
        or previous_probability is distinct from probability

),

all_sources as (

    select * from from_opportunity_history
    union all
    select * from from_field_history
    union all
    select * from from_history_mode

),

best_source as (

    select
        *,
        min(source_priority) over (
            partition by opportunity_id
        ) as best_priority
    from all_sources
    where
        opportunity_id is not null
        and stage_name is not null
        and changed_at is not null

),

renamed as (

    select
        best_source.opportunity_id,
        coalesce(
            stage_map.stage, closed_stage_names.stage, best_source.stage_name
        ) as stage,
        best_source.amount,
        best_source.probability,
        best_source.changed_at,
        best_source._file,
        best_source._line
    from best_source
    left join stage_map
        on
            {{ salesforce_value_key('best_source.stage_name') }}
            = stage_map.value_key
    left join closed_stage_names
        on
            {{ salesforce_value_key('best_source.stage_name') }}
            = closed_stage_names.value_key
    where best_source.source_priority = best_source.best_priority

)

select * from renamed
