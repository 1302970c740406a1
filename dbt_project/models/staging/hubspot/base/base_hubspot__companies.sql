{#
    Companies exported from the HubSpot UI. One row per company_id: the
    current version (newest Last Modified Date; on a tie the later file).
    Timestamps were typed at ingest (local time).
#}
with

source as (select * from {{ source('hubspot', 'companies') }}),

parsed as (
    select
        record_id as company_id,
        company_name,
        company_domain_name as domain_name,
        industry,
        cast(round(number_of_employees) as bigint) as employee_count,
        create_date as created_at,
        last_modified_date as updated_at,
        _file,
        _line
    from source
),

current_versions as (
    {{ latest_version('parsed', ['company_id'], 'updated_at') }}
),

current_rows as (
    select
        company_id,
        company_name,
        domain_name,
        industry,
        employee_count,
        created_at,
        updated_at,
        _file,
        _line
    from current_versions
)

select * from current_rows
