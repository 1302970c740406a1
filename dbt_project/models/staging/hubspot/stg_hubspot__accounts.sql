{#
    HubSpot companies as accounts, from the connector's company table and
    from CRM exports alike: one row per company and shape.
    segment is the band of hubspot_company_segments the employee count falls
    in (the row with the greatest min_employee_count not above it); none
    without a count.
    A company without a name is named by its domain, else its id.
#}
with

{%- set company_columns = [
    'company_id', 'company_name', 'domain_name', 'industry', 'employee_count',
    'created_at', 'updated_at', '_file', '_line',
] %}

companies as (
    select {{ company_columns | join(', ') }}
    from {{ ref('base_hubspot__company') }}
    union all
    select {{ company_columns | join(', ') }}
    from {{ ref('base_hubspot__companies') }}
),

company_segments as (
    select
        segment,
        min_employee_count,
        lead(min_employee_count) over (
            order by min_employee_count
        ) as next_min_employee_count
    from {{ ref('hubspot_company_segments') }}
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
