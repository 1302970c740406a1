{#
    Salesforce Opportunities -> canonical opportunities. IsClosed / IsWon
    decide whether a deal is closed and won; the stage of a closed deal is
    then closed_won or closed_lost whatever its StageName, and an open deal's
    stage is its StageName through the stage map (a name the map does not
    list is kept as it is). Where IsClosed / IsWon were not exported, the
    stage map decides. Type goes through the opportunity type map (`*`:
    new_business). The lead is the lead converted into the opportunity.
#}
with

salesforce_opportunities as (

    select * from {{ ref('stg_salesforce__opportunity') }}

),

lead_keys as (select * from {{ ref('int_salesforce__lead_keys') }}),

stage_map as (

    {{ salesforce_value_map('salesforce_stage_map', ['stage']) }}

),

type_map as (

    {{ salesforce_value_map(
        'salesforce_opportunity_type_map', ['opportunity_type']
    ) }}

),

type_default as (

    {{ salesforce_default_row(
        'salesforce_opportunity_type_map', ['opportunity_type']
    ) }}

),

mapped as (

    select
        salesforce_opportunities.*,
        stage_map.stage as mapped_stage,
        coalesce(
            type_map.opportunity_type,
            type_default.opportunity_type,
            'new_business'
        ) as canonical_type,
        coalesce(
            salesforce_opportunities.is_closed,
            stage_map.stage in ('closed_won', 'closed_lost'),
            false
        ) as canonical_is_closed,
        lead_keys.lead_id
    from salesforce_opportunities
    left join stage_map
        on
            {{ salesforce_value_key('salesforce_opportunities.stage_name') }}
            = stage_map.value_key
    left join type_map
        on
            {{ salesforce_value_key('salesforce_opportunities.type') }}
            = type_map.value_key
    cross join type_default
    left join lead_keys
        on salesforce_opportunities.opportunity_id = lead_keys.salesforce_id

),

closed_or_open as (

    select
        mapped.*,
        mapped.canonical_is_closed
        and coalesce(mapped.is_won, mapped.mapped_stage = 'closed_won', false)
            as canonical_is_won
    from mapped

),

renamed as (

    select
        opportunity_id,
        account_id,
        lead_id,
        owner_id,
        created_by_id,
        canonical_type as opportunity_type,
        case
            when canonical_is_won then 'closed_won'
            when canonical_is_closed then 'closed_lost'
            when mapped_stage in ('closed_won', 'closed_lost') then stage_name
            else coalesce(mapped_stage, stage_name)
        end as stage,
        amount,
        currency_iso_code as currency,
        probability,
        coalesce(created_date, _version_at) as created_at,
        {{ salesforce_local_date('close_date') }} as close_date,
        canonical_is_closed as is_closed,
        canonical_is_won as is_won,
        _version_at as updated_at,
        _file,
        _line
    from closed_or_open

)

select * from renamed
