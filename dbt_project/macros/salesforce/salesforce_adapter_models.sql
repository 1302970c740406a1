{#- Canonical table -> the Salesforce intermediate models that feed it. -#}
{% macro salesforce_adapter_models() -%}
    {{ return({
        'users': ['int_salesforce__users'],
        'accounts': ['int_salesforce__accounts'],
        'leads': ['int_salesforce__leads'],
        'activities': ['int_salesforce__activities'],
        'meetings': ['int_salesforce__meetings'],
        'opportunities': ['int_salesforce__opportunities'],
        'opportunity_stage_history': [
            'int_salesforce__opportunity_stage_history'
        ],
        'subscriptions': ['int_salesforce__subscriptions'],
        'campaigns': ['int_salesforce__campaigns'],
        'campaign_responses': ['int_salesforce__campaign_responses'],
    }) }}
{%- endmacro %}
