{{ hubspot_current_rows(
    source('hubspot', 'deal_contact'),
    key=['deal_id', 'contact_id'],
    columns={'deal_id': 'deal_id', 'contact_id': 'contact_id'},
) }}
