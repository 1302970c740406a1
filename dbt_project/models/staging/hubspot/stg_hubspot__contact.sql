{{ hubspot_current_rows(
    source('hubspot', 'contact'),
    key='contact_id',
    columns={
        'contact_id': 'id',
        'email': 'property_email',
        'phone': 'coalesce(property_phone, property_mobilephone)',
        'owner_id': hubspot_id('property_hubspot_owner_id'),
        'company_id': hubspot_id('property_associatedcompanyid'),
        'analytics_source': 'property_hs_analytics_source',
        'hubspot_score': 'cast(round(property_hubspotscore) as bigint)',
        'lifecycle_stage': 'property_lifecyclestage',
        'lead_status': 'property_hs_lead_status',
        'created_at': hubspot_instant('property_createdate'),
        'became_mql_at': hubspot_instant(
            'property_hs_lifecyclestage_marketingqualifiedlead_date'
        ),
        'became_sql_at': hubspot_instant(
            'property_hs_lifecyclestage_salesqualifiedlead_date'
        ),
    },
    modified_at='property_lastmodifieddate',
) }}
