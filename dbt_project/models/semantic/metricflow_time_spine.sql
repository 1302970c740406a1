{#
    MetricFlow's time spine: one row per local day of the data span (the
    day periods of int_periods). The semantic layer (_semantic_layer.yml,
    generated from the KPI catalog) needs it to place metrics in time.
#}
with

days as (
    select period_start
    from {{ ref('int_periods') }}
    where grain = 'day'
),

final as (
    select cast(period_start as date) as date_day
    from days
)

select * from final
