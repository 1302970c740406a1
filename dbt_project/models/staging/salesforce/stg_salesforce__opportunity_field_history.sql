{#
    Salesforce OpportunityFieldHistory (tracked field changes of
    opportunities): one row per record, its current version from the object
    table (a change log: no history-mode table), without deleted records;
    ids in their 15-character form. Fields keep their Salesforce names
    (snake_case; Id is opportunity_field_history_id), so the field map finds
    them by name.
#}
with

source as (

    {{ salesforce_rows(
        'opportunity_field_history',
        [
            'opportunity_id',
            'field',
            'old_value',
            'new_value',
            'created_date',
            'last_modified_date',
            'system_modstamp',
        ],
        history_mode=false,
    ) }}

),

current_records as (

    {{ salesforce_live_records('source') }}

),

renamed as (

    select
        id as opportunity_field_history_id,
        opportunity_id,
        field,
        old_value,
        new_value,
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
