{#
    The shared MQL / SQL definition, evaluated per lead. Every rule of
    expectations/lead_definitions.yml is one `violates_<rule>` column: NULL when
    the lead is outside the rule's population, else true or false. Parameters
    (score threshold, direct-SQL sources, sales departments) come from the seeds
    generated from that file. Great Expectations validates this table; the
    violations list and the conformance rates are built from it.
#}
with

leads as (select * from {{ ref('int_leads_joined_to_lifecycle') }}),

responses as (select * from {{ ref('stg_canonical__campaign_responses') }}),

email_events as (select * from {{ ref('stg_canonical__email_events') }}),

parameters as (select * from {{ ref('lead_definition_parameters') }}),

direct_sql_sources as (
    select * from {{ ref('lead_definition_direct_sql_sources') }}
),

sales_departments as (
    select * from {{ ref('lead_definition_sales_departments') }}
),

first_responses as (
    select
        lead_id,
        min(responded_at) as first_response_at
    from responses
    group by lead_id
),

first_clicks as (
    select
        lead_id,
        min(occurred_at) as first_click_at
    from email_events
    where event_type = 'clicked'
    group by lead_id
),

features as (
    select
        leads.lead_id,
        leads.lead_source,
        leads.owner_id,
        leads.owner_department,
        leads.lead_score,
        leads.created_at,
        leads.mql_at,
        leads.sql_at,
        leads.recycled_at,
        leads.recycle_reason,
        first_responses.first_response_at,
        first_clicks.first_click_at,
        leads.first_connected_call_at,
        leads.first_meeting_held_at,
        coalesce(
            first_responses.first_response_at <= leads.mql_at
            or first_clicks.first_click_at <= leads.mql_at,
            false
        ) as has_engagement_before_mql,
        coalesce(
            leads.first_connected_call_at <= leads.sql_at
            or leads.first_meeting_held_at <= leads.sql_at,
            false
        ) as has_conversation_before_sql,
        leads.lead_source in (
            select direct_sql_sources.lead_source from direct_sql_sources
        ) as is_direct_sql_source,
        coalesce(
            leads.owner_department in (
                select sales_departments.department from sales_departments
            ),
            false
        ) as is_owned_by_sales
    from leads
    left join first_responses on leads.lead_id = first_responses.lead_id
    left join first_clicks on leads.lead_id = first_clicks.lead_id
),

rules as (
    select
        features.*,
        case
            when features.mql_at is not null
                then coalesce(
                    features.lead_score < parameters.mql_score_threshold, false
                )
        end as violates_mql_requires_score,
        case
            when features.mql_at is not null
                then not features.has_engagement_before_mql
        end as violates_mql_requires_engagement,
        case
            when features.sql_at is not null
                then
                    not features.is_direct_sql_source
                    and (
                        features.mql_at is null
                        or features.mql_at > features.sql_at
                    )
        end as violates_sql_requires_mql,
        case
            when features.sql_at is not null
                then not features.has_conversation_before_sql
        end as violates_sql_requires_conversation,
        case
            when features.sql_at is not null
                then not features.is_owned_by_sales
        end as violates_sql_owner_is_sales,
        coalesce(
            features.mql_at < features.created_at
            or features.sql_at < features.created_at,
            false
        ) as violates_lifecycle_order,
        case
            when features.recycled_at is not null
                then
                    coalesce(trim(features.recycle_reason), '') = ''
                    or features.sql_at is null
                    or features.recycled_at < features.sql_at
        end as violates_recycle_requires_reason
    from features
    cross join parameters
)

select * from rules
