{{ hubspot_current_rows(
    source('hubspot', 'form'),
    key='form_id',
    columns={
        'form_id': 'guid',
        'form_name': 'name',
        'form_type': 'form_type',
        'created_at': hubspot_instant('created_at'),
    },
) }}
