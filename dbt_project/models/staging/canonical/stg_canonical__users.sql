{#
    Reps and staff as landed in the canonical contract: every loaded version
    of every row, in the contract's columns and types (timestamps are
    instants). int_users picks the current version, together with the
    adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'users') }}

),

renamed as (

    select
        user_id,
        user_name,
        department,
        team,
        manager_id,
        email,
        is_active,
        updated_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
