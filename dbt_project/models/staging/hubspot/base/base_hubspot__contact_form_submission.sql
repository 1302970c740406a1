{#
    Form submissions: one row per conversion. One row per submission_id: the
    current version (newest sync time; on a tie the later file),
    soft-deleted rows removed, timestamps as instants (offset-less ones read
    as UTC).
#}
with

source as (select * from {{ source('hubspot', 'contact_form_submission') }}),

parsed as (
    select
        conversion_id as submission_id,
        contact_id,
        form_id,
        {{ hubspot_instant('"timestamp"') }} as submitted_at,
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
    {{ latest_version('parsed', ['submission_id'], 'updated_at') }}
),

current_rows as (
    select
        submission_id,
        contact_id,
        form_id,
        submitted_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
