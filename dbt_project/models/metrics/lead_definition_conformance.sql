{#
    How far each department's flags meet the shared MQL / SQL definition, per
    rule and period: of the leads in the rule's population whose population
    timestamp falls in the period (MQLs by mql_at, SQLs by sql_at, recycled
    leads by recycled_at, all leads by created_at), how many break the rule.
    The results and their population timestamps are the rows of
    int_lead_definition_rule_results; every rule of the definition has a row
    for every period, with 0 leads where it had none.
#}
with

rule_results as (
    select * from {{ ref('int_lead_definition_rule_results') }}
),

definition_rules as (select * from {{ ref('lead_definition_rules') }}),

periods as (select * from {{ ref('int_periods') }}),

{# Leads whose result is undecided (NULL) are outside the counts. #}
decided as (
    select
        rule,
        population_at,
        is_violation
    from rule_results
    where is_violation is not null
),

bucketed as (
    {% for grain in all_grains() %}
        select
            '{{ grain }}' as grain,
            {{ period_start(grain, 'population_at') }} as period_start,
            rule,
            is_violation
        from decided
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

counted as (
    select
        grain,
        period_start,
        rule,
        count(*) as leads_in_population,
        count(case when is_violation then 1 end) as violations
    from bucketed
    group by grain, period_start, rule
),

every_rule_and_period as (
    select
        periods.grain,
        periods.period_start,
        periods.period_end,
        definition_rules.rule,
        definition_rules.owner_department,
        definition_rules.severity,
        definition_rules.population
    from periods
    cross join definition_rules
),

final as (
    select
        cast(every_rule_and_period.rule as {{ dbt.type_string() }}) as rule,
        cast(every_rule_and_period.owner_department as {{ dbt.type_string() }})
            as owner_department,
        cast(every_rule_and_period.severity as {{ dbt.type_string() }})
            as severity,
        cast(every_rule_and_period.population as {{ dbt.type_string() }})
            as population,
        cast(every_rule_and_period.grain as {{ dbt.type_string() }}) as grain,
        cast(every_rule_and_period.period_start as date) as period_start,
        cast(every_rule_and_period.period_end as date) as period_end,
        cast(coalesce(counted.leads_in_population, 0) as bigint)
            as leads_in_population,
        cast(coalesce(counted.violations, 0) as bigint) as violations,
        cast(
            100.0
            * (counted.leads_in_population - counted.violations)
            / nullif(counted.leads_in_population, 0)
            as {{ type_double() }}
        ) as conformance_rate
    from every_rule_and_period
    left join counted
        on
            every_rule_and_period.grain = counted.grain
            and every_rule_and_period.period_start = counted.period_start
            and every_rule_and_period.rule = counted.rule
)

select * from final
order by rule, grain, period_start
