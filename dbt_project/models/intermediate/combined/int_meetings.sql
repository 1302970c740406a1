{#
    Appointments set and meetings held, as every later model reads them: the
    canonical landing rows (stg_canonical__meetings) and each adapter's rows
    (adapter_models), one row per meeting_id (the current version: newest
    updated_at, then the later file), timestamps in local time. The logic is
    combined_rows.
#}
{%- set columns = [
    'meeting_id',
    'lead_id',
    'account_id',
    'opportunity_id',
    'owner_id',
    'set_by_id',
    'created_at',
    'scheduled_at',
    'status',
    'is_first_meeting',
    'updated_at',
] -%}

{{ combined_rows(
    'meetings',
    columns,
    key=['meeting_id'],
    version_column='updated_at',
    local_time_columns=['created_at', 'scheduled_at', 'updated_at'],
) }}
