{#
    The one canonical relation for users: the rows landed in the canonical
    contract plus the rows every source-system adapter maps onto it, reduced to
    the current version of each key and shown in local time.
#}
{%- set columns = [
    'user_id',
    'user_name',
    'department',
    'team',
    'manager_id',
    'email',
    'is_active',
    'updated_at',
] -%}

with

source as (

    select * from {{ source('canonical', 'users') }}

),

landed as (

    select {{ columns | join(', ') }}, _file, _line from source
    {% for model in adapter_models('users') %}
        union all
        select {{ columns | join(', ') }}, _file, _line
        from {{ ref(model) }}
    {% endfor %}

),

current_versions as (

    {{ latest_version('landed', ['user_id'], 'updated_at') }}

),

renamed as (

    select
        user_id,
        user_name,
        department,
        team,
        manager_id,
        email,
        is_active,
        {{ to_reporting_tz('updated_at') }} as updated_at
    from current_versions

)

select * from renamed
