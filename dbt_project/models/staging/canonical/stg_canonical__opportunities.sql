{#
    Deals as landed in the canonical contract: every loaded version of every
    row, in the contract's columns and types (timestamps are instants).
    int_opportunities picks the current version, together with the adapters'
    rows.
#}
with

source as (

    select * from {{ source('canonical', 'opportunities') }}

),

renamed as (

    select
        opportunity_id,
        account_id,
        lead_id,
        owner_id,
        created_by_id,
        opportunity_type,
        stage,
        amount,
        currency,
        probability,
        created_at,
        close_date,
        is_closed,
        is_won,
        updated_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
