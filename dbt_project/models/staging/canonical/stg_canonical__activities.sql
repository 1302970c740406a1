{#
    Calls, emails and other touches as landed in the canonical contract:
    every loaded version of every row, in the contract's columns and types
    (timestamps are instants). int_activities picks the current version,
    together with the adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'activities') }}

),

renamed as (

    select
        activity_id,
        lead_id,
        account_id,
        owner_id,
        activity_type,
        direction,
        outcome,
        duration_seconds,
        occurred_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
