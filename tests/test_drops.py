"""Tests of the next-day drops (sample_data.drops) on a scale-1 sample.

One folder is generated per module and given two drops; every check reads the written files
back with csv (and the project's own ingest), so a test fails when the files stop saying what
the drops mean: consecutive dated files, byte-identical for the same folder and seed, rows the
ingest accepts whole, new versions that win over the old ones, and each kind of change.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from orchestration.contract import EVENT, TABLES, TIMESTAMP
from orchestration.ingest import ingest_landing
from sample_data.drops import DropSummary, write_next_day
from sample_data.generate import generate

Rows = list[dict[str, str]]
TOKYO = dt.timezone(dt.timedelta(hours=9))
VERSIONED = [name for name, table in TABLES.items() if table.version_column]
APPEND_ONLY = [name for name, table in TABLES.items() if not table.version_column]


def _read(path: Path) -> Rows:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _key(table: str, row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[c] for c in TABLES[table].primary_key)


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _current(files: list[Rows], table: str) -> dict[tuple[str, ...], dict[str, str]]:
    """Current version per key over files in path order: newest updated_at, then later file."""
    version = TABLES[table].version_column
    current: dict[tuple[str, ...], dict[str, str]] = {}
    for rows in files:
        for row in rows:
            key = _key(table, row)
            old = current.get(key)
            if old is None or version is None or _at(row[version]) >= _at(old[version]):
                current[key] = row
    return current


def _drop_path(landing: Path, table: str, day: dt.date) -> Path:
    return landing / table / f"{day.isoformat()}.csv"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    """A scale-1 folder, what it held before the drops, and two drops written into it."""
    landing = tmp_path_factory.mktemp("landing")
    generate(landing, scale=1)
    before = {name: _read(landing / name / f"{name}.csv") for name in TABLES}
    reports: list[tuple] = []
    first = write_next_day(landing, progress=lambda *report: reports.append(report))
    second = write_next_day(landing)
    return landing, before, [first, second], reports


@pytest.fixture(scope="module")
def drops(run) -> list[dict[str, Rows]]:
    """The rows of each drop, per table (empty when the table has no file that day)."""
    landing, _, summaries, _ = run
    out = []
    for summary in summaries:
        day = {}
        for name in TABLES:
            path = _drop_path(landing, name, summary.day)
            day[name] = _read(path) if path.exists() else []
        out.append(day)
    return out


@pytest.fixture(scope="module")
def states(run, drops) -> list[dict[str, dict]]:
    """The current version per key before each drop."""
    _, before, _, _ = run
    first = {name: _current([before[name]], name) for name in TABLES}
    second = {name: _current([before[name], drops[0][name]], name) for name in TABLES}
    return [first, second]


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), TOKYO)


# --- files and determinism --------------------------------------------------------------------


def test_two_calls_write_two_consecutive_days(run, drops) -> None:
    landing, before, summaries, reports = run
    first, second = summaries
    latest = max(_at(r["occurred_at"]).astimezone(TOKYO).date() for r in before["activities"])
    assert first.day == latest + dt.timedelta(days=1) == dt.date(2026, 4, 1)
    assert second.day == first.day + dt.timedelta(days=1)
    for summary, rows in zip(summaries, drops, strict=True):
        assert isinstance(summary, DropSummary)
        for name in TABLES:
            path = _drop_path(landing, name, summary.day)
            assert summary.rows[name] == len(rows[name]), name
            assert path.exists() == (summary.rows[name] > 0), name
            if path.exists():
                raw = path.read_bytes()
                assert b"\r" not in raw
                header = raw.split(b"\n", 1)[0].decode()
                assert header == ",".join(TABLES[name].column_names), name
        assert summary.rows["leads"] > 0 and summary.rows["activities"] > 0
    assert sorted(p.name for p in (landing / "leads").iterdir()) == [
        "2026-04-01.csv",
        "2026-04-02.csv",
        "leads.csv",
    ]
    assert {name for name, *_ in reports} == {n for n, rows in first.rows.items() if rows}


def test_same_folder_and_seed_give_byte_identical_drops(run, tmp_path: Path) -> None:
    landing, _, summaries, _ = run
    generate(tmp_path, scale=1)
    again = [write_next_day(tmp_path), write_next_day(tmp_path)]
    assert again == summaries
    for summary in summaries:
        for name in TABLES:
            path = _drop_path(landing, name, summary.day)
            copy = _drop_path(tmp_path, name, summary.day)
            assert copy.exists() == path.exists(), name
            if path.exists():
                assert copy.read_bytes() == path.read_bytes(), name
    # A weekend: new leads at the generator's weekend rate, no calls, no stage moves.
    friday, saturday = write_next_day(tmp_path), write_next_day(tmp_path)
    assert saturday.day.weekday() == 5
    assert 0 < saturday.rows["leads"] < friday.rows["leads"] / 2
    assert saturday.rows["activities"] == 0 and saturday.stage_moves == 0


def test_a_different_seed_gives_a_different_day(run, tmp_path: Path) -> None:
    landing, _, summaries, _ = run
    generate(tmp_path, scale=1)
    other = write_next_day(tmp_path, seed=7)
    assert other.day == summaries[0].day
    name = "activities"
    assert (
        _drop_path(tmp_path, name, other.day).read_bytes()
        != _drop_path(landing, name, other.day).read_bytes()
    )


# --- the contract -----------------------------------------------------------------------------


def test_the_ingest_accepts_every_drop_row(run, tmp_path: Path, monkeypatch) -> None:
    landing, _, summaries, _ = run
    clock = dt.datetime.combine(summaries[-1].day + dt.timedelta(days=1), dt.time(), TOKYO)
    monkeypatch.setenv("KPITREE_NOW", clock.isoformat())
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        report = ingest_landing(con, landing, "Asia/Tokyo")
    finally:
        con.close()
    assert report.rejected_files == []
    assert report.rows_quarantined == 0, report.reasons
    drop_files = [f for f in report.files if not f.file.endswith(f"{f.table}.csv")]
    assert len(drop_files) == sum(1 for s in summaries for n in s.rows.values() if n)
    assert sum(f.rows_loaded for f in drop_files) == sum(sum(s.rows.values()) for s in summaries)


def test_no_event_lies_after_the_drop_day(run, drops) -> None:
    _, _, summaries, _ = run
    for summary, rows in zip(summaries, drops, strict=True):
        end = _day_end(summary.day)
        for name, table in TABLES.items():
            events = [c.name for c in table.columns if c.type == TIMESTAMP and c.time_kind == EVENT]
            for row in rows[name]:
                late = [c for c in events if row[c] and _at(row[c]) > end]
                assert not late, (name, _key(name, row), late)


def test_new_ids_never_collide_with_existing_keys(run, drops, states) -> None:
    _, _, summaries, _ = run
    for index, rows in enumerate(drops):
        for name in TABLES:
            keys = [_key(name, row) for row in rows[name]]
            assert len(keys) == len(set(keys)), name  # one version per key and day
            existing = states[index][name]
            if name in APPEND_ONLY:
                assert not set(keys) & set(existing), name
        for name in ("accounts", "leads", "meetings", "opportunities"):
            for row in rows[name]:
                old = states[index][name].get(_key(name, row))
                if old is not None:  # a version of the same record, not a new one
                    assert row["created_at"] == old["created_at"], (name, _key(name, row))
                else:
                    assert _at(row["created_at"]).date() == summaries[index].day, name


def test_versions_are_newer_than_what_they_replace(run, drops, states) -> None:
    _, _, summaries, _ = run
    for summary, rows, state in zip(summaries, drops, states, strict=True):
        for name in VERSIONED:
            for row in rows[name]:
                assert _at(row["updated_at"]).astimezone(TOKYO).date() == summary.day, name
                old = state[name].get(_key(name, row))
                if old is not None:
                    assert _at(row["updated_at"]) > _at(old["updated_at"]), name


def test_versions_copy_the_columns_they_do_not_change(drops, states) -> None:
    changing = {
        "accounts": {"segment", "employee_count"},
        "leads": {"status", "owner_id", "lead_source", "mql_at", "sql_at", "recycled_at"}
        | {"recycle_reason", "converted_opportunity_id"},
        "meetings": {"status", "opportunity_id"},
        "opportunities": {"stage", "amount", "probability", "is_closed", "is_won", "close_date"},
    }
    versions = 0
    for rows, state in zip(drops, states, strict=True):
        for name, columns in changing.items():
            for row in rows[name]:
                old = state[name].get(_key(name, row))
                if old is not None:
                    versions += 1
                    kept = set(row) - columns - {"updated_at"}
                    assert {c: row[c] for c in kept} == {c: old[c] for c in kept}, name
    assert versions > 50


# --- the kinds of change ----------------------------------------------------------------------


def test_leads_turn_mql_or_sql_months_after_they_were_created(run, drops, states) -> None:
    _, _, summaries, _ = run
    found = []
    for summary, rows, state in zip(summaries, drops, states, strict=True):
        for row in rows["leads"]:
            old = state["leads"].get(_key("leads", row))
            if old is None:
                continue
            created = _at(row["created_at"]).date()
            old_enough = (summary.day - created).days >= 60
            for column in ("mql_at", "sql_at"):
                new = row[column] and not old[column] and _at(row[column]).date() == summary.day
                if new and old_enough:
                    found.append((row["lead_id"], column))
                    assert row["status"] in ("mql", "sql", "converted")
    assert found


def test_leads_are_recycled_with_a_reason(drops, states) -> None:
    recycled = [
        row
        for rows, state in zip(drops, states, strict=True)
        for row in rows["leads"]
        if row["recycled_at"] and not state["leads"].get(_key("leads", row), row)["recycled_at"]
    ]
    assert recycled
    assert all(r["recycle_reason"] and r["status"] == "recycled" for r in recycled)
    assert all(_at(r["recycled_at"]) > _at(r["sql_at"]) for r in recycled)


def test_new_leads_are_not_present_before(run, drops, states) -> None:
    _, _, summaries, _ = run
    for summary, rows, state in zip(summaries, drops, states, strict=True):
        new = [r for r in rows["leads"] if _key("leads", r) not in state["leads"]]
        assert len(new) >= 20
        assert all(_at(r["created_at"]).date() == summary.day for r in new)


def test_open_deals_move_and_some_close_today(run, drops, states) -> None:
    _, _, summaries, _ = run
    for summary, rows, state in zip(summaries, drops, states, strict=True):
        today = [
            r
            for r in rows["opportunity_stage_history"]
            if _at(r["changed_at"]).date() == summary.day
        ]
        versions = {r["opportunity_id"]: r for r in rows["opportunities"]}
        moved = [r for r in today if (r["opportunity_id"],) in state["opportunities"]]
        assert len(moved) == summary.stage_moves > 0
        for step in moved:
            version = versions[step["opportunity_id"]]
            assert (version["stage"], version["amount"]) == (step["stage"], step["amount"])
            assert version["stage"] != state["opportunities"][(step["opportunity_id"],)]["stage"]
            if version["stage"] in ("closed_won", "closed_lost"):
                assert version["is_closed"] == "true" and version["close_date"] == str(summary.day)
    closed = [r for rows in drops for r in rows["opportunities"] if r["is_closed"] == "true"]
    assert any(r["close_date"] in {str(s.day) for s in summaries} for r in closed)


def test_a_backdated_stage_change_arrives_with_its_deal_version(run, drops) -> None:
    _, _, summaries, _ = run
    found = 0
    for summary, rows in zip(summaries, drops, strict=True):
        versions = {r["opportunity_id"]: r for r in rows["opportunities"]}
        for step in rows["opportunity_stage_history"]:
            if (summary.day - _at(step["changed_at"]).date()).days >= 7:
                found += 1
                assert versions[step["opportunity_id"]]["stage"] == step["stage"]
        assert found and summary.backdated_stage_changes > 0


def test_amounts_of_deals_closed_weeks_ago_are_corrected(run, drops, states) -> None:
    _, _, summaries, _ = run
    found = []
    for summary, rows, state in zip(summaries, drops, states, strict=True):
        for row in rows["opportunities"]:
            old = state["opportunities"].get(_key("opportunities", row))
            if old is None or row["amount"] == old["amount"] or row["stage"] != old["stage"]:
                continue
            close = dt.date.fromisoformat(row["close_date"])
            assert row["close_date"] == old["close_date"]
            if (summary.day - close).days >= 14:
                found.append(row["opportunity_id"])
    assert len(found) >= sum(s.amount_corrections for s in summaries) > 0


def test_other_corrections_fix_a_lead_source_and_a_segment(run, drops, states) -> None:
    sources = [
        row
        for rows, state in zip(drops, states, strict=True)
        for row in rows["leads"]
        if (old := state["leads"].get(_key("leads", row)))
        and old["lead_source"] != row["lead_source"]
    ]
    segments = [
        row
        for rows, state in zip(drops, states, strict=True)
        for row in rows["accounts"]
        if (old := state["accounts"].get(_key("accounts", row)))
        and old["segment"] != row["segment"]
    ]
    assert sources and segments
    assert all(r["lead_source"] in TABLES["leads"].column("lead_source").allowed for r in sources)


def test_calls_follow_the_benchmark_per_inside_sales_rep(run, drops) -> None:
    _, before, summaries, _ = run
    reps = {u["user_id"] for u in before["users"] if u["department"] == "inside_sales"}
    for summary, rows in zip(summaries, drops, strict=True):
        calls = [r for r in rows["activities"] if r["activity_type"] == "call"]
        assert {r["owner_id"] for r in calls} == reps
        assert 28 <= len(calls) / len(reps) <= 40, summary.day
