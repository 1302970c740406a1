{#
    Salesforce stage history -> canonical opportunity_stage_history, from the
    best source landed for each opportunity:
      1. OpportunityHistory
         (int_salesforce__stage_changes_from_opp_history);
      2. else OpportunityFieldHistory
         (int_salesforce__stage_changes_from_field_history);
      3. else a connector's history-mode opportunity table
         (int_salesforce__stage_changes_from_versions).
    Stage names go through the stage map; a name the map does not list is
    closed_won / closed_lost when current opportunities in that stage are
    closed (won), else kept as an open stage.
#}
with

from_opportunity_history as (

    select *
    from {{ ref('int_salesforce__stage_changes_from_opp_history') }}

),

from_field_history as (

    select *
    from {{ ref('int_salesforce__stage_changes_from_field_history') }}

),

from_versions as (

    select *
    from {{ ref('int_salesforce__stage_changes_from_versions') }}

),

opportunities as (select * from {{ ref('stg_salesforce__opportunity') }}),

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

all_sources as (

    select
        *,
        1 as source_priority
    from from_opportunity_history
    union all
    select
        *,
        2 as source_priority
    from from_field_history
    union all
    select
        *,
        3 as source_priority
    from from_versions

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
