{#
    People in the funnel as landed in the canonical contract: every loaded
    version of every row, in the contract's columns and types (timestamps
    are instants). int_leads picks the current version, together with the
    adapters' rows.
#}
with

source as (

    select * from {{ source('canonical', 'leads') }}

),

renamed as (

    select
        lead_id,
        account_id,
        email,
        phone,
        lead_source,
        owner_id,
        lead_score,
        status,
        created_at,
        mql_at,
        sql_at,
        recycled_at,
        recycle_reason,
        converted_opportunity_id,
        updated_at,
        _extra,
        _file,
        _line
    from source

)

select * from renamed
