"""The hand-built end-to-end set on Spark (docs/spark.md): its first night publishes the
rows DuckDB publishes; the next night brings both nightly drops (tests/fixtures/drops), and
Spark builds it incrementally -- the KPI event measures of the periods they touch replaced
on tables without DELETE, the history appended -- to what a full DuckDB build of all the
files publishes."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import REPO, assert_same_rows, query, run_dbt_unit_tests
from tests.spark_runs import COMPARED, columns, run_on_spark, skip_without_java

pytestmark = pytest.mark.pipeline

skip_without_java()

HANDBUILT = REPO / "tests" / "e2e" / "handbuilt" / "landing"
DROPS = REPO / "tests" / "fixtures" / "drops"


@pytest.fixture(scope="module")
def nights(pipeline_runs, tmp_path_factory) -> dict:
    """Night 1: the hand-built set (its published file kept aside); night 2: both drops,
    one day later, on the same Spark warehouse; beside DuckDB's publishes of the set and of
    all the files."""
    from orchestration.settings import reporting_timezone

    work = tmp_path_factory.mktemp("spark-nightly")
    landing = work / "landing"
    shutil.copytree(HANDBUILT, landing)
    warehouse = work / "spark" / "kpitree.duckdb"
    first: list[str] = []
    outcome = run_on_spark(landing, warehouse, first)
    assert outcome.success and outcome.was_published, f"{outcome.failed_step}: {outcome.error}"
    night_1 = shutil.copyfile(warehouse, work / "night-1.duckdb")
    for drop in sorted(p for p in DROPS.iterdir() if p.is_dir()):
        shutil.copytree(drop, landing, dirs_exist_ok=True)
    tomorrow = datetime.now(ZoneInfo(reporting_timezone())).date() + timedelta(days=1)
    second: list[str] = []
    clock = f"{tomorrow.isoformat()}T12:00:00+09:00"
    outcome = run_on_spark(landing, warehouse, second, KPITREE_NOW=clock)
    assert outcome.success and outcome.was_published, f"{outcome.failed_step}: {outcome.error}"
    everything = work / "all"
    shutil.copytree(landing, everything)
    return {
        "first": first,
        "second": second,
        "night_1": night_1,
        "spark": warehouse,
        "handbuilt": pipeline_runs.published(HANDBUILT),
        "rebuilt": pipeline_runs.published(everything),
    }


@pytest.mark.parametrize("table", list(COMPARED))
def test_the_hand_built_set_on_spark_publishes_the_rows_duckdb_publishes(nights, table) -> None:
    listed = ", ".join(columns(nights["handbuilt"], table))
    expected = query(nights["handbuilt"], f"select {listed} from {table}")
    if table != "quality.lead_definition_violations":
        assert expected, f"handbuilt: {table} has rows to compare"
    actual = query(nights["night_1"], f"select {listed} from {table}")
    assert_same_rows(expected, actual, f"handbuilt {table} on Spark")


def test_the_second_night_on_spark_builds_incrementally(nights) -> None:
    assert any("dbt build --full-refresh" in line for line in nights["first"])
    assert not any("--full-refresh" in line for line in nights["second"])


@pytest.mark.parametrize(
    "table", ["metrics.kpi_values", "metrics.funnel", "metrics.kpi_report", "metrics.kpi_tree"]
)
def test_an_incremental_night_on_spark_equals_a_full_duckdb_build(nights, table) -> None:
    listed = ", ".join(columns(nights["rebuilt"], table))
    assert_same_rows(
        query(nights["rebuilt"], f"select {listed} from {table}"),
        query(nights["spark"], f"select {listed} from {table}"),
        f"incremental {table} on Spark",
    )


def test_the_history_on_spark_keeps_the_corrected_amount_beside_the_first(nights) -> None:
    """The second drop corrects O1 (won 2026-05-15) from 2,000,000 to 2,200,000: May's won
    amount is new on night 1 and changed on night 2 (metrics.kpi_history, delete+insert by
    run date, on Spark)."""
    won = query(
        nights["spark"],
        "select value, change_type from metrics.kpi_history where kpi_name = 'won_amount' "
        "and grain = 'month' and period_start = date '2026-05-01' and dimension = 'all' "
        "order by run_date",
    )
    assert won == [(2_000_000.0, "new"), (2_200_000.0, "changed")]


def test_the_dbt_unit_tests_pass_on_spark(nights, tmp_path) -> None:
    """The hand-computed unit tests, on Spark (a run leaves them to `make test`), against
    the warehouse the nights built (dbt reads the columns of the models they feed)."""
    from orchestration.settings import WarehousePaths
    from orchestration.spark import spark_folder

    workdir = WarehousePaths(nights["spark"]).workdir
    run_dbt_unit_tests("spark", {"KPITREE_SPARK_DIR": str(spark_folder(workdir))}, tmp_path)
