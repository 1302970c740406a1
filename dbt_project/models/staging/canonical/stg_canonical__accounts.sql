{#
    Companies as landed in the canonical contract: every loaded version of
    every row, in the contract's columns and types (timestamps are
    instants). int_accounts picks the current version, together with the
    adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'accounts') }}

),

renamed as (

    select
        account_id,
        account_name,
        industry,
        employee_count,
        segment,
        created_at,
        updated_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
