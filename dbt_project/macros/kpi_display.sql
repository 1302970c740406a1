{#
    How a KPI value is shown to people, written once for metrics.kpi_report
    and the alert messages: the number rounded for its unit (percent to 0.1,
    ratio to 0.01, counts and amounts whole), with thousands separators and
    the display unit (macros/kpi_catalog.yml: display_units, display_unit).
#}
{% macro kpi_display_value(value, unit) -%}
    case
        when {{ unit }} = 'percent' then {{ round_to(value, 1) }}
        when {{ unit }} = 'ratio' then {{ round_to(value, 2) }}
        else {{ round_to(value, 0) }}
    end
{%- endmacro %}

{#- `5,841 回`, `77.9%`, `344,000,000 円`, `1.25 倍`; '-' for NULL. -#}
{% macro kpi_display_text(value, unit, display_unit) -%}
    case
        when {{ value }} is null then '-'
        when {{ unit }} = 'percent'
            then {{ format_decimal(value, 1) }} || {{ display_unit }}
        when {{ unit }} = 'ratio'
            then {{ format_decimal(value, 2) }} || ' ' || {{ display_unit }}
        else {{ format_decimal(value, 0) }} || ' ' || {{ display_unit }}
    end
{%- endmacro %}

{#- A number as text with thousands separators and `decimals` digits. -#}
{% macro format_decimal(value, decimals) -%}
    {{ return(adapter.dispatch('format_decimal', 'kpitree')(value, decimals)) }}
{%- endmacro %}

{% macro default__format_decimal(value, decimals) -%}
    format('{:,.{{ decimals }}f}', {{ value }})
{%- endmacro %}

{#- format_number rounds half to even, as DuckDB's format does. -#}
{% macro spark__format_decimal(value, decimals) -%}
    format_number({{ value }}, {{ decimals }})
{%- endmacro %}

{% macro postgres__format_decimal(value, decimals) -%}
    to_char(
        {{ value }},
        'FM999,999,999,999,999,990{{ "." ~ "0" * decimals if decimals else "" }}'
    )
{%- endmacro %}

{#
    The Japanese name of a period: 2025年4月1日 (day), 2025年 第14週 (ISO
    week and its year), 2025年4月 (month), 2025年4-6月 (quarter), 2025年度
    (fiscal year, named by the year it starts in).
#}
{% macro period_label_ja(grain, period_start) -%}
    {{ return(adapter.dispatch('period_label_ja', 'kpitree')(grain, period_start)) }}
{%- endmacro %}

{% macro default__period_label_ja(grain, period_start) -%}
    case {{ grain }}
        when 'day' then strftime({{ period_start }}, '%Y年%-m月%-d日')
        when 'week'
            then cast(isoyear({{ period_start }}) as varchar) || '年 第'
            || cast(weekofyear({{ period_start }}) as varchar) || '週'
        when 'month' then strftime({{ period_start }}, '%Y年%-m月')
        when 'quarter'
            then strftime({{ period_start }}, '%Y年%-m')
            || '-' || cast(month({{ period_start }}) + 2 as varchar) || '月'
        when 'fiscal_year'
            then cast(year({{ period_start }}) as varchar) || '年度'
    end
{%- endmacro %}

{#- Spark: date_format patterns (letters other than a-z and A-Z are
    written as they are); yearofweek is the ISO week's year. -#}
{% macro spark__period_label_ja(grain, period_start) -%}
    case {{ grain }}
        when 'day' then date_format({{ period_start }}, 'yyyy年M月d日')
        when 'week'
            then cast(extract(yearofweek from {{ period_start }}) as string)
            || '年 第' || cast(weekofyear({{ period_start }}) as string) || '週'
        when 'month' then date_format({{ period_start }}, 'yyyy年M月')
        when 'quarter'
            then date_format({{ period_start }}, 'yyyy年M')
            || '-' || cast(month({{ period_start }}) + 2 as string) || '月'
        when 'fiscal_year'
            then cast(year({{ period_start }}) as string) || '年度'
    end
{%- endmacro %}

{% macro postgres__period_label_ja(grain, period_start) -%}
    case {{ grain }}
        when 'day' then to_char({{ period_start }}, 'YYYY"年"FMMM"月"FMDD"日"')
        when 'week'
            then to_char({{ period_start }}, 'IYYY"年 第"FMIW"週"')
        when 'month' then to_char({{ period_start }}, 'YYYY"年"FMMM"月"')
        when 'quarter'
            then to_char({{ period_start }}, 'YYYY"年"FMMM')
            || '-' || cast(extract(month from {{ period_start }}) + 2 as text)
            || '月'
        when 'fiscal_year'
            then to_char({{ period_start }}, 'YYYY"年度"')
    end
{%- endmacro %}

{#
    The Japanese name of the code in `column`, from labels_ja.<kind> of the
    KPI catalog file (grains, dimensions, departments, statuses); the code
    itself where the catalog names none.
#}
{% macro label_ja(kind, column) -%}
    {%- set labels = kpi_catalog_file().get('labels_ja', {}).get(kind, {}) -%}
    case {{ column }}
        {%- for code, label in labels.items() %}
            when '{{ code }}' then '{{ label }}'
        {%- endfor %}
        else {{ column }}
    end
{%- endmacro %}
