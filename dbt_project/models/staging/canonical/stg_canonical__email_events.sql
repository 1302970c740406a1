{#
    Marketing email events as landed in the canonical contract: every loaded
    version of every row, in the contract's columns and types (timestamps
    are instants). int_email_events picks the current version, together with
    the adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'email_events') }}

),

renamed as (

    select
        event_id,
        email_id,
        lead_id,
        campaign_id,
        event_type,
        occurred_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
