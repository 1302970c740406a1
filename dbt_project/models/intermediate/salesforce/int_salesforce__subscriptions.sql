{#
    Salesforce Contracts -> canonical subscriptions. Salesforce has no
    standard MRR on a contract, so the field map names it: MRR is the field
    mapped to subscriptions.mrr, else the field mapped to
    subscriptions.contract_value (the total contract value) divided by
    ContractTerm (months). A contract with neither, without a StartDate, or
    still in Draft / In Approval is not a subscription. end_date: EndDate,
    else StartDate + ContractTerm months - 1 day (inclusive), else open.
#}
{%- set contract_fields = [
    'subscriptions.mrr',
    'subscriptions.contract_value',
    'subscriptions.opportunity_id',
    'subscriptions.renewed_from_subscription_id',
] -%}

with

contracts as (select * from {{ ref('stg_salesforce__contract') }}),

field_paths as (

    {{ salesforce_field_paths('contract', contract_fields) }}

),

with_fields as (

    {% set record = salesforce_record_json('contracts') -%}
    select
        contracts.*,
        {{ salesforce_local_date('contracts.start_date') }} as first_day,
        {{ salesforce_local_date('contracts.end_date') }} as last_day,
        {{ salesforce_field(record, 'field_paths', 'mrr', 'number') }}
            as mrr_value,
        {{ salesforce_field(
            record, 'field_paths', 'contract_value', 'number'
        ) }}
            as contract_value,
        {{ salesforce_field(record, 'field_paths', 'opportunity_id') }}
            as opportunity_value,
        {{ salesforce_field(
            record, 'field_paths', 'renewed_from_subscription_id'
        ) }} as renewed_from_value
    from contracts
    cross join field_paths
    where
        lower(coalesce(contracts.status_code, contracts.status, ''))
        not in ('draft', 'inapproval', 'in approval process')

),

renamed as (

    select
        contract_id as subscription_id,
        account_id,
        {{ salesforce_id('opportunity_value') }} as opportunity_id,
        first_day as start_date,
        coalesce(
            last_day,
            cast(
                {{ dbt.dateadd(
                    'day',
                    -1,
                    dbt.dateadd('month', 'contract_term', 'first_day'),
                ) }} as date
            )
        ) as end_date,
        coalesce(
            mrr_value,
            contract_value / nullif(contract_term, 0)
        ) as mrr,
        currency_iso_code as currency,
        {{ salesforce_id('renewed_from_value') }}
            as renewed_from_subscription_id,
        _version_at as updated_at,
        _file,
        _line
    from with_fields

),

subscriptions as (

    select * from renamed
    where start_date is not null and mrr is not null

)

select * from subscriptions
