{#
    HubSpot deals (connector) as opportunities: one row per deal.
    stage comes from stg_hubspot__deal_stages; is_closed / is_won follow from
    it (closed_won, closed_lost). opportunity_type maps the deal type through
    hubspot_deal_type_map (default row `*`, else new_business). probability
    is the deal's stage probability, else the stage's, as 0-100. account and
    lead are the associated company and contact (lowest id). close_date is
    the close date's local calendar day.
#}
with

deals as (select * from {{ ref('base_hubspot__deal') }}),

deal_stages as (select * from {{ ref('stg_hubspot__deal_stages') }}),

deal_companies as (select * from {{ ref('base_hubspot__deal_company') }}),

deal_contacts as (select * from {{ ref('base_hubspot__deal_contact') }}),

deal_types as (
    select
        opportunity_type,
        {{ hubspot_map_key('hubspot_deal_type') }} as map_key
    from {{ ref('hubspot_deal_type_map') }}
),

first_companies as (
    select
        deal_id,
        min(company_id) as company_id
    from deal_companies
    group by deal_id
),

first_contacts as (
    select
        deal_id,
        min(contact_id) as contact_id
    from deal_contacts
    group by deal_id
),

opportunities as (
    select
        deals.deal_id as opportunity_id,
        first_companies.company_id as account_id,
        first_contacts.contact_id as lead_id,
        deals.owner_id,
        cast(null as varchar) as created_by_id,
        coalesce(
            by_type.opportunity_type,
            by_default.opportunity_type,
            'new_business'
        ) as opportunity_type,
        deal_stages.stage,
        deals.amount,
        deals.currency,
        coalesce(
            deals.stage_probability * 100, deal_stages.probability
        ) as probability,
        deals.created_at,
        cast({{ to_reporting_tz('deals.closed_at') }} as date) as close_date,
        coalesce(
            deal_stages.stage in ('closed_won', 'closed_lost'), false
        ) as is_closed,
        coalesce(deal_stages.stage = 'closed_won', false) as is_won,
        deals.updated_at,
        deals._file,
        deals._line
    from deals
    left join deal_stages on deals.stage_id = deal_stages.stage_id
    left join first_companies on deals.deal_id = first_companies.deal_id
    left join first_contacts on deals.deal_id = first_contacts.deal_id
    left join deal_types as by_type
        on {{ hubspot_map_key('deals.deal_type') }} = by_type.map_key
    left join deal_types as by_default
        on by_default.map_key = '*'
)

select * from opportunities
