{#
    HubSpot marketing emails and forms as campaigns: one row per email or
    form. Ids are prefixed (`email:<id>`, `form:<guid>`) because both come
    from separate id spaces. Marketing emails are campaigns of type email;
    a form's type comes from hubspot_form_map (a row with the form's guid or
    name, else the default row `*`, else document_request). started_at is
    the form's creation; HubSpot's email table carries no send date.
#}
with

email_campaigns as (select * from {{ ref('stg_hubspot__email_campaign') }}),

forms as (select * from {{ ref('stg_hubspot__form') }}),

form_map as (
    select
        campaign_type,
        {{ hubspot_map_key('form') }} as map_key
    from {{ ref('hubspot_form_map') }}
),

email_campaign_rows as (
    select
        'email:' || email_campaign_id as campaign_id,
        coalesce(email_name, email_campaign_id) as campaign_name,
        'email' as campaign_type,
        cast(null as {{ type_timestamptz() }}) as started_at,
        _extra,
        _file,
        _line
    from email_campaigns
),

form_rows as (
    select
        'form:' || forms.form_id as campaign_id,
        coalesce(forms.form_name, forms.form_id) as campaign_name,
        coalesce(
            by_id.campaign_type,
            by_name.campaign_type,
            by_default.campaign_type,
            'document_request'
        ) as campaign_type,
        forms.created_at as started_at,
        forms._extra,
        forms._file,
        forms._line
    from forms
    left join form_map as by_id
        on {{ hubspot_map_key('forms.form_id') }} = by_id.map_key
    left join form_map as by_name
        on {{ hubspot_map_key('forms.form_name') }} = by_name.map_key
    left join form_map as by_default
        on by_default.map_key = '*'
),

campaigns as (
    select * from email_campaign_rows
    union all
    select * from form_rows
)

select * from campaigns
