{#
    HubSpot marketing email events: one row per event whose type
    hubspot_email_event_type_map maps (SENT, DELIVERED, OPEN, CLICK, BOUNCE;
    others such as PROCESSED or DROPPED are not canonical events). Events
    HubSpot filtered out (filtered_event, e.g. machine opens) are left out.
    The email is the marketing email (its campaign id; else the SENT event
    the event belongs to); the lead is the contact whose current email address
    (from the connector table or the CRM export, as int_hubspot__leads reads
    it) is the recipient (case-insensitive; the lowest contact id when
    several share it).
#}
with

email_events as (select * from {{ ref('stg_hubspot__email_event') }}),

connector_contacts as (select * from {{ ref('stg_hubspot__contact') }}),

export_contacts as (select * from {{ ref('stg_hubspot__contacts') }}),

event_types as (
    select
        event_type,
        {{ hubspot_map_key('hubspot_event_type') }} as map_key
    from {{ ref('hubspot_email_event_type_map') }}
),

contacts as (
    {{ hubspot_combined_shapes(
        ['connector_contacts', 'export_contacts'],
        key='contact_id',
        columns=['contact_id', 'email', 'updated_at'],
    ) }}
),

contacts_by_email as (
    select
        lower(trim(email)) as email,
        min(contact_id) as contact_id
    from contacts
    where nullif(trim(email), '') is not null
    group by lower(trim(email))
),

events as (
    select
        email_events.event_id,
        coalesce(
            email_events.email_campaign_id,
            email_events.sent_by_id,
            email_events.event_id
        ) as email_id,
        contacts_by_email.contact_id as lead_id,
        'email:' || email_events.email_campaign_id as campaign_id,
        event_types.event_type,
        email_events.occurred_at,
        email_events._extra,
        email_events._file,
        email_events._line
    from email_events
    inner join event_types
        on
            {{ hubspot_map_key('email_events.event_type') }}
            = event_types.map_key
    left join contacts_by_email
        on lower(trim(email_events.recipient)) = contacts_by_email.email
    where not email_events.is_filtered
)

select * from events
