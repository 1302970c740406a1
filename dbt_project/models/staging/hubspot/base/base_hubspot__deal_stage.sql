{#
    Deal stage history as the connector syncs it: one row per stage a deal
    entered (the connector's versions of one entry reduced to one). One row
    per deal_id + entered_at + stage_id: the current version (newest
    _fivetran_start, else sync time; on a tie the later file), soft-deleted
    rows removed, timestamps as instants (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'deal_stage') }}),

parsed as (
    select
        deal_id,
        value as stage_id,
        {{ hubspot_instant('date_entered') }} as entered_at,
        coalesce(
            {{ hubspot_instant('fivetran_start') }},
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
    {{ latest_version(
        'parsed', ['deal_id', 'entered_at', 'stage_id'], 'updated_at'
    ) }}
),

current_rows as (
    select
        deal_id,
        stage_id,
        entered_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
