{#
    HubSpot contacts as leads, from the connector's contact table and from
    CRM exports alike (an export names the owner, so owner_id is the name):
    one row per contact and shape. mql_at / sql_at are the dates HubSpot stamps when
    the lifecycle stage becomes marketing / sales qualified lead.
    lead_source maps the original (traffic) source through
    hubspot_lead_source_map (default row `*`, else other); status is the
    lead status. HubSpot has no recycle date.
#}
with

{%- set contact_columns = [
    'contact_id', 'company_id', 'email', 'phone', 'analytics_source',
    'hubspot_score', 'lead_status', 'created_at', 'became_mql_at',
    'became_sql_at', 'updated_at', '_file', '_line',
] %}

contacts as (
    select {{ contact_columns | join(', ') }}, owner_id
    from {{ ref('base_hubspot__contact') }}
    union all
    select {{ contact_columns | join(', ') }}, owner_name as owner_id
    from {{ ref('base_hubspot__contacts') }}
),

lead_sources as (
    select
        lead_source,
        {{ hubspot_map_key('hubspot_source') }} as map_key
    from {{ ref('hubspot_lead_source_map') }}
),

leads as (
    select
        contacts.contact_id as lead_id,
        contacts.company_id as account_id,
        contacts.email,
        contacts.phone,
        coalesce(
            by_source.lead_source, by_default.lead_source, 'other'
        ) as lead_source,
        contacts.owner_id,
        contacts.hubspot_score as lead_score,
        contacts.lead_status as status,
        contacts.created_at,
        contacts.became_mql_at as mql_at,
        contacts.became_sql_at as sql_at,
        cast(null as timestamptz) as recycled_at,
        cast(null as varchar) as recycle_reason,
        cast(null as varchar) as converted_opportunity_id,
        contacts.updated_at,
        contacts._file,
        contacts._line
    from contacts
    left join lead_sources as by_source
        on
            {{ hubspot_map_key('contacts.analytics_source') }}
            = by_source.map_key
    left join lead_sources as by_default
        on by_default.map_key = '*'
)

select * from leads
