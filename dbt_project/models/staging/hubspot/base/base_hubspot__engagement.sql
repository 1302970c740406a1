{#
    Engagements of every type (the connector's parent table): the owner and
    time of an engagement whose typed table lacks them. Inactive (archived)
    engagements count as deleted. One row per engagement_id: the current
    version (newest last modification, else sync time; on a tie the later
    file), soft-deleted rows removed, timestamps as instants (offset-less
    ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'engagement') }}),

parsed as (
    select
        id as engagement_id,
        type as engagement_type,
        {{ hubspot_id('owner_id') }} as owner_id,
        {{ hubspot_instant('"timestamp"') }} as occurred_at,
        {{ hubspot_instant('created_at') }} as created_at,
        coalesce(
            {{ hubspot_instant('last_updated') }},
            {{ hubspot_instant('fivetran_synced') }}
        ) as updated_at,
        (
            coalesce(is_deleted, false)
            or coalesce(fivetran_deleted, false)
            or not coalesce(active, true)
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
        engagement_type,
        owner_id,
        occurred_at,
        created_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
