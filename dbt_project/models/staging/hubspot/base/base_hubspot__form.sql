{#
    Forms. One row per form_id: the current version (newest sync time; on a
    tie the later file), soft-deleted rows removed, timestamps as instants
    (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'form') }}),

parsed as (
    select
        guid as form_id,
        name as form_name,
        form_type,
        {{ hubspot_instant('created_at') }} as created_at,
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
    {{ latest_version('parsed', ['form_id'], 'updated_at') }}
),

current_rows as (
    select
        form_id,
        form_name,
        form_type,
        created_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
