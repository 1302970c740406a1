{#
    The rep's daily view (営業担当者向け・日次): the activity KPIs of each rep
    per day, pivoted from kpi_values_current (grain day, dimension owner),
    beside the calls-per-rep-day benchmark. Nothing is recomputed: each
    column is a catalog KPI's value, or its numerator where the count has no
    KPI of its own (follow-ups = the numerator of follow_ups_per_lead).
#}
{#- (column, kpi_name, field of kpi_values_current, is_count): counts are 0
    when the rep has other records that day but none of this KPI; rates stay
    NULL. -#}
{%- set columns = [
    ('call_count', 'call_count', 'value', true),
    ('connected_call_count', 'connected_call_count', 'value', true),
    ('connect_rate', 'connect_rate', 'value', false),
    ('follow_up_count', 'follow_ups_per_lead', 'numerator', true),
    ('follow_ups_per_lead', 'follow_ups_per_lead', 'value', false),
    ('contacted_lead_count', 'contacted_lead_count', 'value', true),
    ('appointment_count', 'appointment_count', 'value', true),
    ('meeting_count', 'meeting_count', 'value', true),
] -%}
{%- set kpi_names = columns | map(attribute=1) | unique | list -%}

with

kpi_values_current as (select * from {{ ref('kpi_values_current') }}),

users as (select * from {{ ref('int_users') }}),

rep_day_values as (
    select
        kpi_name,
        period_start,
        period_end,
        dimension_value as user_id,
        numerator,
        value
    from kpi_values_current
    where
        grain = 'day'
        and dimension = 'owner'
        and kpi_name in (
            {%- for kpi_name in kpi_names %}
                '{{ kpi_name }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
),

pivoted as (
    select
        period_start,
        period_end,
        user_id,
        {% for column, kpi_name, field, is_count in columns %}
            max(
                case when kpi_name = '{{ kpi_name }}' then {{ field }} end
            ) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from rep_day_values
    group by period_start, period_end, user_id
),

final as (
    select
        cast(pivoted.period_start as date) as period_start,
        cast(pivoted.period_end as date) as period_end,
        cast(pivoted.user_id as {{ dbt.type_string() }}) as user_id,
        cast(users.user_name as {{ dbt.type_string() }}) as user_name,
        cast(users.department as {{ dbt.type_string() }}) as department,
        cast(users.team as {{ dbt.type_string() }}) as team,
        {% for column, kpi_name, field, is_count in columns %}
            {% if is_count %}
                cast(coalesce(pivoted.{{ column }}, 0) as bigint)
            {% else %}
                cast(pivoted.{{ column }} as {{ type_double() }})
            {% endif %} as {{ column }}{% if not loop.last %},{% endif %}
            {% if column == 'call_count' %}
                {# The article's 34 calls per rep per day, beside the calls. #}
                cast(
                    {{ kpi_benchmark('calls_per_rep_day') }}
                    as {{ type_double() }}
                ) as calls_benchmark,
            {% endif %}
        {% endfor %}
    from pivoted
    left join users on pivoted.user_id = users.user_id
)

select * from final
order by period_start, user_id
