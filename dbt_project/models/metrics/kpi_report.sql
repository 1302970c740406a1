{#
    The BI-ready face of the KPI values: one row per current KPI version,
    grain, reporting period and dimension value (kpi_values_current), with
    everything a BI table needs to show it without a join: Japanese and
    English labels, the owning department, Japanese names of the grain,
    period and dimension, the value rounded for its unit with its display
    unit and as text, and the target, attainment and status where a target
    exists (kpi_attainment). A view: publishing writes it into the published
    file as a table. On Spark a table: its rows are published as files.
#}
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

with

kpi_values as (select * from {{ ref('kpi_values_current') }}),

definitions as (
    select
        kpi_name,
        kpi_version,
        display_unit,
        benchmark
    from {{ ref('kpi_definitions') }}
),

attainment as (
    select
        kpi_name,
        kpi_version,
        grain,
        period_start,
        dimension,
        dimension_value,
        target,
        attainment_pct,
        projected,
        status
    from {{ ref('kpi_attainment') }}
),

joined as (
    select
        kpi_values.kpi_name,
        kpi_values.kpi_version,
        kpi_values.label_ja,
        kpi_values.label_en,
        kpi_values.kind,
        kpi_values.direction,
        kpi_values.owner_department,
        kpi_values.grain,
        kpi_values.period_start,
        kpi_values.period_end,
        kpi_values.dimension,
        kpi_values.dimension_value,
        kpi_values.numerator,
        kpi_values.denominator,
        kpi_values.value,
        kpi_values.unit,
        definitions.display_unit,
        definitions.benchmark,
        attainment.target,
        attainment.attainment_pct,
        attainment.projected,
        attainment.status
    from kpi_values
    inner join definitions
        on
            kpi_values.kpi_name = definitions.kpi_name
            and kpi_values.kpi_version = definitions.kpi_version
    left join attainment
        on
            kpi_values.kpi_name = attainment.kpi_name
            and kpi_values.kpi_version = attainment.kpi_version
            and kpi_values.grain = attainment.grain
            and kpi_values.period_start = attainment.period_start
            and kpi_values.dimension = attainment.dimension
            and kpi_values.dimension_value = attainment.dimension_value
),

final as (
    select
        kpi_name,
        kpi_version,
        label_ja,
        label_en,
        kind,
        direction,
        owner_department,
        {{ label_ja('departments', 'owner_department') }}
            as owner_department_ja,
        grain,
        {{ label_ja('grains', 'grain') }} as grain_ja,
        period_start,
        period_end,
        {{ period_label_ja('grain', 'period_start') }} as period_label_ja,
        dimension,
        {{ label_ja('dimensions', 'dimension') }} as dimension_ja,
        dimension_value,
        numerator,
        denominator,
        value,
        unit,
        {{ kpi_display_value('value', 'unit') }} as display_value,
        display_unit,
        {{ kpi_display_text('value', 'unit', 'display_unit') }} as display_text,
        benchmark,
        target,
        case
            when target is not null
                then {{ kpi_display_text('target', 'unit', 'display_unit') }}
        end as target_text,
        {{ round_to('attainment_pct', 1) }} as attainment_pct,
        projected,
        status,
        {{ label_ja('statuses', 'status') }} as status_ja
    from joined
)

select * from final
