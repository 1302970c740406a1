{#
    The shared MQL / SQL definition (expectations/lead_definitions.yml),
    evaluated: one row per rule and lead of the rule's population, with
    whether the lead breaks the rule. This is the one place a rule is judged;
    the violations list, the conformance rates, the conforming-MQL / -SQL
    measures and the Great Expectations gate all read these rows.

    The rules, their populations, owners and severities come from the seed
    lead_definition_rules, the parameters (score threshold, direct-SQL
    sources, sales departments) from the other seeds written from that file.
    A rule's population is the leads whose population timestamp is set
    (mql: mql_at, sql: sql_at, recycled: recycled_at, lead: created_at);
    that timestamp places the result in a period. A rule of the file that
    has no SQL below stops the build, naming the rule.
#}
with

features as (select * from {{ ref('int_lead_definition_features') }}),

definition_rules as (select * from {{ ref('lead_definition_rules') }}),

parameters as (select * from {{ ref('lead_definition_parameters') }}),

direct_sql_sources as (
    select * from {{ ref('lead_definition_direct_sql_sources') }}
),

sales_departments as (
    select * from {{ ref('lead_definition_sales_departments') }}
),

leads as (
    select
        features.*,
        parameters.mql_score_threshold,
        -- NULL for a lead without a source (undecided), spelled out: Spark
        -- answers an IN subquery of a select list false for NULL.
        case
            when features.lead_source is not null
                then features.lead_source in (
                    select direct_sql_sources.lead_source
                    from direct_sql_sources
                )
        end as is_direct_sql_source,
        coalesce(
            features.owner_department in (
                select sales_departments.department from sales_departments
            ),
            false
        ) as is_owned_by_sales
    from features
    cross join parameters
),

in_population as (
    select
        leads.*,
        definition_rules.rule,
        definition_rules.population,
        definition_rules.severity,
        definition_rules.owner_department as rule_owner_department,
        case definition_rules.population
            when 'mql' then leads.mql_at
            when 'sql' then leads.sql_at
            when 'recycled' then leads.recycled_at
            when 'lead' then leads.created_at
        end as population_at
    from leads
    cross join definition_rules
),

evaluated as (
    select
        lead_id,
        rule,
        population,
        severity,
        rule_owner_department,
        population_at,
        case rule
            when 'mql_requires_score'
                then coalesce(lead_score < mql_score_threshold, false)
            when 'mql_requires_engagement'
                then not has_engagement_before_mql
            when 'sql_requires_mql'
                then
                    not is_direct_sql_source
                    and (mql_at is null or mql_at > sql_at)
            when 'sql_requires_conversation'
                then not has_conversation_before_sql
            when 'sql_owner_is_sales'
                then not is_owned_by_sales
            when 'lifecycle_order'
                then
                    coalesce(
                        mql_at < created_at or sql_at < created_at, false
                    )
            when 'recycle_requires_reason'
                then
                    coalesce(trim(recycle_reason), '') = ''
                    or sql_at is null
                    or recycled_at < sql_at
            else {{ fail_query(
                "'lead definition rule ' || rule
                || ' has no SQL in int_lead_definition_rule_results'"
            ) }}
        end as is_violation
    from in_population
    where population_at is not null
),

final as (
    select
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(rule as {{ dbt.type_string() }}) as rule,
        cast(population as {{ dbt.type_string() }}) as population,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(rule_owner_department as {{ dbt.type_string() }})
            as owner_department,
        cast(population_at as timestamp) as population_at,
        cast(is_violation as boolean) as is_violation
    from evaluated
)

select * from final
