{#
    Contacts as the connector syncs them. One row per contact_id: the
    current version (newest last modification, else sync time; on a tie the
    later file), soft-deleted rows removed, timestamps as instants
    (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'contact') }}),

parsed as (
    select
        id as contact_id,
        property_email as email,
        coalesce(property_phone, property_mobilephone) as phone,
        {{ hubspot_id('property_hubspot_owner_id') }} as owner_id,
        {{ hubspot_id('property_associatedcompanyid') }} as company_id,
        property_hs_analytics_source as analytics_source,
        cast(round(property_hubspotscore) as bigint) as hubspot_score,
        property_lifecyclestage as lifecycle_stage,
        property_hs_lead_status as lead_status,
        {{ hubspot_instant('property_createdate') }} as created_at,
        {{ hubspot_instant(
            'property_hs_lifecyclestage_marketingqualifiedlead_date'
        ) }} as became_mql_at,
        {{ hubspot_instant(
            'property_hs_lifecyclestage_salesqualifiedlead_date'
        ) }} as became_sql_at,
        coalesce(
            {{ hubspot_instant('property_lastmodifieddate') }},
            {{ hubspot_instant('fivetran_synced') }}
        ) as updated_at,
        (
            coalesce(is_deleted, false)
            or coalesce(fivetran_deleted, false)
        ) as is_deleted,
        _file,
        _line
    from source
),

current_versions as (
    {{ latest_version('parsed', ['contact_id'], 'updated_at') }}
),

current_rows as (
    select
        contact_id,
        email,
        phone,
        owner_id,
        company_id,
        analytics_source,
        hubspot_score,
        lifecycle_stage,
        lead_status,
        created_at,
        became_mql_at,
        became_sql_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
