{#
    The one canonical relation for accounts: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'account_id',
    'account_name',
    'industry',
    'employee_count',
    'segment',
    'created_at',
    'updated_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'accounts') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('accounts') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['account_id'], 'updated_at') }}

),

renamed as (

    select
        account_id,
        account_name,
        industry,
        employee_count,
        segment,
        {{ to_reporting_tz('created_at') }} as created_at,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
