{#
    The current rows of one landed HubSpot table: one row per `key`, its
    current version, with `columns` (output name -> SQL expression over the
    raw table, in that order), then updated_at, _extra, _file and _line.

    shape 'connector' (a connector table): updated_at is `modified_at`, else
    the sync time (`_fivetran_synced`), both parsed as instants
    (hubspot_instant); records that the connector marks as deleted
    (`is_deleted`, `_fivetran_deleted`, or `deleted_when` when given) are
    left out, the flags being read on the current version, so a record
    deleted in a later drop disappears.
    shape 'export' (a CRM export from the HubSpot UI): updated_at is
    `modified_at` as ingestion typed it (local time); exports delete nothing.

    The current version is the newest updated_at, then the later file and
    line (latest_version).
#}
{% macro hubspot_current_rows(
    relation,
    key,
    columns,
    modified_at=none,
    shape='connector',
    deleted_when=none
) -%}
    {%- set keys = [key] if key is string else key -%}
    {%- if shape == 'connector' -%}
        {%- set versions = [] -%}
        {%- if modified_at -%}
            {%- do versions.append(hubspot_instant(modified_at)) -%}
        {%- endif -%}
        {%- do versions.append(hubspot_instant('fivetran_synced')) -%}
        {%- set deleted_flags = [
            'coalesce(is_deleted, false)',
            'coalesce(fivetran_deleted, false)',
        ] + ([deleted_when] if deleted_when else []) -%}
    {%- elif shape == 'export' and modified_at -%}
        {%- set versions = [modified_at] -%}
        {%- set deleted_flags = [] -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "hubspot_current_rows: shape must be 'connector', or 'export' "
            ~ "with modified_at; got " ~ shape
        ) }}
    {%- endif -%}
    with

    parsed as (
        select
            {% for name, expression in columns.items() -%}
                {{ expression }} as {{ name }},
            {% endfor -%}
            {% if versions | length > 1 -%}
                coalesce({{ versions | join(', ') }})
            {%- else -%}
                {{ versions[0] }}
            {%- endif %} as updated_at,
            {% if deleted_flags -%}
                ({{ deleted_flags | join(' or ') }})
            {%- else -%}
                false
            {%- endif %} as is_deleted,
            _extra,
            _file,
            _line
        from {{ relation }}
    ),

    current_versions as (
        {{ latest_version('parsed', keys, 'updated_at') }}
    ),

    current_rows as (
        select
            {% for name in columns -%}
                {{ name }},
            {% endfor -%}
            updated_at,
            _extra,
            _file,
            _line
        from current_versions
        where not is_deleted
    )

    select * from current_rows
{%- endmacro %}
