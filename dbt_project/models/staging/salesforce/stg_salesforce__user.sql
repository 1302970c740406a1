{#
    Salesforce Users (reps and staff): one row per record, its current
    version from the object table and the active versions of a connector's
    history-mode table, without deleted records; ids in their 15-character
    form. Fields keep their Salesforce names (snake_case; Id is user_id), so
    the field map finds them by name.
#}
with

source as (

    {{ salesforce_rows('user', [
        'name',
        'first_name',
        'last_name',
        'department',
        'division',
        'user_role_id',
        'manager_id',
        'email',
        'is_active',
        'created_date',
        'last_modified_date',
        'system_modstamp',
    ]) }}

),

current_records as (

    {{ salesforce_live_records('source') }}

),

renamed as (

    select
        id as user_id,
        name,
        first_name,
        last_name,
        department,
        division,
        user_role_id,
        manager_id,
        email,
        is_active,
        created_date,
        last_modified_date,
        system_modstamp,
        _version_at,
        _extra,
        _file,
        _line
    from current_records

)

select * from renamed
