"""Values that parse but would poison the published KPIs: numbers that are not finite,
timestamps far outside the data's time, and vendor offsets written without a colon.

The run's clock is pinned (KPITREE_NOW), so every accepted range below is known:
events up to 2026-12-04 12:00:00 UTC, upcoming starts up to 2028-12-03, planned dates up
to 2126-12-03, and nothing before 2000-01-01 (in the reporting timezone, Asia/Tokyo).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.contract import TABLES
from orchestration.ingest import ingest_landing
from orchestration.ingest.sql import plain_reason
from orchestration.ingest.validate import validated_select
from orchestration.settings import run_clock, time_bounds

NOW = "2026-12-03T12:00:00Z"
LATEST_EVENT = "2026-12-04 12:00:00 UTC"
OPPS_COLUMNS = (
    "opportunity_id",
    "account_id",
    "owner_id",
    "opportunity_type",
    "stage",
    "amount",
    "probability",
    "created_at",
    "is_closed",
    "is_won",
)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPITREE_NOW", NOW)


def write(landing: Path, relative: str, text: str) -> str:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return relative


def ingest(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    report = ingest_landing(con, landing, "Asia/Tokyo")
    assert report.rows_read == report.rows_loaded + report.rows_quarantined


def reasons(con: duckdb.DuckDBPyConnection, file: str) -> dict[int, str]:
    return dict(
        con.execute(
            "select line, reason from ingest.quarantine where file = ? order by line", [file]
        ).fetchall()
    )


def counts(con: duckdb.DuckDBPyConnection, file: str) -> tuple[int, int, int]:
    return con.execute(
        "select rows_read, rows_loaded, rows_quarantined from ingest.ingest_log where file = ?",
        [file],
    ).fetchone()


def column(con: duckdb.DuckDBPyConnection, sql: str) -> list:
    return [row[0] for row in con.execute(sql).fetchall()]


# --- 1. no value poisons a KPI ----------------------------------------------------------

# (opportunity id, amount, probability, the reason expected; None = loads)
CSV_AMOUNTS = [
    ("O01", "1200000", "50", None),
    ("O02", "NaN", "50", "amount: not a finite number: 'NaN'"),
    ("O03", "nan", "50", "amount: not a finite number: 'nan'"),
    ("O04", "inf", "50", "amount: not a finite number: 'inf'"),
    ("O05", "-inf", "50", "amount: not a finite number: '-inf'"),
    ("O06", "Infinity", "50", "amount: not a finite number: 'Infinity'"),
    ("O07", "-Infinity", "50", "amount: not a finite number: '-Infinity'"),
    ("O08", "1e309", "50", "amount: not a finite number: '1e309'"),
    ("O09", "-1e309", "50", "amount: not a finite number: '-1e309'"),
    # finite, but no amount: the settings' largest accepted magnitude is 1e15
    ("O10", "1e308", "50", "amount: '1e308' is larger in magnitude than 1e+15"),
    (
        "O14",
        "-1000000000000001",
        "50",
        "amount: '-1000000000000001' is larger in magnitude than 1e+15",
    ),
    ("O15", "1000000000000000", "50", None),  # exactly the bound: loads
    ("O11", "500000", "NaN", "probability: not a finite number: 'NaN'"),  # not "above 100"
    ("O12", "500000", "Infinity", "probability: not a finite number: 'Infinity'"),
    ("O13", "abc", "50", "amount: not a number: 'abc'"),
]
# JSON Lines: bare NaN / Infinity tokens (Python's json reads them); 1e309 overflows to
# Infinity when the line is read, so that is what the reason shows.
JSONL_AMOUNTS = [
    ("O01", "1200000", "50", None),
    ("O02", "NaN", "50", "amount: not a finite number: 'NaN'"),
    ("O03", "Infinity", "50", "amount: not a finite number: 'Infinity'"),
    ("O04", "-Infinity", "50", "amount: not a finite number: '-Infinity'"),
    ("O05", "1e309", "50", "amount: not a finite number: 'Infinity'"),
    ("O06", '"NaN"', "50", "amount: not a finite number: 'NaN'"),
    ("O07", "500000", "NaN", "probability: not a finite number: 'NaN'"),
]
# Parquet: float64 columns; DuckDB writes them out as text nan / inf / -inf.
PARQUET_AMOUNTS = [
    ("O01", 1200000.0, 50.0, None),
    ("O02", float("nan"), 50.0, "amount: not a finite number: 'nan'"),
    ("O03", float("inf"), 50.0, "amount: not a finite number: 'inf'"),
    ("O04", float("-inf"), 50.0, "amount: not a finite number: '-inf'"),
    ("O05", 500000.0, float("nan"), "probability: not a finite number: 'nan'"),
]


def _opportunity(oid: str, amount: str, probability: str) -> list[str]:
    return [oid, "A1", "u1", "new_business", "proposal", amount, probability]


def _write_opportunities(landing: Path, fmt: str) -> tuple[str, list[tuple], int]:
    """The file, its cases and the line of its first row."""
    fixed = ["2026-04-01T10:00:00", "false", "false"]
    if fmt == "csv":
        lines = [",".join(OPPS_COLUMNS)]
        lines += [",".join(_opportunity(*case[:3]) + fixed) for case in CSV_AMOUNTS]
        return write(landing, "opportunities/o.csv", "\n".join(lines) + "\n"), CSV_AMOUNTS, 2
    if fmt == "jsonl":
        lines = []
        for oid, amount, probability, _reason in JSONL_AMOUNTS:
            head = ", ".join(
                f'"{k}": "{v}"'
                for k, v in zip(OPPS_COLUMNS[:5], _opportunity(oid, "", "")[:5], strict=True)
            )
            tail = ", ".join(f'"{k}": "{v}"' for k, v in zip(OPPS_COLUMNS[7:], fixed, strict=True))
            lines.append(f'{{{head}, "amount": {amount}, "probability": {probability}, {tail}}}')
        return write(landing, "opportunities/o.jsonl", "\n".join(lines) + "\n"), JSONL_AMOUNTS, 1
    rows = PARQUET_AMOUNTS
    data = {name: [] for name in OPPS_COLUMNS}
    for oid, amount, probability, _reason in rows:
        for name, value in zip(OPPS_COLUMNS, [*_opportunity(oid, "", ""), *fixed], strict=True):
            data[name].append(value)
        data["amount"][-1], data["probability"][-1] = amount, probability
    table = pa.table(
        {
            name: pa.array(values, pa.float64() if name in ("amount", "probability") else None)
            for name, values in data.items()
        }
    )
    (landing / "opportunities").mkdir(parents=True)
    pq.write_table(table, landing / "opportunities" / "o.parquet")
    return "opportunities/o.parquet", rows, 1


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_numbers_that_are_not_finite_are_quarantined_in_every_format(
    con, landing: Path, fmt: str
) -> None:
    file, cases, first_line = _write_opportunities(landing, fmt)
    ingest(con, landing)
    expected = {
        first_line + index: reason
        for index, (_id, _a, _p, reason) in enumerate(cases)
        if reason is not None
    }
    assert reasons(con, file) == expected
    good = [oid for oid, _a, _p, reason in cases if reason is None]
    assert column(con, "select opportunity_id from raw.opportunities order by 1") == good
    assert counts(con, file) == (len(cases), len(good), len(expected))
    # nothing that is loaded can turn a sum into NaN or infinity
    (total,) = con.execute(
        "select sum(amount) + sum(probability) from raw.opportunities"
    ).fetchone()
    assert total == total and abs(total) != float("inf")


def test_integers_reject_nan_infinity_and_overflow(con, landing: Path) -> None:
    file = write(
        landing,
        "leads/l.csv",
        "lead_id,lead_source,lead_score,created_at\n"
        "L1,web,60,2026-04-01T09:00:00\n"
        "L2,web,NaN,2026-04-01T09:00:00\n"
        "L3,web,Infinity,2026-04-01T09:00:00\n"
        "L4,web,1e309,2026-04-01T09:00:00\n"
        "L5,web,99999999999999999999,2026-04-01T09:00:00\n",
    )
    ingest(con, landing)
    assert reasons(con, file) == {
        3: "lead_score: not an integer: 'NaN'",
        4: "lead_score: not an integer: 'Infinity'",
        5: "lead_score: not an integer: '1e309'",
        6: "lead_score: not an integer: '99999999999999999999'",
    }
    assert column(con, "select lead_id from raw.leads") == ["L1"]


def test_integers_are_never_rounded(con, landing: Path) -> None:
    """A fraction in an integer column is quarantined, not rounded; a whole number
    written as a decimal (as spreadsheets and pandas write them) loads as that number."""
    file = write(
        landing,
        "leads/l.csv",
        "lead_id,lead_source,lead_score,created_at\n"
        "L1,web,85.0,2026-04-01T09:00:00\n"
        "L2,web,12.5,2026-04-01T09:00:00\n"
        "L3,web, 7 ,2026-04-01T09:00:00\n"
        "L4,web,-0.5,2026-04-01T09:00:00\n",
    )
    ingest(con, landing)
    assert reasons(con, file) == {
        3: "lead_score: not an integer: '12.5'",
        5: "lead_score: not an integer: '-0.5'",
    }
    assert con.execute("select lead_id, lead_score from raw.leads order by 1").fetchall() == [
        ("L1", 85),
        ("L3", 7),
    ]


def test_mapped_and_vendor_tables_quarantine_numbers_that_are_not_finite(
    con, landing: Path
) -> None:
    write(
        landing,
        "crm/_mapping.yml",
        "tables:\n"
        "  opportunities:\n"
        "    folder: deals\n"
        "    columns:\n"
        "      opportunity_id: id\n"
        "      account_id: account\n"
        "      owner_id: owner\n"
        "      stage: stage\n"
        "      amount: {from: amount, convert: yen}\n"
        "      created_at: {from: created, convert: datetime}\n"
        "      is_closed: {from: closed, convert: boolean}\n"
        "      is_won: {from: won, convert: boolean}\n"
        "    constants:\n"
        "      opportunity_type: new_business\n",
    )
    mapped = write(
        landing,
        "crm/deals/d.csv",
        "id,account,owner,stage,amount,created,closed,won\n"
        'M1,A1,u1,提案,"￥1,200,000",2026/04/01,×,×\n'
        "M2,A1,u1,提案,NaN,2026/04/01,×,×\n"
        "M3,A1,u1,提案,1e309,2026/04/01,×,×\n",
    )
    salesforce = write(
        landing,
        "salesforce/Opportunity/extract.csv",
        '"ID","STAGENAME","AMOUNT","PROBABILITY","CREATEDDATE"\n'
        '"006A","Prospecting","100.0","10","2026-04-01T00:00:00.000Z"\n'
        '"006B","Prospecting","NaN","10","2026-04-01T00:00:00.000Z"\n'
        '"006C","Prospecting","100.0","-Infinity","2026-04-01T00:00:00.000Z"\n',
    )
    hubspot = write(
        landing,
        "hubspot/deal/deal.csv",
        "deal_id,property_amount\nD1,5000\nD2,Infinity\n",
    )
    ingest(con, landing)
    assert reasons(con, mapped) == {
        3: "amount: not a finite number: 'NaN'",
        4: "amount: not a finite number: '1e309'",
    }
    assert reasons(con, salesforce) == {
        3: "amount: not a finite number: 'NaN'",
        4: "probability: not a finite number: '-Infinity'",
    }
    assert reasons(con, hubspot) == {3: "property_amount: not a finite number: 'Infinity'"}
    assert column(con, "select opportunity_id from raw.opportunities") == ["M1"]
    assert column(con, "select id from raw.salesforce__opportunity") == ["006A"]
    assert column(con, "select deal_id from raw.hubspot__deal") == ["D1"]


def test_the_broken_columns_are_named_for_every_new_check(con) -> None:
    """``_columns`` (what the published quarantine shows) names the column of each new
    rule: a number that is not finite and a time outside its accepted range."""
    table = TABLES["opportunities"]
    names = [
        "opportunity_id",
        "account_id",
        "owner_id",
        "opportunity_type",
        "stage",
        "amount",
        "created_at",
        "close_date",
        "is_closed",
        "is_won",
    ]
    rows = [
        ("O1", "1000", "2026-04-01T10:00:00", "2026-05-01"),
        ("O2", "NaN", "2026-04-01T10:00:00", "2026-05-01"),
        ("O3", "1000", "2205-01-01T00:00:00", "2026-05-01"),
        ("O4", "1000", "1999-12-31T00:00:00", "2026-05-01"),
        ("O5", "1000", "2026-04-01T10:00:00", "9999-12-31"),
        ("O6", "inf", "2205-01-01T00:00:00", "0001-01-01"),
    ]
    con.execute("set TimeZone = 'Asia/Tokyo'")
    con.execute(
        "create temp table _stage as select * from (values "
        + ", ".join(
            f"('{oid}', 'A1', 'u1', 'new_business', 'proposal', '{amount}', '{created}', "
            f"'{close}', 'false', 'false', {line})"
            for line, (oid, amount, created, close) in enumerate(rows, start=2)
        )
        + ") as t ("
        + ", ".join(names)
        + ", _line)"
    )
    bounds = time_bounds(dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC))
    result = con.execute(
        f"select _key, _columns, {plain_reason('_reason')} "
        f"from ({validated_select(table, names, bounds)}) "
        "order by _line"
    ).fetchall()
    assert [(key, columns) for key, columns, _reason in result] == [
        ("O1", None),
        ("O2", "amount"),
        ("O3", "created_at"),
        ("O4", "created_at"),
        ("O5", "close_date"),
        ("O6", "amount, created_at, close_date"),
    ]
    assert result[0][2] == ""
    assert result[5][2] == (
        "amount: not a finite number: 'inf'; "
        f"created_at: '2205-01-01T00:00:00' is after the latest accepted event time, "
        f"{LATEST_EVENT}; "
        "close_date: '0001-01-01' is before the earliest accepted date, 2000-01-01"
    )


# --- 2. no timestamp stretches the calendar ---------------------------------------------


def test_event_times_outside_the_accepted_range_are_quarantined(con, landing: Path) -> None:
    after = f"is after the latest accepted event time, {LATEST_EVENT}"
    before = "is before the earliest accepted date, 2000-01-01"
    cases = [
        ("L01", "2026-04-01T09:00:00", "", None),
        ("L02", "2205-01-01T00:00:00", "", f"created_at: '2205-01-01T00:00:00' {after}"),
        ("L03", "9999-12-31T23:59:59", "", f"created_at: '9999-12-31T23:59:59' {after}"),
        ("L04", "0001-01-01T00:00:00", "", f"created_at: '0001-01-01T00:00:00' {before}"),
        # 2000-01-01 starts at midnight in the reporting timezone (Asia/Tokyo)
        ("L05", "2000-01-01T00:00:00", "", None),
        (
            "L06",
            "1999-12-31T23:59:59+09:00",
            "",
            f"created_at: '1999-12-31T23:59:59+09:00' {before}",
        ),
        # the latest event time itself is accepted, a second later is not
        ("L07", "2026-12-04T12:00:00Z", "", None),
        ("L08", "2026-12-04T21:00:00", "", None),  # 12:00 UTC, written in Tokyo time
        ("L09", "2026-12-04T12:00:01Z", "", f"created_at: '2026-12-04T12:00:01Z' {after}"),
        ("L10", "2026-04-01T09:00:00", "2205-01-01", f"mql_at: '2205-01-01' {after}"),
    ]
    file = write(
        landing,
        "leads/l.csv",
        "lead_id,lead_source,created_at,mql_at\n"
        + "".join(f"{lid},web,{created},{mql}\n" for lid, created, mql, _r in cases),
    )
    ingest(con, landing)
    assert reasons(con, file) == {
        line: reason
        for line, (_l, _c, _m, reason) in enumerate(cases, start=2)
        if reason is not None
    }
    assert column(con, "select lead_id from raw.leads order by 1") == [
        lid for lid, _c, _m, reason in cases if reason is None
    ]
    (span_years,) = con.execute(
        "select date_diff('year', min(created_at), max(created_at)) from raw.leads"
    ).fetchone()
    assert span_years == 26  # 2000 .. 2026, not 2205 or 9999


def test_planned_and_upcoming_dates_get_their_own_wider_bound(con, landing: Path) -> None:
    opportunities = write(
        landing,
        "opportunities/o.csv",
        "opportunity_id,account_id,owner_id,opportunity_type,stage,created_at,close_date,"
        "is_closed,is_won\n"
        "O1,A1,u1,new_business,proposal,2026-04-01T10:00:00,2099-05-20,false,false\n"
        "O2,A1,u1,new_business,proposal,2026-04-01T10:00:00,2126-12-03,false,false\n"
        "O3,A1,u1,new_business,proposal,2026-04-01T10:00:00,2126-12-04,false,false\n"
        "O4,A1,u1,new_business,proposal,2026-04-01T10:00:00,1999-12-31,false,false\n",
    )
    meetings = write(
        landing,
        "meetings/m.csv",
        "meeting_id,owner_id,created_at,scheduled_at,status\n"
        "E1,u1,2026-05-08T12:00:00,2099-05-20T12:00:00+09:00,scheduled\n"
        "E2,u1,2026-05-08T12:00:00,9999-12-31T00:00:00,scheduled\n"
        "E3,u1,2205-05-08T12:00:00,2026-05-20T12:00:00,scheduled\n",
    )
    subscriptions = write(
        landing,
        "subscriptions/s.csv",
        "subscription_id,account_id,start_date,end_date,mrr\n"
        "S1,A1,2027-06-01,2028-05-31,1000\n"
        "S2,A1,2028-12-03,,1000\n"
        "S3,A1,2028-12-04,,1000\n"
        "S4,A1,2026-04-01,9999-12-31,1000\n",
    )
    campaigns = write(
        landing,
        "campaigns/c.csv",
        "campaign_id,campaign_name,campaign_type,started_at\n"
        "C1,Seminar,seminar,2027-06-01T14:00:00\n"
        "C2,Seminar,seminar,2205-06-01T14:00:00\n",
    )
    ingest(con, landing)
    assert reasons(con, opportunities) == {
        4: "close_date: '2126-12-04' is after the latest accepted planned date, 2126-12-03",
        5: "close_date: '1999-12-31' is before the earliest accepted date, 2000-01-01",
    }
    assert reasons(con, meetings) == {
        3: "scheduled_at: '9999-12-31T00:00:00' is after the latest accepted planned date, "
        "2126-12-03 12:00:00 UTC",
        4: f"created_at: '2205-05-08T12:00:00' is after the latest accepted event time, "
        f"{LATEST_EVENT}",
    }
    assert reasons(con, subscriptions) == {
        4: "start_date: '2028-12-04' is after the latest accepted upcoming date, 2028-12-03",
        5: "end_date: '9999-12-31' is after the latest accepted planned date, 2126-12-03",
    }
    assert reasons(con, campaigns) == {
        3: "started_at: '2205-06-01T14:00:00' is after the latest accepted planned date, "
        "2126-12-03 12:00:00 UTC"
    }
    assert column(con, "select opportunity_id from raw.opportunities order by 1") == ["O1", "O2"]
    assert column(con, "select meeting_id from raw.meetings") == ["E1"]
    assert column(con, "select subscription_id from raw.subscriptions order by 1") == ["S1", "S2"]


def test_vendor_timestamps_are_bounded_by_their_declared_kind(con, landing: Path) -> None:
    after = f"is after the latest accepted event time, {LATEST_EVENT}"
    leads = write(
        landing,
        "salesforce/Lead/extract_Lead.csv",
        '"Id","CreatedDate","ConvertedDate"\n'
        '"00Q1","2026-04-01T00:00:00.000Z",""\n'
        '"00Q2","2205-04-01T00:00:00.000Z",""\n'
        '"00Q3","2026-04-01T00:00:00.000Z","0001-01-01"\n',
    )
    events = write(
        landing,
        "salesforce/Event/extract_Event.csv",
        '"Id","StartDateTime","CreatedDate"\n'
        '"00U1","2099-05-20T03:00:00.000Z","2026-05-08T03:00:00.000Z"\n',
    )
    history = write(
        landing,
        "salesforce_history/opportunity/h.csv",
        "_fivetran_active,_fivetran_start,_fivetran_end,id,amount\n"
        "true,2019-10-17 21:10:19,9999-12-31 23:59:59,O1,100\n"
        "true,2205-10-17 21:10:19,9999-12-31 23:59:59,O2,100\n",
    )
    deals = write(
        landing,
        "hubspot/deals/deals.csv",
        "Record ID,Deal Stage,Create Date,Close Date\n"
        "1,appointmentscheduled,2026-04-01 09:00,2099-06-30 00:00\n"
        "2,appointmentscheduled,2205-04-01 09:00,2026-06-30 00:00\n",
    )
    ingest(con, landing)
    assert reasons(con, leads) == {
        3: f"created_date: '2205-04-01T00:00:00.000Z' {after}",
        4: "converted_date: '0001-01-01' is before the earliest accepted date, 2000-01-01",
    }
    assert reasons(con, events) == {}  # a meeting set far ahead is planned, not an event
    assert reasons(con, history) == {3: f"fivetran_start: '2205-10-17 21:10:19' {after}"}
    assert reasons(con, deals) == {3: f"create_date: '2205-04-01 09:00' {after}"}
    # the connector's "still current" end loads
    assert _utc(
        con,
        "select strftime(fivetran_end, '%Y-%m-%d %H:%M:%S') "
        "from raw.salesforce_history__opportunity",
    ) == [("9999-12-31 23:59:59",)]


def test_the_run_clock_is_pinned_by_kpitree_now(
    con, landing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = write(
        landing,
        "leads/l.csv",
        "lead_id,lead_source,created_at\nL1,web,2027-01-10T00:00:00Z\n",
    )
    ingest(con, landing)
    assert counts(con, file) == (1, 0, 1)
    monkeypatch.setenv("KPITREE_NOW", "2027-02-01T00:00:00+09:00")
    later = duckdb.connect(str(tmp_path / "later.duckdb"))
    ingest(later, landing)
    assert counts(later, file) == (1, 1, 0)
    later.close()
    assert run_clock() == dt.datetime(2027, 1, 31, 15, tzinfo=dt.UTC)
    monkeypatch.setenv("KPITREE_NOW", "2027-02-01 00:00:00")  # no offset: UTC
    assert run_clock() == dt.datetime(2027, 2, 1, tzinfo=dt.UTC)
    monkeypatch.setenv("KPITREE_NOW", "tomorrow")
    with pytest.raises(ValueError, match="KPITREE_NOW"):
        run_clock()
    monkeypatch.delenv("KPITREE_NOW")
    before = dt.datetime.now(dt.UTC)
    assert before <= run_clock() <= dt.datetime.now(dt.UTC)


def test_a_leap_day_clock_gives_whole_year_bounds() -> None:
    bounds = time_bounds(dt.datetime(2028, 2, 29, 6, tzinfo=dt.UTC))
    assert bounds.latest["event"] == dt.datetime(2028, 3, 1, 6, tzinfo=dt.UTC)
    assert bounds.latest["upcoming"] == dt.datetime(2030, 2, 28, 6, tzinfo=dt.UTC)
    assert bounds.latest["planned"] == dt.datetime(2128, 2, 29, 6, tzinfo=dt.UTC)
    assert bounds.latest["validity_end"] is None
    assert bounds.earliest == dt.date(2000, 1, 1)


# --- 3. vendor instants -------------------------------------------------------------------

# (written, the UTC instant it names, computed by hand)
WITH_OFFSETS = [
    ("2026-01-01T10:00:00.000+0900", "2026-01-01 01:00:00"),
    ("2026-01-01T10:00:00+09", "2026-01-01 01:00:00"),
    ("2026-01-01T10:00:00+09:00", "2026-01-01 01:00:00"),
    ("2026-01-01T10:00:00.000Z", "2026-01-01 10:00:00"),
    ("2026-01-01T10:00:00.000-0530", "2026-01-01 15:30:00"),
    ("2026-01-01T10:00:00.000 +0900", "2026-01-01 01:00:00"),
    ("2026-01-01 10:00:00 -05:30", "2026-01-01 15:30:00"),
    ("2026-01-01T10:00:00.000+0000", "2026-01-01 10:00:00"),
]


def _utc(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    con.execute("set TimeZone = 'UTC'")
    return con.execute(sql).fetchall()


def test_salesforce_offsets_without_a_colon_name_the_instant(con, landing: Path) -> None:
    rows = [*WITH_OFFSETS, ("2026-01-01 10:00:00", "2026-01-01 10:00:00")]  # connector: UTC
    write(
        landing,
        "salesforce/Lead/extract_Lead.csv",
        '"ID","CREATEDDATE"\n'
        + "".join(f'"00Q{i}","{written}"\n' for i, (written, _utc) in enumerate(rows)),
    )
    ingest(con, landing)
    stored = _utc(
        con,
        "select id, strftime(createddate, '%Y-%m-%d %H:%M:%S') from raw.salesforce__lead",
    )
    assert sorted(stored) == [(f"00Q{i}", utc) for i, (_w, utc) in enumerate(rows)]


def test_canonical_offsets_without_a_colon_name_the_instant(con, landing: Path) -> None:
    rows = [*WITH_OFFSETS, ("2026-01-01T10:00:00", "2026-01-01 01:00:00")]  # Tokyo time
    file = write(
        landing,
        "leads/l.csv",
        "lead_id,lead_source,created_at\n"
        + "".join(f"L{i},web,{written}\n" for i, (written, _utc) in enumerate(rows))
        + "L98,web,2026-01-01T10:00:00+99:00\n"
        + "L99,web,2026-01-01+09:00\n",
    )
    ingest(con, landing)
    stored = _utc(con, "select lead_id, strftime(created_at, '%Y-%m-%d %H:%M:%S') from raw.leads")
    assert sorted(stored) == [(f"L{i}", utc) for i, (_w, utc) in enumerate(rows)]
    n = len(rows) + 2
    assert reasons(con, file) == {
        n: "created_at: not an ISO 8601 timestamp: '2026-01-01T10:00:00+99:00'",
        n + 1: "created_at: not an ISO 8601 timestamp: '2026-01-01+09:00'",
    }


def test_jsonl_written_by_hand_matches_the_csv_reading(con, landing: Path) -> None:
    """The same offsets in a JSON Lines file of a canonical table."""
    records = [
        {"lead_id": f"J{i}", "lead_source": "web", "created_at": written}
        for i, (written, _utc) in enumerate(WITH_OFFSETS)
    ]
    write(landing, "leads/l.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    ingest(con, landing)
    stored = _utc(con, "select lead_id, strftime(created_at, '%Y-%m-%d %H:%M:%S') from raw.leads")
    assert sorted(stored) == [(f"J{i}", utc) for i, (_w, utc) in enumerate(WITH_OFFSETS)]
