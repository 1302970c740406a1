with

source as (

    select * from {{ source('canonical', 'opportunity_stage_history') }}

),

current_versions as (

    {{ latest_version('source', ['opportunity_id', 'changed_at'], none) }}

),

renamed as (

    select
        opportunity_id,
        stage,
        amount,
        probability,
        {{ to_reporting_tz('changed_at') }} as changed_at
    from current_versions

)

select * from renamed
