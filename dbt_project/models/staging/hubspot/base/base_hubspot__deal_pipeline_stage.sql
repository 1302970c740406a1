{#
    Deal pipeline stages. probability is HubSpot's 0-1 fraction. One row per
    stage_id: the current version (newest last modification, else sync time;
    on a tie the later file), soft-deleted rows removed, timestamps as
    instants (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'deal_pipeline_stage') }}),

parsed as (
    select
        stage_id,
        pipeline_id,
        label as stage_label,
        probability,
        is_closed,
        closed_won as is_won,
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
    {{ latest_version('parsed', ['stage_id'], 'updated_at') }}
),

current_rows as (
    select
        stage_id,
        pipeline_id,
        stage_label,
        probability,
        is_closed,
        is_won,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
