"""Generic CSV from Japanese SFA/MA tools: a per-source mapping onto the contract.

A folder ``<landing>/<source>/`` with a ``_mapping.yml`` holds one sub-folder per
export; the mapping says which canonical table each export feeds, which source
column fills each canonical column, and how to convert it:

```yaml
encoding: cp932            # optional: declared encoding (else detected)
tables:
  leads:                   # canonical table
    folder: リード一覧       # export folder under <landing>/<source>/ (default: the table name)
    columns:
      lead_id: リードID
      created_at: {from: 作成日時, convert: datetime}   # 2026/04/01 9:00, 2026年4月1日 ...
      lead_source: {from: 流入元, map: {Webサイト: web, 資料請求: document_request}}
      lead_score: {from: スコア, convert: number}       # full-width digits, commas
    constants:
      status: open
  opportunities:
    folder: 案件
    columns:
      amount: {from: 金額, convert: yen}   # ￥1,200,000 -> 1200000; 120万円 is quarantined
```

Converters: ``number`` (full-width digits, thousands separators), ``yen`` (also
strips ￥ / ¥ / 円; a value in 万 units is quarantined with a reason unless the
converter is ``man_yen``), ``man_yen`` (×10,000: ``１２０万円`` -> 1200000),
``datetime`` / ``date`` (Excel-style ``2026/04/01 9:00``, ``2026/4/1``,
``2026年4月1日 9時00分``, and ISO), ``boolean`` (○ / × / はい / いいえ / true ...).
A value a converter cannot read is quarantined with the column, the value and why;
nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from orchestration.contract import TABLES
from orchestration.ingest.sql import quote_ident, shown_value, sql_literal

MAPPING_FILE = "_mapping.yml"
FULL_WIDTH = "０１２３４５６７８９，．－＋：／　"
HALF_WIDTH = "0123456789,.-+:/ "
CONVERTERS = ("number", "yen", "man_yen", "datetime", "date", "boolean", "text")
TRUE_WORDS = ("○", "〇", "はい", "有", "あり", "済", "true", "yes", "1")
FALSE_WORDS = ("×", "✕", "いいえ", "無", "なし", "未", "false", "no", "0")


class MappingError(ValueError):
    """The mapping file is invalid; the message names the file and the entry."""


@dataclass(frozen=True)
class ColumnMapping:
    target: str
    source: str | None = None  # header in the export
    convert: str = "text"
    values: dict[str, str] = field(default_factory=dict)  # value map (enums)
    constant: str | None = None


@dataclass(frozen=True)
class TableMapping:
    table: str  # canonical table
    folder: str
    columns: tuple[ColumnMapping, ...]


@dataclass(frozen=True)
class SourceMapping:
    source: str
    path: Path
    encoding: str | None
    tables: tuple[TableMapping, ...]

    def for_folder(self, folder: str) -> TableMapping | None:
        return next((t for t in self.tables if t.folder == folder), None)


def load_mapping(source_dir: Path) -> SourceMapping:
    path = source_dir / MAPPING_FILE
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise MappingError(f"{path}: not valid YAML{where} ({problem})") from exc
    tables = []
    for table, spec in (document.get("tables") or {}).items():
        where = f"{path}: tables.{table}"
        if table not in TABLES:
            raise MappingError(f"{where}: not a canonical table ({', '.join(TABLES)})")
        known = set(TABLES[table].column_names)
        columns = []
        for target, rule in (spec.get("columns") or {}).items():
            if target not in known:
                raise MappingError(f"{where}.columns.{target}: not a column of {table}")
            if isinstance(rule, str):
                columns.append(ColumnMapping(target, source=rule))
                continue
            convert = rule.get("convert", "text")
            if convert not in CONVERTERS:
                raise MappingError(
                    f"{where}.columns.{target}: convert must be one of {', '.join(CONVERTERS)}"
                )
            if "from" not in rule:
                raise MappingError(f"{where}.columns.{target}: needs `from:` (the source header)")
            values = {str(k): str(v) for k, v in (rule.get("map") or {}).items()}
            columns.append(ColumnMapping(target, str(rule["from"]), convert, values))
        for target, value in (spec.get("constants") or {}).items():
            if target not in known:
                raise MappingError(f"{where}.constants.{target}: not a column of {table}")
            columns.append(ColumnMapping(target, constant=str(value)))
        tables.append(TableMapping(table, str(spec.get("folder", table)), tuple(columns)))
    return SourceMapping(source_dir.name, path, document.get("encoding"), tuple(tables))


def _half_width(value: str) -> str:
    return f"translate({value}, {sql_literal(FULL_WIDTH)}, {sql_literal(HALF_WIDTH)})"


def _converted(rule: ColumnMapping, value: str) -> tuple[str, str | None]:
    """(SQL for the converted text, SQL for a failure reason or None)."""
    shown = shown_value(value)
    name = rule.target
    if rule.convert in ("number", "yen", "man_yen"):
        cleaned = f"regexp_replace({_half_width(value)}, '[,\\s￥¥円]', '', 'g')"
        if rule.convert == "man_yen":
            number = f"regexp_extract({cleaned}, '^(-?[0-9]+(\\.[0-9]+)?)万$', 1)"
            text = (
                f"case when regexp_full_match({cleaned}, '-?[0-9]+(\\.[0-9]+)?万') "
                f"then cast(cast({number} as double) * 10000 as varchar) else {cleaned} end"
            )
            return text, None
        reason = (
            f"case when {cleaned} like '%万%' then '{name}: ' || {shown} || "
            "' is in 万 (10,000) units — set convert: man_yen in the mapping to read it' end"
        )
        return f"case when {cleaned} like '%万%' then null else {cleaned} end", reason
    if rule.convert in ("datetime", "date"):
        half = f"trim({_half_width(value)})"
        pattern = (
            r"^(\d{4})[/年.-](\d{1,2})[/月.-](\d{1,2})日?"
            r"(?:[ T]+(\d{1,2})(?:[:時](\d{1,2})分?)?(?:[:](\d{1,2})秒?)?)?$"
        )
        parts = f"regexp_extract({half}, {sql_literal(pattern)}, ['y','mo','d','h','mi','s'])"
        iso = (
            f"case when regexp_full_match({half}, {sql_literal(pattern[1:-1])}) then "
            f"printf('%04d-%02d-%02d', cast({parts}.y as int), cast({parts}.mo as int), "
            f"cast({parts}.d as int))"
        )
        if rule.convert == "datetime":
            iso += (
                f" || printf('T%02d:%02d:%02d', coalesce(try_cast({parts}.h as int), 0), "
                f"coalesce(try_cast({parts}.mi as int), 0), "
                f"coalesce(try_cast({parts}.s as int), 0))"
            )
        return f"{iso} else {half} end", None
    if rule.convert == "boolean":
        true = ", ".join(sql_literal(w) for w in TRUE_WORDS)
        false = ", ".join(sql_literal(w) for w in FALSE_WORDS)
        text = (
            f"case when lower(trim({value})) in ({true}) then 'true' "
            f"when lower(trim({value})) in ({false}) then 'false' else {value} end"
        )
        return text, None
    return value, None


def apply_mapping(
    con: duckdb.DuckDBPyConnection, mapping: TableMapping, columns: list[str]
) -> tuple[list[str], str | None]:
    """Rewrite ``_stage`` from the export's columns into the canonical ones.

    Returns the new column list, or a reason to reject the file (a mapped source
    column that the export does not have).
    """
    missing = [c.source for c in mapping.columns if c.source and c.source not in columns]
    if missing:
        named = ", ".join(missing)
        return columns, f"the export has no column(s) {named} named in the mapping"
    selects, reasons = [], []
    for rule in mapping.columns:
        if rule.constant is not None:
            selects.append(f"{sql_literal(rule.constant)} as {quote_ident(rule.target)}")
            continue
        value = f"nullif(trim({quote_ident(rule.source)}), '')"
        if rule.values:
            cases = " ".join(
                f"when {sql_literal(k)} then {sql_literal(v)}" for k, v in rule.values.items()
            )
            value = f"(case {value} {cases} else {value} end)"
        text, reason = _converted(rule, value)
        selects.append(f"{text} as {quote_ident(rule.target)}")
        if reason:
            reasons.append(reason)
    raw = "json_object(" + ", ".join(f"{sql_literal(c)}, {quote_ident(c)}" for c in columns) + ")"
    reason = "concat_ws('; ', " + ", ".join(reasons) + ")" if reasons else "cast(null as varchar)"
    con.execute(
        "create or replace temp table _stage as select "
        + ", ".join(selects)
        + f", _line, cast({raw} as varchar) as _source_raw, nullif({reason}, '') as _mapping_reason"
        + " from _stage"
    )
    return [c.target for c in mapping.columns] + ["_source_raw", "_mapping_reason"], None
