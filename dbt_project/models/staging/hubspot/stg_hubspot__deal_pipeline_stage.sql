{{ hubspot_current_rows(
    source('hubspot', 'deal_pipeline_stage'),
    key='stage_id',
    columns={
        'stage_id': 'stage_id',
        'pipeline_id': 'pipeline_id',
        'stage_label': 'label',
        'probability': 'probability',
        'is_closed': 'is_closed',
        'is_won': 'closed_won',
    },
    modified_at='updated_at',
) }}
