"""Shared test set-up: the dbt manifest that Dagster reads must exist before the
Definitions are imported (a fresh clone has none)."""

from __future__ import annotations

import atexit
import csv
import math
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

from orchestration.project import prepare_manifest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "tests" / "fixtures" / "examples"
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# Runs are recorded in a Dagster instance of the test session, not the developer's
# var/dagster_home (the Makefile exports DAGSTER_HOME).
_DAGSTER_HOME = tempfile.mkdtemp(prefix="kpitree-test-dagster-")
os.environ["DAGSTER_HOME"] = _DAGSTER_HOME
atexit.register(shutil.rmtree, _DAGSTER_HOME, ignore_errors=True)


# Once per test session, before anything imports the dbt assets.
prepare_manifest()


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
        select v.value
        from metrics.kpi_values as v
        inner join metrics.kpi_definitions as d
            on v.kpi_name = d.kpi_name and v.kpi_version = d.kpi_version
        where d.is_current and v.kpi_name = ? and v.grain = ?
            and v.period_start = cast(? as date) and v.dimension = ?
            and v.dimension_value = ?
        """,
        [kpi_name, grain, period_start, dimension, dimension_value],
    ).fetchall()


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
