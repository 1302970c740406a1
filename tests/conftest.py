"""Shared test set-up: the dbt manifest that Dagster reads and the lead-definition seeds
that dbt reads, written once per session (a fresh clone has neither)."""

from __future__ import annotations

import atexit
import csv
import fcntl
import hashlib
import math
import os
import pickle
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.project import prepared_manifest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "tests" / "fixtures" / "examples"
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# Runs are recorded in a Dagster instance of the test session, not the developer's
# var/dagster_home (the Makefile exports DAGSTER_HOME).
_DAGSTER_HOME = tempfile.mkdtemp(prefix="kpitree-test-dagster-")
os.environ["DAGSTER_HOME"] = _DAGSTER_HOME
atexit.register(shutil.rmtree, _DAGSTER_HOME, ignore_errors=True)


# Once per test session: the dbt assets reuse it, and tests that call dbt directly need
# the seeds it writes.
prepared_manifest()


def current_kpi_value(
    con: duckdb.DuckDBPyConnection,
    kpi_name: str,
    grain: str,
    period_start: str,
    dimension: str = "all",
    dimension_value: str = "all",
) -> list[tuple]:
    """Rows of the current version of a KPI for one period and dimension value."""
    return con.execute(
        """
        select value
        from metrics.kpi_values_current
        where kpi_name = ? and grain = ?
            and period_start = cast(? as date) and dimension = ?
            and dimension_value = ?
        """,
        [kpi_name, grain, period_start, dimension, dimension_value],
    ).fetchall()


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    """The rows of ``sql`` on a DuckDB file, opened read-only (a published or working
    file a test reads and never writes)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def assert_same_rows(expected: list[tuple], actual: list[tuple], label: str) -> None:
    """The same rows in any order (another engine's output against DuckDB's): numbers
    within a relative 1e-9, NULLs equal, timestamps with a zone compared as UTC instants."""

    def plain(value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.timestamp()
        return value

    def ordered(rows: list[tuple]) -> list[tuple]:
        return sorted(
            (tuple(plain(v) for v in row) for row in rows),
            key=lambda row: tuple((v is None, str(v)) for v in row),
        )

    def same(a, b) -> bool:
        if isinstance(a, float) or isinstance(b, float):
            if a is None or b is None:
                return a is b
            return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
        return a == b

    expected, actual = ordered(expected), ordered(actual)
    assert len(actual) == len(expected), f"{label}: {len(actual)} rows, expected {len(expected)}"
    for want, got in zip(expected, actual, strict=True):
        assert all(same(a, b) for a, b in zip(want, got, strict=True)), (
            f"{label}:\n  expected (DuckDB) {want}\n  actual           {got}"
        )


def add_drifting_lead(landing: Path) -> None:
    """A drop that breaks the shared MQL definition: the only MQL of the t1 example
    re-flagged with a score of 10 (under mql_score_threshold), so the drift check fails."""
    (landing / "leads" / "leads_3.csv").write_text(
        "lead_id,lead_source,owner_id,lead_score,created_at,mql_at,sql_at,updated_at\n"
        "L1,web,u1,10,2026-03-20T10:00:00,2026-03-25T10:00:00,2026-04-01T09:00:00,"
        "2026-04-02T09:00:00\n",
        encoding="utf-8",
    )


def run_dbt_unit_tests(target: str, env: dict[str, str], folder: Path) -> None:
    """dbt's unit tests on ``target`` (a run leaves them to `make test`), with ``env``
    added to this process's environment; fails with dbt's last lines unless all pass."""
    import subprocess

    from orchestration.project import DBT_PROJECT_DIR, dbt_executable

    result = subprocess.run(
        [
            dbt_executable(), "test", "--target", target, "--select", "test_type:unit",
            "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(folder), "--log-path", str(folder),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert "ERROR=0" in result.stdout and "PASS=0" not in result.stdout


def expected_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def check_expected(con: duckdb.DuckDBPyConnection, row: dict[str, str]) -> None:
    """Assert one row of an expected.csv (a number, NULL, or <no row>)."""
    rows = current_kpi_value(
        con,
        row["kpi_name"],
        row["grain"],
        row["period_start"],
        row["dimension"],
        row["dimension_value"],
    )
    expected = row["expected"]
    label = f"{row['kpi_name']} {row['grain']} {row['period_start']} {row['dimension']}="
    label += f"{row['dimension_value']} ({row['why']})"
    if expected == "<no row>":
        assert rows == [], f"{label}: expected no row, got {rows}"
        return
    assert len(rows) == 1, f"{label}: expected one row, got {rows}"
    (value,) = rows[0]
    if expected == "NULL":
        assert value is None, f"{label}: expected NULL, got {value}"
    else:
        assert value is not None, f"{label}: expected {expected}, got NULL"
        assert math.isclose(value, float(expected), rel_tol=1e-9, abs_tol=1e-9), (
            f"{label}: expected {expected}, got {value}"
        )


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    """An empty landing folder."""
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


# The modules that take longest (several pipeline runs each), longest first.
LONGEST_MODULES = (
    "test_spark.py",
    "test_spark_nightly.py",
    "test_incremental.py",
    "test_lead_definitions.py",
    "test_examples.py",
    "test_run_hygiene.py",
    "test_hubspot_robustness.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules that run the pipeline first, the longest of them first: with
    pytest-xdist's ``--dist loadscope`` each module goes to one worker, and a long module
    handed out last would keep one worker busy while the other has nothing left to do."""

    def order(item: pytest.Item) -> tuple[bool, int]:
        name = item.path.name
        rank = LONGEST_MODULES.index(name) if name in LONGEST_MODULES else len(LONGEST_MODULES)
        return item.get_closest_marker("pipeline") is None, rank

    items.sort(key=order)


# --- pipeline runs, one per landing folder per session ---------------------------------------


class PipelineRuns:
    """The real pipeline (ingest -> dbt build -> checks -> publish), run once per landing
    folder per test session, also when pytest-xdist spreads the tests over processes (the
    first process to need a run does it, under a file lock; the others read its outcome).
    Tests read the shared published warehouse and never write to it; a test that goes on
    from a run (another drop, a failing step) takes a copy."""

    def __init__(self, root: Path) -> None:
        self._root = root
        root.mkdir(parents=True, exist_ok=True)

    def outcome(self, landing: Path):
        """The :class:`orchestration.runner.RunOutcome` of the run on ``landing``; the
        run must succeed."""
        from orchestration.runner import run_pipeline

        landing = landing.resolve()
        key = hashlib.sha256(str(landing).encode()).hexdigest()[:12]
        folder = self._root / f"{landing.parent.name}-{key}"
        saved = folder / "outcome.pickle"
        with (self._root / f"{key}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not saved.exists():
                folder.mkdir()
                outcome = run_pipeline(landing, folder / "kpitree.duckdb", say=lambda _: None)
                assert outcome.success, f"{landing}: {outcome.failed_step}: {outcome.error}"
                saved.write_bytes(pickle.dumps(outcome))
        return pickle.loads(saved.read_bytes())

    def published(self, landing: Path) -> Path:
        """The published warehouse of the run on ``landing`` (read it only)."""
        return self.outcome(landing).published

    def copy(self, landing: Path, folder: Path) -> Path:
        """A private copy in ``folder`` of the published warehouse and its working files
        after the run on ``landing``; returns the copy's published file. A run on the copy
        goes on exactly as a second run on the original would."""
        from orchestration.publish import history_folder
        from orchestration.settings import WarehousePaths

        source = WarehousePaths(self.published(landing))
        target = WarehousePaths(folder / source.published.name)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source.published, target.published)
        shutil.copytree(source.workdir, target.workdir, symlinks=True)
        history = history_folder(source.published)
        if history.exists():
            shutil.copytree(history, history_folder(target.published))
        return target.published


@pytest.fixture(scope="session")
def pipeline_runs(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PipelineRuns:
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist every worker has its own base folder inside one shared parent.
    shared = base if worker_id == "master" else base.parent
    return PipelineRuns(shared / "pipeline-runs")
