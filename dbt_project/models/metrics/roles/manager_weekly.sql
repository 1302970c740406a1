{#
    The manager's weekly view (マネージャー向け・週次): the outcome KPIs of
    each team per ISO week, pivoted from kpi_values_current (grain week,
    dimension team). Nothing is recomputed: each column is a catalog
    KPI's value.
#}
{#- (column, kpi_name, kind): counts and sums are 0 when the team has other
    records that week but none of this KPI; rates stay NULL. -#}
{%- set columns = [
    ('appointment_count', 'appointment_count', 'count'),
    ('meeting_count', 'meeting_count', 'count'),
    ('won_count', 'won_count', 'count'),
    ('win_rate', 'win_rate', 'rate'),
    ('meeting_win_rate', 'meeting_win_rate', 'rate'),
    ('won_amount', 'won_amount', 'amount'),
    ('open_pipeline_amount', 'open_pipeline_amount', 'amount'),
    ('weighted_pipeline_amount', 'weighted_pipeline_amount', 'amount'),
] -%}

with

kpi_values_current as (select * from {{ ref('kpi_values_current') }}),

team_week_values as (
    select
        kpi_name,
        period_start,
        period_end,
        dimension_value as team,
        value
    from kpi_values_current
    where
        grain = 'week'
        and dimension = 'team'
        and kpi_name in (
            {%- for column, kpi_name, kind in columns %}
                '{{ kpi_name }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
),

pivoted as (
    select
        period_start,
        period_end,
        team,
        {% for column, kpi_name, kind in columns %}
            max(
                case when kpi_name = '{{ kpi_name }}' then value end
            ) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from team_week_values
    group by period_start, period_end, team
),

final as (
    select
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(team as {{ dbt.type_string() }}) as team,
        {% for column, kpi_name, kind in columns %}
            {% if kind == 'count' %}
                cast(coalesce({{ column }}, 0) as bigint)
            {% elif kind == 'amount' %}
                cast(coalesce({{ column }}, 0) as {{ type_double() }})
            {% else %}
                cast({{ column }} as {{ type_double() }})
            {% endif %} as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from pivoted
)

select * from final
order by period_start, team
