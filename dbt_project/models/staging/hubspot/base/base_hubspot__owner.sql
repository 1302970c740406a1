{#
    Owners: the people HubSpot records are assigned to. One row per
    owner_id: the current version (newest last modification, else sync time;
    on a tie the later file), soft-deleted rows removed, timestamps as
    instants (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'owner') }}),

parsed as (
    select
        owner_id,
        email,
        first_name,
        last_name,
        is_active,
        coalesce(
            {{ hubspot_instant('updated_at') }},
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
    {{ latest_version('parsed', ['owner_id'], 'updated_at') }}
),

current_rows as (
    select
        owner_id,
        email,
        first_name,
        last_name,
        is_active,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
