{#
    Every violation of the shared MQL / SQL definition: one row per lead and
    broken rule, with the department that owns the rule, so each department
    has its own list to fix in its own tool. The rules are judged in
    int_lead_definition_rule_results; this is its rows that break one.
#}
with

rule_results as (
    select * from {{ ref('int_lead_definition_rule_results') }}
),

final as (
    select
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(rule as {{ dbt.type_string() }}) as rule,
        cast(owner_department as {{ dbt.type_string() }}) as owner_department,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(
            '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}+00:00'
            as {{ type_timestamptz() }}
        ) as detected_at
    from rule_results
    where is_violation
)

select * from final
order by rule, lead_id
