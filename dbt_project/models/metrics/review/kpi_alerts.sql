{#
    The off-track rows of kpi_attainment (the articles' アラート設定), each
    with a message a person can read without the table, in Japanese:
    `架電数 (call_count) 2025年4月: 実績 5,841 回 / 目標 7,500 回 (77.9%) — 未達`.
    Figures, period and dimension names are shown as metrics.kpi_report shows
    them (macros/kpi_display.sql); a period in progress adds its projection
    (着地見込).
#}
{%- set figures = ['actual', 'target', 'projected'] %}

with

attainment as (select * from {{ ref('kpi_attainment') }}),

definitions as (select * from {{ ref('kpi_definitions') }}),

off_track as (
    select
        attainment.*,
        definitions.label_ja,
        definitions.unit,
        definitions.display_unit,
        definitions.owner_department
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
            {{ kpi_display_text(column, 'unit', 'display_unit') }}
                as {{ column }}_text,
        {% endfor %}
        {{ period_label_ja('grain', 'period_start') }} as period_label,
        {{ label_ja('dimensions', 'dimension') }} as dimension_label,
        {{ label_ja('statuses', 'status') }} as status_label
    from off_track
),

subjects as (
    select
        *,
        label_ja
        || ' ('
        || kpi_name
        || ') '
        || period_label
        || case
            when dimension = 'all' then ''
            else ' [' || dimension_label || ': ' || dimension_value || ']'
        end as subject
    from formatted
),

messages as (
    select
        *,
        subject
        || ': 実績 '
        || actual_text
        || ' / 目標 '
        || target_text
        || case when direction = 'lower_is_better' then ' 以下' else '' end
        || ' ('
        || coalesce({{ format_decimal('attainment_pct', 1) }} || '%', '-')
        || ')'
        || case
            when is_in_progress then ', 着地見込 ' || projected_text
            else ''
        end
        || ' — '
        || status_label as message
    from subjects
),

final as (
    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(dimension as {{ dbt.type_string() }}) as dimension,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(actual as {{ type_double() }}) as actual,
        cast(target as {{ type_double() }}) as target,
        cast(attainment_pct as {{ type_double() }}) as attainment_pct,
        cast(projected as {{ type_double() }}) as projected,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(owner_department as {{ dbt.type_string() }}) as owner_department,
        cast(subject as {{ dbt.type_string() }}) as subject,
        cast(message as {{ dbt.type_string() }}) as message
    from messages
)

select * from final
order by kpi_name, grain, period_start, dimension, dimension_value
