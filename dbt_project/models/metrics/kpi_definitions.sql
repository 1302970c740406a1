{#
    One row per KPI version, rendered from the catalog
    (macros/kpi_catalog.yml), so the published definition text and the
    formula that computes kpi_values come from the same entry.
#}
with

definitions as (
    {% for kpi in kpi_catalog() %}
        select
            '{{ kpi.name }}' as kpi_name,
            {{ kpi.version }} as kpi_version,
            {{ text_literal(kpi.label_ja) }} as label_ja,
            {{ text_literal(kpi.label_en) }} as label_en,
            '{{ kpi.kind }}' as kind,
            '{{ kpi.unit }}' as unit,
            '{{ kpi.display_unit }}' as display_unit,
            {{ text_literal(kpi.definition) }} as definition,
            '{{ kpi.numerator }}' as numerator,
            {% if kpi.denominator -%}
                '{{ kpi.denominator }}'
            {%- else -%}
                cast(null as {{ dbt.type_string() }})
            {%- endif %} as denominator,
            '{{ kpi.grains | join(",") }}' as grains,
            '{{ kpi.dimensions | join(",") }}' as dimensions,
            '{{ kpi.owner_department }}' as owner_department,
            {{ 'true' if kpi.is_current else 'false' }} as is_current,
            '{{ kpi.direction }}' as direction,
            cast(
                {{ kpi.benchmark if kpi.benchmark is not none else 'null' }}
                as {{ type_double() }}
            ) as benchmark
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(kpi_version as integer) as kpi_version,
        cast(label_ja as {{ dbt.type_string() }}) as label_ja,
        cast(label_en as {{ dbt.type_string() }}) as label_en,
        cast(kind as {{ dbt.type_string() }}) as kind,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(display_unit as {{ dbt.type_string() }}) as display_unit,
        cast(definition as {{ dbt.type_string() }}) as definition,
        cast(numerator as {{ dbt.type_string() }}) as numerator,
        cast(denominator as {{ dbt.type_string() }}) as denominator,
        cast(grains as {{ dbt.type_string() }}) as grains,
        cast(dimensions as {{ dbt.type_string() }}) as dimensions,
        cast(owner_department as {{ dbt.type_string() }}) as owner_department,
        cast(is_current as boolean) as is_current,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(benchmark as {{ type_double() }}) as benchmark,
        -- A count, or an amount that is a plain sum: over no records it is 0
        -- (rates, ratios and averages over nothing are NULL).
        kind = 'count' or (kind = 'amount' and denominator is null) as is_sum
    from definitions
)

select * from final
order by kpi_name, kpi_version
