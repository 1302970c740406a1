{#
    The KPI trees (seed kpi_tree_nodes, from kpi_trees/*.yml) judged month
    by month: for each month of the data span up to the as-of date, each
    measured node (a KPI with a grain and a target) in the period of its
    grain that contains the month's last day (or the as-of date, for the
    month in progress), with its actual, target, attainment and status as
    macros/judge_targets.sql judges them (the same as kpi_attainment),
    company-wide (dimension all).

    standing_pct puts every direction on one scale, higher is better
    (macros/attainment_status.sql: standing_pct, beside the thresholds). The weakest node
    of a tree and month is the one with the lowest standing_pct (the first
    in the file on a tie), and so is the weakest of each owner department.
#}

with

nodes as (select * from {{ ref('kpi_tree_nodes') }}),

periods as (select * from {{ ref('int_periods') }}),

definitions as (
    select
        kpi_name,
        kpi_version,
        unit,
        display_unit
    from {{ ref('kpi_definitions') }}
),

as_of as (
    {{ as_of_date_query() }}
),

targets as (
    select
        nodes.tree_id,
        nodes.node_id,
        nodes.node_order,
        nodes.owner_department,
        nodes.kpi_name,
        nodes.grain,
        periods.period_start,
        'all' as dimension,
        'all' as dimension_value,
        nodes.target_value
    from nodes
    inner join periods on nodes.grain = periods.grain
    where nodes.kpi_name is not null and nodes.target_value is not null
),

judged as (
    {{ judge_targets('targets') }}
),

views as (
    select
        months.period_start as view_month,
        least(
            {{ dbt.dateadd('day', -1, 'months.period_end') }},
            as_of.as_of_date
        ) as view_date
    from periods as months
    cross join as_of
    where months.grain = 'month' and months.period_start <= as_of.as_of_date
),

in_view as (
    select
        views.view_month,
        judged.*,
        {{ standing_pct(
            'judged.projected', 'judged.target_value', 'judged.direction'
        ) }} as standing_pct
    from views
    inner join judged
        on
            views.view_date >= judged.period_start
            and views.view_date < judged.period_end
),

ranked as (
    select
        *,
        row_number() over (
            partition by tree_id, view_month
            order by
                case when standing_pct is null then 1 else 0 end,
                standing_pct,
                node_order
        ) as standing_rank,
        row_number() over (
            partition by tree_id, view_month, owner_department
            order by
                case when standing_pct is null then 1 else 0 end,
                standing_pct,
                node_order
        ) as department_standing_rank
    from in_view
),

final as (
    select
        cast(ranked.tree_id as {{ dbt.type_string() }}) as tree_id,
        cast(ranked.node_id as {{ dbt.type_string() }}) as node_id,
        cast(ranked.owner_department as {{ dbt.type_string() }})
            as owner_department,
        cast(ranked.view_month as date) as view_month,
        cast(
            {{ period_label_ja("'month'", 'ranked.view_month') }}
            as {{ dbt.type_string() }}
        ) as view_month_label_ja,
        cast(ranked.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(ranked.kpi_version as integer) as kpi_version,
        cast(ranked.grain as {{ dbt.type_string() }}) as grain,
        cast(ranked.period_start as date) as period_start,
        cast(ranked.period_end as date) as period_end,
        cast(
            {{ period_label_ja('ranked.grain', 'ranked.period_start') }}
            as {{ dbt.type_string() }}
        ) as period_label_ja,
        cast(ranked.actual as {{ type_double() }}) as actual,
        cast(
            {{ kpi_display_text('ranked.actual', 'definitions.unit',
                'definitions.display_unit') }}
            as {{ dbt.type_string() }}
        ) as display_text,
        cast(ranked.target_value as {{ type_double() }}) as target,
        cast(
            {{ kpi_display_text('ranked.target_value', 'definitions.unit',
                'definitions.display_unit') }}
            as {{ dbt.type_string() }}
        ) as target_text,
        cast({{ round_to('ranked.attainment_pct', 1) }} as {{ type_double() }})
            as attainment_pct,
        cast(ranked.projected as {{ type_double() }}) as projected,
        cast(ranked.status as {{ dbt.type_string() }}) as status,
        cast(
            {{ label_ja('statuses', 'ranked.status') }}
            as {{ dbt.type_string() }}
        ) as status_ja,
        cast(ranked.direction as {{ dbt.type_string() }}) as direction,
        cast({{ round_to('ranked.standing_pct', 1) }} as {{ type_double() }})
            as standing_pct,
        cast(
            ranked.standing_rank = 1 and ranked.standing_pct is not null
            as boolean
        ) as is_weakest,
        cast(
            ranked.department_standing_rank = 1
            and ranked.standing_pct is not null
            as boolean
        ) as is_weakest_in_department,
        cast(ranked.is_in_progress as boolean) as is_in_progress,
        cast(ranked.as_of_date as date) as as_of_date
    from ranked
    inner join definitions
        on
            ranked.kpi_name = definitions.kpi_name
            and ranked.kpi_version = definitions.kpi_version
)

select * from final
order by tree_id, view_month, node_id
