"""The contract's row checks, written as SQL over the staged text columns.

One function builds, for a canonical table, the select that types every column and
names every broken rule of a row in ``_reason`` (empty when the row is valid).
"""

from __future__ import annotations

from orchestration.contract import BOOLEAN, DATE, INTEGER, NUMBER, TIMESTAMP, Column, Table
from orchestration.ingest.sql import quote_ident, sql_literal

DUCKDB_TYPES = {
    "text": "varchar",
    INTEGER: "bigint",
    NUMBER: "double",
    BOOLEAN: "boolean",
    TIMESTAMP: "timestamptz",
    DATE: "date",
}

TRUE_VALUES = ("true", "t", "1", "yes", "y")
FALSE_VALUES = ("false", "f", "0", "no", "n")
# ISO 8601 date-time: date, optional time, optional Z / UTC / numeric offset (a space
# before the offset, as some warehouses export it, is tolerated).
ISO_TIMESTAMP = (
    r"\d{4}-\d{2}-\d{2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?"
    r"( ?(Z|z|UTC|[+-]\d{2}(:?\d{2})?))?"
)
ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def _in_list(values: tuple[str, ...]) -> str:
    return ", ".join(sql_literal(v) for v in values)


def _value(column: Column, present: set[str]) -> str:
    if column.name not in present:
        return "cast(null as varchar)"
    return f"nullif(trim({quote_ident(column.name)}), '')"


def typed_expression(column: Column, present: set[str], naive_timezone: str | None = None) -> str:
    """SQL turning the staged text into the contract type (NULL when it can't)."""
    v = _value(column, present)
    if column.type == INTEGER:
        return f"try_cast({v} as bigint)"
    if column.type == NUMBER:
        return f"try_cast({v} as double)"
    if column.type == BOOLEAN:
        return (
            f"case when lower({v}) in ({_in_list(TRUE_VALUES)}) then true "
            f"when lower({v}) in ({_in_list(FALSE_VALUES)}) then false end"
        )
    if column.type == TIMESTAMP:
        compact = f"regexp_replace({v}, ' ([+-][0-9]{{2}}:?[0-9]{{2}})$', '\\1')"
        if naive_timezone:
            # an offset, when present, still wins: the cast to timestamp applies it
            cast = f"timezone({sql_literal(naive_timezone)}, try_cast({compact} as timestamp))"
        else:
            cast = f"try_cast({compact} as timestamptz)"
        return f"case when regexp_full_match({v}, {sql_literal(ISO_TIMESTAMP)}) then {cast} end"
    if column.type == DATE:
        return (
            f"case when regexp_full_match({v}, {sql_literal(ISO_DATE)}) "
            f"then try_cast({v} as date) end"
        )
    return v


def _problems(column: Column, present: set[str], naive_timezone: str | None) -> list[str]:
    """SQL expressions, each NULL or a message naming one broken rule."""
    name = column.name
    v = _value(column, present)
    typed = typed_expression(column, present, naive_timezone)
    shown = f"'''' || {v} || ''''"
    checks: list[str] = []
    if column.required:
        checks.append(f"case when {v} is null then '{name}: required value is missing' end")
    kind = {
        INTEGER: "not an integer",
        NUMBER: "not a number",
        BOOLEAN: "not a boolean (true/false)",
        TIMESTAMP: "not an ISO 8601 timestamp",
        DATE: "not a date (YYYY-MM-DD)",
    }.get(column.type)
    if kind:
        checks.append(
            f"case when {v} is not null and {typed} is null then '{name}: {kind}: ' || {shown} end"
        )
    if column.allowed:
        allowed = ", ".join(column.allowed)
        checks.append(
            f"case when {v} is not null and {v} not in ({_in_list(column.allowed)}) "
            f"then '{name}: ' || {shown} || ' is not one of ({allowed})' end"
        )
    if column.min_value is not None:
        checks.append(
            f"case when {typed} < {column.min_value} "
            f"then '{name}: ' || {shown} || ' is below {column.min_value:g}' end"
        )
    if column.max_value is not None:
        checks.append(
            f"case when {typed} > {column.max_value} "
            f"then '{name}: ' || {shown} || ' is above {column.max_value:g}' end"
        )
    return checks


def missing_required_columns(table: Table, columns: list[str]) -> list[str]:
    present = set(columns)
    required = set(table.required_columns) | set(table.primary_key)
    return [c for c in table.column_names if c in required and c not in present]


# Columns a source mapping adds to ``_stage`` (see mapping.py): the row as the source
# wrote it, and why a conversion failed.
MAPPING_COLUMNS = ("_source_raw", "_mapping_reason")


def validated_select(table: Table, columns: list[str]) -> str:
    """Select over ``_stage``: typed contract columns, ``_extra``, ``_raw``, ``_reason``,
    ``_columns`` (the contract columns the row breaks, comma-separated; NULL when none is
    known, e.g. a mapping conversion) and ``_key`` (the primary key as text, ``a/b`` for
    a composite key; NULL when part of it is missing)."""
    mapped = "_source_raw" in columns
    columns = [c for c in columns if c not in MAPPING_COLUMNS]
    present = set(columns)
    contract = table.column_names
    typed = ",\n    ".join(
        f"{typed_expression(c, present, table.naive_timezone)} as {quote_ident(c.name)}"
        for c in table.columns
    )
    extra_columns = [c for c in columns if c not in contract]
    extra = (
        "json_object("
        + ", ".join(f"{sql_literal(c)}, {quote_ident(c)}" for c in extra_columns)
        + ")"
        if extra_columns
        else "cast(null as json)"
    )
    raw = (
        "json_object(" + ", ".join(f"{sql_literal(c)}, {quote_ident(c)}" for c in columns) + ")"
        if columns
        else "cast('{}' as json)"
    )
    if mapped:
        raw = "_source_raw"
    problems: list[str] = []
    # The columns a row breaks, for the published quarantine (which carries no values).
    broken: list[str] = []
    for c in table.columns:
        checks = _problems(c, present, table.naive_timezone)
        problems += checks
        if not checks:
            continue
        broken.append(
            f"case when coalesce({', '.join(checks)}) is not null then {sql_literal(c.name)} end"
        )
    if mapped:
        problems.insert(0, "_mapping_reason")
    pk = ", ".join(_value(table.column(k), present) for k in table.primary_key)
    pk_text = " || '/' || ".join(_value(table.column(k), present) for k in table.primary_key)
    duplicate = (
        f"case when count(*) over (partition by {pk}) > 1 "
        f"and row_number() over (partition by {pk} order by _line) > 1 "
        f"then 'duplicate primary key ' || {pk_text} || ' in this file (first at line ' "
        f"|| min(_line) over (partition by {pk}) || ')' end"
    )
    problems.append(duplicate)
    broken.append(
        f"case when ({duplicate}) is not null then {sql_literal(', '.join(table.primary_key))} end"
    )
    reason = "coalesce(concat_ws('; ', " + ", ".join(problems) + "), '')"
    columns_broken = "nullif(concat_ws(', ', " + ", ".join(broken) + "), '')"
    return (
        f"select\n    {typed},\n    cast({extra} as varchar) as _extra,\n"
        f"    cast({raw} as varchar) as _raw,\n    _line,\n    {reason} as _reason,\n"
        f"    {columns_broken} as _columns,\n    {pk_text} as _key\n"
        "from _stage"
    )


def raw_table_ddl(table: Table, schema: str = "raw") -> str:
    columns = ",\n    ".join(f"{quote_ident(c.name)} {DUCKDB_TYPES[c.type]}" for c in table.columns)
    return (
        f"create table if not exists {schema}.{table.raw_table} (\n    {columns},\n"
        "    _extra varchar,\n    _file varchar,\n    _line bigint,\n"
        "    _content_hash varchar,\n    _loaded_at timestamptz\n)"
    )
