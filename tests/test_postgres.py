"""The same numbers on PostgreSQL (docs/postgres.md): the worked examples and the hand-built
end-to-end set, landed and checked as always, copied into a PostgreSQL server and built
there with the same dbt models, give the rows DuckDB publishes in metrics.kpi_values,
metrics.funnel, metrics.kpi_attainment and quality.lead_definition_violations: every
row, numbers within a relative 1e-9, NULLs equal. The server is a throw-away cluster from
the OS packages (tests/postgres_server.py), started here and removed afterwards."""

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

    from orchestration.postgres import build

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
