{#
    Companies as the connector syncs them. One row per company_id: the
    current version (newest last modification, else sync time; on a tie the
    later file), soft-deleted rows removed, timestamps as instants
    (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'company') }}),

parsed as (
    select
        id as company_id,
        property_name as company_name,
        property_domain as domain_name,
        property_industry as industry,
        cast(round(property_numberofemployees) as bigint) as employee_count,
        {{ hubspot_instant('property_createdate') }} as created_at,
        coalesce(
            {{ hubspot_instant('property_hs_lastmodifieddate') }},
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
    {{ latest_version('parsed', ['company_id'], 'updated_at') }}
),

current_rows as (
    select
        company_id,
        company_name,
        domain_name,
        industry,
        employee_count,
        created_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
