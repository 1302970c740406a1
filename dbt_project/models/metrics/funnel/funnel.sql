{#
    The funnel analysis (ファネル分析): where the drop-off is, stage by stage,
    measured two ways.

    period: entered is the catalog count of the stage in P, read from
        kpi_values_current, and converted_to_next is the next
        stage's count in P, so that conversion_rate is the catalog's
        stage-to-stage rate where one exists (mql -> sql = mql_to_sql_rate,
        appointment -> meeting = meeting_held_rate, meeting -> opportunity =
        opportunity_rate). The counts are of different records, so a rate can
        exceed 100.
    cohort: of the leads created in P, entered is those that reached the stage
        within the window (the milestone's local date at most
        funnel_cohort_window_days days after the creation date), and
        converted_to_next those of them that also reached the next stage within
        the same window.

    The stage list below is the one place the stages, their order and the
    catalog KPI / lead milestone behind each are written.
#}
{%- set stages = [
    {'stage': 'lead', 'label_ja': 'リード',
        'kpi_name': 'lead_count', 'milestone': 'created_at'},
    {'stage': 'mql', 'label_ja': 'MQL',
        'kpi_name': 'mql_count', 'milestone': 'mql_at'},
    {'stage': 'sql', 'label_ja': 'SQL',
        'kpi_name': 'sql_count', 'milestone': 'sql_at'},
    {'stage': 'appointment', 'label_ja': 'アポ',
        'kpi_name': 'appointment_count', 'milestone': 'first_appointment_at'},
    {'stage': 'meeting', 'label_ja': '商談',
        'kpi_name': 'meeting_count', 'milestone': 'first_meeting_held_at'},
    {'stage': 'opportunity', 'label_ja': '案件',
        'kpi_name': 'opportunity_count', 'milestone': 'first_opportunity_at'},
    {'stage': 'won', 'label_ja': '受注',
        'kpi_name': 'won_count', 'milestone': 'first_won_at'},
] -%}
{%- set funnel_grains = ['week', 'month', 'quarter', 'fiscal_year'] -%}
{%- set window_days = var('funnel_cohort_window_days') | int -%}
{%- set dimensions = [
    ('department', 'owner_department'),
    ('team', 'owner_team'),
    ('owner', 'owner_id'),
    ('lead_source', 'lead_source'),
    ('segment', 'segment'),
] -%}

with

kpi_values_current as (select * from {{ ref('kpi_values_current') }}),

leads as (select * from {{ ref('int_leads_joined_to_lifecycle') }}),

periods as (select * from {{ ref('int_periods') }}),

{# --- period method: the catalog's stage counts ---------------------------- #}

stage_values as (
    select
        kpi_name,
        grain,
        period_start,
        period_end,
        dimension,
        dimension_value,
        value
    from kpi_values_current
    where
        kpi_name in (
            {%- for stage in stages %}
                '{{ stage.kpi_name }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
        and grain in (
            {%- for grain in funnel_grains %}
                '{{ grain }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
),

period_counts as (
    select
        grain,
        period_start,
        period_end,
        dimension,
        dimension_value,
        {% for stage in stages %}
            coalesce(
                max(
                    case
                        when kpi_name = '{{ stage.kpi_name }}' then value
                    end
                ),
                0
            ) as {{ stage.stage }}_entered{% if not loop.last %},{% endif %}
        {% endfor %}
    from stage_values
    group by grain, period_start, period_end, dimension, dimension_value
),

period_method as (
    select
        'period' as method,
        grain,
        period_start,
        period_end,
        dimension,
        dimension_value,
        {% for stage in stages %}
            {{ stage.stage }}_entered,
            {% if not loop.last %}
                {{ loop.nextitem.stage }}_entered
            {% else %}
                cast(null as {{ type_double() }})
            {% endif %} as {{ stage.stage }}_converted,
        {% endfor %}
        cast(null as integer) as cohort_window_days,
        cast(null as boolean) as is_window_complete
    from period_counts
),

{# --- cohort method: leads created in P, followed for the window ----------- #}

lead_windows as (
    select
        *,
        cast(
            {{ dbt.dateadd('day', window_days, 'cast(created_at as date)') }}
            as date
        ) as window_last_date
    from leads
    where created_at is not null
),

lead_stages as (
    select
        created_at,
        {% for dimension, column in dimensions %}
            {{ column }},
        {% endfor %}
        {% for stage in stages %}
            coalesce(
                cast({{ stage.milestone }} as date) <= window_last_date,
                false
            ) as has_reached_{{ stage.stage }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from lead_windows
),

cohort_bucketed as (
    {% for grain in funnel_grains %}
        select
            '{{ grain }}' as grain,
            {{ period_start(grain, 'created_at') }} as period_start,
            lead_stages.*
        from lead_stages
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

cohort_by_dimension as (
    select
        'all' as dimension,
        'all' as dimension_value,
        cohort_bucketed.*
    from cohort_bucketed
    {% for dimension, column in dimensions %}
        union all
        select
            '{{ dimension }}' as dimension,
            {{ column }} as dimension_value,
            cohort_bucketed.*
        from cohort_bucketed
        where {{ column }} is not null
    {% endfor %}
),

cohort_counts as (
    select
        grain,
        period_start,
        dimension,
        dimension_value,
        {% for stage in stages %}
            count(
                case when has_reached_{{ stage.stage }} then 1 end
            ) as {{ stage.stage }}_entered,
            {% if not loop.last %}
                count(
                    case
                        when
                            has_reached_{{ stage.stage }}
                            and has_reached_{{ loop.nextitem.stage }}
                            then 1
                    end
                )
            {% else %}
                cast(null as bigint)
            {% endif %} as {{ stage.stage }}_converted
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from cohort_by_dimension
    group by grain, period_start, dimension, dimension_value
),

funnel_periods as (
    select
        grain,
        period_start,
        period_end
    from periods
    where
        grain in (
            {%- for grain in funnel_grains %}
                '{{ grain }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
),

{# The data span's last day: a cohort is complete once its last lead's
   window has been observed. #}
data_span as (
    select max(period_start) as last_day
    from periods
    where grain = 'day'
),

cohort_keys as (
    select
        grain,
        period_start,
        'all' as dimension,
        'all' as dimension_value
    from funnel_periods
    union
    select
        grain,
        period_start,
        dimension,
        dimension_value
    from cohort_counts
),

cohort_method as (
    select
        'cohort' as method,
        cohort_keys.grain,
        cohort_keys.period_start,
        funnel_periods.period_end,
        cohort_keys.dimension,
        cohort_keys.dimension_value,
        {% for stage in stages %}
            coalesce(
                cohort_counts.{{ stage.stage }}_entered, 0
            ) as {{ stage.stage }}_entered,
            {% if not loop.last %}
                coalesce(cohort_counts.{{ stage.stage }}_converted, 0)
            {% else %}
                cast(null as bigint)
            {% endif %} as {{ stage.stage }}_converted,
        {% endfor %}
        {{ window_days }} as cohort_window_days,
        coalesce(
            cast(
                {{ dbt.dateadd(
                    'day', window_days - 1, 'funnel_periods.period_end'
                ) }}
                as date
            ) <= data_span.last_day,
            false
        ) as is_window_complete
    from cohort_keys
    inner join funnel_periods
        on
            cohort_keys.grain = funnel_periods.grain
            and cohort_keys.period_start = funnel_periods.period_start
    cross join data_span
    left join cohort_counts
        on
            cohort_keys.grain = cohort_counts.grain
            and cohort_keys.period_start = cohort_counts.period_start
            and cohort_keys.dimension = cohort_counts.dimension
            and cohort_keys.dimension_value = cohort_counts.dimension_value
),

{# --- both methods, one row per stage ------------------------------------ #}

methods as (
    select * from period_method
    union all
    select * from cohort_method
),

stage_rows as (
    {% for stage in stages %}
        select
            method,
            '{{ stage.stage }}' as stage,
            {{ loop.index }} as stage_order,
            '{{ stage.label_ja }}' as stage_label_ja,
            {% if not loop.last %}
                '{{ loop.nextitem.stage }}'
            {% else %}
                cast(null as {{ dbt.type_string() }})
            {% endif %} as next_stage,
            grain,
            period_start,
            period_end,
            dimension,
            dimension_value,
            cast({{ stage.stage }}_entered as {{ type_double() }}) as entered,
            cast({{ stage.stage }}_converted as {{ type_double() }})
                as converted_to_next,
            cohort_window_days,
            is_window_complete
        from methods
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        cast(method as {{ dbt.type_string() }}) as method,
        cast(stage as {{ dbt.type_string() }}) as stage,
        cast(stage_order as integer) as stage_order,
        cast(stage_label_ja as {{ dbt.type_string() }}) as stage_label_ja,
        cast(next_stage as {{ dbt.type_string() }}) as next_stage,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(dimension as {{ dbt.type_string() }}) as dimension,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(entered as bigint) as entered,
        cast(converted_to_next as bigint) as converted_to_next,
        {# Same order of operations as kpi_values, so the rates match it. #}
        cast(
            100.0 * converted_to_next / nullif(entered, 0)
            as {{ type_double() }}
        ) as conversion_rate,
        cast(cohort_window_days as integer) as cohort_window_days,
        cast(is_window_complete as boolean) as is_window_complete
    from stage_rows
)

select * from final
order by
    method, grain, period_start, dimension, dimension_value, stage_order
