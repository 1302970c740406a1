{#
    The select list of one row of int_kpi_events: which measure an event
    feeds, when it happened (local time), the attributes it is sliced by (from
    kpi_attributed, below), and what it adds (value 1 for a count, an amount
    for a sum; distinct_key only for measures that count distinct things).
#}
{% macro kpi_event(measure, event_at, value='1.0', distinct_key='null') -%}
    cast('{{ measure }}' as {{ dbt.type_string() }}) as measure_name,
    cast({{ event_at }} as timestamp) as event_at,
    kpi_department as department,
    kpi_team as team,
    kpi_owner_id as owner_id,
    kpi_lead_source as lead_source,
    kpi_segment as segment,
    cast({{ value }} as {{ type_double() }}) as value,
    cast({{ distinct_key }} as {{ dbt.type_string() }}) as distinct_key
{%- endmacro %}

{#
    Every column of `relation` plus the attributes its events are sliced by,
    joined once per record (before a record fans out into its measures):
    department and team of the owner, lead_source of the lead, segment of the
    account (the record's own, else its lead's). `owner_id`, `lead_id` and
    `account_id` name the record's columns, or 'null' where the record has
    none that counts (a campaign response belongs to a lead, not an owner).
    Expects CTEs `kpi_users` (user_id, department, team), `kpi_leads`
    (lead_id, lead_source, account_id) and `kpi_accounts` (account_id,
    segment) in the model.
#}
{% macro kpi_attributed(
    relation, owner_id='owner_id', lead_id='lead_id', account_id='account_id'
) -%}
    {%- set has_owner = owner_id != 'null' -%}
    {%- set has_lead = lead_id != 'null' -%}
    {%- set accounts = [] -%}
    {%- if account_id != 'null' -%}
        {%- do accounts.append(relation ~ '.' ~ account_id) -%}
    {%- endif -%}
    {%- if has_lead -%}
        {%- do accounts.append('record_lead.account_id') -%}
    {%- endif -%}
    select
        {{ relation }}.*,
        cast({{ relation ~ '.' ~ owner_id if has_owner else 'null' }} as {{ dbt.type_string() }})
            as kpi_owner_id,
        cast({{ 'record_owner.department' if has_owner else 'null' }} as {{ dbt.type_string() }})
            as kpi_department,
        cast({{ 'record_owner.team' if has_owner else 'null' }} as {{ dbt.type_string() }})
            as kpi_team,
        cast({{ 'record_lead.lead_source' if has_lead else 'null' }} as {{ dbt.type_string() }})
            as kpi_lead_source,
        cast({{ 'record_account.segment' if accounts else 'null' }} as {{ dbt.type_string() }})
            as kpi_segment
    from {{ relation }}
    {% if has_owner -%}
        left join kpi_users as record_owner
            on {{ relation }}.{{ owner_id }} = record_owner.user_id
    {% endif -%}
    {% if has_lead -%}
        left join kpi_leads as record_lead
            on {{ relation }}.{{ lead_id }} = record_lead.lead_id
    {% endif -%}
    {% if accounts -%}
        left join kpi_accounts as record_account
            on coalesce({{ accounts | join(', ') }}) = record_account.account_id
    {% endif -%}
{%- endmacro %}
