{#
    The rows of one Salesforce object from whichever shape landed: the object
    table (`raw.salesforce__<object>`: Data Loader exports and connector
    tables) and the active versions of a connector's history-mode table
    (`raw.salesforce_history__<object>`). Selects `id` and `columns`, the
    delete flags, `_version_at` (SystemModstamp, else LastModifiedDate: what
    decides which version of a record is current), `_extra`, `_file` and
    `_line`. A column is read from its snake_case name or, for Data Loader's
    upper-case headers (`STAGENAME`), from the same name without underscores
    (orchestration/adapters/salesforce.py declares both). Salesforce ids are
    shortened to their 15-character form, so report exports (15) and API
    exports (18) of the same record join. Change-log objects
    (OpportunityHistory, ...) have no history-mode table:
    `history_mode=false`. Every version is returned; salesforce_live_records
    keeps the current one.
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


{#
    A Salesforce staging model in one call: the current, live version of each
    record of `object_name` (salesforce_rows, then salesforce_live_records),
    `id` renamed to `key`, then `columns` under their Salesforce names, then
    `_version_at`, `_extra`, `_file` and `_line`.
#}
{% macro salesforce_current_rows(object_name, key, columns, history_mode=true) -%}
    with

    source as (
        {{ salesforce_rows(object_name, columns, history_mode) }}
    ),

    current_records as (
        {{ salesforce_live_records('source') }}
    )

    select
        id as {{ key }},
        {%- for column in columns %}
            {{ column }},
        {%- endfor %}
        _version_at,
        _extra,
        _file,
        _line
    from current_records
{%- endmacro %}
