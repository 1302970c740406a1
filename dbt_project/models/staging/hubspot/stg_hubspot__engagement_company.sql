{{ hubspot_current_rows(
    source('hubspot', 'engagement_company'),
    key=['engagement_id', 'company_id'],
    columns={'engagement_id': 'engagement_id', 'company_id': 'company_id'},
) }}
