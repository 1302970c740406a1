{#
    One row per HubSpot engagement that has an association: the contact,
    company and deal it is attributed to. An engagement associated with
    several of one kind is attributed to the lowest id, so a call or a
    meeting counts once.
#}
with

engagement_contacts as (
    select * from {{ ref('stg_hubspot__engagement_contact') }}
),

engagement_companies as (
    select * from {{ ref('stg_hubspot__engagement_company') }}
),

engagement_deals as (
    select * from {{ ref('stg_hubspot__engagement_deal') }}
),

first_contacts as (
    select
        engagement_id,
        min(contact_id) as contact_id
    from engagement_contacts
    group by engagement_id
),

first_companies as (
    select
        engagement_id,
        min(company_id) as company_id
    from engagement_companies
    group by engagement_id
),

first_deals as (
    select
        engagement_id,
        min(deal_id) as deal_id
    from engagement_deals
    group by engagement_id
),

associated as (
    select engagement_id from first_contacts
    union
    select engagement_id from first_companies
    union
    select engagement_id from first_deals
),

joined as (
    select
        associated.engagement_id,
        first_contacts.contact_id,
        first_companies.company_id,
        first_deals.deal_id
    from associated
    left join first_contacts
        on associated.engagement_id = first_contacts.engagement_id
    left join first_companies
        on associated.engagement_id = first_companies.engagement_id
    left join first_deals
        on associated.engagement_id = first_deals.engagement_id
)

select * from joined
