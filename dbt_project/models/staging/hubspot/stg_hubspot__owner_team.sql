{{ hubspot_current_rows(
    source('hubspot', 'owner_team'),
    key=['owner_id', 'team_id'],
    columns={
        'owner_id': 'owner_id',
        'team_id': 'team_id',
        'is_team_primary': 'is_team_primary',
    },
) }}
