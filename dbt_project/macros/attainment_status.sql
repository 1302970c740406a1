{#
    How an actual is judged against its target (models/metrics/review).

    The per-KPI traits come from the catalog (macros/kpi_catalog.yml):
      direction: lower_is_better  less is better; the status test flips.
      point_in_time: true         a level at the period's end (not a flow that
                                  accrues day by day), so never projected.

    Thresholds are dbt vars with their defaults here (override with
    `--vars '{attainment_on_track_pct: 95}'`), in percent of target, compared
    with the projection (which is the actual for a closed period):
      higher is better: on_track  when projected >= on_track_pct % of target,
                        at_risk   when projected >= at_risk_pct % of target,
                        off_track otherwise.
      lower is better:  mirrored around 100 %: on_track when projected <=
                        (200 - on_track_pct) % of target, at_risk when <=
                        (200 - at_risk_pct) % (defaults: <= 100 %, <= 110 %).
    A zero target is judged the same way (any actual meets a higher-is-better
    zero; only zero meets a lower-is-better zero). NULL projected or target:
    NULL status (nothing to judge, e.g. a rate over an empty denominator).
#}
{% macro attainment_thresholds() -%}
    {%- set on_track = var('attainment_on_track_pct', 100) | float -%}
    {%- set at_risk = var('attainment_at_risk_pct', 90) | float -%}
    {%- if not (0 <= at_risk <= on_track) -%}
        {{ exceptions.raise_compiler_error(
            'attainment thresholds: need 0 <= attainment_at_risk_pct ('
            ~ at_risk ~ ') <= attainment_on_track_pct (' ~ on_track ~ ')'
        ) }}
    {%- endif -%}
    {{ return({'on_track_pct': on_track, 'at_risk_pct': at_risk}) }}
{%- endmacro %}

{#- KPI names where lower is better (see above). -#}
{% macro lower_is_better_kpis() -%}
    {%- set names = [] -%}
    {%- for kpi in kpi_catalog() if kpi.direction == 'lower_is_better' -%}
        {%- if kpi.name not in names -%}{%- do names.append(kpi.name) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- Amount KPIs that are a level at the period's end, not a flow. -#}
{% macro point_in_time_kpis() -%}
    {%- set names = [] -%}
    {%- for kpi in kpi_catalog() if kpi.point_in_time -%}
        {%- if kpi.name not in names -%}{%- do names.append(kpi.name) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- `higher_is_better` / `lower_is_better` for the KPI named in `kpi_name`. -#}
{% macro kpi_direction(kpi_name) -%}
    case
        when {{ kpi_name }} in (
            {%- for name in lower_is_better_kpis() -%}
                '{{ name }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        ) then 'lower_is_better'
        else 'higher_is_better'
    end
{%- endmacro %}

{#- `on_track` / `at_risk` / `off_track` (or NULL) for SQL expressions. -#}
{% macro attainment_status(projected, target, direction) -%}
    {%- set thresholds = attainment_thresholds() -%}
    {%- set on_track = thresholds.on_track_pct -%}
    {%- set at_risk = thresholds.at_risk_pct -%}
    case
        when {{ projected }} is null or {{ target }} is null then null
        when {{ direction }} = 'lower_is_better' then
            case
                when 100 * {{ projected }} <= {{ 200 - on_track }} * {{ target }}
                    then 'on_track'
                when 100 * {{ projected }} <= {{ 200 - at_risk }} * {{ target }}
                    then 'at_risk'
                else 'off_track'
            end
        when 100 * {{ projected }} >= {{ on_track }} * {{ target }}
            then 'on_track'
        when 100 * {{ projected }} >= {{ at_risk }} * {{ target }}
            then 'at_risk'
        else 'off_track'
    end
{%- endmacro %}

{#- Projected in percent of target on one scale where higher is better:
    100 x projected / target, mirrored around 100 % for lower-is-better the
    way the thresholds above are (200 - that); NULL when the target is 0. -#}
{% macro standing_pct(projected, target, direction) -%}
    case
        when {{ target }} = 0 then null
        when {{ direction }} = 'lower_is_better'
            then 200 - 100.0 * {{ projected }} / {{ target }}
        else 100.0 * {{ projected }} / {{ target }}
    end
{%- endmacro %}
