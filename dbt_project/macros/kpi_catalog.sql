{#
    The KPI catalog as the models read it. The catalog itself is the plain
    YAML file macros/kpi_catalog.yml: the properties of the macro kpi_catalog,
    whose config.meta holds every KPI version, the dimension sets, the default
    unit per kind and the other defaults. dbt parses that file; these macros
    take the result from the macro's properties, which every compile of a
    model can reach (the graph, which holds the models' properties, is empty
    in dbt unit tests).

    While dbt parses (execute is false), the catalog is empty.

    Every read checks the catalog against what exists (kpi_catalog_problems)
    and stops the compile on a problem: a formula naming a measure that no
    measure model declares (config.meta.kpi_measures), a dimension a KPI's
    measure models do not carry, a grain that is not in all_grains(), a kind
    without a unit. orchestration/catalog.py checks the same rules in Python.
    The check needs the models' declarations from the graph, so it is skipped
    where the graph is empty (dbt unit tests).
#}

{#- The catalog file as dbt parsed it: {dimension_sets, units, defaults,
    kpis}, the config.meta of macro kpi_catalog (`kpi_catalog.macro` is that
    macro as dbt parsed it, properties included); empty while dbt parses. -#}
{% macro kpi_catalog_file() -%}
    {%- if not execute -%}{{ return({}) }}{%- endif -%}
    {%- set meta = kpi_catalog.macro.config.meta -%}
    {%- if not meta.get('kpis') -%}
        {{ exceptions.raise_compiler_error(
            'KPI catalog: macro kpi_catalog has no config.meta.kpis'
            ~ ' (macros/kpi_catalog.yml)'
        ) }}
    {%- endif -%}
    {{ return(meta) }}
{%- endmacro %}

{#- The measure models: {model name: {measures: [...], dimensions: [...]}},
    from each model's config.meta.kpi_measures. -#}
{% macro kpi_measure_models() -%}
    {%- set models = {} -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model'
            and node.config.meta.get('kpi_measures') -%}
            {%- do models.update({node.name: node.config.meta.kpi_measures}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(models) }}
{%- endmacro %}

{#- The measure names of a formula (SQL over measure names), in order. -#}
{% macro kpi_formula_measures(expression) -%}
    {%- set names = [] -%}
    {%- set pattern = '[a-z_][a-z0-9_]*' -%}
    {%- set tokens = modules.re.findall(pattern, expression or '') -%}
    {%- for token in tokens if token not in names -%}
        {%- do names.append(token) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#-
    Every problem of the catalog file, one message each (empty when it is
    sound). orchestration/catalog.py validate_catalog() words them the same.
-#}
{% macro kpi_catalog_problems(catalog) -%}
    {%- set problems = [] -%}
    {%- set models = kpi_measure_models() -%}
    {%- set producers = {} -%}
    {%- set dimensions = [] -%}
    {%- for model_name in models | sort -%}
        {%- for measure in models[model_name].get('measures', []) -%}
            {%- if measure in producers -%}
                {%- do problems.append(
                    "measure '" ~ measure ~ "' is declared by both "
                    ~ producers[measure] ~ ' and ' ~ model_name
                ) -%}
            {%- else -%}
                {%- do producers.update({measure: model_name}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for dimension in models[model_name].get('dimensions', []) -%}
            {%- if dimension not in dimensions -%}
                {%- do dimensions.append(dimension) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set sets = catalog.get('dimension_sets', {}) -%}
    {%- set units = catalog.get('units', {}) -%}
    {%- set defaults = catalog.get('defaults', {}) -%}
    {%- for entry in catalog.get('kpis', []) -%}
        {%- set where = 'kpi ' ~ entry.get('name') ~ ' v'
            ~ entry.get('version', defaults.get('version')) ~ ': ' -%}
        {%- if entry.get('kind') not in units -%}
            {%- do problems.append(
                where ~ "kind '" ~ entry.get('kind')
                ~ "' is not a kind (kinds: " ~ units | sort | join(', ') ~ ')'
            ) -%}
        {%- endif -%}
        {#- The measure models of this KPI, in formula order. -#}
        {%- set own_models = [] -%}
        {%- for field in ['numerator', 'denominator'] -%}
            {%- for measure in kpi_formula_measures(entry.get(field)) -%}
                {%- if measure not in producers -%}
                    {%- do problems.append(
                        where ~ field ~ " names measure '" ~ measure
                        ~ "', which no model declares (measures: "
                        ~ producers | sort | join(', ') ~ ')'
                    ) -%}
                {%- elif producers[measure] not in own_models -%}
                    {%- do own_models.append(producers[measure]) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set dims = entry.get('dimensions', defaults.get('dimensions')) -%}
        {%- set of_set = '' -%}
        {%- if dims is string -%}
            {%- set of_set = " (of set '" ~ dims ~ "')" -%}
            {%- if dims not in sets -%}
                {%- do problems.append(
                    where ~ "dimensions names set '" ~ dims
                    ~ "', which is not a dimension set (sets: "
                    ~ sets | sort | join(', ') ~ ')'
                ) -%}
            {%- endif -%}
            {%- set dims = sets.get(dims, []) -%}
        {%- endif -%}
        {%- for dimension in dims -%}
            {%- if dimension not in dimensions -%}
                {%- do problems.append(
                    where ~ "dimensions names '" ~ dimension ~ "'" ~ of_set
                    ~ ', which no measure model carries (dimensions: '
                    ~ dimensions | sort | join(', ') ~ ')'
                ) -%}
            {%- else -%}
                {%- for model_name in own_models -%}
                    {%- set declared = models[model_name] -%}
                    {%- set carried = declared.get('dimensions', []) -%}
                    {%- if dimension not in carried -%}
                        {%- do problems.append(
                            where ~ "dimensions names '" ~ dimension ~ "'"
                            ~ of_set ~ ', which ' ~ model_name
                            ~ ' does not carry (it carries: '
                            ~ carried | join(', ') ~ ')'
                        ) -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set grains = all_grains() -%}
        {%- for grain in entry.get('grains', []) if grain not in grains -%}
            {%- do problems.append(
                where ~ "grains names '" ~ grain ~ "', which is not a grain"
                ~ ' (grains: ' ~ grains | join(', ') ~ ')'
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}

{#- Every KPI version of the catalog with its defaults applied, in catalog
    order; stops the compile when the catalog has a problem. Its properties
    (macros/kpi_catalog.yml) are the catalog. -#}
{% macro kpi_catalog() -%}
    {%- set catalog = kpi_catalog_file() -%}
    {%- if not catalog -%}{{ return([]) }}{%- endif -%}
    {%- set problems = kpi_catalog_problems(catalog) if graph.nodes else [] -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            'KPI catalog (macros/kpi_catalog.yml): '
            ~ problems | length ~ ' problem(s):\n  '
            ~ problems | join('\n  ')
        ) }}
    {%- endif -%}
    {%- set defaults = catalog.defaults -%}
    {%- set kpis = [] -%}
    {%- for entry in catalog.kpis -%}
        {%- set dims = entry.get('dimensions', defaults.dimensions) -%}
        {%- do kpis.append({
            'name': entry['name'],
            'version': entry.get('version', defaults.version),
            'is_current': entry.get('is_current', defaults.is_current),
            'label_ja': entry['label_ja'],
            'label_en': entry['label_en'],
            'kind': entry['kind'],
            'unit': entry.get('unit', catalog.units[entry['kind']]),
            'display_unit': entry.get(
                'display_unit',
                catalog.display_units[
                    entry.get('unit', catalog.units[entry['kind']])
                ],
            ),
            'numerator': entry['numerator'],
            'denominator': entry.get('denominator'),
            'grains': entry.get('grains', all_grains()),
            'dimensions':
                catalog.dimension_sets[dims] if dims is string else dims,
            'owner_department': entry['owner_department'],
            'definition': entry['definition'],
            'direction': entry.get('direction', defaults.direction),
            'point_in_time': entry.get('point_in_time', defaults.point_in_time),
            'benchmark': entry.get('benchmark'),
        }) -%}
    {%- endfor -%}
    {{ return(kpis) }}
{%- endmacro %}

{#- Every measure name the catalog's formulas use, sorted. -#}
{% macro kpi_measure_names() -%}
    {%- set names = [] -%}
    {%- for kpi in kpi_catalog() -%}
        {%- for field in [kpi.numerator, kpi.denominator] -%}
            {%- for name in kpi_formula_measures(field) if name not in names -%}
                {%- do names.append(name) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(names | sort) }}
{%- endmacro %}

{#- The benchmark figure of the current version of a KPI (NULL when none). -#}
{% macro kpi_benchmark(kpi_name) -%}
    {%- if not execute -%}{{ return('null') }}{%- endif -%}
    {%- for kpi in kpi_catalog() if kpi.name == kpi_name and kpi.is_current -%}
        {{ return(kpi.benchmark if kpi.benchmark is not none else 'null') }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('no current KPI named ' ~ kpi_name) }}
{%- endmacro %}

{#
    Generic test: the measure model emits only the measure names and
    dimensions its config.meta.kpi_measures declares, so the catalog's checks
    (which read the declarations) stay true to the data.
#}
{% test kpitree_emits_declared_kpi_measures(model) %}
    {%- set declared = kpi_measure_models().get(model.identifier) -%}
    {%- if execute and not declared -%}
        {{ exceptions.raise_compiler_error(
            model.identifier ~ ' declares no config.meta.kpi_measures'
        ) }}
    {%- endif -%}
    {%- set declared = declared or {'measures': [''], 'dimensions': ['']} -%}
    select
        measure_name,
        dimension,
        count(*) as row_count
    from {{ model }}
    where
        measure_name not in (
            {%- for name in declared.measures -%}
                '{{ name }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        )
        or dimension not in (
            {%- for name in declared.dimensions -%}
                '{{ name }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        )
    group by measure_name, dimension
{% endtest %}

{#-
    Column test on an events model's distinct_key: only the measures a
    measure model built from it declares `distinct` (config.meta.kpi_measures
    with events_model naming it) carry a key. A row for each other measure
    with one fails: the semantic layer would sum what the measure models
    count once per key.
-#}
{% test kpitree_only_distinct_measures_keyed(model, column_name) %}
    {%- set distinct = [] -%}
    {%- for declared in kpi_measure_models().values()
        if declared.get('events_model') == model.identifier -%}
        {%- do distinct.extend(declared.get('distinct') or []) -%}
    {%- endfor -%}
    select
        measure_name,
        count(*) as keyed_rows
    from {{ model }}
    where
        {{ column_name }} is not null
        {% if distinct %}
            and measure_name not in (
                {%- for name in distinct -%}
                    '{{ name }}'{% if not loop.last %}, {% endif %}
                {%- endfor -%}
            )
        {% endif %}
    group by measure_name
{% endtest %}
