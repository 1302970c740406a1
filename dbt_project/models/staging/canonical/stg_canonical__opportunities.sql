{#
    The one canonical relation for opportunities: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'opportunity_id',
    'account_id',
    'lead_id',
    'owner_id',
    'created_by_id',
    'opportunity_type',
    'stage',
    'amount',
    'currency',
    'probability',
    'created_at',
    'close_date',
    'is_closed',
    'is_won',
    'updated_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'opportunities') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('opportunities') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['opportunity_id'], 'updated_at') }}

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
        {{ to_reporting_tz('created_at') }} as created_at,
        close_date,
        is_closed,
        is_won,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
