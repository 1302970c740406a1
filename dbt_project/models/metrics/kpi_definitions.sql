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
            '{{ kpi.label_ja | replace("'", "''") }}' as label_ja,
            '{{ kpi.label_en | replace("'", "''") }}' as label_en,
            '{{ kpi.kind }}' as kind,
            '{{ kpi.unit }}' as unit,
            '{{ kpi.display_unit }}' as display_unit,
            '{{ kpi.definition | replace("'", "''") }}' as definition,
            '{{ kpi.numerator }}' as numerator,
            {% if kpi.denominator -%}
                '{{ kpi.denominator }}'
            {%- else -%}
                cast(null as varchar)
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
        cast(kpi_name as varchar) as kpi_name,
        cast(kpi_version as integer) as kpi_version,
        cast(label_ja as varchar) as label_ja,
        cast(label_en as varchar) as label_en,
        cast(kind as varchar) as kind,
        cast(unit as varchar) as unit,
        cast(display_unit as varchar) as display_unit,
        cast(definition as varchar) as definition,
        cast(numerator as varchar) as numerator,
        cast(denominator as varchar) as denominator,
        cast(grains as varchar) as grains,
        cast(dimensions as varchar) as dimensions,
        cast(owner_department as varchar) as owner_department,
        cast(is_current as boolean) as is_current,
        cast(direction as varchar) as direction,
        cast(benchmark as {{ type_double() }}) as benchmark,
        -- A count, or an amount that is a plain sum: over no records it is 0
        -- (rates, ratios and averages over nothing are NULL).
        kind = 'count' or (kind = 'amount' and denominator is null) as is_sum
    from definitions
)

select * from final
order by kpi_name, kpi_version
