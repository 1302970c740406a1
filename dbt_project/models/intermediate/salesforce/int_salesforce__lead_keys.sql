{#
    Which canonical lead a Salesforce record belongs to. Activities, meetings
    and campaign members point at a Lead or a Contact (WhoId, LeadId,
    ContactId), and opportunities come from converted leads; converting a
    lead moves its activities to the new contact. So every Lead maps to
    itself, and the Contact and Opportunity a lead was converted into map to
    that lead (several leads merged into one contact: the earliest lead).
    With the var salesforce_contacts_as_leads, a contact that did not come
    from a lead is a lead of its own.
#}
with

leads as (select * from {{ ref('stg_salesforce__lead') }}),

contacts as (select * from {{ ref('stg_salesforce__contact') }}),

lead_records as (

    select
        lead_id as salesforce_id,
        lead_id,
        created_date as lead_created_at
    from leads
    union all
    select
        converted_contact_id as salesforce_id,
        lead_id,
        created_date as lead_created_at
    from leads
    where converted_contact_id is not null
    union all
    select
        converted_opportunity_id as salesforce_id,
        lead_id,
        created_date as lead_created_at
    from leads
    where converted_opportunity_id is not null

),

contacts_of_their_own as (

    select
        contacts.contact_id as salesforce_id,
        contacts.contact_id as lead_id,
        contacts.created_date as lead_created_at
    from contacts
    where
        {{ var('salesforce_contacts_as_leads', false) }}
        and contacts.contact_id not in (
            select lead_records.salesforce_id from lead_records
        )

),

all_keys as (

    select * from lead_records
    union all
    select * from contacts_of_their_own

),

ranked as (

    select
        salesforce_id,
        lead_id,
        row_number() over (
            partition by salesforce_id
            order by lead_created_at asc nulls last, lead_id asc
        ) as key_rank
    from all_keys

),

first_leads as (

    select
        salesforce_id,
        lead_id
    from ranked
    where key_rank = 1

)

select * from first_leads
