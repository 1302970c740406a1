{#
    HubSpot form submissions as campaign responses: one row per submission
    (conversion). The campaign is the form (`form:<guid>`, as in
    int_hubspot__campaigns), the lead the submitting contact. response_type
    comes from hubspot_form_map (a row with the form's guid or name, else the
    default row `*`, else form).
#}
with

submissions as (
    select * from {{ ref('stg_hubspot__contact_form_submission') }}
),

forms as (select * from {{ ref('stg_hubspot__form') }}),

form_map as (
    select
        response_type,
        {{ hubspot_map_key('form') }} as map_key
    from {{ ref('hubspot_form_map') }}
),

responses as (
    select
        submissions.submission_id as response_id,
        'form:' || submissions.form_id as campaign_id,
        submissions.contact_id as lead_id,
        coalesce(
            by_id.response_type,
            by_name.response_type,
            by_default.response_type,
            'form'
        ) as response_type,
        submissions.submitted_at as responded_at,
        submissions._extra,
        submissions._file,
        submissions._line
    from submissions
    left join forms on submissions.form_id = forms.form_id
    left join form_map as by_id
        on {{ hubspot_map_key('submissions.form_id') }} = by_id.map_key
    left join form_map as by_name
        on {{ hubspot_map_key('forms.form_name') }} = by_name.map_key
    left join form_map as by_default
        on by_default.map_key = '*'
)

select * from responses
