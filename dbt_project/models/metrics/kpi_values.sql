{#
    Every KPI version of the catalog (macros/kpi_catalog.yml) at each of its
    grains and dimensions. Rows at dimension `all` exist for every reporting
    period; rows for other dimension values exist where the KPI's measures
    have records in that period.
#}
with

measures as (select * from {{ ref('int_kpi_measures') }}),

{% for kpi in kpi_catalog() %}
    {%- set numerator = '(' ~ kpi.numerator ~ ')' -%}
    {%- set denominator = none -%}
    {%- if kpi.denominator -%}
        {%- set denominator = '(' ~ kpi.denominator ~ ')' -%}
    {%- endif %}
    kpi_{{ loop.index }} as (
        select
            '{{ kpi.name }}' as kpi_name,
            {{ kpi.version }} as kpi_version,
            grain,
            period_start,
            period_end,
            dimension,
            dimension_value,
            coalesce({{ numerator }}, 0) as numerator,
            {% if denominator %}
                coalesce({{ denominator }}, 0) as denominator,
                {% if kpi.kind == 'rate' %}
                    100.0 * coalesce({{ numerator }}, 0)
                    / nullif(coalesce({{ denominator }}, 0), 0) as value,
                {% else %}
                    coalesce({{ numerator }}, 0)
                    / nullif(coalesce({{ denominator }}, 0), 0) as value,
                {% endif %}
            {% else %}
                cast(null as {{ type_double() }}) as denominator,
                coalesce({{ numerator }}, 0) as value,
            {% endif %}
            '{{ kpi.unit }}' as unit
        from measures
        where
            grain in (
                {%- for grain in kpi.grains %}
                    '{{ grain }}'{% if not loop.last %},{% endif %}
                {%- endfor %}
            )
            and dimension in (
                {%- for dimension in kpi.dimensions %}
                    '{{ dimension }}'{% if not loop.last %},{% endif %}
                {%- endfor %}
            )
            and (
                dimension = 'all'
                or {{ numerator }} is not null
                {% if denominator %}or {{ denominator }} is not null{% endif %}
            )
    ),
{% endfor %}

unioned as (
    {% for kpi in kpi_catalog() %}
        select * from kpi_{{ loop.index }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        {{ kpi_value_columns() }}
    from unioned
)

select * from final
order by kpi_name, kpi_version, grain, period_start, dimension, dimension_value
