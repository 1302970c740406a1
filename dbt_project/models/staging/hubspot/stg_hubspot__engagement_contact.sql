{{ hubspot_current_rows(
    source('hubspot', 'engagement_contact'),
    key=['engagement_id', 'contact_id'],
    columns={'engagement_id': 'engagement_id', 'contact_id': 'contact_id'},
) }}
