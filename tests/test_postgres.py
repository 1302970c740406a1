"""PostgreSQL as the warehouse (docs/postgres.md). The same numbers: the worked examples
and the hand-built end-to-end set, landed and checked as always, copied into a PostgreSQL
server, built there with the same dbt models and published, give the rows DuckDB publishes
in metrics.kpi_values, metrics.funnel, metrics.kpi_attainment and
quality.lead_definition_violations: every row, numbers within a relative 1e-9, NULLs equal.
Publishing swaps the schemas atomically under a concurrent reader; the BI role reads the
published schemas and nothing else. The server is a throw-away cluster from the OS packages
(tests/postgres_server.py), started here and removed afterwards."""

from __future__ import annotations

import math
import os
from datetime import datetime
from pathlib import Path

import pytest

from orchestration.settings import WarehousePaths
from tests.conftest import EXAMPLES, REPO, query
from tests.postgres_server import bin_dir, start_temporary

pytestmark = pytest.mark.pipeline

if bin_dir() is None:
    if os.environ.get("CI"):
        pytest.fail("PostgreSQL is missing: `make os-packages` installs it", pytrace=False)
    pytest.skip("no PostgreSQL: `make os-packages` (apt-get install postgresql)",
                allow_module_level=True)  # fmt: skip

LANDINGS = {
    "t1": EXAMPLES / "t1-reading-and-funnel" / "landing",
    "t3": EXAMPLES / "t3-span-retention-pipeline" / "landing",
    "handbuilt": REPO / "tests" / "e2e" / "handbuilt" / "landing",
}
# Published table -> the columns compared (detected_at is when the run saw a violation).
TABLES = {
    "metrics.kpi_values": None,
    "metrics.funnel": None,
    "metrics.kpi_attainment": None,
    "quality.lead_definition_violations": ["lead_id", "rule", "owner_department", "severity"],
}


@pytest.fixture(scope="module")
def server():
    server = start_temporary()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def built(server, pipeline_runs, tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Per landing folder: DuckDB's published file, and the PostgreSQL database the same
    landed rows were built in."""
    import psycopg2

    from orchestration.postgres import build, grant_bi_role, publish

    databases = {}
    for name, landing in LANDINGS.items():
        published = pipeline_runs.published(landing)
        database = f"kpitree_{name}"
        admin = psycopg2.connect(**_connect(server, "postgres"))
        admin.autocommit = True
        admin.cursor().execute(f"create database {database}")
        admin.close()
        with pytest.MonkeyPatch.context() as patch:
            for key, value in {**server.env(), "PGDATABASE": database}.items():
                patch.setenv(key, value)
            # Unit tests once (they do not read the data), data tests on every set.
            args = () if name == "handbuilt" else ("--exclude-resource-type", "unit_test")
            build(
                WarehousePaths(published).working,
                tmp_path_factory.mktemp(f"dbt-{name}"),
                extra_args=args,
            )
            grant_bi_role()
            publish()
        databases[name] = (published, database)
    return databases


def _connect(server, database: str) -> dict:
    return {"host": server.host, "port": server.port, "user": server.user, "dbname": database}


def _rows(rows: list[tuple]) -> list[tuple]:
    """Rows in one order, timestamps as UTC instants."""

    def plain(value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.timestamp()
        return value

    return sorted(
        (tuple(plain(v) for v in row) for row in rows),
        key=lambda row: tuple((v is None, str(v)) for v in row),
    )


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return a == b


@pytest.mark.parametrize("name", list(LANDINGS))
@pytest.mark.parametrize("table", list(TABLES))
def test_postgresql_publishes_the_rows_duckdb_publishes(server, built, name, table) -> None:
    import psycopg2

    published, database = built[name]
    columns = TABLES[table] or [
        column for (column,) in query(published, f"select column_name from (describe {table})")
    ]
    listed = ", ".join(columns)
    duckdb_rows = _rows(query(published, f"select {listed} from {table}"))
    con = psycopg2.connect(**_connect(server, database))
    try:
        cursor = con.cursor()
        cursor.execute(f"select {listed} from {table}")
        postgres_rows = _rows(cursor.fetchall())
    finally:
        con.close()
    assert len(postgres_rows) == len(duckdb_rows)
    if table != "quality.lead_definition_violations":
        assert duckdb_rows, f"{name}: {table} has rows to compare"
    for duck_row, pg_row in zip(duckdb_rows, postgres_rows, strict=True):
        assert all(_same(a, b) for a, b in zip(duck_row, pg_row, strict=True)), (
            f"{name} {table}:\n  duckdb     {duck_row}\n  postgresql {pg_row}"
        )


def _sql(server, database: str, sql: str, user: str | None = None) -> list[tuple]:
    import psycopg2

    settings = _connect(server, database)
    if user:
        settings["user"] = user
    con = psycopg2.connect(**settings)
    try:
        con.autocommit = True
        cursor = con.cursor()
        cursor.execute(sql)
        return cursor.fetchall() if cursor.description else []
    finally:
        con.close()


def test_the_bi_role_reads_what_is_published_and_nothing_else(server, built) -> None:
    import psycopg2

    from orchestration.postgres import publish

    _, database = built["handbuilt"]
    _sql(server, database, "create role bi_login login in role kpitree_bi")
    # A publish after the grants: they hold on the schemas it swaps in.
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**server.env(), "PGDATABASE": database}.items():
            patch.setenv(key, value)
        published = publish()
    assert "metrics.kpi_values" in published and "quality.ingest_log" in published
    for table in published:
        _sql(server, database, f"select count(*) from {table}", user="bi_login")
    refused = [
        "select count(*) from raw.leads",  # personal data
        "select count(*) from staging.stg_canonical__leads",
        "select count(*) from metrics_build.kpi_values",
        "insert into metrics.kpi_targets (kpi_name) values ('x')",
        "delete from metrics.kpi_values",
        "create table metrics.mine (a int)",
        "create table public.mine (a int)",
        "create schema mine",
    ]
    for sql in refused:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _sql(server, database, sql, user="bi_login")


def test_publishing_swaps_both_schemas_at_once_under_a_concurrent_reader(server) -> None:
    """A reader asking for metrics and quality in one query, over and over while publish
    runs again and again, sees one version in both, never an error; a publish that fails
    leaves the published version in place."""
    import threading

    import psycopg2

    from orchestration.postgres import PostgresError, publish

    database = "kpitree_swap"
    _sql(server, "postgres", f"create database {database}")
    for schema in ("metrics_build", "quality_build"):
        _sql(server, database, f"create schema {schema}")
        _sql(server, database, f"create table {schema}.version as select 0 as v")
    seen: list[tuple] = []
    errors: list[str] = []
    done = threading.Event()

    def read() -> None:
        con = psycopg2.connect(**_connect(server, database))
        con.autocommit = True
        cursor = con.cursor()
        while not done.is_set():
            try:
                cursor.execute(
                    "select (select v from metrics.version), (select v from quality.version)"
                )
                seen.append(cursor.fetchone())
            except psycopg2.errors.UndefinedTable:
                pass  # before the first publish
            except psycopg2.Error as error:
                errors.append(str(error))
        con.close()

    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**server.env(), "PGDATABASE": database}.items():
            patch.setenv(key, value)
        publish()
        reader = threading.Thread(target=read)
        reader.start()
        try:
            for version in range(1, 21):
                for schema in ("metrics_build", "quality_build"):
                    _sql(server, database, f"update {schema}.version set v = {version}")
                publish()
        finally:
            done.set()
            reader.join()
        _sql(server, database, "drop schema quality_build cascade")
        with pytest.raises(PostgresError, match="quality_build"):
            publish()
    assert errors == []
    assert seen and all(metrics == quality for metrics, quality in seen)
    assert len({metrics for metrics, _ in seen}) > 1  # the reader saw publishes happen
    assert _sql(server, database, "select v from metrics.version") == [(20,)]
    assert _sql(server, database, "select v from quality.version") == [(20,)]
    left = _sql(server, database, "select nspname from pg_namespace where nspname like '%_old'")
    assert left == []


def test_kpitree_grants_creates_the_role_and_names_an_unreachable_server(server, built) -> None:
    from typer.testing import CliRunner

    from orchestration.cli import app

    _, database = built["t1"]
    env = {**server.env(), "PGDATABASE": database}
    result = CliRunner().invoke(app, ["grants", "--role", "finance_bi"], env=env)
    assert result.exit_code == 0, result.output
    assert "finance_bi may read metrics and quality" in result.output
    _sql(server, database, "create role finance_login login in role finance_bi")
    assert _sql(server, database, "select count(*) > 0 from metrics.kpi_values",
                user="finance_login") == [(True,)]  # fmt: skip

    closed = {**env, "PGPORT": str(server.port + 1) if server.port < 65535 else "1"}
    result = CliRunner().invoke(app, ["grants"], env=closed)
    assert result.exit_code == 1
    assert "cannot connect to PostgreSQL" in result.output and "PGHOST" in result.output
