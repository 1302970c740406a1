"""PostgreSQL as the warehouse (``--target postgres``).

The landing files are read, checked and quarantined as on DuckDB, into the working DuckDB
file; :func:`load_working` then copies its ``raw`` and ``ingest`` schemas into the
PostgreSQL database with COPY (one bulk stream per table, never row by row), where the same
dbt models build. The connection comes from libpq's own variables (``PGHOST``, ``PGPORT``,
``PGUSER``, ``PGDATABASE``, ``PGPASSWORD``) or ``~/.pgpass``: never from a file in the
project."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb

# The working schemas the ingest step writes (what the dbt sources read).
LOADED_SCHEMAS = ("raw", "ingest")
# DuckDB column type -> PostgreSQL column type, for the types the ingest step writes.
TYPES = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "DOUBLE": "double precision",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


# format_type's spelling -> the spelling of TYPES.
PG_NAMES = {
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
}


class PostgresError(RuntimeError):
    """The PostgreSQL server cannot be reached or refused a statement; the message says
    which and how to point kpitree at the server."""


def connect():
    """A connection to the server libpq's variables (or ~/.pgpass) name."""
    import psycopg2

    try:
        return psycopg2.connect(connect_timeout=10, application_name="kpitree")
    except psycopg2.OperationalError as error:
        where = "{}:{} database {} user {}".format(
            os.environ.get("PGHOST", "localhost"),
            os.environ.get("PGPORT", "5432"),
            os.environ.get("PGDATABASE", "(PGUSER's name)"),
            os.environ.get("PGUSER", "(your login)"),
        )
        raise PostgresError(
            f"cannot connect to PostgreSQL at {where}: {str(error).strip()} "
            "(set PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD or ~/.pgpass)"
        ) from error


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.replace("DECIMAL", "numeric")
    try:
        return TYPES[duckdb_type]
    except KeyError:
        raise PostgresError(f"no PostgreSQL type for DuckDB's {duckdb_type}") from None


def _columns(cursor, schema: str, table: str) -> list[tuple[str, str]]:
    """The columns of a PostgreSQL table and their types as the DDL names them."""
    cursor.execute(
        "select attname, format_type(atttypid, atttypmod) from pg_attribute "
        "where attrelid = to_regclass(%s) and attnum > 0 and not attisdropped "
        "order by attnum",
        [f"{_ident(schema)}.{_ident(table)}"],
    )
    return [(name, PG_NAMES.get(kind, kind)) for name, kind in cursor.fetchall()]


def load_working(working: Path, say: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """Replace the ``raw`` and ``ingest`` tables in PostgreSQL with those of the working
    DuckDB file, in one transaction (a failure leaves PostgreSQL as it was). Returns the rows
    copied per table."""
    duck = duckdb.connect(str(working), read_only=True)
    copied: dict[str, int] = {}
    try:
        tables = duck.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' "
            "order by all",
            [list(LOADED_SCHEMAS)],
        ).fetchall()
        pg = connect()
        try:
            with pg, pg.cursor() as cursor, tempfile.TemporaryDirectory() as tmp:
                for schema in LOADED_SCHEMAS:
                    cursor.execute(f"create schema if not exists {_ident(schema)}")
                for schema, table in tables:
                    name = f"{_ident(schema)}.{_ident(table)}"
                    columns = duck.execute(
                        "select column_name, data_type from information_schema.columns "
                        "where table_schema = ? and table_name = ? order by ordinal_position",
                        [schema, table],
                    ).fetchall()
                    ddl = ", ".join(f"{_ident(c)} {_pg_type(t)}" for c, t in columns)
                    if _columns(cursor, schema, table) == [(c, _pg_type(t)) for c, t in columns]:
                        # The staging views over it stay; the rows are replaced.
                        cursor.execute(f"truncate {name}")
                    else:
                        # New or changed columns (dbt rebuilds the views over it).
                        cursor.execute(f"drop table if exists {name} cascade")
                        cursor.execute(f"create table {name} ({ddl})")
                    export = Path(tmp) / f"{schema}.{table}.csv"
                    # UTC text for timestamps with a time zone: PostgreSQL reads the offset.
                    duck.execute("set TimeZone = 'UTC'")
                    duck.execute(
                        f"copy (select * from {name}) to '{export}' (format csv, header false)"
                    )
                    with export.open("rb") as rows:
                        cursor.copy_expert(f"copy {name} from stdin with (format csv)", rows)
                    copied[f"{schema}.{table}"] = cursor.rowcount
                    export.unlink()
                    say(f"copied {schema}.{table} to PostgreSQL: {cursor.rowcount:,} rows")
        finally:
            pg.close()
    finally:
        duck.close()
    return copied


def build(
    working: Path,
    target_path: Path,
    say: Callable[[str], None] = lambda _: None,
    extra_args: tuple[str, ...] = ("--exclude-resource-type", "unit_test"),
) -> None:
    """The PostgreSQL part of a run: the working DuckDB file's landed rows copied into the
    server (:func:`load_working`), then every dbt model built and tested there
    (``dbt build --target postgres``). dbt's artifacts and log go to ``target_path``.
    Raises :class:`PostgresError` naming what failed."""
    import subprocess

    from orchestration.project import DBT_PROJECT_DIR, dbt_executable

    load_working(working, say)
    command = [
        dbt_executable(), "build", "--target", "postgres",
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target_path), "--log-path", str(target_path),
        *extra_args,
    ]  # fmt: skip
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-30:])
        raise PostgresError(f"dbt build on PostgreSQL failed (exit {result.returncode}):\n{tail}")
    say("dbt build on PostgreSQL: " + (result.stdout.strip().splitlines() or ["done"])[-1])
