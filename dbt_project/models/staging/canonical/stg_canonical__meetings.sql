{#
    Appointments set and meetings held as landed in the canonical contract:
    every loaded version of every row, in the contract's columns and types
    (timestamps are instants). int_meetings picks the current version,
    together with the adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'meetings') }}

),

renamed as (

    select
        meeting_id,
        lead_id,
        account_id,
        opportunity_id,
        owner_id,
        set_by_id,
        created_at,
        scheduled_at,
        status,
        is_first_meeting,
        updated_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
