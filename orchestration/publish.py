"""Publish the checked metrics in one atomic step.

BI tools hold the published DuckDB file open; DuckDB lets one process write or many
read, never both. So a run never writes the published file in place: it writes a
complete new file beside it and ``os.replace``-s it over the old one. Readers that
already have the old file open keep their snapshot; new connections see the new one.
A run that fails before this step leaves the published file untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("metrics", "quality")
# DuckDB 2.0 writes files that DuckDB < 2.0 (embedded in many BI drivers) can't open.
STORAGE_VERSION = "v1.4.0"
PUBLISHED_MODE = 0o644  # readable by the BI tools' users, whatever the run's umask


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
    try:
        tables = _write(working, staging, config or {})
        # BI users read the published file; the working files stay private.
        staging.chmod(PUBLISHED_MODE)
        with staging.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, published)
    except BaseException:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        raise
    return [f"{schema}.{name}" for schema, name in tables]


def _write(working: Path, staging: Path, config: dict[str, str]) -> list[tuple[str, str]]:
    con = duckdb.connect(str(working), config=config)
    try:
        tables = published_tables(con)
        con.execute(
            f"attach '{staging.as_posix()}' as published (storage_version '{STORAGE_VERSION}')"
        )
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"create schema if not exists published.{schema}")
        for schema, name in tables:
            con.execute(
                f"create table published.{schema}.{_quote(name)} as "
                f"select * from {schema}.{_quote(name)}"
            )
        con.execute("detach published")
    finally:
        con.close()
    return tables
