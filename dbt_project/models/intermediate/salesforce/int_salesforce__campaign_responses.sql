{#
    Salesforce CampaignMembers -> canonical campaign_responses. A member is a
    response when HasResponded is true (where it was not exported: when its
    Status is in the member status map or it has a FirstRespondedDate). The
    response type is the member Status through the member status map, else
    the campaign's type: seminar / webinar -> seminar_registration,
    document_request -> document_request, other types -> form. An `Attended`
    member (seminar_attended) registered too, so it gives two responses: the
    registration (response_id = member id) and the attendance (member id ||
    ':attended'). responded_at: the member's CreatedDate when
    FirstRespondedDate is that same day or empty, else FirstRespondedDate
    (local midnight). The lead is LeadId, else ContactId, through lead_keys;
    members who are no lead are left out.
#}
with

members as (select * from {{ ref('stg_salesforce__campaign_member') }}),

lead_keys as (select * from {{ ref('int_salesforce__lead_keys') }}),

campaigns as (select * from {{ ref('int_salesforce__campaigns') }}),

status_map as (

    {{ salesforce_value_map(
        'salesforce_member_status_map', ['response_type']
    ) }}

),

responded as (

    select
        members.*,
        status_map.response_type as status_response_type,
        coalesce(
            by_lead.lead_id,
            by_contact.lead_id,
            case
                when {{ salesforce_id_is('members.lead_id', 'lead') }}
                    then members.lead_id
            end
        ) as canonical_lead_id
    from members
    left join status_map
        on
            {{ salesforce_value_key('members.status') }}
            = status_map.value_key
    left join lead_keys as by_lead
        on members.lead_id = by_lead.salesforce_id
    left join lead_keys as by_contact
        on members.contact_id = by_contact.salesforce_id
    where
        coalesce(
            members.has_responded,
            status_map.response_type is not null
            or members.first_responded_date is not null
        )

),

typed as (

    select
        responded.*,
        coalesce(
            responded.status_response_type,
            case campaigns.campaign_type
                when 'seminar' then 'seminar_registration'
                when 'webinar' then 'seminar_registration'
                when 'document_request' then 'document_request'
                else 'form'
            end
        ) as response_type,
        case
            when
                responded.first_responded_date is null
                or {{ salesforce_local_date('responded.first_responded_date') }}
                = {{ salesforce_local_date('responded.created_date') }}
                then coalesce(responded.created_date, responded._version_at)
            else responded.first_responded_date
        end as responded_at
    from responded
    left join campaigns on responded.campaign_id = campaigns.campaign_id
    where responded.canonical_lead_id is not null

),

responses as (

    select
        campaign_member_id as response_id,
        campaign_id,
        canonical_lead_id as lead_id,
        case
            when response_type = 'seminar_attended' then 'seminar_registration'
            else response_type
        end as response_type,
        responded_at,
        _file,
        _line
    from typed
    union all
    select
        campaign_member_id || ':attended' as response_id,
        campaign_id,
        canonical_lead_id as lead_id,
        response_type,
        responded_at,
        _file,
        _line
    from typed
    where response_type = 'seminar_attended'

)

select * from responses
