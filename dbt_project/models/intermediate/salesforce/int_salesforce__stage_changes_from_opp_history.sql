{#
    Stage changes as OpportunityHistory records them: one row per change of
    stage, amount or probability, changed_at = CreatedDate. The first choice
    of int_salesforce__opportunity_stage_history.
#}
with

opportunity_history as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

),

stage_changes as (

    select
        opportunity_id,
        stage_name,
        amount,
        probability,
        created_date as changed_at,
        _file,
        _line
    from opportunity_history

)

select * from stage_changes
