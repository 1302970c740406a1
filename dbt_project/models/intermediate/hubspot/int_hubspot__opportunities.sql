{#
    Deals as opportunities, from the connector table and the CRM export
    alike. Each shape is first aligned on one set of columns — the
    connector's stage from int_hubspot__deal_stages and its associations,
    the export's stage from its label and its owner by name — then combined
    (hubspot_combined_shapes) and mapped once.
#}
{%- set deal_columns = [
    'deal_id', 'account_id', 'lead_id', 'owner_id', 'deal_type', 'stage',
    'amount', 'currency', 'probability', 'created_at', 'closed_at',
    'updated_at',
] %}

with

connector_deals as (select * from {{ ref('stg_hubspot__deal') }}),

export_deals as (select * from {{ ref('stg_hubspot__deals') }}),

deal_stages as (select * from {{ ref('int_hubspot__deal_stages') }}),

deal_companies as (select * from {{ ref('stg_hubspot__deal_company') }}),

deal_contacts as (select * from {{ ref('stg_hubspot__deal_contact') }}),

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

connector_shape as (
    select
        connector_deals.deal_id,
        first_companies.company_id as account_id,
        first_contacts.contact_id as lead_id,
        connector_deals.owner_id,
        connector_deals.deal_type,
        deal_stages.stage,
        connector_deals.amount,
        connector_deals.currency,
        coalesce(
            connector_deals.stage_probability * 100, deal_stages.probability
        ) as probability,
        connector_deals.created_at,
        connector_deals.closed_at,
        connector_deals.updated_at,
        connector_deals._extra,
        connector_deals._file,
        connector_deals._line
    from connector_deals
    left join deal_stages
        on connector_deals.stage_id = deal_stages.stage_id
    left join first_companies
        on connector_deals.deal_id = first_companies.deal_id
    left join first_contacts
        on connector_deals.deal_id = first_contacts.deal_id
),

export_shape as (
    select
        export_deals.deal_id,
        export_deals.company_id as account_id,
        export_deals.contact_id as lead_id,
        export_deals.owner_name as owner_id,
        export_deals.deal_type,
        coalesce(stage_map.stage, export_deals.stage_label) as stage,
        export_deals.amount,
        export_deals.currency,
        export_deals.stage_probability * 100 as probability,
        export_deals.created_at,
        export_deals.closed_at,
        export_deals.updated_at,
        export_deals._extra,
        export_deals._file,
        export_deals._line
    from export_deals
    left join stage_map
        on {{ hubspot_map_key('export_deals.stage_label') }} = stage_map.map_key
),

deals as (
    {{ hubspot_combined_shapes(
        ['connector_shape', 'export_shape'],
        key='deal_id',
        columns=deal_columns,
    ) }}
),

opportunities as (
    select
        deals.deal_id as opportunity_id,
        deals.account_id,
        deals.lead_id,
        deals.owner_id,
        cast(null as {{ dbt.type_string() }}) as created_by_id,
        coalesce(
            by_type.opportunity_type,
            by_default.opportunity_type,
            'new_business'
        ) as opportunity_type,
        deals.stage,
        deals.amount,
        deals.currency,
        deals.probability,
        deals.created_at,
        cast({{ to_reporting_tz('deals.closed_at') }} as date) as close_date,
        coalesce(deals.stage in ('closed_won', 'closed_lost'), false)
            as is_closed,
        coalesce(deals.stage = 'closed_won', false) as is_won,
        deals.updated_at,
        deals._extra,
        deals._file,
        deals._line
    from deals
    left join deal_types as by_type
        on {{ hubspot_map_key('deals.deal_type') }} = by_type.map_key
    left join deal_types as by_default
        on by_default.map_key = '*'
)

select * from opportunities
