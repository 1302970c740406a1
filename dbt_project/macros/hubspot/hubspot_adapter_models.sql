{#- Canonical table -> the HubSpot intermediate model that feeds it. -#}
{% macro hubspot_adapter_models() -%}
    {{ return({
        'users': ['int_hubspot__users'],
        'accounts': ['int_hubspot__accounts'],
        'leads': ['int_hubspot__leads'],
        'activities': ['int_hubspot__activities'],
        'meetings': ['int_hubspot__meetings'],
        'opportunities': ['int_hubspot__opportunities'],
        'opportunity_stage_history': [
            'int_hubspot__opportunity_stage_history',
        ],
        'campaigns': ['int_hubspot__campaigns'],
        'campaign_responses': ['int_hubspot__campaign_responses'],
        'email_events': ['int_hubspot__email_events'],
    }) }}
{%- endmacro %}
