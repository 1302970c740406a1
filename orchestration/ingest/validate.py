"""The contract's row checks, written as SQL over the staged text columns.

One function builds, for a canonical table, the select that types every column and
names every broken rule of a row in ``_reason`` (empty when the row is valid).
"""

from __future__ import annotations

from orchestration.contract import (
    BOOLEAN,
    DATE,
    EVENT,
    INTEGER,
    NUMBER,
    PLANNED,
    TIMESTAMP,
    UPCOMING,
    Column,
    Table,
)
from orchestration.ingest.sql import quote_ident, shown_value, sql_literal
from orchestration.settings import LARGEST_ACCEPTED_NUMBER, TimeBounds, time_bounds

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
# ISO 8601 date-time: date, optional time, then optionally Z / UTC or a numeric offset
# (+09, +0900, +09:00, from -14:59 to +14:59) after the time; a space before the offset,
# as some warehouses export it, is tolerated.
_ZONE = r"(?:[Zz]|UTC|[+-](?:0\d|1[0-4])(?::?[0-5]\d)?)"
ISO_TIMESTAMP = (
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?: ?" + _ZONE + r")?)?"
)
# Of an ISO 8601 timestamp: it ends in a zone (the minutes before an offset tell it
# apart from the day of a bare date).
_ENDS_IN_ZONE = r"(?:[Zz]|UTC|:\d{2}(?:\.\d{1,9})? ?[+-]\d{2}(?::?\d{2})?)$"
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
# How a bound names the values it limits, per time kind.
TIME_KIND_LABELS = {EVENT: "event time", UPCOMING: "upcoming date", PLANNED: "planned date"}


def _in_list(values: tuple[str, ...]) -> str:
    return ", ".join(sql_literal(v) for v in values)


def _value(column: Column, present: set[str]) -> str:
    if column.name not in present:
        return "cast(null as varchar)"
    return f"nullif(trim({quote_ident(column.name)}), '')"


def _instant(v: str, naive_timezone: str | None) -> str:
    """SQL reading an ISO 8601 text as the instant it names (NULL when it can't).

    A zone in the value always wins (DuckDB's timestamptz cast applies ``+09``, ``+0900``
    and ``+09:00`` alike). Without one the value is read in ``naive_timezone``, or else
    in the session's time zone (the reporting timezone).
    """
    with_zone = f"regexp_replace(regexp_replace({v}, ' ?([Zz]|UTC)$', '+00:00'), ' ([+-])', '\\1')"
    if naive_timezone:
        naive = f"timezone({sql_literal(naive_timezone)}, try_cast({v} as timestamp))"
    else:
        naive = f"try_cast({v} as timestamptz)"
    return (
        f"case when not regexp_full_match({v}, {sql_literal(ISO_TIMESTAMP)}) then null "
        f"when regexp_matches({v}, {sql_literal(_ENDS_IN_ZONE)}) "
        f"then try_cast({with_zone} as timestamptz) "
        f"else {naive} end"
    )


# Whole numbers written as decimals are exact below 2^53.
EXACT_INTEGER_LIMIT = 2**53


def typed_expression(column: Column, present: set[str], naive_timezone: str | None = None) -> str:
    """SQL turning the staged text into the contract type (NULL when it can't).

    A number must be finite: ``NaN``, ``inf`` and overflowing values (``1e309``) are NULL.
    """
    v = _value(column, present)
    if column.type == INTEGER:
        # Digits, or a whole number written as a decimal (`85.0`, as spreadsheets and
        # pandas write integers): never a rounded fraction (`12.5` is not 13).
        number = f"try_cast({v} as double)"
        return (
            f"case when regexp_full_match(trim({v}), '[+-]?[0-9]+') "
            f"then try_cast(trim({v}) as bigint) "
            f"when {number} = trunc({number}) and abs({number}) < {EXACT_INTEGER_LIMIT} "
            f"then cast({number} as bigint) end"
        )
    if column.type == NUMBER:
        return f"case when isfinite(try_cast({v} as double)) then try_cast({v} as double) end"
    if column.type == BOOLEAN:
        return (
            f"case when lower({v}) in ({_in_list(TRUE_VALUES)}) then true "
            f"when lower({v}) in ({_in_list(FALSE_VALUES)}) then false end"
        )
    if column.type == TIMESTAMP:
        return _instant(v, naive_timezone)
    if column.type == DATE:
        return (
            f"case when regexp_full_match({v}, {sql_literal(ISO_DATE)}) "
            f"then try_cast({v} as date) end"
        )
    return v


def _time_bounds_checks(column: Column, typed: str, shown: str, bounds: TimeBounds) -> list[str]:
    """Checks that a timestamp or date lies within the run's accepted range."""
    name = column.name
    earliest = bounds.earliest.isoformat()
    latest = bounds.latest.get(column.time_kind)
    if column.type == TIMESTAMP:
        # the earliest date starts at midnight in the session's (reporting) time zone
        floor = f"cast({sql_literal(earliest)} as timestamptz)"
    else:
        floor = f"date {sql_literal(earliest)}"
    checks = [
        f"case when {typed} < {floor} "
        f"then '{name}: ' || {shown} || ' is before the earliest accepted date, {earliest}' end"
    ]
    if latest is None:
        return checks
    label = TIME_KIND_LABELS[column.time_kind]
    if column.type == TIMESTAMP:
        ceiling = f"cast({sql_literal(latest.isoformat())} as timestamptz)"
        text = latest.strftime("%Y-%m-%d %H:%M:%S UTC")
    else:
        text = latest.date().isoformat()
        ceiling = f"date {sql_literal(text)}"
    checks.append(
        f"case when {typed} > {ceiling} "
        f"then '{name}: ' || {shown} || ' is after the latest accepted {label}, {text}' end"
    )
    return checks


def _problems(column: Column, present: set[str], typed: str, bounds: TimeBounds) -> list[str]:
    """SQL expressions, each NULL or a message naming one broken rule. ``typed`` is the
    SQL of the typed value (see ``typed_expression``)."""
    name = column.name
    v = _value(column, present)
    shown = shown_value(v)
    checks: list[str] = []
    if column.required:
        checks.append(f"case when {v} is null then '{name}: required value is missing' end")
    kind = {
        INTEGER: "not an integer",
        BOOLEAN: "not a boolean (true/false)",
        TIMESTAMP: "not an ISO 8601 timestamp",
        DATE: "not a date (YYYY-MM-DD)",
    }.get(column.type)
    if column.type == NUMBER:
        # NaN, inf and overflowing values parse as doubles but are no amount
        checks.append(
            f"case when {v} is not null and {typed} is null then '{name}: ' || "
            f"case when try_cast({v} as double) is null then 'not a number' "
            f"else 'not a finite number' end || ': ' || {shown} end"
        )
        checks.append(
            f"case when abs({typed}) > {LARGEST_ACCEPTED_NUMBER:.0f} then '{name}: ' || {shown} "
            f"|| ' is larger in magnitude than {LARGEST_ACCEPTED_NUMBER:g}' end"
        )
    elif kind:
        checks.append(
            f"case when {v} is not null and {typed} is null then '{name}: {kind}: ' || {shown} end"
        )
    if column.type in (TIMESTAMP, DATE):
        checks += _time_bounds_checks(column, typed, shown, bounds)
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


def _typed_name(column: Column) -> str:
    return quote_ident(f"_kpitree_typed_{column.name}")


def _problem_name(column: Column) -> str:
    return quote_ident(f"_kpitree_problem_{column.name}")


def validated_select(table: Table, columns: list[str], bounds: TimeBounds | None = None) -> str:
    """Select over ``_stage``: typed contract columns, ``_extra``, ``_raw``, ``_reason``,
    ``_columns`` (the contract columns the row breaks, comma-separated; NULL when none is
    known, e.g. a mapping conversion) and ``_key`` (the primary key as text, ``a/b`` for
    a composite key; NULL when part of it is missing).

    ``bounds`` is the run's accepted time range (default: computed now from settings).
    Each value is typed once and each column's rules are judged once (two steps), so a
    row's checks do not re-parse its values.
    """
    bounds = bounds or time_bounds()
    mapped = "_source_raw" in columns
    columns = [c for c in columns if c not in MAPPING_COLUMNS]
    present = set(columns)
    contract = table.column_names
    typing = ",\n        ".join(
        f"{typed_expression(c, present, table.naive_timezone)} as {_typed_name(c)}"
        for c in table.columns
    )
    typed = ",\n    ".join(f"{_typed_name(c)} as {quote_ident(c.name)}" for c in table.columns)
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
    # One message column per contract column with rules: NULL, or its broken rules.
    judging: list[str] = []
    problems: list[str] = ["_mapping_reason"] if mapped else []
    # The columns a row breaks, for the published quarantine (which carries no values).
    broken: list[str] = []
    for c in table.columns:
        checks = _problems(c, present, _typed_name(c), bounds)
        if not checks:
            continue
        judging.append(f"nullif(concat_ws('; ', {', '.join(checks)}), '') as {_problem_name(c)}")
        problems.append(_problem_name(c))
        broken.append(f"case when {_problem_name(c)} is not null then {sql_literal(c.name)} end")
    pk = ", ".join(_value(table.column(k), present) for k in table.primary_key)
    pk_text = " || '/' || ".join(_value(table.column(k), present) for k in table.primary_key)
    judging.append(
        f"case when count(*) over (partition by {pk}) > 1 "
        f"and row_number() over (partition by {pk} order by _line) > 1 "
        f"then 'duplicate primary key ' || {pk_text} || ' in this file (first at line ' "
        f"|| min(_line) over (partition by {pk}) || ')' end as _kpitree_duplicate"
    )
    problems.append("_kpitree_duplicate")
    broken.append(
        "case when _kpitree_duplicate is not null "
        f"then {sql_literal(', '.join(table.primary_key))} end"
    )
    reason = "coalesce(concat_ws('; ', " + ", ".join(problems) + "), '')"
    columns_broken = "nullif(concat_ws(', ', " + ", ".join(broken) + "), '')"
    judged = ",\n        ".join(judging)
    return (
        f"with _typed as (\n    select\n        *,\n        {typing}\n    from _stage\n),\n"
        f"_judged as (\n    select\n        *,\n        {judged}\n    from _typed\n)\n"
        f"select\n    {typed},\n    cast({extra} as varchar) as _extra,\n"
        f"    cast({raw} as varchar) as _raw,\n    _line,\n    {reason} as _reason,\n"
        f"    {columns_broken} as _columns,\n    {pk_text} as _key\n"
        "from _judged"
    )


def raw_table_ddl(table: Table, schema: str = "raw") -> str:
    columns = ",\n    ".join(f"{quote_ident(c.name)} {DUCKDB_TYPES[c.type]}" for c in table.columns)
    return (
        f"create table if not exists {schema}.{table.raw_table} (\n    {columns},\n"
        "    _extra varchar,\n    _file varchar,\n    _line bigint,\n"
        "    _content_hash varchar,\n    _loaded_at timestamptz\n)"
    )
