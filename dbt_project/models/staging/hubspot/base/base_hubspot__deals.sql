{#
    Deals exported from the HubSpot UI: stage and pipeline as their labels,
    the owner as a name. One row per deal_id: the current version (newest
    Last Modified Date; on a tie the later file). Timestamps were typed at
    ingest (local time).
#}
with

source as (select * from {{ source('hubspot', 'deals') }}),

parsed as (
    select
        record_id as deal_id,
        deal_name,
        pipeline as pipeline_name,
        deal_stage as stage_label,
        nullif(trim(deal_owner), '') as owner_name,
        deal_type,
        amount,
        currency,
        deal_probability as stage_probability,
        {{ hubspot_id(
            'coalesce(associated_company_i_ds_primary, '
            ~ 'associated_company_id, associated_company_i_ds)'
        ) }} as company_id,
        {{ hubspot_id('associated_contact_i_ds') }} as contact_id,
        create_date as created_at,
        close_date as closed_at,
        last_modified_date as updated_at,
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
        pipeline_name,
        stage_label,
        owner_name,
        deal_type,
        amount,
        currency,
        stage_probability,
        company_id,
        contact_id,
        created_at,
        closed_at,
        updated_at,
        _file,
        _line
    from current_versions
)

select * from current_rows
