{#
    One-to-one (sales) emails logged or sent from HubSpot. One row per
    engagement_id: the current version (newest last modification, else sync
    time; on a tie the later file), soft-deleted rows removed, timestamps as
    instants (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'engagement_email') }}),

parsed as (
    select
        engagement_id,
        {{ hubspot_id('property_hubspot_owner_id') }} as owner_id,
        property_hs_email_direction as email_direction,
        property_hs_email_status as email_status,
        {{ hubspot_instant('property_hs_timestamp') }} as occurred_at,
        {{ hubspot_instant('property_hs_createdate') }} as created_at,
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
    {{ latest_version('parsed', ['engagement_id'], 'updated_at') }}
),

current_rows as (
    select
        engagement_id,
        owner_id,
        email_direction,
        email_status,
        occurred_at,
        created_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
