{{ hubspot_current_rows(
    source('hubspot', 'companies'),
    key='company_id',
    columns={
        'company_id': 'record_id',
        'company_name': 'company_name',
        'domain_name': 'company_domain_name',
        'industry': 'industry',
        'employee_count': 'cast(round(number_of_employees) as bigint)',
        'created_at': 'create_date',
    },
    modified_at='last_modified_date',
    shape='export',
) }}
