{{ hubspot_current_rows(
    source('hubspot', 'owner'),
    key='owner_id',
    columns={
        'owner_id': 'owner_id',
        'email': 'email',
        'first_name': 'first_name',
        'last_name': 'last_name',
        'is_active': 'is_active',
    },
    modified_at='updated_at',
) }}
