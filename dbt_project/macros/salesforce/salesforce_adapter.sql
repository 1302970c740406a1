{#- Canonical table -> the Salesforce staging models that feed it. -#}
{% macro salesforce_adapter_models() -%}
    {{ return({
        'users': ['stg_salesforce__users'],
        'accounts': ['stg_salesforce__accounts'],
        'leads': ['stg_salesforce__leads'],
        'activities': ['stg_salesforce__activities'],
        'meetings': ['stg_salesforce__meetings'],
        'opportunities': ['stg_salesforce__opportunities'],
        'opportunity_stage_history': [
            'stg_salesforce__opportunity_stage_history'
        ],
        'subscriptions': ['stg_salesforce__subscriptions'],
        'campaigns': ['stg_salesforce__campaigns'],
        'campaign_responses': ['stg_salesforce__campaign_responses'],
    }) }}
{%- endmacro %}


{#
    The current rows of one Salesforce object, from whichever shape landed:
    the object table (`raw.salesforce__<object>`: Data Loader exports and
    connector tables) and the active versions of a connector's history-mode
    table (`raw.salesforce_history__<object>`). Selects `id` and `columns`,
    the delete flags, `_version_at` (SystemModstamp, else LastModifiedDate:
    what decides which version of a record is current), `_extra`, `_file`
    and `_line`. A column is read from its snake_case name or, for Data
    Loader's upper-case headers (`STAGENAME`), from the same name without
    underscores (orchestration/adapters/salesforce.py declares both).
    Salesforce ids are shortened to their 15-character form, so report
    exports (15) and API exports (18) of the same record join. Change-log
    objects (OpportunityHistory, ...) have no history-mode table:
    `history_mode=false`.
#}
{% macro salesforce_rows(object_name, columns, history_mode=true) -%}
    {%- set selected -%}
        {%- for column in ['id'] + columns -%}
            {%- if column == 'id' or column.endswith('_id') -%}
                {{ salesforce_id(salesforce_column(column)) }} as {{ column }},
            {%- else -%}
                {{ salesforce_column(column) }} as {{ column }},
            {%- endif %}
        {% endfor -%}
        {{ salesforce_column('is_deleted') }} as is_deleted,
        {{ salesforce_column('fivetran_deleted') }} as fivetran_deleted,
        coalesce(
            {{ salesforce_column('system_modstamp') }},
            {{ salesforce_column('last_modified_date') }}
        ) as _version_at,
        _extra,
        _file,
        _line
    {%- endset -%}
    select
        {{ selected }}
    from {{ source('salesforce', object_name) }}
    {%- if history_mode %}
        union all
        select
            {{ selected }}
        from {{ source('salesforce_history', object_name) }}
        where fivetran_active
    {%- endif %}
{%- endmacro %}


{#- A declared column, or its upper-case-export alias (no underscores). -#}
{% macro salesforce_column(column) -%}
    {%- if '_' in column -%}
        coalesce({{ column }}, {{ column | replace('_', '') }})
    {%- else -%}
        {{ column }}
    {%- endif -%}
{%- endmacro %}


{#
    One row per record of an object: its current version (newest
    `_version_at`, then the later file and line), without records that
    Salesforce (`IsDeleted`) or the connector (`_fivetran_deleted`) marks as
    deleted. The delete flags are read on the current version, so a record
    deleted in a later drop disappears.
#}
{% macro salesforce_live_records(relation) -%}
    select *
    from ({{ latest_version(relation, ['id'], '_version_at') }}) as current_rows
    where
        not coalesce(is_deleted, false)
        and not coalesce(fivetran_deleted, false)
{%- endmacro %}


{#- A Salesforce id in its 15-character, case-sensitive form. -#}
{% macro salesforce_id(column) -%}
    case
        when length(trim({{ column }})) = 18 then left(trim({{ column }}), 15)
        else nullif(trim({{ column }}), '')
    end
{%- endmacro %}


{#-
    Value-map seeds (`salesforce_value`, then the canonical columns) keyed
    for a case- and space-insensitive join on `value_key`. Duplicates that
    differ only in case keep one row. The row `*` is the default for values
    the seed does not list (and for empty values); `salesforce_default_row`
    selects it.
-#}
{% macro salesforce_value_map(seed_name, columns) -%}
    select
        lower(trim(salesforce_value)) as value_key,
        {% for column in columns -%}
            min({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref(seed_name) }}
    where trim(salesforce_value) <> '*'
    group by lower(trim(salesforce_value))
{%- endmacro %}

{% macro salesforce_default_row(seed_name, columns) -%}
    select
        {% for column in columns -%}
            min({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref(seed_name) }}
    where trim(salesforce_value) = '*'
{%- endmacro %}

{#- The join key of a Salesforce picklist value against a value map. -#}
{% macro salesforce_value_key(column) -%}
    lower(trim({{ column }}))
{%- endmacro %}


{#
    The field map (seeds/salesforce/salesforce_field_map.csv) for one object,
    as one row: for each canonical field, the JSON paths of the Salesforce
    field the user named for it (NULL when none), normalised like file
    headers (`MQL_Date__c` and `mql_date_c` -> `mql_date_c`), and again as
    Data Loader's upper-case header of it normalises (`LeadScore__c` ->
    `LEADSCORE__C` -> `leadscore_c`): column `<field>` and `<field>_upper`.
#}
{% macro salesforce_field_paths(object_name, canonical_columns) -%}
    {%- set paths = [] -%}
    {%- for canonical_column in canonical_columns -%}
        {%- set name = canonical_column.split('.')[-1] -%}
        {%- for suffix, field in [
            ('', 'salesforce_field'),
            ('_upper', 'upper(salesforce_field)'),
        ] -%}
            {%- set path -%}
                max(
                    case
                        when
                            lower(trim(canonical_column))
                            = '{{ canonical_column }}'
                            then '$."' || {{
                                salesforce_normalize_name(field)
                            }} || '"'
                    end
                ) as {{ name ~ suffix }}
            {%- endset -%}
            {%- do paths.append(path) -%}
        {%- endfor -%}
    {%- endfor %}
    select
        {{ paths | join(',\n        ') }}
    from {{ ref('salesforce_field_map') }}
    where
        lower(trim(salesforce_object)) = '{{ object_name }}'
        and nullif(trim(salesforce_field), '') is not null
{%- endmacro %}


{#-
    A field name as ingestion normalises headers (orchestration/adapters:
    normalize_name): `MQL_Date__c` -> `mql_date_c`, `CreatedDate` ->
    `created_date`.
-#}
{% macro salesforce_normalize_name(expression) -%}
    trim(
        regexp_replace(
            lower(
                regexp_replace(
                    regexp_replace(
                        replace(
                            replace(trim({{ expression }}), '__c', '_c'),
                            '__',
                            '_'
                        ),
                        '([a-z0-9])([A-Z])',
                        '\1_\2',
                        'g'
                    ),
                    '([A-Z])([A-Z][a-z])',
                    '\1_\2',
                    'g'
                )
            ),
            '[^0-9a-z]+',
            '_',
            'g'
        ),
        '_'
    )
{%- endmacro %}


{#
    Every field of a record as one JSON object: the declared (typed) columns
    and the undeclared ones ingestion kept in `_extra`, so a field named in
    the field map is found whichever it is.
#}
{% macro salesforce_record_json(relation_alias) -%}
    {{ return(adapter.dispatch('salesforce_record_json', 'kpitree')(
        relation_alias)) }}
{%- endmacro %}

{% macro default__salesforce_record_json(relation_alias) -%}
    json_merge_patch(
        to_json({{ relation_alias }}),
        coalesce({{ relation_alias }}._extra, '{}')
    )
{%- endmacro %}


{#
    The value of a mapped field of a record (from salesforce_record_json):
    `field` of the one-row `paths` relation (salesforce_field_paths), typed:
    'timestamp' (an instant; a value without offset is in the session's
    reporting timezone, as at ingest), 'integer', 'number', 'boolean' or
    'text'. A value that does not parse is NULL.
#}
{% macro salesforce_field(record, paths, field, type='text') -%}
    {{ return(adapter.dispatch('salesforce_field', 'kpitree')(
        record, paths, field, type)) }}
{%- endmacro %}

{% macro default__salesforce_field(record, paths, field, type='text') -%}
    {%- set value -%}
        nullif(
            trim(
                coalesce(
                    json_extract_string({{ record }}, {{ paths }}.{{ field }}),
                    json_extract_string(
                        {{ record }}, {{ paths }}.{{ field }}_upper
                    )
                )
            ),
            ''
        )
    {%- endset -%}
    {%- if type == 'timestamp' -%}
        try_cast({{ value }} as timestamptz)
    {%- elif type == 'integer' -%}
        cast(round(try_cast({{ value }} as double)) as bigint)
    {%- elif type == 'number' -%}
        try_cast({{ value }} as double)
    {%- elif type == 'boolean' -%}
        case
            when lower({{ value }}) in ('true', 't', '1', 'yes', 'y') then true
            when lower({{ value }}) in ('false', 'f', '0', 'no', 'n') then false
        end
    {%- else -%}
        {{ value }}
    {%- endif -%}
{%- endmacro %}


{#-
    A Salesforce date field (loaded as the instant of local midnight, or a
    connector's `2018-12-19 00:00:00`) as a date in the reporting timezone.
-#}
{% macro salesforce_local_date(column) -%}
    cast({{ to_reporting_tz(column) }} as date)
{%- endmacro %}


{#- Whether a Salesforce id is of an object, by its key prefix (`00Q` Lead). -#}
{% macro salesforce_id_is(column, object_name) -%}
    {%- set prefixes = {
        'account': '001',
        'contact': '003',
        'lead': '00Q',
        'opportunity': '006',
        'campaign': '701',
        'contract': '800',
    } -%}
    {{ column }} like '{{ prefixes[object_name] }}%'
{%- endmacro %}


{#
    Generic test (severity warn): values of a Salesforce picklist column that
    the value map `seed_name` does not list (they take its `*` default, or
    stay unmapped). Put on source columns; reads the upper-case-export alias
    too.
#}
{% test salesforce_value_is_mapped(model, column_name, seed_name) %}
    {%- set value = salesforce_column(column_name) -%}
    select distinct {{ value }} as unmapped_value
    from {{ model }}
    where
        nullif(trim({{ value }}), '') is not null
        and {{ salesforce_value_key(value) }} not in (
            select {{ salesforce_value_key('salesforce_value') }}
            from {{ ref(seed_name) }}
        )
{% endtest %}


{#
    Generic test (severity warn) on stg_salesforce__users: active Salesforce
    users left out because none of their Department, role name and Division
    is in the department map. Their records still count at `all`, but not
    under a department or team.
#}
{% test salesforce_users_have_department(model) %}
    with

    source as (

        {{ salesforce_rows('user', ['is_active', 'department']) }}

    ),

    live_records as (

        {{ salesforce_live_records('source') }}

    )

    select
        live_records.id,
        live_records.department
    from live_records
    where
        coalesce(live_records.is_active, true)
        and live_records.id not in (select user_id from {{ model }})
{% endtest %}
