{#
    Deals as the connector syncs them. Pipeline, stage and owner come from
    the connector's own columns, else from the deal properties. One row per
    deal_id: the current version (newest last modification, else sync time;
    on a tie the later file), soft-deleted rows removed, timestamps as
    instants (offset-less ones read as UTC).
#}
with

source as (select * from {{ source('hubspot', 'deal') }}),

parsed as (
    select
        deal_id,
        property_dealname as deal_name,
        coalesce(deal_pipeline_id, property_pipeline) as pipeline_id,
        coalesce(deal_pipeline_stage_id, property_dealstage) as stage_id,
        {{ hubspot_id(
            'coalesce(owner_id, property_hubspot_owner_id)'
        ) }} as owner_id,
        property_dealtype as deal_type,
        property_amount as amount,
        property_deal_currency_code as currency,
        property_hs_deal_stage_probability as stage_probability,
        {{ hubspot_instant('property_createdate') }} as created_at,
        {{ hubspot_instant('property_closedate') }} as closed_at,
        coalesce(
            {{ hubspot_instant('property_hs_lastmodifieddate') }},
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
    {{ latest_version('parsed', ['deal_id'], 'updated_at') }}
),

current_rows as (
    select
        deal_id,
        deal_name,
        pipeline_id,
        stage_id,
        owner_id,
        deal_type,
        amount,
        currency,
        stage_probability,
        created_at,
        closed_at,
        updated_at,
        _file,
        _line
    from current_versions
    where not is_deleted
)

select * from current_rows
