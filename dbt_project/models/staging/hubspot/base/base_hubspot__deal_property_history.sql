{#
    Deal property changes as the connector syncs them: one row per deal,
    property and time of change. One row per deal_id + property_name +
    changed_at: the current version (newest sync time; on a tie the later
    file), soft-deleted rows removed, timestamps as instants (offset-less
    ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'deal_property_history') }}),

parsed as (
    select
        deal_id,
        name as property_name,
        value as property_value,
        {{ hubspot_instant('"timestamp"') }} as changed_at,
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
        'parsed', ['deal_id', 'property_name', 'changed_at'], 'updated_at'
    ) }}
),

current_rows as (
    select
        deal_id,
        property_name,
        property_value,
        changed_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
