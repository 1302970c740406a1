{#
    A fingerprint of a set of rows: the row count and the sum of a 64-bit hash
    of `columns` over the rows, as text. Equal sets of rows give equal
    fingerprints whatever their order; a changed, added or removed row changes
    it (but for a hash collision). Used in an aggregate over a group of rows.
#}
{% macro rows_fingerprint(columns) -%}
    {{ return(adapter.dispatch('rows_fingerprint', 'kpitree')(columns)) }}
{%- endmacro %}

{% macro default__rows_fingerprint(columns) -%}
    cast(count(*) as varchar)
    || ':'
    || cast(sum(hash({{ columns | join(', ') }})) as varchar)
{%- endmacro %}

{#- PostgreSQL: a 64-bit hash of the row's text (NULL and '' differ there),
    summed as numeric (no overflow). -#}
{% macro postgres__rows_fingerprint(columns) -%}
    cast(count(*) as varchar)
    || ':'
    || cast(
        sum(hashtextextended(cast(row({{ columns | join(', ') }}) as text), 0))
        as varchar
    )
{%- endmacro %}

{#- Spark: xxhash64 of the columns, summed as decimal (a bigint sum overflows
    in ANSI mode). xxhash64 skips NULL arguments, so whether each column is
    NULL is hashed too ((NULL, 'a') and ('a', NULL) differ). -#}
{% macro spark__rows_fingerprint(columns) -%}
    cast(count(*) as string)
    || ':'
    || cast(
        sum(cast(xxhash64(
            {{ columns | join(', ') }},
            {%- for column in columns %}
            isnull({{ column }}){% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as decimal(38, 0)))
        as string
    )
{%- endmacro %}
