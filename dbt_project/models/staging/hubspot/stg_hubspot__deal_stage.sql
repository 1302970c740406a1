{#- The connector's versions of one stage entry are versioned by
    _fivetran_start. -#}
{{ hubspot_current_rows(
    source('hubspot', 'deal_stage'),
    key=['deal_id', 'entered_at', 'stage_id'],
    columns={
        'deal_id': 'deal_id',
        'stage_id': 'value',
        'entered_at': hubspot_instant('date_entered'),
    },
    modified_at='fivetran_start',
) }}
