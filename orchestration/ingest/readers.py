"""Read one landing file with DuckDB's own readers into temporary staging tables.

Every reader produces the same two temp tables, so validation does not care about
the format:

- ``_stage``: the file's columns as text (header names as written) plus ``_line``,
  the line (CSV, JSONL) or row (Parquet) number that error messages name;
- ``_stage_rejects``: rows the reader itself could not parse (line, raw text, reason).

CSV line numbers count the header as line 1. A quoted field with a line break
inside counts as one line, so past such a field the number is the record number + 1.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.ingest.discover import LandingFile
from orchestration.ingest.encoding import UnreadableFile, detect_encoding, utf8_copy
from orchestration.ingest.sql import quote_ident, sql_literal


@dataclass(frozen=True)
class StagedFile:
    columns: list[str]  # the file's own column names, in file order
    rows_read: int  # data rows seen (parsed + rejected by the reader)
    encoding: str | None


def _create_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create or replace temp table _stage_rejects (line bigint, raw_row varchar, reason varchar)"
    )


def _columns_of(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(f"describe {table}").fetchall()
    return [r[0] for r in rows]


def _text_projection(columns: list[str]) -> str:
    return ", ".join(f"cast({quote_ident(c)} as varchar) as {quote_ident(c)}" for c in columns)


def read_csv(con: duckdb.DuckDBPyConnection, file: LandingFile, workdir: Path) -> StagedFile:
    encoding = detect_encoding(file.path, file.encoding)
    source = file.path
    if encoding != "utf-8":
        source = utf8_copy(file.path, encoding, workdir / "transcoded.csv")
    for name in ("_reader_errors", "_reader_scans"):
        con.execute(f"drop table if exists {name}")
    try:
        con.execute(
            "create or replace temp table _stage_rows as select * from read_csv("
            f"{sql_literal(str(source))}, header = true, all_varchar = true, "
            "delim = ',', quote = '\"', escape = '\"', store_rejects = true, "
            "rejects_table = '_reader_errors', rejects_scan = '_reader_scans')"
        )
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        raise UnreadableFile(f"not a readable CSV file ({message})") from exc
    columns = _columns_of(con, "_stage_rows")
    _create_rejects(con)
    # The reader records one error per broken field; quarantine one row per line.
    con.execute(
        "insert into _stage_rejects select line, any_value(csv_line), "
        "'unparseable CSV row: ' || lower(cast(arg_min(error_type, column_idx) as varchar)) "
        "|| ' (' || arg_min(error_message, column_idx) || ')' "
        "from _reader_errors group by line"
    )
    (parsed,) = con.execute("select count(*) from _stage_rows").fetchone()
    (rejected,) = con.execute("select count(distinct line) from _stage_rejects").fetchone()
    # Rows the reader accepted keep file order in rowid; their line numbers are the
    # data lines (2, 3, ...) that the reader did not reject, in order.
    con.execute(
        f"""
        create or replace temp table _stage as
        with good_lines as (
            select
                line,
                row_number() over (order by line) - 1 as ordinal
            from range(2, 2 + {parsed + rejected}) as lines (line)
            where line not in (select line from _stage_rejects)
        ),
        rows_in_order as (
            select rowid as ordinal, {_text_projection(columns)} from _stage_rows
        )
        select rows_in_order.* exclude (ordinal), good_lines.line as _line
        from rows_in_order
        inner join good_lines on rows_in_order.ordinal = good_lines.ordinal
        """
    )
    con.execute("drop table _stage_rows")
    return StagedFile(columns=columns, rows_read=parsed + rejected, encoding=encoding)


def read_parquet(con: duckdb.DuckDBPyConnection, file: LandingFile, workdir: Path) -> StagedFile:
    try:
        con.execute(
            "create or replace temp table _stage_rows as select * from read_parquet("
            f"{sql_literal(str(file.path))}, file_row_number = true)"
        )
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        raise UnreadableFile(f"not a readable Parquet file ({message})") from exc
    columns = [c for c in _columns_of(con, "_stage_rows") if c != "file_row_number"]
    con.execute(
        "create or replace temp table _stage as select "
        f"{_text_projection(columns)}, file_row_number + 1 as _line from _stage_rows"
    )
    con.execute("drop table _stage_rows")
    _create_rejects(con)
    (rows,) = con.execute("select count(*) from _stage").fetchone()
    return StagedFile(columns=columns, rows_read=rows, encoding=None)


def read_jsonl(con: duckdb.DuckDBPyConnection, file: LandingFile, workdir: Path) -> StagedFile:
    """JSON Lines: each non-blank line one JSON object.

    A line that is not a JSON object is rejected with its line number; the valid
    lines go to DuckDB's JSON reader with every key read as text.
    """
    encoding = detect_encoding(file.path, file.encoding)
    good_path = workdir / "good.jsonl"
    lines_path = workdir / "good_lines.csv"
    keys: dict[str, None] = {}
    rejects: list[tuple[int, str, str]] = []
    read = 0
    opener = gzip.open if file.is_gzip else open
    with (
        opener(file.path, "rt", encoding=encoding) as src,
        good_path.open("w", encoding="utf-8") as good,
        lines_path.open("w", encoding="utf-8") as numbers,
    ):
        numbers.write("_line\n")
        for number, line in enumerate(src, start=1):
            text = line.strip()
            if not text:
                continue
            read += 1
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                rejects.append((number, text, f"not valid JSON: {exc.msg}"))
                continue
            if not isinstance(record, dict):
                rejects.append((number, text, "not a JSON object"))
                continue
            keys.update(dict.fromkeys(record))
            good.write(json.dumps(record, ensure_ascii=False) + "\n")
            numbers.write(f"{number}\n")
    _create_rejects(con)
    if rejects:
        con.executemany("insert into _stage_rejects values (?, ?, ?)", rejects)
    columns = list(keys)
    if not columns:
        con.execute("create or replace temp table _stage (_line bigint)")
        return StagedFile(columns=[], rows_read=read, encoding=encoding)
    spec = "{" + ", ".join(f"{sql_literal(k)}: 'VARCHAR'" for k in columns) + "}"
    try:
        con.execute(
            f"""
            create or replace temp table _stage as
            with records as (
                select row_number() over () as ordinal, *
                from read_json({sql_literal(str(good_path))},
                    format = 'newline_delimited', columns = {spec})
            ),
            numbers as (
                select row_number() over () as ordinal, _line
                from read_csv({sql_literal(str(lines_path))}, header = true,
                    columns = {{'_line': 'BIGINT'}})
            )
            select records.* exclude (ordinal), numbers._line
            from records inner join numbers on records.ordinal = numbers.ordinal
            """
        )
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        raise UnreadableFile(f"not a readable JSON Lines file ({message})") from exc
    return StagedFile(columns=columns, rows_read=read, encoding=encoding)


READERS = {"csv": read_csv, "parquet": read_parquet, "jsonl": read_jsonl}


def stage_file(con: duckdb.DuckDBPyConnection, file: LandingFile, workdir: Path) -> StagedFile:
    """Read ``file`` into ``_stage`` / ``_stage_rejects``; raise UnreadableFile if it can't."""
    if file.format is None:
        raise UnreadableFile("unsupported file format: expected .csv, .csv.gz, .parquet or .jsonl")
    if file.path.stat().st_size == 0:
        raise UnreadableFile("empty file: no header row")
    return READERS[file.format](con, file, workdir)
