{#
    The current version of every KPI: the rows of kpi_values whose version is
    the current one in kpi_definitions, with the definition's labels, kind,
    direction and owning department beside each value. The one place the
    "current version" join is written; the role views, the funnel and the
    attainment read it, and so can a BI query that wants no version pinned.
#}
with

kpi_values as (select * from {{ ref('kpi_values') }}),

kpi_definitions as (select * from {{ ref('kpi_definitions') }}),

current_definitions as (
    select
        kpi_name,
        kpi_version,
        label_ja,
        label_en,
        kind,
        direction,
        owner_department
    from kpi_definitions
    where is_current
),

joined as (
    select
        kpi_values.*,
        current_definitions.label_ja,
        current_definitions.label_en,
        current_definitions.kind,
        current_definitions.direction,
        current_definitions.owner_department
    from kpi_values
    inner join current_definitions
        on
            kpi_values.kpi_name = current_definitions.kpi_name
            and kpi_values.kpi_version = current_definitions.kpi_version
),

final as (
    select
        {{ kpi_value_columns() }},
        cast(label_ja as {{ dbt.type_string() }}) as label_ja,
        cast(label_en as {{ dbt.type_string() }}) as label_en,
        cast(kind as {{ dbt.type_string() }}) as kind,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(owner_department as {{ dbt.type_string() }}) as owner_department
    from joined
)

select * from final
order by kpi_name, grain, period_start, dimension, dimension_value
