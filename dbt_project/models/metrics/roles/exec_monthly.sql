{#
    The executive's monthly view (経営層向け・月次): revenue, pipeline and
    recurring revenue for the whole company per month, pivoted from
    kpi_values_current (grain month, dimension all), each beside its
    target from the kpi_targets seed (NULL where no target is set). Nothing is
    recomputed; attainment and status live in kpi_attainment.
#}
{%- set kpi_names = [
    'won_amount',
    'pipeline_created_amount',
    'open_pipeline_amount',
    'weighted_pipeline_amount',
    'mrr',
    'nrr',
    'grr',
    'customer_churn_rate',
] -%}

with

kpi_values_current as (select * from {{ ref('kpi_values_current') }}),

kpi_targets as (select * from {{ ref('kpi_targets') }}),

month_values as (
    select
        kpi_name,
        period_start,
        period_end,
        value
    from kpi_values_current
    where
        grain = 'month'
        and dimension = 'all'
        and kpi_name in (
            {%- for kpi_name in kpi_names %}
                '{{ kpi_name }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
),

month_targets as (
    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(period_start as date) as period_start,
        cast(target_value as {{ type_double() }}) as target_value
    from kpi_targets
    where
        grain = 'month'
        and dimension = 'all'
        and dimension_value = 'all'
),

pivoted_values as (
    select
        period_start,
        period_end,
        {% for kpi_name in kpi_names %}
            max(
                case when kpi_name = '{{ kpi_name }}' then value end
            ) as {{ kpi_name }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from month_values
    group by period_start, period_end
),

pivoted_targets as (
    select
        period_start,
        {% for kpi_name in kpi_names %}
            max(
                case when kpi_name = '{{ kpi_name }}' then target_value end
            ) as {{ kpi_name }}_target{% if not loop.last %},{% endif %}
        {% endfor %}
    from month_targets
    group by period_start
),

final as (
    select
        cast(pivoted_values.period_start as date) as period_start,
        cast(pivoted_values.period_end as date) as period_end,
        {% for kpi_name in kpi_names %}
            cast(pivoted_values.{{ kpi_name }} as {{ type_double() }})
                as {{ kpi_name }},
            cast(
                pivoted_targets.{{ kpi_name }}_target as {{ type_double() }}
            ) as {{ kpi_name }}_target{% if not loop.last %},{% endif %}
        {% endfor %}
    from pivoted_values
    left join pivoted_targets
        on pivoted_values.period_start = pivoted_targets.period_start
)

select * from final
order by period_start
