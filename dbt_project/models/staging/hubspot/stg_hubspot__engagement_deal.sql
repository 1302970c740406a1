{{ hubspot_current_rows(
    source('hubspot', 'engagement_deal'),
    key=['engagement_id', 'deal_id'],
    columns={'engagement_id': 'engagement_id', 'deal_id': 'deal_id'},
) }}
