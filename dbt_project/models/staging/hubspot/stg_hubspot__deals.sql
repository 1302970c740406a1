{{ hubspot_current_rows(
    source('hubspot', 'deals'),
    key='deal_id',
    columns={
        'deal_id': 'record_id',
        'deal_name': 'deal_name',
        'pipeline_name': 'pipeline',
        'stage_label': 'deal_stage',
        'owner_name': "nullif(trim(deal_owner), '')",
        'deal_type': 'deal_type',
        'amount': 'amount',
        'currency': 'currency',
        'stage_probability': 'deal_probability',
        'company_id': hubspot_id(
            'coalesce(associated_company_i_ds_primary, '
            ~ 'associated_company_id, associated_company_i_ds)'
        ),
        'contact_id': hubspot_id('associated_contact_i_ds'),
        'created_at': 'create_date',
        'closed_at': 'close_date',
    },
    modified_at='last_modified_date',
    shape='export',
) }}
