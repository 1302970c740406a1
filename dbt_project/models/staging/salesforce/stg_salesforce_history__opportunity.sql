{#
    A connector's history-mode Opportunity table: one row per version of an
    opportunity (valid from fivetran_start to fivetran_end), every version,
    not only the active one, without versions marked deleted; ids in their
    15-character form. The stage history is read from it where no
    OpportunityHistory or OpportunityFieldHistory landed.
#}
with

source as (

    select * from {{ source('salesforce_history', 'opportunity') }}

),

renamed as (

    select
        {{ salesforce_id('id') }} as opportunity_id,
        fivetran_start,
        fivetran_end,
        fivetran_active,
        {{ salesforce_id('account_id') }} as account_id,
        {{ salesforce_id('owner_id') }} as owner_id,
        type,
        stage_name,
        amount,
        probability,
        close_date,
        is_closed,
        is_won,
        currency_iso_code,
        created_date,
        _extra,
        _file,
        _line
    from source
    where
        not coalesce(is_deleted, false)
        and not coalesce(fivetran_deleted, false)

)

select * from renamed
