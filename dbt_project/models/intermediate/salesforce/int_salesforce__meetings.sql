{#
    Salesforce Events -> canonical meetings. An event is a meeting unless the
    activity type map lists its Type as something else (`Call`, `Email`);
    invitee copies of a group event (IsChild) and the master of a recurring
    series (IsRecurrence; its occurrences are events of their own) are left
    out. scheduled_at: StartDateTime (ActivityDateTime, ActivityDate for
    all-day events). created_at, the moment the appointment was set: the
    event's CreatedDate, or scheduled_at for an event logged after it took
    place. set_by_id is the event's creator, owner_id its owner. Status: the
    field the field map names (meetings.status) through the meeting status
    map; else no_show when the no-show field (meetings.is_no_show) is true,
    scheduled when the start is in the future, held otherwise. A cancelled
    meeting is usually deleted in Salesforce, and deleted events are dropped.
#}
{%- set meeting_fields = [
    'meetings.status',
    'meetings.is_no_show',
    'meetings.is_first_meeting',
] -%}

with

salesforce_events as (select * from {{ ref('stg_salesforce__event') }}),

lead_keys as (select * from {{ ref('int_salesforce__lead_keys') }}),

field_paths as (

    {{ salesforce_field_paths('event', meeting_fields) }}

),

activity_type_map as (

    {{ salesforce_value_map(
        'salesforce_activity_type_map', ['activity_type']
    ) }}

),

status_map as (

    {{ salesforce_value_map('salesforce_meeting_status_map', ['status']) }}

),

meeting_events as (

    select salesforce_events.*
    from salesforce_events
    left join activity_type_map
        on
            {{ salesforce_value_key('salesforce_events.type') }}
            = activity_type_map.value_key
    where
        coalesce(activity_type_map.activity_type, 'meeting') = 'meeting'
        and not coalesce(salesforce_events.is_child, false)
        and not coalesce(salesforce_events.is_recurrence, false)

),

with_fields as (

    {% set record = salesforce_record_json('meeting_events') -%}
    select
        meeting_events.*,
        coalesce(
            meeting_events.start_date_time,
            meeting_events.activity_date_time,
            meeting_events.activity_date
        ) as meeting_start_at,
        {{ salesforce_field(record, 'field_paths', 'status') }}
            as status_value,
        {{ salesforce_field(record, 'field_paths', 'is_no_show', 'boolean') }}
            as is_no_show,
        {{ salesforce_field(
            record, 'field_paths', 'is_first_meeting', 'boolean'
        ) }} as is_first_meeting
    from meeting_events
    cross join field_paths

),

mapped as (

    select
        with_fields.*,
        lead_keys.lead_id as mapped_lead_id,
        coalesce(
            status_map.status,
            case
                when with_fields.is_no_show then 'no_show'
                when
                    with_fields.meeting_start_at
                    > {{ dbt.current_timestamp() }}
                    then 'scheduled'
                else 'held'
            end
        ) as canonical_status
    from with_fields
    left join lead_keys on with_fields.who_id = lead_keys.salesforce_id
    left join status_map
        on
            {{ salesforce_value_key('with_fields.status_value') }}
            = status_map.value_key

),

renamed as (

    select
        event_id as meeting_id,
        {{ salesforce_activity_lead_id() }} as lead_id,
        {{ salesforce_activity_account_id() }} as account_id,
        case
            when {{ salesforce_id_is('what_id', 'opportunity') }} then what_id
        end as opportunity_id,
        owner_id,
        created_by_id as set_by_id,
        case
            when created_date > meeting_start_at then meeting_start_at
            else coalesce(created_date, meeting_start_at)
        end as created_at,
        meeting_start_at as scheduled_at,
        canonical_status as status,
        is_first_meeting,
        _version_at as updated_at,
        _file,
        _line
    from mapped
    where meeting_start_at is not null

)

select * from renamed
