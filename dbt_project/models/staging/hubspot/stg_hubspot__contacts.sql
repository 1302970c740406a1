{{ hubspot_current_rows(
    source('hubspot', 'contacts'),
    key='contact_id',
    columns={
        'contact_id': 'record_id',
        'email': 'email',
        'phone': 'phone_number',
        'owner_name': "nullif(trim(contact_owner), '')",
        'company_id': hubspot_id(
            'coalesce(associated_company_i_ds_primary, '
            ~ 'associated_company_id, associated_company_i_ds)'
        ),
        'analytics_source':
            'coalesce(original_traffic_source, original_source)',
        'hubspot_score': 'cast(round(hub_spot_score) as bigint)',
        'lead_status': 'lead_status',
        'created_at': 'create_date',
        'became_mql_at': 'became_a_marketing_qualified_lead_date',
        'became_sql_at': 'became_a_sales_qualified_lead_date',
    },
    modified_at='last_modified_date',
    shape='export',
) }}
