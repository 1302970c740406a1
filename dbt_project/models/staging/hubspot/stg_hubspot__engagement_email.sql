{{ hubspot_engagement_rows('engagement_email', {
    'email_direction': 'property_hs_email_direction',
    'email_status': 'property_hs_email_status',
}) }}
