{#
    The one canonical relation for subscriptions: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'subscription_id',
    'account_id',
    'opportunity_id',
    'start_date',
    'end_date',
    'mrr',
    'currency',
    'renewed_from_subscription_id',
    'updated_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'subscriptions') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('subscriptions') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['subscription_id'], 'updated_at') }}

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
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
