{#
    Marketing email events of every type (SENT, DELIVERED, OPEN, ...).
    is_filtered: HubSpot filtered the event out (e.g. a machine open). One
    row per event_id: the current version (newest sync time; on a tie the
    later file), soft-deleted rows removed, timestamps as instants
    (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'email_event') }}),

parsed as (
    select
        id as event_id,
        type as event_type,
        recipient,
        email_campaign_id,
        sent_by_id,
        coalesce(filtered_event, false) as is_filtered,
        {{ hubspot_instant('created') }} as occurred_at,
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
    {{ latest_version('parsed', ['event_id'], 'updated_at') }}
),

current_rows as (
    select
        event_id,
        event_type,
        recipient,
        email_campaign_id,
        sent_by_id,
        is_filtered,
        occurred_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
