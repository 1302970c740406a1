{{ hubspot_current_rows(
    source('hubspot', 'email_campaign'),
    key='email_campaign_id',
    columns={
        'email_campaign_id': 'id',
        'email_name': 'coalesce(name, subject)',
        'email_type': 'type',
    },
) }}
