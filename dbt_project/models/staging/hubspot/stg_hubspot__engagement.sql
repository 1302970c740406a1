{#- An inactive (archived) engagement counts as deleted. -#}
{{ hubspot_current_rows(
    source('hubspot', 'engagement'),
    key='engagement_id',
    columns={
        'engagement_id': 'id',
        'engagement_type': 'type',
        'owner_id': hubspot_id('owner_id'),
        'occurred_at': hubspot_instant('"timestamp"'),
        'created_at': hubspot_instant('created_at'),
    },
    modified_at='last_updated',
    deleted_when='not coalesce(active, true)',
) }}
