{#
    Contracts and recurring revenue, as every later model reads them: the
    canonical landing rows (stg_canonical__subscriptions) and each adapter's
    rows (adapter_models), one row per subscription_id (the current version:
    newest updated_at, then the later file), timestamps in local time. The
    logic is combined_rows.
#}
{%- set columns = [
    'subscription_id',
    'account_id',
    'opportunity_id',
    'start_date',
    'end_date',
    'mrr',
    'currency',
    'renewed_from_subscription_id',
    'updated_at',
] -%}

{{ combined_rows(
    'subscriptions',
    columns,
    key=['subscription_id'],
    version_column='updated_at',
    local_time_columns=['updated_at'],
) }}
