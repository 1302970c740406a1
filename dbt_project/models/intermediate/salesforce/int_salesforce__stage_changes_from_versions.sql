{#
    Stage changes from a connector's history-mode Opportunity table: each
    version whose stage, amount or probability differs from the one before,
    changed_at = _fivetran_start (the first version dates from CreatedDate
    when that is earlier). The third choice of
    int_salesforce__opportunity_stage_history.
#}
with

opportunity_versions as (

    select * from {{ ref('stg_salesforce_history__opportunity') }}

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

),

stage_changes as (

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
        _file,
        _line
    from versions_compared
    where
        version_number = 1
        or previous_stage_name is distinct from stage_name
        or previous_amount is distinct from amount
        or previous_probability is distinct from probability

)

select * from stage_changes
