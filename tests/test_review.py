"""Targets and review (kpi_attainment, kpi_alerts, kpi_history) built by dbt on the
first worked example.

The runner passes dbt no vars, so these tests drive dbt directly: `run_date` pins the
history snapshot's date and `as_of_date` the attainment's as-of date. Three builds
on one warehouse: run date 2026-05-01, the same day again, then 2026-05-02 as of
2026-03-15 with --full-refresh (which must not erase the history)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.project import DBT_PROJECT_DIR, dbt_executable
from orchestration.settings import WarehousePaths, reporting_timezone
from tests.conftest import EXAMPLES, REPO

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

LANDING = EXAMPLES / "t1-reading-and-funnel" / "landing"
SEED = REPO / "seeds" / "kpi_targets.csv"
# The example's latest event is on 2026-05-20: the default as-of date.
LAST_DAY_OF_DATA = date(2026, 5, 20)
HISTORY_KEY = (
    "run_date",
    "kpi_name",
    "kpi_version",
    "grain",
    "period_start",
    "dimension",
    "dimension_value",
)
ATTAINMENT_COLUMNS = [
    "kpi_name",
    "kpi_version",
    "grain",
    "period_start",
    "period_end",
    "dimension",
    "dimension_value",
    "actual",
    "target",
    "attainment_pct",
    "projected",
    "status",
    "direction",
    "is_in_progress",
    "as_of_date",
]
ALERT_COLUMNS = [
    "kpi_name",
    "grain",
    "period_start",
    "dimension",
    "dimension_value",
    "actual",
    "target",
    "attainment_pct",
    "projected",
    "status",
    "owner_department",
    "subject",
    "message",
]


def _dbt_build(
    database: Path,
    work: Path,
    variables: dict,
    *extra: str,
    models: str = "kpi_attainment kpi_alerts kpi_history",
) -> None:
    env = {
        **os.environ,
        "KPITREE_DBT_DATABASE": str(database),
        "KPITREE_REPORTING_TZ": reporting_timezone(),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        dbt_executable(),
        "build",
        "--select",
        models,
        "--exclude",
        "resource_type:unit_test",
        "--vars",
        json.dumps(variables),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        *extra,
    ]
    result = subprocess.run(
        command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-5000:]


def _query(database: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def _state(database: Path) -> dict[str, list[dict]]:
    return {
        "history": _query(database, "select * from metrics.kpi_history order by all"),
        "values": _query(database, "select * from metrics.kpi_values order by all"),
        "attainment": _query(database, "select * from metrics.kpi_attainment order by all"),
        "alerts": _query(database, "select * from metrics.kpi_alerts order by all"),
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, pipeline_runs) -> dict[str, dict]:
    """The warehouse's tables after each of three builds of the review models, on the
    session's shared run of the example (every upstream model built and checked), from
    before the review history's first build."""
    work = tmp_path_factory.mktemp("review")
    database = WarehousePaths(pipeline_runs.copy(LANDING, work)).working
    con = duckdb.connect(str(database))
    try:
        con.execute("drop table metrics.kpi_history")
    finally:
        con.close()
    states = {}
    _dbt_build(database, work, {"run_date": "2026-05-01"})
    states["first"] = _state(database)
    _dbt_build(database, work, {"run_date": "2026-05-01"})
    states["rerun"] = _state(database)
    _dbt_build(
        database,
        work,
        {"run_date": "2026-05-02", "as_of_date": "2026-03-15"},
        "--full-refresh",
    )
    states["next_day"] = _state(database)
    # A night that moves one value and loses another (kpi_values edited in place: only
    # the history is built from it).
    con = duckdb.connect(str(database))
    try:
        con.execute(CHANGE_ONE_VALUE)
        con.execute(REMOVE_ONE_VALUE)
    finally:
        con.close()
    _dbt_build(database, work, {"run_date": "2026-05-03"}, models="kpi_history")
    states["changed"] = _state(database)
    return states


CHANGED = {"kpi_name": "call_count", "grain": "month", "dimension": "all"}
REMOVED = {"kpi_name": "call_count", "grain": "day", "dimension": "all"}
CHANGE_ONE_VALUE = """
    update metrics.kpi_values set numerator = numerator + 1, value = value + 1
    where kpi_name = 'call_count' and grain = 'month' and dimension = 'all'
      and period_start = (select max(period_start) from metrics.kpi_values
                          where kpi_name = 'call_count' and grain = 'month')
"""
REMOVE_ONE_VALUE = """
    delete from metrics.kpi_values
    where kpi_name = 'call_count' and grain = 'day' and dimension = 'all'
      and period_start = (select min(period_start) from metrics.kpi_values
                          where kpi_name = 'call_count' and grain = 'day')
"""


def _seed_target(kpi_name: str, grain: str, period_start: str) -> float:
    with SEED.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (row["kpi_name"], row["grain"], row["period_start"]) == (
                kpi_name,
                grain,
                period_start,
            ) and row["dimension"] == "all":
                return float(row["target_value"])
    raise AssertionError(f"no target for {kpi_name} {grain} {period_start} in {SEED}")


def _one(rows: list[dict], **key) -> dict:
    found = [row for row in rows if all(row[name] == value for name, value in key.items())]
    assert len(found) == 1, f"{key}: {found}"
    return found[0]


def _run_dates(history: list[dict]) -> dict[date, int]:
    counts: dict[date, int] = {}
    for row in history:
        counts[row["run_date"]] = counts.get(row["run_date"], 0) + 1
    return counts


def test_the_first_build_records_every_value_as_new(builds) -> None:
    first = builds["first"]
    assert _run_dates(first["history"]) == {date(2026, 5, 1): len(first["values"])}
    assert {row["change_type"] for row in first["history"]} == {"new"}
    recorded = [
        {name: value for name, value in row.items() if name not in ("run_date", "change_type")}
        for row in first["history"]
    ]
    assert recorded == first["values"]


def test_rebuilding_the_same_run_date_replaces_that_day(builds) -> None:
    assert builds["rerun"]["history"] == builds["first"]["history"]


def test_a_day_without_changes_adds_nothing_and_full_refresh_keeps_the_past(builds) -> None:
    """The 05-02 build (with --full-refresh) saw the same kpi_values as 05-01."""
    assert builds["next_day"]["history"] == builds["first"]["history"]


def test_a_day_records_exactly_the_changed_and_the_removed_value(builds) -> None:
    before, after = builds["next_day"], builds["changed"]
    day = [row for row in after["history"] if row["run_date"] == date(2026, 5, 3)]
    assert sorted(row["change_type"] for row in day) == ["changed", "removed"]
    changed = _one(day, change_type="changed")
    old = _one(before["values"], **CHANGED, period_start=changed["period_start"])
    assert {k: changed[k] for k in CHANGED} == CHANGED
    assert changed["value"] == old["value"] + 1
    assert changed["numerator"] == old["numerator"] + 1
    removed = _one(day, change_type="removed")
    assert {k: removed[k] for k in REMOVED} == REMOVED
    assert (removed["numerator"], removed["denominator"], removed["value"]) == (None, None, None)
    assert removed["period_start"] == min(
        row["period_start"] for row in before["values"] if _matches(row, REMOVED)
    )
    older = [row for row in after["history"] if row["run_date"] != date(2026, 5, 3)]
    assert older == before["history"]
    keys = {tuple(row[name] for name in HISTORY_KEY) for row in after["history"]}
    assert len(keys) == len(after["history"]), "duplicate history keys"


def _matches(row: dict, key: dict) -> bool:
    return all(row[name] == value for name, value in key.items())


def test_review_tables_have_the_published_columns(builds) -> None:
    state = builds["first"]
    assert list(state["attainment"][0]) == ATTAINMENT_COLUMNS
    assert list(state["alerts"][0]) == ALERT_COLUMNS


def test_attainment_of_a_closed_period_is_hand_checked(builds) -> None:
    """March 2026 has one call (expected.csv of the example); as of the last day of
    the data (2026-05-20) March is closed, so the projection is the actual."""
    target = _seed_target("call_count", "month", "2026-03-01")
    row = _one(
        builds["first"]["attainment"],
        kpi_name="call_count",
        grain="month",
        period_start=date(2026, 3, 1),
        dimension="all",
    )
    assert row["actual"] == 1
    assert row["target"] == target
    assert row["attainment_pct"] == pytest.approx(100 / target)
    assert row["projected"] == 1
    assert row["status"] == "off_track"
    assert row["is_in_progress"] is False
    assert row["as_of_date"] == LAST_DAY_OF_DATA
    alert = _one(
        builds["first"]["alerts"],
        kpi_name="call_count",
        grain="month",
        period_start=date(2026, 3, 1),
        dimension="all",
    )
    assert alert["message"] == (
        f"架電数 (call_count) 2026年3月: 実績 1 回 / 目標 {target:,.0f} 回 "
        f"({100 / target:.1f}%) — 未達"
    )


def test_attainment_does_not_move_with_the_run_date(builds) -> None:
    """Only the history reads the wall clock (run_date); the same data as of the
    same day gives the same attainment."""
    assert builds["rerun"]["attainment"] == builds["first"]["attainment"]


def test_lower_is_better_kpi_under_its_target_is_on_track(builds) -> None:
    """customer_churn_rate is 0 % in March 2026 (no account churned): under a
    lower-is-better target that is on track, though attainment is 0 %."""
    row = _one(
        builds["first"]["attainment"],
        kpi_name="customer_churn_rate",
        grain="month",
        period_start=date(2026, 3, 1),
        dimension="all",
    )
    assert row["direction"] == "lower_is_better"
    assert row["actual"] == 0
    assert row["attainment_pct"] == 0
    assert row["status"] == "on_track"


def test_as_of_date_var_projects_the_period_in_progress(builds) -> None:
    """As of 2026-03-15, March (31 days, 15 elapsed) is in progress: the one
    call of March projects to 31 / 15 calls; April has not started."""
    state = builds["next_day"]
    row = _one(
        state["attainment"],
        kpi_name="call_count",
        grain="month",
        period_start=date(2026, 3, 1),
        dimension="all",
    )
    assert row["as_of_date"] == date(2026, 3, 15)
    assert row["is_in_progress"] is True
    assert row["actual"] == 1
    assert row["projected"] == pytest.approx(31 / 15)
    assert row["status"] == "off_track"
    assert max(row["period_start"] for row in state["attainment"]) <= date(2026, 3, 15)
    alert = _one(
        state["alerts"],
        kpi_name="call_count",
        grain="month",
        period_start=date(2026, 3, 1),
        dimension="all",
    )
    assert ", 着地見込 2 回 — 未達" in alert["message"]


def test_a_history_of_whole_snapshots_is_continued_with_changes(
    tmp_path_factory: pytest.TempPathFactory, pipeline_runs
) -> None:
    """A warehouse whose history was written before change_type existed (a snapshot of
    kpi_values per run date): the next build adds the column and records only what differs
    from the last snapshot."""
    work = tmp_path_factory.mktemp("review-upgrade")
    database = WarehousePaths(pipeline_runs.copy(LANDING, work)).working
    con = duckdb.connect(str(database))
    try:
        con.execute("drop table metrics.kpi_history")
        con.execute(
            "create table metrics.kpi_history as "
            "select date '2026-04-30' as run_date, * from metrics.kpi_values"
        )
        con.execute(CHANGE_ONE_VALUE)
    finally:
        con.close()
    _dbt_build(database, work, {"run_date": "2026-05-01"}, models="kpi_history")
    history = _query(database, "select * from metrics.kpi_history order by all")
    old = [row for row in history if row["run_date"] == date(2026, 4, 30)]
    assert old and {row["change_type"] for row in old} == {None}
    new = [row for row in history if row["run_date"] == date(2026, 5, 1)]
    assert [(row["change_type"], row["kpi_name"], row["grain"]) for row in new] == [
        ("changed", "call_count", "month")
    ]
