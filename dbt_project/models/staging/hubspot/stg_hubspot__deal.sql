{#- Pipeline, stage and owner: the connector's own columns, else the deal
    properties. -#}
{{ hubspot_current_rows(
    source('hubspot', 'deal'),
    key='deal_id',
    columns={
        'deal_id': 'deal_id',
        'deal_name': 'property_dealname',
        'pipeline_id': 'coalesce(deal_pipeline_id, property_pipeline)',
        'stage_id': 'coalesce(deal_pipeline_stage_id, property_dealstage)',
        'owner_id': hubspot_id('coalesce(owner_id, property_hubspot_owner_id)'),
        'deal_type': 'property_dealtype',
        'amount': 'property_amount',
        'currency': 'property_deal_currency_code',
        'stage_probability': 'property_hs_deal_stage_probability',
        'created_at': hubspot_instant('property_createdate'),
        'closed_at': hubspot_instant('property_closedate'),
    },
    modified_at='property_hs_lastmodifieddate',
) }}
