{#
    Companies as accounts, from the connector table and the CRM export alike
    (hubspot_combined_shapes), segment by employee-count band.
#}
{%- set company_columns = [
    'company_id', 'company_name', 'domain_name', 'industry', 'employee_count',
    'created_at', 'updated_at',
] %}

with

connector_companies as (select * from {{ ref('stg_hubspot__company') }}),

export_companies as (select * from {{ ref('stg_hubspot__companies') }}),

company_segments as (
    select
        segment,
        min_employee_count,
        lead(min_employee_count) over (
            order by min_employee_count
        ) as next_min_employee_count
    from {{ ref('hubspot_company_segments') }}
),

companies as (
    {{ hubspot_combined_shapes(
        ['connector_companies', 'export_companies'],
        key='company_id',
        columns=company_columns,
    ) }}
),

accounts as (
    select
        companies.company_id as account_id,
        coalesce(
            companies.company_name, companies.domain_name, companies.company_id
        ) as account_name,
        companies.industry,
        companies.employee_count,
        company_segments.segment,
        companies.created_at,
        companies.updated_at,
        companies._extra,
        companies._file,
        companies._line
    from companies
    left join company_segments
        on
            companies.employee_count >= company_segments.min_employee_count
            and (
                company_segments.next_min_employee_count is null
                or companies.employee_count
                < company_segments.next_min_employee_count
            )
)

select * from accounts
