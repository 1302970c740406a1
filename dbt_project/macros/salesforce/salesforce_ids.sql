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
