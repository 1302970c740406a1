{#
    Engagement-to-contact associations. One row per engagement_id +
    contact_id: the current version (newest sync time; on a tie the later
    file), soft-deleted rows removed, timestamps as instants (offset-less
    ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'engagement_contact') }}),

parsed as (
    select
        engagement_id,
        contact_id,
        {{ hubspot_instant('fivetran_synced') }} as updated_at,
        (
            coalesce(is_deleted, false)
            or coalesce(fivetran_deleted, false)
        ) as is_deleted,
        _file,
        _line
    from source
),

current_versions as (
    {{ latest_version(
        'parsed', ['engagement_id', 'contact_id'], 'updated_at'
    ) }}
),

current_rows as (
    select
        engagement_id,
        contact_id,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
