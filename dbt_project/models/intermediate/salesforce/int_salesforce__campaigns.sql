{#
    Salesforce Campaigns -> canonical campaigns. Type goes through the
    campaign type map (`*`: ads, since the contract has no "other" campaign
    type); started_at is StartDate at local midnight.
#}
with

salesforce_campaigns as (select * from {{ ref('stg_salesforce__campaign') }}),

type_map as (

    {{ salesforce_value_map(
        'salesforce_campaign_type_map', ['campaign_type']
    ) }}

),

type_default as (

    {{ salesforce_default_row(
        'salesforce_campaign_type_map', ['campaign_type']
    ) }}

),

renamed as (

    select
        salesforce_campaigns.campaign_id,
        coalesce(
            nullif(trim(salesforce_campaigns.name), ''),
            salesforce_campaigns.campaign_id
        ) as campaign_name,
        coalesce(
            type_map.campaign_type, type_default.campaign_type, 'ads'
        ) as campaign_type,
        salesforce_campaigns.start_date as started_at,
        salesforce_campaigns._file,
        salesforce_campaigns._line
    from salesforce_campaigns
    left join type_map
        on
            {{ salesforce_value_key('salesforce_campaigns.type') }}
            = type_map.value_key
    cross join type_default

)

select * from renamed
