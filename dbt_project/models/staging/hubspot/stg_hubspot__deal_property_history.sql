{{ hubspot_current_rows(
    source('hubspot', 'deal_property_history'),
    key=['deal_id', 'property_name', 'changed_at'],
    columns={
        'deal_id': 'deal_id',
        'property_name': 'name',
        'property_value': 'value',
        'changed_at': hubspot_instant('"timestamp"'),
    },
) }}
