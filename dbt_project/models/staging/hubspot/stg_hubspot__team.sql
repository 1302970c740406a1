{{ hubspot_current_rows(
    source('hubspot', 'team'),
    key='team_id',
    columns={'team_id': 'id', 'team_name': 'name'},
) }}
