"""PostgreSQL as the warehouse (docs/postgres.md). The same numbers: the worked examples
and the hand-built end-to-end set, landed and checked as always, copied into a PostgreSQL
server, built there with the same dbt models and published, give the rows DuckDB publishes
in metrics.kpi_values, metrics.funnel, metrics.kpi_attainment and
quality.lead_definition_violations: every row, numbers within a relative 1e-9, NULLs equal.
Publishing swaps the schemas atomically under a concurrent reader; the BI role reads the
published schemas and nothing else. The server is a throw-away cluster from the OS packages
(tests/postgres_server.py), started here and removed afterwards."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import (
    EXAMPLES,
    REPO,
    add_drifting_lead,
    assert_same_rows,
    query,
    run_dbt_unit_tests,
)
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
    """Per landing folder: DuckDB's published file, and the PostgreSQL database where
    `kpitree run --target postgres` (ingest, copy, build, checks, publish) published the
    same landing files."""
    import psycopg2

    from orchestration.postgres import grant_bi_role
    from orchestration.runner import run_pipeline

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
            patch.setenv("KPITREE_TARGET", "postgres")
            grant_bi_role()
            outcome = run_pipeline(
                landing, tmp_path_factory.mktemp(name) / "kpitree.duckdb", say=lambda _: None
            )
            assert outcome.success and outcome.was_published, outcome.error
            assert not outcome.published.exists()  # published on the server only
        databases[name] = (published, database)
    return databases


def test_the_dbt_unit_tests_pass_on_postgresql(server, built, tmp_path) -> None:
    """The hand-computed unit tests, on the server (a run leaves them to `make test`)."""
    _, database = built["handbuilt"]
    run_dbt_unit_tests("postgres", {**server.env(), "PGDATABASE": database}, tmp_path)


def _connect(server, database: str) -> dict:
    return {"host": server.host, "port": server.port, "user": server.user, "dbname": database}


@pytest.mark.parametrize("name", list(LANDINGS))
@pytest.mark.parametrize("table", list(TABLES))
def test_postgresql_publishes_the_rows_duckdb_publishes(server, built, name, table) -> None:
    import psycopg2

    published, database = built[name]
    columns = TABLES[table] or [
        column for (column,) in query(published, f"select column_name from (describe {table})")
    ]
    listed = ", ".join(columns)
    duckdb_rows = query(published, f"select {listed} from {table}")
    con = psycopg2.connect(**_connect(server, database))
    try:
        cursor = con.cursor()
        cursor.execute(f"select {listed} from {table}")
        postgres_rows = cursor.fetchall()
    finally:
        con.close()
    if table != "quality.lead_definition_violations":
        assert duckdb_rows, f"{name}: {table} has rows to compare"
    assert_same_rows(duckdb_rows, postgres_rows, f"{name} {table} on PostgreSQL")


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
        # A reader that keeps a published table open: the swap gives way and, past its
        # timeout, fails without touching what is published.
        holder = psycopg2.connect(**_connect(server, database))
        holder.cursor().execute("select v from metrics.version")  # in an open transaction
        _sql(server, database, "update metrics_build.version set v = 99")
        with pytest.raises(PostgresError, match="readers held the published tables"):
            publish(swap_timeout=1)
        assert _sql(server, database, "select v from metrics.version") == [(20,)]
        holder.rollback()
        holder.close()
        _sql(server, database, "update metrics_build.version set v = 20")
        _sql(server, database, "drop schema quality_build cascade")
        with pytest.raises(PostgresError, match="quality_build"):
            publish()
    assert errors == []
    assert seen and all(metrics == quality for metrics, quality in seen)
    assert len({metrics for metrics, _ in seen}) > 1  # the reader saw publishes happen
    assert _sql(server, database, "select v from metrics.version") == [(20,)]
    assert _sql(server, database, "select v from quality.version") == [(20,)]
    left = _sql(server, database, "select nspname from pg_namespace where nspname like '%\\_old%'")
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


def test_the_definition_drift_blocks_publishing_on_postgresql(
    server, tmp_path, monkeypatch
) -> None:
    """A drop that breaks the shared MQL definition (the only MQL re-flagged with a score
    of 10) fails the Great Expectations check reading the rule results on the server, and
    the published schemas stay exactly as they were."""
    import shutil

    from orchestration.runner import run_pipeline

    database = "kpitree_drift"
    _sql(server, "postgres", f"create database {database}")
    for schema in ("metrics", "quality"):  # what an earlier night published
        _sql(server, database, f"create schema {schema}")
        _sql(server, database, f"create table {schema}.earlier as select 1 as night")
    landing = tmp_path / "landing"
    shutil.copytree(LANDINGS["t1"], landing)
    add_drifting_lead(landing)
    for key, value in {**server.env(), "PGDATABASE": database}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("KPITREE_TARGET", "postgres")
    outcome = run_pipeline(landing, tmp_path / "run" / "kpitree.duckdb", say=lambda _: None)
    assert not outcome.success
    assert outcome.failed_step == "great_expectations_checks"
    assert "mql_definition_drift" in outcome.check_failures[0]
    # Built and checked on the server, not published.
    assert _sql(server, database, "select count(*) > 0 from metrics_build.kpi_values") == [(True,)]
    published = _sql(
        server,
        database,
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('metrics', 'quality') order by 1, 2",
    )
    assert published == [("metrics", "earlier"), ("quality", "earlier")]
