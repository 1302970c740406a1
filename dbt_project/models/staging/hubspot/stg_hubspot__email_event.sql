{{ hubspot_current_rows(
    source('hubspot', 'email_event'),
    key='event_id',
    columns={
        'event_id': 'id',
        'event_type': 'type',
        'recipient': 'recipient',
        'email_campaign_id': 'email_campaign_id',
        'sent_by_id': 'sent_by_id',
        'is_filtered': 'coalesce(filtered_event, false)',
        'occurred_at': hubspot_instant('created'),
    },
) }}
