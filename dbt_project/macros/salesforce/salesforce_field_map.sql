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
        both '_' from {{ regex_replace_all(
            'lower(' ~ regex_replace_all(
                regex_replace_all(
                    "replace(replace(trim(" ~ expression
                    ~ "), '__c', '_c'), '__', '_')",
                    "'([a-z0-9])([A-Z])'",
                    "'\\1_\\2'",
                ),
                "'([A-Z])([A-Z][a-z])'",
                "'\\1_\\2'",
            ) ~ ')',
            "'[^0-9a-z]+'",
            "'_'",
        ) }}
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

{#- Spark has no JSON merge: both as maps of text, the record's fields
    without those `_extra` holds, then `_extra`'s, as one JSON object. -#}
{% macro spark__salesforce_record_json(relation_alias) -%}
    {%- set extra = "from_json(coalesce(" ~ relation_alias
        ~ "._extra, '{}'), 'map<string,string>')" -%}
    to_json(map_concat(
        map_filter(
            from_json(to_json(struct({{ relation_alias }}.*)), 'map<string,string>'),
            (field, value) -> not array_contains(map_keys({{ extra }}), field)
        ),
        {{ extra }}
    ))
{%- endmacro %}

{% macro postgres__salesforce_record_json(relation_alias) -%}
    to_jsonb({{ relation_alias }})
    || coalesce(cast({{ relation_alias }}._extra as jsonb), cast('{}' as jsonb))
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
                    {{ json_text(record, paths ~ '.' ~ field) }},
                    {{ json_text(record, paths ~ '.' ~ field ~ '_upper') }}
                )
            ),
            ''
        )
    {%- endset -%}
    {%- if type == 'timestamp' -%}
        {{ try_cast_to(value, 'timestamptz') }}
    {%- elif type == 'integer' -%}
        cast(round({{ try_cast_to(value, 'double') }}) as bigint)
    {%- elif type == 'number' -%}
        {{ try_cast_to(value, 'double') }}
    {%- elif type == 'boolean' -%}
        case
            when lower({{ value }}) in ('true', 't', '1', 'yes', 'y') then true
            when lower({{ value }}) in ('false', 'f', '0', 'no', 'n') then false
        end
    {%- else -%}
        {{ value }}
    {%- endif -%}
{%- endmacro %}
