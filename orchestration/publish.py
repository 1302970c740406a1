"""Publish the checked metrics in one atomic step.

BI tools hold the published DuckDB file open; DuckDB lets one process write or many
read, never both. So a run never writes the published file in place: it writes a
complete new file beside it and ``os.replace``-s it over the old one. Readers that
already have the old file open keep their snapshot; new connections see the new one.
A run that fails before this step leaves the published file untouched.

The KPI history (``metrics.kpi_history``) grows every night and is never rewritten, so it
is not copied into each new file: each run date's rows are written once to a Parquet file
in ``<stem>_history/`` beside the published file (named by the run date and a checksum of
its rows, so a changed day gets a new file), and the new file's ``metrics.kpi_history``
is a view over exactly the files of its own version -- a reader of the old file and a
reader of the new one each see a consistent history. ``<stem>_history/published.txt``
lists the files of the published version; a file neither it nor the version before it
names is removed (readers of the replaced file keep theirs until the next publish).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("metrics", "quality")
# DuckDB 2.0 writes files that DuckDB < 2.0 (embedded in many BI drivers) can't open.
STORAGE_VERSION = "v1.4.0"
PUBLISHED_MODE = 0o644  # readable by the BI tools' users, whatever the run's umask
PUBLISHED_FOLDER_MODE = 0o755
HISTORY = ("metrics", "kpi_history")
HISTORY_LIST = "published.txt"  # in the history folder: the published version's files


def history_folder(published: Path) -> Path:
    """Where the published history's Parquet files live: ``<stem>_history/``."""
    return published.parent / f"{published.stem}_history"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema in ? "
        "order by table_schema, table_name",
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    return [(schema, name) for schema, name in rows]


def publish(working: Path, published: Path, config: dict[str, str] | None = None) -> list[str]:
    """Copy the ``metrics`` and ``quality`` schemas of ``working`` into a new file
    and move it over ``published``; ``config``: DuckDB settings for the copy. Returns the
    published table names."""
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(published.name + ".tmp")
    leftovers = (staging, staging.with_name(staging.name + ".wal"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    history = history_folder(published)
    try:
        tables, parts = _write(working, staging, history, config or {})
        # BI users read the published file; the working files stay private.
        staging.chmod(PUBLISHED_MODE)
        with staging.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, published)
    except BaseException:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        raise
    _remove_superseded(history, keep=parts)
    return [f"{schema}.{name}" for schema, name in tables]


def _write(
    working: Path, staging: Path, history: Path, config: dict[str, str]
) -> tuple[list[tuple[str, str]], list[Path]]:
    con = duckdb.connect(str(working), config=config)
    try:
        tables = published_tables(con)
        parts = _history_parts(con, history) if HISTORY in tables else []
        con.execute(
            f"attach '{staging.as_posix()}' as published (storage_version '{STORAGE_VERSION}')"
        )
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"create schema if not exists published.{schema}")
        for schema, name in tables:
            source, target = f"{schema}.{_quote(name)}", f"published.{schema}.{_quote(name)}"
            if (schema, name) == HISTORY and parts:
                files = ", ".join(_literal(part.as_posix()) for part in parts)
                con.execute(f"create view {target} as select * from read_parquet([{files}])")
            elif (schema, name) == HISTORY:  # no history yet: an empty table of its columns
                con.execute(f"create table {target} as select * from {source} limit 0")
            else:
                con.execute(f"create table {target} as select * from {source}")
        con.execute("detach published")
    finally:
        con.close()
    return tables, parts


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _history_parts(con: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    """One Parquet file per run date of the working history, written when no file of the
    same rows exists yet; returns them in run-date order."""
    schema, name = HISTORY
    days = con.execute(
        f"select run_date, count(*), sum(hash(h)) from {schema}.{name} as h "
        "group by run_date order by run_date"
    ).fetchall()
    if days:
        folder.mkdir(exist_ok=True)
        folder.chmod(PUBLISHED_FOLDER_MODE)
    parts = []
    for run_date, rows, checksum in days:
        digest = hashlib.sha256(f"{rows}:{checksum}".encode()).hexdigest()[:16]
        part = folder / f"{run_date.isoformat()}_{digest}.parquet"
        if not part.exists():
            partial = part.with_name(part.name + ".tmp")
            day = _literal(run_date.isoformat())
            con.execute(
                f"copy (select * from {schema}.{name} where run_date = {day} order by all) "
                f"to {_literal(partial.as_posix())} (format parquet)"
            )
            partial.chmod(PUBLISHED_MODE)
            os.replace(partial, part)
        parts.append(part)
    return parts


def _remove_superseded(folder: Path, keep: list[Path]) -> None:
    """Record ``keep`` as the published version's history files; delete the files that
    neither it nor the version it replaced names."""
    if not folder.is_dir():
        return
    listing = folder / HISTORY_LIST
    previous = listing.read_text(encoding="utf-8").split() if listing.exists() else []
    partial = listing.with_name(listing.name + ".tmp")
    partial.write_text("".join(f"{part.name}\n" for part in keep), encoding="utf-8")
    partial.chmod(PUBLISHED_MODE)
    os.replace(partial, listing)
    named = {part.name for part in keep} | set(previous) | {HISTORY_LIST}
    for path in folder.iterdir():
        if path.name not in named:
            path.unlink(missing_ok=True)
