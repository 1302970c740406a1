{#
    Every stage / amount / probability change of a deal as landed in the
    canonical contract: every loaded version of every row, in the contract's
    columns and types (timestamps are instants).
    int_opportunity_stage_history picks the current version, together with
    the adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'opportunity_stage_history') }}

),

renamed as (

    select
        opportunity_id,
        stage,
        amount,
        probability,
        changed_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
