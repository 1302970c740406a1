{#
    The one canonical relation for opportunity_stage_history: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'opportunity_id',
    'stage',
    'amount',
    'probability',
    'changed_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'opportunity_stage_history') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('opportunity_stage_history') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['opportunity_id', 'changed_at'], none) }}

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
