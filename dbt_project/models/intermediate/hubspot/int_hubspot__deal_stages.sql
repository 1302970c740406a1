{#
    Every deal stage id seen (on a deal, in the stage history or in the
    pipeline settings) with its canonical stage and probability (0-100).
    Not a canonical table: the opportunity models join it.
#}
with

deals as (select * from {{ ref('stg_hubspot__deal') }}),

deal_stage_history as (select * from {{ ref('stg_hubspot__deal_stage') }}),

pipeline_stages as (
    select * from {{ ref('stg_hubspot__deal_pipeline_stage') }}
),

stage_map as (
    select
        stage,
        {{ hubspot_map_key('hubspot_stage') }} as map_key
    from {{ ref('hubspot_deal_stage_map') }}
),

stage_ids as (
    select stage_id from deals
    union
    select stage_id from deal_stage_history
    union
    select stage_id from pipeline_stages
),

stages as (
    select
        stage_ids.stage_id,
        pipeline_stages.stage_label,
        coalesce(
            by_id.stage,
            by_label.stage,
            case
                when pipeline_stages.is_closed and pipeline_stages.is_won
                    then 'closed_won'
                when pipeline_stages.is_closed then 'closed_lost'
            end,
            pipeline_stages.stage_label,
            stage_ids.stage_id
        ) as stage,
        pipeline_stages.probability * 100 as probability
    from stage_ids
    left join pipeline_stages
        on stage_ids.stage_id = pipeline_stages.stage_id
    left join stage_map as by_id
        on {{ hubspot_map_key('stage_ids.stage_id') }} = by_id.map_key
    left join stage_map as by_label
        on
            {{ hubspot_map_key('pipeline_stages.stage_label') }}
            = by_label.map_key
    where stage_ids.stage_id is not null
)

select * from stages
