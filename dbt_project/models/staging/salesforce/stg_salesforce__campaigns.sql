{#
    Salesforce Campaigns -> canonical campaigns. Type goes through the
    campaign type map (`*`: ads, since the contract has no "other" campaign
    type); started_at is StartDate at local midnight.
#}
with

source as (

    {{ salesforce_rows('campaign', ['name', 'type', 'start_date']) }}

),

live_records as (

    {{ salesforce_live_records('source') }}

),

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
        live_records.id as campaign_id,
        coalesce(
            nullif(trim(live_records.name), ''), live_records.id
        ) as campaign_name,
        coalesce(
            type_map.campaign_type, type_default.campaign_type, 'ads'
        ) as campaign_type,
        live_records.start_date as started_at,
        live_records._file,
        live_records._line
    from live_records
    left join type_map
        on
            {{ salesforce_value_key('live_records.type') }}
            = type_map.value_key
    cross join type_default

)

select * from renamed
