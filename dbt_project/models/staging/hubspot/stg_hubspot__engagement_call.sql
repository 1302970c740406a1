{{ hubspot_engagement_rows('engagement_call', {
    'call_direction': 'property_hs_call_direction',
    'call_disposition': 'property_hs_call_disposition',
    'call_status': 'property_hs_call_status',
    'duration_ms': 'property_hs_call_duration',
}) }}
