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
