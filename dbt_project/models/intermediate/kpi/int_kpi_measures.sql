{#
    One row per grain, period and dimension value, one column per measure the
    catalog uses. Dimension `all` has a row for every reporting period (empty
    periods included); other dimension values have a row where they have
    records. A measure is NULL where it has no records, so each KPI can tell
    "no records" (no row for that dimension value) from "zero".
#}
with

periods as (select * from {{ ref('int_periods') }}),

event_measures as (
    select
        measure_name,
        grain,
        period_start,
        dimension,
        dimension_value,
        measure_value
    from {{ ref('int_kpi_event_measures') }}
),

pipeline_measures as (
    select * from {{ ref('int_pipeline_snapshot_measures') }}
),

retention_measures as (select * from {{ ref('int_retention_measures') }}),

measures as (
    select * from event_measures
    union all
    select * from pipeline_measures
    union all
    select * from retention_measures
),

pivoted as (
    select
        grain,
        period_start,
        dimension,
        dimension_value,
        {% for measure in kpi_measure_names() %}
            max(
                case when measure_name = '{{ measure }}' then measure_value end
            ) as {{ measure }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from measures
    group by grain, period_start, dimension, dimension_value
),

all_rows as (
    select
        grain,
        period_start,
        'all' as dimension,
        'all' as dimension_value
    from periods
),

keys as (
    select
        grain,
        period_start,
        dimension,
        dimension_value
    from all_rows
    union
    select
        grain,
        period_start,
        dimension,
        dimension_value
    from pivoted
),

final as (
    select
        keys.grain,
        keys.period_start,
        periods.period_end,
        keys.dimension,
        keys.dimension_value,
        {% for measure in kpi_measure_names() %}
            pivoted.{{ measure }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from keys
    inner join periods
        on
            keys.grain = periods.grain
            and keys.period_start = periods.period_start
    left join pivoted
        on
            keys.grain = pivoted.grain
            and keys.period_start = pivoted.period_start
            and keys.dimension = pivoted.dimension
            and keys.dimension_value = pivoted.dimension_value
)

select * from final
