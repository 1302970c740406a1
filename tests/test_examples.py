"""The worked examples (docs/README.md), end to end: landing files -> published
warehouse, compared with the hand-computed expected.csv of each example."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import EXAMPLES, check_expected, expected_rows

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

EXAMPLE_NAMES = ["t1-reading-and-funnel", "t3-span-retention-pipeline"]


@pytest.fixture(scope="module")
def published(pipeline_runs) -> dict[str, Path]:
    return {name: pipeline_runs.published(EXAMPLES / name / "landing") for name in EXAMPLE_NAMES}


def _cases():
    for name in EXAMPLE_NAMES:
        for row in expected_rows(EXAMPLES / name / "expected.csv"):
            case_id = "/".join(
                [
                    name[:2],
                    row["kpi_name"],
                    row["grain"],
                    row["period_start"],
                    row["dimension_value"],
                ]
            )
            yield pytest.param(name, row, id=case_id)


@pytest.mark.parametrize(("example", "row"), list(_cases()))
def test_example_kpi_value(published: dict[str, Path], example: str, row: dict[str, str]) -> None:
    con = duckdb.connect(str(published[example]), read_only=True)
    try:
        check_expected(con, row)
    finally:
        con.close()


def test_a_bi_query_pinned_to_win_rate_v1_keeps_its_formula(published: dict[str, Path]) -> None:
    """win_rate v1 (won / opportunities created, the inside-sales article's literal
    formula) is published beside v2 (won / (won + lost)). t1: April has 2 new-business
    opportunities created, 0 won, 1 lost; May has 1 won, none created."""
    con = duckdb.connect(str(published["t1-reading-and-funnel"]), read_only=True)
    try:
        rows = con.execute(
            "select kpi_version, period_start, value from metrics.kpi_values "
            "where kpi_name = 'win_rate' and grain = 'month' and dimension = 'all' "
            "and period_start in ('2026-04-01', '2026-05-01') order by 1, 2"
        ).fetchall()
        current = con.execute(
            "select kpi_version from metrics.kpi_definitions "
            "where kpi_name = 'win_rate' and is_current"
        ).fetchall()
    finally:
        con.close()
    values = {(version, str(start)): value for version, start, value in rows}
    assert values == {
        (1, "2026-04-01"): 0.0,  # 0 won / 2 created
        (1, "2026-05-01"): None,  # 1 won / 0 created
        (2, "2026-04-01"): 0.0,  # 0 won / (0 + 1)
        (2, "2026-05-01"): 100.0,  # 1 won / (1 + 0)
    }
    assert current == [(2,)]
