{{ hubspot_current_rows(
    source('hubspot', 'company'),
    key='company_id',
    columns={
        'company_id': 'id',
        'company_name': 'property_name',
        'domain_name': 'property_domain',
        'industry': 'property_industry',
        'employee_count':
            'cast(round(property_numberofemployees) as bigint)',
        'created_at': hubspot_instant('property_createdate'),
    },
    modified_at='property_hs_lastmodifieddate',
) }}
