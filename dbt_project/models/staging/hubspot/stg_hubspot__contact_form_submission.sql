{{ hubspot_current_rows(
    source('hubspot', 'contact_form_submission'),
    key='submission_id',
    columns={
        'submission_id': 'conversion_id',
        'contact_id': 'contact_id',
        'form_id': 'form_id',
        'submitted_at': hubspot_instant('"timestamp"'),
    },
) }}
