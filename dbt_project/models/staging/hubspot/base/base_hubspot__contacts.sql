{#
    Contacts exported from the HubSpot UI. owner_name is the owner as the
    export shows it (a name); company_id the (primary) associated company.
    One row per contact_id: the current version (newest Last Modified Date;
    on a tie the later file). Timestamps were typed at ingest (local time).
#}
with

source as (select * from {{ source('hubspot', 'contacts') }}),

parsed as (
    select
        record_id as contact_id,
        email,
        phone_number as phone,
        nullif(trim(contact_owner), '') as owner_name,
        coalesce(original_traffic_source, original_source) as analytics_source,
        cast(round(hub_spot_score) as bigint) as hubspot_score,
        lead_status,
        {{ hubspot_id(
            'coalesce(associated_company_i_ds_primary, '
            ~ 'associated_company_id, associated_company_i_ds)'
        ) }} as company_id,
        create_date as created_at,
        became_a_marketing_qualified_lead_date as became_mql_at,
        became_a_sales_qualified_lead_date as became_sql_at,
        last_modified_date as updated_at,
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
        owner_name,
        analytics_source,
        hubspot_score,
        lead_status,
        company_id,
        created_at,
        became_mql_at,
        became_sql_at,
        updated_at,
        _file,
        _line
    from current_versions
)

select * from current_rows
