"""Night after night on the same warehouse publishes what one full rebuild on all the files
publishes: new records, a status changed months later, a stage move, a backdated stage
change, a corrected amount and a corrected lead source (tests/fixtures/drops/README.md).
A night with nothing new builds nothing and leaves the published file as it was."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from orchestration.runner import run_pipeline
from orchestration.settings import WarehousePaths, reporting_timezone
from tests.conftest import REPO, query

pytestmark = pytest.mark.pipeline

BASE = REPO / "tests" / "e2e" / "handbuilt" / "landing"
DROPS = REPO / "tests" / "fixtures" / "drops"
# Columns that record when a run saw something, not what it saw.
WALL_CLOCK_COLUMNS = {"loaded_at", "quarantined_at", "detected_at"}
HISTORY = "metrics.kpi_history"
HISTORY_KEY = "kpi_name, kpi_version, grain, period_start, dimension, dimension_value"


def _quiet(_line: str) -> None:
    pass


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory, pipeline_runs) -> dict:
    """The shared run of the base set continued by one run per drop (each night's clock one
    day later, from tomorrow), a run with nothing new, and a full rebuild of all files."""
    work = tmp_path_factory.mktemp("incremental")
    landing = work / "landing"
    shutil.copytree(BASE, landing)
    nightly = pipeline_runs.copy(BASE, work / "nightly")
    # The base run's history date: today where the periods are cut.
    today = datetime.now(ZoneInfo(reporting_timezone())).date()
    outcomes, clocks = [], []
    monkeypatch = pytest.MonkeyPatch()
    try:
        for night, drop in enumerate(sorted(p for p in DROPS.iterdir() if p.is_dir()), 1):
            shutil.copytree(drop, landing, dirs_exist_ok=True)
            clock = today + timedelta(days=night)
            monkeypatch.setenv("KPITREE_NOW", f"{clock.isoformat()}T12:00:00+09:00")
            outcomes.append(run_pipeline(landing, nightly, say=_quiet))
            clocks.append(clock)
        nothing_new = run_pipeline(landing, nightly, say=_quiet)
        rebuilt = run_pipeline(landing, work / "rebuilt" / "kpitree.duckdb", say=_quiet)
    finally:
        monkeypatch.undo()
    for outcome in [*outcomes, nothing_new, rebuilt]:
        assert outcome.success, f"{outcome.failed_step}: {outcome.error}"
    return {
        "outcomes": outcomes,
        "clocks": clocks,
        "nothing_new": nothing_new,
        "nightly": nightly,
        "rebuilt": rebuilt.published,
    }


def _tables(published: Path) -> list[str]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        rows = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('metrics', 'quality') order by 1"
        ).fetchall()
    finally:
        con.close()
    return [name for (name,) in rows]


def _content(published: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        columns = [row[0] for row in con.execute(f"describe {table}").fetchall()]
        kept = ", ".join(f'"{c}"' for c in columns if c not in WALL_CLOCK_COLUMNS)
        return con.execute(f"select {kept} from {table} order by all").fetchall()
    finally:
        con.close()


def test_every_night_was_published(nights) -> None:
    assert [outcome.was_published for outcome in nights["outcomes"]] == [True, True]


def test_every_published_table_equals_a_full_rebuild(nights) -> None:
    tables = _tables(nights["rebuilt"])
    assert _tables(nights["nightly"]) == tables
    assert "metrics.kpi_values" in tables and "quality.lead_definition_violations" in tables
    different = [
        table
        for table in tables
        if table != HISTORY
        and _content(nights["nightly"], table) != _content(nights["rebuilt"], table)
    ]
    assert different == []


def test_the_history_ends_at_the_rebuilt_values(nights) -> None:
    """The latest history row of each value (not removed) is the rebuilt kpi_values."""
    latest = query(
        nights["nightly"],
        f"select * exclude (run_date, change_type) from {HISTORY} "
        f"qualify row_number() over (partition by {HISTORY_KEY} order by run_date desc) = 1 "
        "and change_type is distinct from 'removed' order by all",
    )
    assert latest == query(nights["rebuilt"], "select * from metrics.kpi_values order by all")


def test_each_night_records_its_own_changes(nights) -> None:
    """Night 2 corrects O1 (won 2026-05-15) from 2,000,000 to 2,200,000: May's won amount
    changes that night, and only then. Night 1 makes L7 an SQL (2026-06-02)."""
    night_1, night_2 = nights["clocks"]
    won = query(
        nights["nightly"],
        f"select run_date, value, change_type from {HISTORY} where kpi_name = 'won_amount' "
        "and grain = 'month' and period_start = date '2026-05-01' and dimension = 'all' "
        "order by run_date",
    )
    assert won[-1] == (night_2, 2_200_000.0, "changed")
    assert [row[1] for row in won[:-1]][-1:] == [2_000_000.0]
    sqls = query(
        nights["nightly"],
        f"select run_date, value, change_type from {HISTORY} where kpi_name = 'sql_count' "
        "and grain = 'day' and period_start = date '2026-06-02' and dimension = 'all'",
    )
    assert sqls == [(night_1, 1.0, "new")]


def test_a_run_with_nothing_new_builds_and_publishes_nothing(nights) -> None:
    outcome = nights["nothing_new"]
    assert outcome.was_published is False
    log = outcome.run_log.read_text(encoding="utf-8")
    assert "nothing new since the last publish" in log
    assert "dbt build" not in log.split("nothing new since the last publish", 1)[1]


def test_the_history_grows_with_changes_not_with_runs(nights) -> None:
    """The base run records every value; a night records only what it changed, a small
    share of them; the run with nothing new records nothing."""
    per_day = dict(
        query(nights["nightly"], f"select run_date, count(*) from {HISTORY} group by all")
    )
    values = query(nights["rebuilt"], "select count(*) from metrics.kpi_values")[0][0]
    assert sorted(per_day)[1:] == nights["clocks"]
    for night in nights["clocks"]:
        assert 0 < per_day[night] < values / 10, per_day


def test_the_last_night_recomputed_only_what_it_touched(nights) -> None:
    """Night 2 corrects L5's lead source (its lead created 2026-05-07) and O1's won amount
    (won 2026-05-15): the KPI event models rewrote those measure-days in the dimensions the
    change reaches -- L5's lead_source rows, O1's rows -- and kept the rest from before
    (models/intermediate/kpi: fingerprints per measure, day and dimension)."""
    working = WarehousePaths(nights["nightly"]).working
    con = duckdb.connect(str(working), read_only=True)
    try:
        last = con.execute(
            "select max(changed_at) from intermediate.int_kpi_event_days"
        ).fetchall()[0][0]
        days = dict(
            con.execute(
                "select measure_name || ' ' || event_day || ' ' || dimension, "
                "changed_at = ? from intermediate.int_kpi_event_days "
                "where dimension_value is null",
                [last],
            ).fetchall()
        )
        months = dict(
            con.execute(
                "select measure_name || ' ' || dimension, days_changed_at = ? "
                "from intermediate.int_kpi_event_measures "
                "where grain = 'month' and period_start = date '2026-05-01' "
                "and dimension_value in ('all', 'u2', 'outbound', 'referral')",
                [last],
            ).fetchall()
        )
    finally:
        con.close()
    assert days["leads_created 2026-05-07 lead_source"] is True
    assert days["leads_created 2026-05-07 owner"] is False
    assert days["leads_created 2026-05-07 all"] is False
    assert days["won_amount 2026-05-15 all"] is True
    assert sum(days.values()) < len(days) / 10
    assert months["leads_created lead_source"] is True
    assert months["leads_created owner"] is False
    assert months["won_amount all"] is True
