{#
    Contracts and recurring revenue as landed in the canonical contract:
    every loaded version of every row, in the contract's columns and types
    (timestamps are instants). int_subscriptions picks the current version,
    together with the adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'subscriptions') }}

),

renamed as (

    select
        subscription_id,
        account_id,
        opportunity_id,
        start_date,
        end_date,
        mrr,
        currency,
        renewed_from_subscription_id,
        updated_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
