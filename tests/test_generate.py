"""Tests of the sample-data generator.

Every figure is recomputed here from the written CSV files with csv and collections, not taken
from the generator's internals, so a test fails when the files stop saying what the generator
meant them to say. The lifecycle rules are re-implemented from docs/lead-lifecycle.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from orchestration.contract import BOOLEAN, DATE, INTEGER, NUMBER, TABLES, TIMESTAMP
from sample_data.generate import generate

Rows = list[dict[str, str]]

FY_FIRST, FY_LAST = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
# Defaults of docs/lead-lifecycle.md, written out again so the test does not trust the code.
MQL_SCORE_THRESHOLD = 50
SQL_DIRECT_SOURCES = {"referral", "outbound", "partner"}
SALES_DEPARTMENTS = {"inside_sales", "field_sales"}
TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _read(folder: Path, table: str) -> Rows:
    with (folder / table / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _line_count(folder: Path, table: str) -> int:
    with (folder / table / f"{table}.csv").open("rb") as f:
        return sum(1 for _ in f) - 1


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _working_days() -> int:
    days = (FY_LAST - FY_FIRST).days + 1
    return sum(1 for i in range(days) if (FY_FIRST + dt.timedelta(days=i)).weekday() < 5)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], list[tuple]]:
    out = tmp_path_factory.mktemp("scale1")
    reports: list[tuple] = []
    counts = generate(out, scale=1, progress=lambda *report: reports.append(report))
    return out, counts, reports


@pytest.fixture(scope="module")
def data(run: tuple[Path, dict[str, int], list[tuple]]) -> dict[str, Rows]:
    return {table: _read(run[0], table) for table in TABLES}


@pytest.fixture(scope="module")
def department(data: dict[str, Rows]) -> dict[str, str]:
    return {u["user_id"]: u["department"] for u in data["users"]}


# --- files and determinism --------------------------------------------------------------------


def test_every_table_is_written_with_the_contract_header(run) -> None:
    out, counts, _ = run
    assert sorted(p.name for p in out.iterdir()) == sorted(TABLES)
    for name, table in TABLES.items():
        path = out / name / f"{name}.csv"
        raw = path.read_bytes()
        assert b"\r" not in raw, name
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == table.column_names, name
        assert all(len(row) == len(rows[0]) for row in rows), name
        assert counts[name] == len(rows) - 1 > 0, name


def test_progress_is_reported_for_every_table(run) -> None:
    _, counts, reports = run
    final = {name: (done, total) for name, done, total in reports}
    assert set(final) == set(TABLES)
    assert all(final[name] == (counts[name], counts[name]) for name in TABLES)


def test_same_seed_gives_byte_identical_files(run, tmp_path: Path) -> None:
    first = run[0]
    generate(tmp_path, scale=1)
    for name in TABLES:
        again = (tmp_path / name / f"{name}.csv").read_bytes()
        assert again == (first / name / f"{name}.csv").read_bytes(), name


def test_volumes_grow_linearly_with_scale(run, tmp_path: Path) -> None:
    one = run[0]
    generate(tmp_path, scale=2)
    for name in ("users", "leads", "activities", "meetings", "opportunities", "email_events"):
        ratio = _line_count(tmp_path, name) / _line_count(one, name)
        assert 1.7 <= ratio <= 2.3, (name, ratio)


# --- contract conformance ---------------------------------------------------------------------


def test_primary_keys_are_unique(data) -> None:
    for name, table in TABLES.items():
        keys = [tuple(row[c] for c in table.primary_key) for row in data[name]]
        assert all(all(k) for k in keys), name
        assert len(set(keys)) == len(keys), name


def test_values_respect_types_enums_and_required_columns(data) -> None:
    checks: dict[str, Callable[[str], bool]] = {
        TIMESTAMP: lambda v: TIMESTAMP_RE.fullmatch(v) is not None,
        DATE: lambda v: DATE_RE.fullmatch(v) is not None,
        BOOLEAN: lambda v: v in ("true", "false"),
        INTEGER: lambda v: v.isdigit(),
        NUMBER: lambda v: v.isdigit(),  # money is whole yen, probabilities whole percent
    }
    for name, table in TABLES.items():
        for column in table.columns:
            values = [row[column.name] for row in data[name]]
            present = [v for v in values if v != ""]
            if column.required:
                assert len(present) == len(values), (name, column.name)
            if column.allowed is not None:
                assert set(present) <= set(column.allowed), (name, column.name)
            check = checks.get(column.type)
            if check is not None:
                bad = [v for v in present if not check(v)]
                assert not bad, (name, column.name, bad[:3])
            if column.max_value is not None:
                assert all(float(v) <= column.max_value for v in present), (name, column.name)


def test_foreign_keys_resolve(data) -> None:
    ids = {
        "users": {r["user_id"] for r in data["users"]},
        "accounts": {r["account_id"] for r in data["accounts"]},
        "leads": {r["lead_id"] for r in data["leads"]},
        "opportunities": {r["opportunity_id"] for r in data["opportunities"]},
        "campaigns": {r["campaign_id"] for r in data["campaigns"]},
        "subscriptions": {r["subscription_id"] for r in data["subscriptions"]},
    }
    references = {
        "users": ("manager_id", "users"),
        "leads": ("owner_id", "users", "account_id", "accounts"),
        "activities": ("owner_id", "users", "lead_id", "leads", "account_id", "accounts"),
        "meetings": ("owner_id", "users", "set_by_id", "users", "lead_id", "leads"),
        "opportunities": ("owner_id", "users", "created_by_id", "users", "lead_id", "leads"),
        "opportunity_stage_history": ("opportunity_id", "opportunities"),
        "subscriptions": ("account_id", "accounts", "opportunity_id", "opportunities"),
        "campaign_responses": ("campaign_id", "campaigns", "lead_id", "leads"),
        "email_events": ("campaign_id", "campaigns", "lead_id", "leads"),
    }
    references["meetings"] += ("account_id", "accounts", "opportunity_id", "opportunities")
    references["opportunities"] += ("account_id", "accounts")
    references["leads"] += ("converted_opportunity_id", "opportunities")
    references["subscriptions"] += ("renewed_from_subscription_id", "subscriptions")
    for table, pairs in references.items():
        for column, target in zip(pairs[::2], pairs[1::2], strict=True):
            dangling = {r[column] for r in data[table] if r[column]} - ids[target]
            assert not dangling, (table, column, sorted(dangling)[:3])


def test_events_fall_inside_the_fiscal_year(data) -> None:
    first = dt.datetime(2025, 4, 1, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    end = dt.datetime(2026, 4, 1, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    events = {
        "leads": "created_at",
        "activities": "occurred_at",
        "meetings": "created_at",
        "opportunities": "created_at",
        "opportunity_stage_history": "changed_at",
        "campaign_responses": "responded_at",
        "email_events": "occurred_at",
    }
    for table, column in events.items():
        stamps = [_at(r[column]) for r in data[table]]
        assert first <= min(stamps) and max(stamps) < end, table
    # Sales work happens Monday to Friday.
    assert all(_at(r["occurred_at"]).weekday() < 5 for r in data["activities"])
    # Contracts running before the year give the retention KPIs their opening base.
    starts = [r["start_date"] for r in data["subscriptions"]]
    assert min(starts) < "2025-04-01" and max(starts) <= "2026-03-31"


def test_users_cover_departments_teams_and_managers(data) -> None:
    users = data["users"]
    per_department = Counter(u["department"] for u in users)
    assert per_department == {
        "marketing": 5,
        "inside_sales": 10,
        "field_sales": 10,
        "customer_success": 5,
    }
    teams = {u["team"] for u in users}
    assert {"IS-East", "IS-West", "FS-Enterprise", "FS-SMB"} <= teams
    assert sum(1 for u in users if u["manager_id"]) >= len(users) - len(per_department)
    assert {u["is_active"] for u in users} == {"true", "false"}


# --- funnel rates -----------------------------------------------------------------------------


def test_inside_sales_make_about_34_calls_per_rep_and_working_day(data, department) -> None:
    calls = [
        a
        for a in data["activities"]
        if a["activity_type"] == "call" and a["direction"] == "outbound"
    ]
    reps = sum(1 for d in department.values() if d == "inside_sales")
    is_calls = [a for a in calls if department[a["owner_id"]] == "inside_sales"]
    assert 30 <= len(is_calls) / (reps * _working_days()) <= 38
    rep_days = {(a["owner_id"], a["occurred_at"][:10]) for a in calls}
    assert 30 <= len(calls) / len(rep_days) <= 38
    connected = sum(1 for a in calls if a["outcome"] == "connected") / len(calls)
    assert 0.2 <= connected <= 0.3
    assert {a["outcome"] for a in calls} >= {"no_answer", "voicemail", "busy", "wrong_number"}


def test_follow_ups_per_lead_is_about_5_1(data) -> None:
    follow_ups = [
        a
        for a in data["activities"]
        if a["direction"] == "outbound" and a["activity_type"] in ("call", "email") and a["lead_id"]
    ]
    assert 4.5 <= len(follow_ups) / len({a["lead_id"] for a in follow_ups}) <= 5.7


def test_lead_to_meeting_rate_is_about_20_percent(data) -> None:
    meetings = data["meetings"]
    assert 0.15 <= len(meetings) / len(data["leads"]) <= 0.25
    status = Counter(m["status"] for m in meetings)
    assert 0.75 <= status["held"] / len(meetings) <= 0.85
    assert set(status) == {"held", "no_show", "cancelled", "scheduled"}
    future = [m for m in meetings if m["status"] == "scheduled"]
    assert all(m["scheduled_at"] >= "2026-04-01" for m in future)


def test_opportunity_rate_is_about_50_percent(data) -> None:
    held = sum(1 for m in data["meetings"] if m["status"] == "held")
    kinds = Counter(o["opportunity_type"] for o in data["opportunities"])
    assert 0.4 <= kinds["new_business"] / held <= 0.6
    assert kinds["new_business"] > kinds["renewal"] > 0 and kinds["upsell"] > 0


def test_win_rate_is_about_25_percent_with_open_deals_left(data) -> None:
    new = [o for o in data["opportunities"] if o["opportunity_type"] == "new_business"]
    won = [o for o in new if o["is_won"] == "true"]
    lost = [o for o in new if o["is_closed"] == "true" and o["is_won"] == "false"]
    assert 0.2 <= len(won) / (len(won) + len(lost)) <= 0.3
    assert len(new) > len(won) + len(lost)
    amounts = [int(o["amount"]) for o in new]
    assert min(amounts) >= 1_000_000 and max(amounts) <= 10_000_000
    assert 3_000_000 <= sum(int(o["amount"]) for o in won) / len(won) <= 5_000_000


def test_email_delivery_open_and_click_rates(data) -> None:
    events = data["email_events"]
    count = Counter(e["event_type"] for e in events)
    distinct = defaultdict(set)
    for e in events:
        distinct[e["event_type"]].add((e["email_id"], e["lead_id"]))
    assert 0.94 <= count["delivered"] / count["sent"] <= 0.98
    assert 0.17 <= len(distinct["opened"]) / len(distinct["delivered"]) <= 0.23
    assert 0.22 <= len(distinct["clicked"]) / len(distinct["opened"]) <= 0.28
    assert count["unsubscribed"] > 0 and count["bounced"] > 0
    email_campaigns = {c["campaign_id"] for c in data["campaigns"] if c["campaign_type"] == "email"}
    assert {e["campaign_id"] for e in events} <= email_campaigns


def test_sources_campaigns_and_responses_cover_the_contract(data) -> None:
    leads = data["leads"]
    assert {r["lead_source"] for r in leads} == set(TABLES["leads"].column("lead_source").allowed)
    kinds = TABLES["campaigns"].column("campaign_type").allowed
    assert {c["campaign_type"] for c in data["campaigns"]} == set(kinds)
    responses = TABLES["campaign_responses"].column("response_type").allowed
    assert {r["response_type"] for r in data["campaign_responses"]} == set(responses)
    mql_share = sum(1 for r in leads if r["mql_at"]) / len(leads)
    assert 0.4 <= mql_share <= 0.6


# --- lifecycle rules --------------------------------------------------------------------------


def _violations(data: dict[str, Rows], department: dict[str, str]) -> dict[str, set[str]]:
    """Leads breaking each rule of docs/lead-lifecycle.md, rule text applied to the files."""
    engagement: dict[str, list[dt.datetime]] = defaultdict(list)
    for r in data["campaign_responses"]:
        engagement[r["lead_id"]].append(_at(r["responded_at"]))
    for e in data["email_events"]:
        if e["event_type"] == "clicked":
            engagement[e["lead_id"]].append(_at(e["occurred_at"]))
    conversation: dict[str, list[dt.datetime]] = defaultdict(list)
    for a in data["activities"]:
        call = a["activity_type"] == "call" and a["direction"] == "outbound"
        if a["lead_id"] and call and a["outcome"] == "connected":
            conversation[a["lead_id"]].append(_at(a["occurred_at"]))
    for m in data["meetings"]:
        if m["lead_id"] and m["status"] == "held":
            conversation[m["lead_id"]].append(_at(m["scheduled_at"]))

    broken: dict[str, set[str]] = defaultdict(set)
    for lead in data["leads"]:
        lead_id, created = lead["lead_id"], _at(lead["created_at"])
        mql = _at(lead["mql_at"]) if lead["mql_at"] else None
        sql = _at(lead["sql_at"]) if lead["sql_at"] else None
        if mql is not None:
            if lead["lead_score"] and int(lead["lead_score"]) < MQL_SCORE_THRESHOLD:
                broken["mql_requires_score"].add(lead_id)
            if not any(t <= mql for t in engagement[lead_id]):
                broken["mql_requires_engagement"].add(lead_id)
        if sql is not None:
            if lead["lead_source"] not in SQL_DIRECT_SOURCES and (mql is None or mql > sql):
                broken["sql_requires_mql"].add(lead_id)
            if not any(t <= sql for t in conversation[lead_id]):
                broken["sql_requires_conversation"].add(lead_id)
            if department.get(lead["owner_id"]) not in SALES_DEPARTMENTS:
                broken["sql_owner_is_sales"].add(lead_id)
        if (mql is not None and mql < created) or (sql is not None and sql < created):
            broken["lifecycle_order"].add(lead_id)
        if lead["recycled_at"] and (
            not lead["recycle_reason"] or sql is None or _at(lead["recycled_at"]) < sql
        ):
            broken["recycle_requires_reason"].add(lead_id)
    return broken


def test_every_rule_is_broken_a_little_and_drift_checks_pass(data, department) -> None:
    broken = _violations(data, department)
    assert len(broken) == 7, sorted(broken)
    assert broken["mql_requires_score"] and broken["sql_requires_mql"]
    mqls = {r["lead_id"] for r in data["leads"] if r["mql_at"]}
    sqls = {r["lead_id"] for r in data["leads"] if r["sql_at"]}
    mql_drift = broken["mql_requires_score"] | broken["mql_requires_engagement"]
    sql_rules = ("sql_requires_mql", "sql_requires_conversation", "sql_owner_is_sales")
    sql_drift = set().union(*(broken[rule] for rule in sql_rules))
    assert len(mql_drift) / len(mqls) < 0.05
    assert len(sql_drift) / len(sqls) < 0.05


def test_sql_leads_are_owned_by_inside_sales_and_unworked_by_marketing(data, department) -> None:
    leads = data["leads"]
    worked = {a["lead_id"] for a in data["activities"] if a["lead_id"]}
    sql_owners = Counter(department[r["owner_id"]] for r in leads if r["sql_at"])
    assert sql_owners.most_common(1)[0][0] == "inside_sales"
    unworked = Counter(department[r["owner_id"]] for r in leads if r["lead_id"] not in worked)
    assert unworked.most_common(1)[0][0] == "marketing"
    converted = {r["converted_opportunity_id"] for r in leads if r["converted_opportunity_id"]}
    new = {o["opportunity_id"] for o in data["opportunities"] if o["lead_id"]}
    assert converted == new


# --- deals and contracts ----------------------------------------------------------------------


def test_stage_history_ends_where_the_opportunity_stands(data) -> None:
    latest: dict[str, dict[str, str]] = {}
    for h in data["opportunity_stage_history"]:
        seen = latest.get(h["opportunity_id"])
        if seen is None or _at(h["changed_at"]) > _at(seen["changed_at"]):
            latest[h["opportunity_id"]] = h
    for o in data["opportunities"]:
        last = latest[o["opportunity_id"]]
        assert (last["stage"], last["amount"], last["probability"]) == (
            o["stage"],
            o["amount"],
            o["probability"],
        )
        closed = o["stage"] in ("closed_won", "closed_lost")
        assert o["is_closed"] == ("true" if closed else "false")
        assert o["is_won"] == ("true" if o["stage"] == "closed_won" else "false")


def test_retention_base_gives_a_plausible_nrr(data) -> None:
    def mrr_on(day: str) -> Counter:
        total: Counter = Counter()
        for s in data["subscriptions"]:
            if s["start_date"] <= day and (not s["end_date"] or s["end_date"] >= day):
                total[s["account_id"]] += int(s["mrr"])
        return total

    opening, closing = mrr_on("2025-04-01"), mrr_on("2026-04-01")
    base = [a for a, mrr in opening.items() if mrr > 0]
    nrr = sum(closing[a] for a in base) / sum(opening[a] for a in base)
    assert 0.95 <= nrr <= 1.10
    assert any(s["renewed_from_subscription_id"] for s in data["subscriptions"])
    assert any(closing[a] == 0 for a in base)  # some customers churn
    won = {o["opportunity_id"] for o in data["opportunities"] if o["is_won"] == "true"}
    assert won <= {s["opportunity_id"] for s in data["subscriptions"]}
