{#
    Every violation of the shared MQL / SQL definition: one row per lead and
    broken rule, with the department that owns the rule, so each department
    has its own list to fix in its own tool. The rules are the violates_*
    columns of int_lead_definition_features; owners and severities come from
    the definitions file (through its generated seed).
#}
{%- set features_relation = ref('int_lead_definition_features') -%}
{%- set rule_columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(features_relation) -%}
        {%- if column.name.startswith('violates_') -%}
            {%- do rule_columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

with

features as (select * from {{ features_relation }}),

rules as (select * from {{ ref('lead_definition_rules') }}),

broken as (
    {% for column in rule_columns %}
        select
            lead_id,
            '{{ column[9:] }}' as rule
        from features
        where {{ column }}
        {% if not loop.last %}union all{% endif %}
    {% else %}
        select
            cast(null as varchar) as lead_id,
            cast(null as varchar) as rule
        from features
        where false
    {% endfor %}
),

final as (
    select
        cast(broken.lead_id as varchar) as lead_id,
        cast(broken.rule as varchar) as rule,
        cast(rules.owner_department as varchar) as owner_department,
        cast(rules.severity as varchar) as severity,
        cast(
            '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}+00:00'
            as timestamptz
        ) as detected_at
    from broken
    left join rules on broken.rule = rules.rule
)

select * from final
order by rule, lead_id
