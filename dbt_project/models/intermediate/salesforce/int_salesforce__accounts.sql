{#
    Salesforce Accounts -> canonical accounts. The segment is the value of
    the field the field map names (accounts.segment) through the segment map,
    else the NumberOfEmployees band (salesforce_segment_bands).
#}
with

salesforce_accounts as (select * from {{ ref('stg_salesforce__account') }}),

field_paths as (

    {{ salesforce_field_paths('account', ['accounts.segment']) }}

),

segment_map as (

    {{ salesforce_value_map('salesforce_segment_map', ['segment']) }}

),

segment_bands as (select * from {{ ref('salesforce_segment_bands') }}),

with_fields as (

    select
        salesforce_accounts.*,
        {{ salesforce_field(
            salesforce_record_json('salesforce_accounts'),
            'field_paths',
            'segment',
        ) }} as segment_value
    from salesforce_accounts
    cross join field_paths

),

{# The band with the largest lower bound not above the employee count. #}
banded as (

    select
        with_fields.account_id,
        segment_bands.segment,
        row_number() over (
            partition by with_fields.account_id
            order by segment_bands.min_employee_count desc
        ) as band_rank
    from with_fields
    inner join segment_bands
        on with_fields.number_of_employees >= segment_bands.min_employee_count

),

mapped as (

    select
        with_fields.*,
        coalesce(segment_map.segment, banded.segment) as canonical_segment
    from with_fields
    left join segment_map
        on
            {{ salesforce_value_key('with_fields.segment_value') }}
            = segment_map.value_key
    left join banded
        on
            with_fields.account_id = banded.account_id
            and banded.band_rank = 1

),

renamed as (

    select
        account_id,
        coalesce(nullif(trim(name), ''), account_id) as account_name,
        industry,
        number_of_employees as employee_count,
        canonical_segment as segment,
        coalesce(created_date, _version_at) as created_at,
        _version_at as updated_at,
        _file,
        _line
    from mapped

)

select * from renamed
