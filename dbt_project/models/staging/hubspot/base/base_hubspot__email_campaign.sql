{#
    Marketing emails. One row per email_campaign_id: the current version
    (newest sync time; on a tie the later file), soft-deleted rows removed,
    timestamps as instants (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'email_campaign') }}),

parsed as (
    select
        id as email_campaign_id,
        coalesce(name, subject) as email_name,
        type as email_type,
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
    {{ latest_version('parsed', ['email_campaign_id'], 'updated_at') }}
),

current_rows as (
    select
        email_campaign_id,
        email_name,
        email_type,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
