{#
    Form fills, downloads, registrations as landed in the canonical
    contract: every loaded version of every row, in the contract's columns
    and types (timestamps are instants). int_campaign_responses picks the
    current version, together with the adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'campaign_responses') }}

),

renamed as (

    select
        response_id,
        campaign_id,
        lead_id,
        response_type,
        responded_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
