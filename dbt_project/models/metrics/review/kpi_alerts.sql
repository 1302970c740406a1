{#
    The off-track rows of kpi_attainment (the articles' アラート設定), each
    with a message a person can read without the table, Japanese label first:
    `架電数 (call_count) 2025-04 月: 実績 5,841 / 目標 7,500 (77.9%) — off_track`.
    Numbers are shown in the KPI's unit (counts and JPY whole, percent to
    0.1, ratios to 0.01); a period in progress adds its projection (着地見込).
#}
{%- set figures = ['actual', 'target', 'projected'] %}

with

attainment as (select * from {{ ref('kpi_attainment') }}),

definitions as (select * from {{ ref('kpi_definitions') }}),

off_track as (
    select
        attainment.*,
        definitions.label_ja,
        definitions.unit
    from attainment
    inner join definitions
        on
            attainment.kpi_name = definitions.kpi_name
            and attainment.kpi_version = definitions.kpi_version
    where attainment.status = 'off_track'
),

formatted as (
    select
        *,
        {% for column in figures %}
            case
                when {{ column }} is null then '-'
                when unit = 'percent'
                    then format('{:,.1f}', {{ column }}) || '%'
                when unit = 'ratio' then format('{:,.2f}', {{ column }})
                when unit = 'JPY'
                    then format('{:,.0f}', {{ column }}) || ' 円'
                else format('{:,.0f}', {{ column }})
            end as {{ column }}_text,
        {% endfor %}
        case grain
            when 'week' then cast(period_start as varchar) || ' 週'
            when
                'month'
                then substr(cast(period_start as varchar), 1, 7) || ' 月'
            when
                'quarter'
                then substr(cast(period_start as varchar), 1, 7) || ' 四半期'
            when
                'fiscal_year'
                then substr(cast(period_start as varchar), 1, 4) || ' 年度'
            else cast(period_start as varchar)
        end as period_label
    from off_track
),

messages as (
    select
        *,
        label_ja
        || ' ('
        || kpi_name
        || ') '
        || period_label
        || case
            when dimension = 'all' then ''
            else ' [' || dimension || ': ' || dimension_value || ']'
        end
        || ': 実績 '
        || actual_text
        || ' / 目標 '
        || target_text
        || case when direction = 'lower_is_better' then ' 以下' else '' end
        || ' ('
        || coalesce(format('{:.1f}', attainment_pct) || '%', '-')
        || ')'
        || case
            when is_in_progress then ', 着地見込 ' || projected_text
            else ''
        end
        || ' — '
        || status as message
    from formatted
),

final as (
    select
        cast(kpi_name as varchar) as kpi_name,
        cast(grain as varchar) as grain,
        cast(period_start as date) as period_start,
        cast(dimension as varchar) as dimension,
        cast(dimension_value as varchar) as dimension_value,
        cast(actual as double) as actual,
        cast(target as double) as target,
        cast(attainment_pct as double) as attainment_pct,
        cast(projected as double) as projected,
        cast(status as varchar) as status,
        cast(message as varchar) as message
    from messages
)

select * from final
order by kpi_name, grain, period_start, dimension, dimension_value
