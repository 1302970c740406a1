{#
    Marketing programmes as landed in the canonical contract: every loaded
    version of every row, in the contract's columns and types (timestamps
    are instants). int_campaigns picks the current version, together with
    the adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'campaigns') }}

),

renamed as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        started_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
