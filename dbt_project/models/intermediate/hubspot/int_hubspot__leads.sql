{#
    Contacts as leads, from the connector table and the CRM export alike
    (hubspot_combined_shapes; an export names the owner, so its owner_id is
    the name), lead_source through hubspot_lead_source_map.
#}
{%- set contact_columns = [
    'contact_id', 'company_id', 'email', 'phone', 'owner_id',
    'analytics_source', 'hubspot_score', 'lead_status', 'created_at',
    'became_mql_at', 'became_sql_at', 'updated_at',
] %}

with

connector_contacts as (select * from {{ ref('stg_hubspot__contact') }}),

export_contacts as (
    select
        *,
        owner_name as owner_id
    from {{ ref('stg_hubspot__contacts') }}
),

lead_sources as (
    select
        lead_source,
        {{ hubspot_map_key('hubspot_source') }} as map_key
    from {{ ref('hubspot_lead_source_map') }}
),

contacts as (
    {{ hubspot_combined_shapes(
        ['connector_contacts', 'export_contacts'],
        key='contact_id',
        columns=contact_columns,
    ) }}
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
        cast(null as {{ type_timestamptz() }}) as recycled_at,
        cast(null as {{ dbt.type_string() }}) as recycle_reason,
        cast(null as {{ dbt.type_string() }}) as converted_opportunity_id,
        contacts.updated_at,
        contacts._extra,
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
