"""End to end on a hand-built SFA/MA data set: landing files -> published warehouse.

``handbuilt/landing`` holds all eleven canonical tables (two teams, east and west, spread over
inside sales, field sales and marketing; a user who changes team in a later drop; a lead whose
sql_at arrives in a later drop; ``Z`` / ``+09:00`` / offset-less timestamps that move events
across day, month and fiscal-year edges in Asia/Tokyo). ``handbuilt/expected.csv`` holds the
KPI values computed by hand from docs/kpi-catalog.md, one per row with the reasoning in ``why``;
they were never copied from a pipeline run.

The data set keeps every lead inside the shared MQL / SQL definition (docs/lead-lifecycle.md), so
the drift checks that gate publishing cannot stop the run.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import check_expected, expected_rows

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

HERE = Path(__file__).resolve().parent
LANDING = HERE / "handbuilt" / "landing"
EXPECTED = HERE / "handbuilt" / "expected.csv"


@pytest.fixture(scope="module")
def warehouse(pipeline_runs) -> Path:
    return pipeline_runs.published(LANDING)


@pytest.fixture(scope="module")
def con(warehouse: Path):
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def _cases():
    for row in expected_rows(EXPECTED):
        case_id = "/".join(
            [
                row["kpi_name"],
                row["grain"],
                row["period_start"],
                row["dimension"],
                row["dimension_value"],
            ]
        )
        yield pytest.param(row, id=case_id)


def test_expected_file_has_one_row_per_key() -> None:
    keys = [
        (r["kpi_name"], r["grain"], r["period_start"], r["dimension"], r["dimension_value"])
        for r in expected_rows(EXPECTED)
    ]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("row", list(_cases()))
def test_handbuilt_kpi_value(con: duckdb.DuckDBPyConnection, row: dict[str, str]) -> None:
    check_expected(con, row)
