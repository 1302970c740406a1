{#
    The one canonical relation for leads: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'lead_id',
    'account_id',
    'email',
    'phone',
    'lead_source',
    'owner_id',
    'lead_score',
    'status',
    'created_at',
    'mql_at',
    'sql_at',
    'recycled_at',
    'recycle_reason',
    'converted_opportunity_id',
    'updated_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'leads') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('leads') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['lead_id'], 'updated_at') }}

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
        {{ to_reporting_tz('created_at') }} as created_at,
        {{ to_reporting_tz('mql_at') }} as mql_at,
        {{ to_reporting_tz('sql_at') }} as sql_at,
        {{ to_reporting_tz('recycled_at') }} as recycled_at,
        recycle_reason,
        converted_opportunity_id,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
