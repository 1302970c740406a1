{#- A Salesforce id in its 15-character, case-sensitive form. -#}
{% macro salesforce_id(column) -%}
    case
        when length(trim({{ column }})) = 18 then left(trim({{ column }}), 15)
        else nullif(trim({{ column }}), '')
    end
{%- endmacro %}


{#- Whether a Salesforce id is of an object, by its key prefix (`00Q` Lead). -#}
{% macro salesforce_id_is(column, object_name) -%}
    {%- set prefixes = {
        'account': '001',
        'contact': '003',
        'lead': '00Q',
        'opportunity': '006',
        'campaign': '701',
        'contract': '800',
    } -%}
    {{ column }} like '{{ prefixes[object_name] }}%'
{%- endmacro %}


{#-
    A Salesforce date field (loaded as the instant of local midnight, or a
    connector's `2018-12-19 00:00:00`) as a date in the reporting timezone.
-#}
{% macro salesforce_local_date(column) -%}
    cast({{ to_reporting_tz(column) }} as date)
{%- endmacro %}


{#-
    The lead and the account of a Task or an Event: the lead the record's
    contact or lead maps to (`mapped_lead_id`), else WhoId when it is a lead
    id; the record's AccountId, else WhatId when it is an account id.
-#}
{% macro salesforce_activity_lead_id() -%}
    coalesce(
        mapped_lead_id,
        case when {{ salesforce_id_is('who_id', 'lead') }} then who_id end
    )
{%- endmacro %}

{% macro salesforce_activity_account_id() -%}
    coalesce(
        account_id,
        case when {{ salesforce_id_is('what_id', 'account') }} then what_id end
    )
{%- endmacro %}
