{#
    Salesforce Leads -> canonical leads (and, with the var
    salesforce_contacts_as_leads, the Contacts that did not come from a lead).
    mql_at / sql_at / recycled_at / recycle_reason / lead_score come from the
    fields the field map names; where a date field is missing or empty, from
    LeadHistory: the first change of Status into an `mql` / `sql` status of
    the lead status map, the last into a `recycled` one
    (int_salesforce__lead_status_milestones). LeadSource goes through the
    lead source map. A converted lead's account is the account it was
    converted into.
#}
{%- set person_fields = [
    'leads.lead_score',
    'leads.mql_at',
    'leads.sql_at',
    'leads.recycled_at',
    'leads.recycle_reason',
] -%}

with

leads as (select * from {{ ref('stg_salesforce__lead') }}),

contacts as (select * from {{ ref('stg_salesforce__contact') }}),

lead_keys as (select * from {{ ref('int_salesforce__lead_keys') }}),

status_milestones as (

    select * from {{ ref('int_salesforce__lead_status_milestones') }}

),

lead_field_paths as (

    {{ salesforce_field_paths('lead', person_fields) }}

),

contact_field_paths as (

    {{ salesforce_field_paths('contact', person_fields) }}

),

lead_source_map as (

    {{ salesforce_value_map('salesforce_lead_source_map', ['lead_source']) }}

),

lead_source_default as (

    {{ salesforce_default_row('salesforce_lead_source_map', ['lead_source']) }}

),

{# Contacts are people of their own only where lead_keys says so. #}
own_contacts as (

    select contacts.*
    from contacts
    inner join lead_keys
        on
            contacts.contact_id = lead_keys.salesforce_id
            and contacts.contact_id = lead_keys.lead_id

),

people as (

    {% for relation, id_column, paths, account_column, status_column in [
        ('leads', 'lead_id', 'lead_field_paths', 'converted_account_id',
            'status'),
        ('own_contacts', 'contact_id', 'contact_field_paths', 'account_id',
            'null'),
    ] %}
        select
            {{ relation }}.{{ id_column }} as person_id,
            {{ relation }}.{{ account_column }} as account_id,
            {{ relation }}.email,
            coalesce(
                {{ relation }}.phone, {{ relation }}.mobile_phone
            ) as phone,
            {{ relation }}.lead_source,
            {{ relation }}.owner_id,
            cast({{ status_column }} as {{ dbt.type_string() }}) as status,
            {{ relation }}.created_date,
            {% if relation == 'leads' -%}
                leads.converted_opportunity_id,
            {%- else -%}
                cast(null as {{ dbt.type_string() }})
                    as converted_opportunity_id,
            {%- endif %}
            {% set record = salesforce_record_json(relation) -%}
            {{ salesforce_field(record, paths, 'lead_score', 'integer') }}
                as lead_score,
            {{ salesforce_field(record, paths, 'mql_at', 'timestamp') }}
                as mql_at,
            {{ salesforce_field(record, paths, 'sql_at', 'timestamp') }}
                as sql_at,
            {{ salesforce_field(record, paths, 'recycled_at', 'timestamp') }}
                as recycled_at,
            {{ salesforce_field(record, paths, 'recycle_reason') }}
                as recycle_reason,
            {{ relation }}._version_at,
            {{ relation }}._file,
            {{ relation }}._line
        from {{ relation }}
        cross join {{ paths }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

mapped as (

    select
        people.*,
        coalesce(
            lead_source_map.lead_source,
            lead_source_default.lead_source,
            'other'
        ) as canonical_lead_source,
        coalesce(people.mql_at, status_milestones.mql_at) as first_mql_at,
        coalesce(people.sql_at, status_milestones.sql_at) as first_sql_at,
        coalesce(
            people.recycled_at, status_milestones.recycled_at
        ) as last_recycled_at
    from people
    left join lead_source_map
        on
            {{ salesforce_value_key('people.lead_source') }}
            = lead_source_map.value_key
    cross join lead_source_default
    left join status_milestones
        on people.person_id = status_milestones.lead_id

),

renamed as (

    select
        person_id as lead_id,
        account_id,
        email,
        phone,
        canonical_lead_source as lead_source,
        owner_id,
        lead_score,
        status,
        coalesce(created_date, _version_at) as created_at,
        first_mql_at as mql_at,
        first_sql_at as sql_at,
        last_recycled_at as recycled_at,
        recycle_reason,
        converted_opportunity_id,
        _version_at as updated_at,
        _file,
        _line
    from mapped

)

select * from renamed
