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

from orchestration.publish import PUBLISHED_SCHEMAS
from orchestration.settings import LANDED_SCHEMAS

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


def describe_server() -> str:
    """The server and database libpq's variables name, for messages (no password)."""
    return "{}:{} database {} user {}".format(
        os.environ.get("PGHOST", "localhost"),
        os.environ.get("PGPORT", "5432"),
        os.environ.get("PGDATABASE", "(PGUSER's name)"),
        os.environ.get("PGUSER", "(your login)"),
    )


def sqlalchemy_url() -> str:
    """The same server as a SQLAlchemy URL (for Great Expectations' SQL datasource); without
    PGPASSWORD the driver reads ~/.pgpass as libpq always does."""
    from urllib.parse import quote

    user = quote(os.environ.get("PGUSER") or os.environ.get("USER", "postgres"), safe="")
    password = os.environ.get("PGPASSWORD") or ""
    login = f"{user}:{quote(password, safe='')}" if password else user
    host = os.environ.get("PGHOST", "localhost")
    port = os.environ.get("PGPORT", "5432")
    database = quote(os.environ.get("PGDATABASE") or user, safe="")
    return f"postgresql+psycopg2://{login}@{host}:{port}/{database}"


def connect():
    """A connection to the server libpq's variables (or ~/.pgpass) name."""
    import psycopg2

    try:
        return psycopg2.connect(connect_timeout=10, application_name="kpitree")
    except psycopg2.OperationalError as error:
        raise PostgresError(
            f"cannot connect to PostgreSQL at {describe_server()}: {str(error).strip()} "
            "(set PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD or ~/.pgpass)"
        ) from None  # the message holds the driver's; a run reports this one


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
            [list(LANDED_SCHEMAS)],
        ).fetchall()
        pg = connect()
        try:
            with pg, pg.cursor() as cursor, tempfile.TemporaryDirectory() as tmp:
                for schema in LANDED_SCHEMAS:
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


# --- publishing and the BI role -----------------------------------------------------------

BUILD_SUFFIX = "_build"  # where dbt builds them (macros/generate_schema_name.sql)
NEXT_SUFFIX = "_next"  # a copy, before it is swapped in
OLD_SUFFIX = "_old"  # the copy swapped out, dropped once no reader holds it
BI_ROLE = "kpitree_bi"
# Schemas a BI login must never read: the landed rows and everything built from them
# before the metrics (personal data lives there).
PRIVATE_SCHEMAS = ("raw", "ingest", "staging", "intermediate")


def _schema_exists(cursor, schema: str) -> bool:
    cursor.execute("select 1 from pg_namespace where nspname = %s", [schema])
    return cursor.fetchone() is not None


def _grant_reading(cursor, schema: str, role: str) -> None:
    cursor.execute(f"grant usage on schema {_ident(schema)} to {_ident(role)}")
    cursor.execute(f"grant select on all tables in schema {_ident(schema)} to {_ident(role)}")


def _role_exists(cursor, role: str) -> bool:
    cursor.execute("select 1 from pg_roles where rolname = %s", [role])
    return cursor.fetchone() is not None


def publish(role: str | None = BI_ROLE, swap_timeout: float = 120.0) -> list[str]:
    """Publish what the run built in ``metrics_build`` and ``quality_build``.

    First each table and view is copied as a table into ``<schema>_next``, readable by
    ``role`` (when it exists); BI tools do not look there and the published schemas are
    untouched. Then one short transaction locks every published table, renames
    ``metrics`` and ``quality`` away and the copies in. A BI session sees the old tables or
    the new ones, never a mix and never an error: a query holding a published table
    finishes on it before the swap, and one that asks for a table during the swap waits
    for it and then reads the new one. The swap gives way to readers: it waits at most
    half a second for its locks (less than PostgreSQL's deadlock timeout, so the swap, not
    a reader, yields in a conflict) and tries again until ``swap_timeout`` seconds have
    passed; then it fails. A failure leaves the published schemas as they were. The
    swapped-out copies are dropped afterwards, or by a later publish when a reader still
    holds them. Returns the published tables."""
    con = connect()
    try:
        tables = _copy_to_next(con, role)
        try:
            _swap(con, swap_timeout)
        except BaseException:
            with con, con.cursor() as cursor:
                for schema in PUBLISHED_SCHEMAS:
                    cursor.execute(f"drop schema if exists {_ident(schema + NEXT_SUFFIX)} cascade")
            raise
        _drop_old(con)
    finally:
        con.close()
    return tables


def _copy_to_next(con, role: str | None) -> list[str]:
    tables: list[str] = []
    with con, con.cursor() as cursor:
        grant_to = role if role and _role_exists(cursor, role) else None
        for schema in PUBLISHED_SCHEMAS:
            build, new = schema + BUILD_SUFFIX, schema + NEXT_SUFFIX
            if not _schema_exists(cursor, build):
                raise PostgresError(f"nothing to publish: schema {build} does not exist")
            cursor.execute(f"drop schema if exists {_ident(new)} cascade")
            cursor.execute(f"create schema {_ident(new)}")
            cursor.execute(
                "select table_name from information_schema.tables "
                "where table_schema = %s order by table_name",
                [build],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(
                    f"create table {_ident(new)}.{_ident(table)} as "
                    f"select * from {_ident(build)}.{_ident(table)}"
                )
                tables.append(f"{schema}.{table}")
            if grant_to:
                _grant_reading(cursor, new, grant_to)
    return tables


def _swap(con, timeout: float) -> None:
    import time

    import psycopg2

    deadline = time.monotonic() + timeout
    while True:
        try:
            with con, con.cursor() as cursor:
                cursor.execute("set local lock_timeout = '500ms'")
                cursor.execute(
                    "select quote_ident(table_schema) || '.' || quote_ident(table_name) "
                    "from information_schema.tables where table_schema in %s order by 1",
                    [PUBLISHED_SCHEMAS],
                )
                for (table,) in cursor.fetchall():
                    cursor.execute(f"lock table {table} in access exclusive mode")
                stamp = time.strftime("%Y%m%d%H%M%S")
                for schema in PUBLISHED_SCHEMAS:
                    if _schema_exists(cursor, schema):
                        old = f"{schema}{OLD_SUFFIX}_{stamp}_{os.getpid()}"
                        cursor.execute(f"alter schema {_ident(schema)} rename to {_ident(old)}")
                    cursor.execute(
                        f"alter schema {_ident(schema + NEXT_SUFFIX)} rename to {_ident(schema)}"
                    )
            return
        except psycopg2.errors.LockNotAvailable:
            if time.monotonic() > deadline:
                raise PostgresError(
                    f"not published: readers held the published tables for over {timeout:.0f} s "
                    "(the published schemas are as they were)"
                ) from None
            time.sleep(0.2)


def _drop_old(con) -> None:
    """Drop the swapped-out schemas no reader holds (a later publish drops the rest)."""
    import psycopg2

    with con, con.cursor() as cursor:
        cursor.execute(
            "select nspname from pg_namespace where nspname like any(%s) order by 1",
            [[f"{schema}{OLD_SUFFIX}%" for schema in PUBLISHED_SCHEMAS]],
        )
        old = [name for (name,) in cursor.fetchall()]
    for schema in old:
        try:
            with con, con.cursor() as cursor:
                cursor.execute("set local lock_timeout = '5s'")
                cursor.execute(f"drop schema if exists {_ident(schema)} cascade")
        except psycopg2.errors.LockNotAvailable:
            pass


def grant_bi_role(role: str = BI_ROLE) -> None:
    """Create ``role`` when missing (NOLOGIN: grant it to the BI tool's login, or give it
    LOGIN and a password), and let it read ``metrics`` and ``quality`` and nothing else:
    no access to the private schemas, no writes, no CREATE anywhere kpitree owns. Every
    publish grants the same on the schemas it swaps in, so the grants survive it."""
    con = connect()
    try:
        with con, con.cursor() as cursor:
            if not _role_exists(cursor, role):
                cursor.execute(f"create role {_ident(role)} nologin")
            for schema in PUBLISHED_SCHEMAS:
                if _schema_exists(cursor, schema):
                    _grant_reading(cursor, schema, role)
            for schema in (*PRIVATE_SCHEMAS, *(s + BUILD_SUFFIX for s in PUBLISHED_SCHEMAS)):
                if _schema_exists(cursor, schema):
                    cursor.execute(
                        f"revoke all on schema {_ident(schema)} from {_ident(role)}, public"
                    )
            cursor.execute(f"revoke create on schema public from {_ident(role)}, public")
    finally:
        con.close()
