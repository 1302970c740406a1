{#
    HubSpot deals from a CRM export as opportunities: one row per deal. The
    export shows the stage by its label: hubspot_deal_stage_map maps it, else
    the label is the (open) stage. owner_id is the owner's name.
    opportunity_type maps the deal type (hubspot_deal_type_map, default row
    `*`, else new_business); probability is the deal probability as 0-100.
#}
with

deals as (select * from {{ ref('base_hubspot__deals') }}),

stage_map as (
    select
        stage,
        {{ hubspot_map_key('hubspot_stage') }} as map_key
    from {{ ref('hubspot_deal_stage_map') }}
),

deal_types as (
    select
        opportunity_type,
        {{ hubspot_map_key('hubspot_deal_type') }} as map_key
    from {{ ref('hubspot_deal_type_map') }}
),

staged as (
    select
        deals.*,
        coalesce(stage_map.stage, deals.stage_label) as stage,
        coalesce(
            by_type.opportunity_type,
            by_default.opportunity_type,
            'new_business'
        ) as opportunity_type
    from deals
    left join stage_map
        on {{ hubspot_map_key('deals.stage_label') }} = stage_map.map_key
    left join deal_types as by_type
        on {{ hubspot_map_key('deals.deal_type') }} = by_type.map_key
    left join deal_types as by_default
        on by_default.map_key = '*'
),

opportunities as (
    select
        deal_id as opportunity_id,
        company_id as account_id,
        contact_id as lead_id,
        owner_name as owner_id,
        cast(null as varchar) as created_by_id,
        opportunity_type,
        stage,
        amount,
        currency,
        stage_probability * 100 as probability,
        created_at,
        cast({{ to_reporting_tz('closed_at') }} as date) as close_date,
        coalesce(stage in ('closed_won', 'closed_lost'), false) as is_closed,
        coalesce(stage = 'closed_won', false) as is_won,
        updated_at,
        _file,
        _line
    from staged
)

select * from opportunities
