{{ hubspot_current_rows(
    source('hubspot', 'deal_company'),
    key=['deal_id', 'company_id'],
    columns={'deal_id': 'deal_id', 'company_id': 'company_id'},
) }}
