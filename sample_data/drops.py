"""Next-day drops for a sample landing folder: what a nightly SFA/MA delta export adds.

Why it exists: :mod:`sample_data.generate` writes one fiscal year as one file per table, but a
real landing folder grows by one file per table and night, and a night's export is mostly
*changes*: the day's new leads, calls and meetings, and new versions of records that landed
long ago -- a lead that turns MQL months after it was created, a deal that moves a stage or
closes, a stage change entered weeks after it happened, the amount of a deal closed last
quarter corrected, a lead source or an account's segment fixed. Those are the cases that the
ingest's versioning (newest ``updated_at``, then the later file, then the later line) and every
model reading current versions must get right; ``write_next_day`` makes them on demand, on a
folder of any size.

How: ``write_next_day(landing)`` reads the folder's current state with an in-memory DuckDB
(every CSV of a table read as text, the current version of each key picked with a window,
candidates sampled in a stable hashed order with a LIMIT), so memory stays bounded at
``--scale 100``. Only narrow state tables (keys, owners, stages, instants) are materialised;
the full rows of the records that change are read back at the end and copied through verbatim
except for the changed columns. The day is drawn from ``random.Random(seed + day ordinal)``
with the generator's rates (:mod:`sample_data.calibration`); volumes follow counts in the
folder -- leads created in the trailing year, active inside-sales reps, open deals, running
contracts -- not a scale argument. Same folder contents and seed, same bytes.

The drop day is the day after the newest drop already in the folder (the latest
``<table>/<YYYY-MM-DD>.csv`` name in any table folder) or, in a folder without drops, the day
after the latest local date of ``activities.occurred_at``; so N calls write N consecutive days.
Every day has at least one new lead, hence a leads file, so the rule always moves on. Files are
written under hidden names (skipped by ingest) and renamed when the whole day is written.

What a day holds (Asia/Tokyo, the generator's fixed ``+09:00``; no event lies after the day):

- new records: leads (the generator's daily weights over the trailing year's leads), some at
  new accounts, with their campaign responses and MQL; on working days about 34 calls (and the
  generator's share of e-mails) per active inside-sales rep to the day's new leads and to open
  leads in their cadence, meetings booked and SQLs from connected calls, held meetings' activity
  and the deals they open, customer-success check-ins; on newsletter days (the first working
  day from the 5th and from the 19th, and a week later) a newsletter and its e-mail events;
- status changes, as new versions of the same key: leads turning MQL (on a later
  response or a click, also leads created months ago), SQL, working, converted or recycled
  with a reason; the day's meetings held, no-show or cancelled;
- stage moves of open new-business and upsell deals (the generator's stage durations and loss
  rates; won deals get their contract), and a backdated stage change: a stage-history row whose
  ``changed_at`` lies weeks back, delivered today with the deal's new version;
- amount corrections of deals won weeks or months ago (``close_date`` unchanged), and other
  corrections: a lead's ``other`` lead source, an account's segment with its headcount.

Renewal deals are not created or moved: the sample's renewals all close within its year.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import IO

import duckdb

from orchestration.contract import SEGMENTS, TABLES
from sample_data.calibration import (
    AMOUNT,
    APPOINTMENT,
    CALL_OUTCOMES,
    CALL_SHARE,
    CALLS_PER_REP_DAY,
    CLICKED,
    DELIVERED,
    EMAILS_PER_CAMPAIGN,
    EMPLOYEES,
    HELD,
    INDUSTRIES,
    LATER_RESPONSE,
    LOST_AFTER,
    MAX_AMOUNT,
    MIN_AMOUNT,
    MQL_SCORE_THRESHOLD,
    NAME_STEMS,
    NO_SHOW,
    NURTURE_WORK,
    OPENED,
    OPPORTUNITY,
    PROSPECTS_PER_LEAD,
    RECYCLE_REASONS,
    SEGMENT_WEIGHTS,
    SEMINAR_ATTENDED,
    SENDS_PER_LEAD_YEAR,
    SOURCE_WEIGHTS,
    SQL_DIRECT_SOURCES,
    SQL_ONLY,
    STAGE_DAYS,
    STAGES,
    UNSUBSCRIBE_AFTER_OPEN,
    WIN,
)
from sample_data.generate import cumulative, lead_status
from sample_data.timeline import (
    DAY,
    FY_START,
    FY_START_EPOCH,
    HOUR,
    WORK_SPAN,
    WORK_START,
    Clock,
    term_end_day,
    weekday,
)

Progress = Callable[[str, int, int], None]

# --- what a day holds, beyond the generator's calibration -------------------------------------

WEEKEND_LEADS = 0.35  # the generator's weight of a weekend day in lead creation
NEW_ACCOUNT = 0.3 * PROSPECTS_PER_LEAD  # the generator makes ~30 % of prospects in the year
TOUCHES_PER_REP_DAY = round(CALLS_PER_REP_DAY / CALL_SHARE)  # calls plus e-mails
CADENCE_DAYS = 45  # an IS-owned lead is in a cadence this long after creation or MQL
LATE_MQL_AFTER = 60  # days: a late response re-engages a lead at least this old ...
LATE_MQL_WITHIN = 365  # ... and created within the trailing year
RECYCLE_STALLED_AFTER = 14  # days after sql_at before an SQL without a deal may recycle
BACKDATED_SHARE = 0.05  # of the day's stage moves, at least one on a working day
BACKDATED_AGE = (7, 14)  # changed_at at least 7 days back, on a deal idle for 14 days or more
CORRECTED_SHARE = 0.1  # of a working day's won deals (trailing year), at least one
CORRECTION_WINDOW = (14, 180)  # days since close_date of a deal whose amount is corrected
AMOUNT_FIX = (0.85, 1.15)
FIXES_PER_LEAD = 1 / 20_000  # lead-source and segment fixes per trailing-year lead, working day
CHECK_INS_PER_YEAR = 4  # customer-success meetings per running customer
NEWSLETTER_DAYS = (5, 19)  # a newsletter goes out on the first working day from these
REACH = SENDS_PER_LEAD_YEAR / (2 * 12 * EMAILS_PER_CAMPAIGN)  # recipients per send, as share
SEMINAR_LEAD_DAYS = 42  # registration opens (campaigns.started_at) this long before the event
PLANNED_CLOSE = (45, 90)  # days from a new deal to its planned close_date
RECENT_EVENTS = 3  # an event-sourced lead answers one of the latest trade shows
OPEN_STATUSES = ("nurturing", "unqualified", "working", "mql", "sql")
WORKED_SOURCES = ("web", "document_request", "seminar", "ads", "event")  # fixes of `other`
ACTIVE = "coalesce(is_active, 'true')"  # a user without is_active counts as active
DROP_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.csv")


@dataclass(frozen=True)
class DropSummary:
    """What one call of :func:`write_next_day` wrote."""

    day: dt.date
    rows: dict[str, int]  # rows written per contract table (0: no file that day)
    new_records: int = 0  # rows with a new key, bar the stage-history rows of moves
    status_changes: int = 0  # lead lifecycle steps and meeting outcomes
    stage_moves: int = 0  # deals moved to their next stage (or closed) today
    backdated_stage_changes: int = 0  # stage changes dated weeks back, delivered today
    amount_corrections: int = 0  # amounts of deals closed weeks or months ago
    other_corrections: int = 0  # lead sources and account segments


def write_next_day(
    landing: Path, seed: int = 20260401, progress: Progress | None = None
) -> DropSummary:
    """Write the day after the folder's latest day as ``<landing>/<table>/<YYYY-MM-DD>.csv``.

    ``landing`` is a folder written by :func:`sample_data.generate.generate`, with or without
    earlier drops. ``progress(table, done, total)`` is called once per file written.
    """
    landing = Path(landing)
    with tempfile.TemporaryDirectory(prefix="kpitree-drops-") as spill:
        con = duckdb.connect()
        try:
            con.execute("set memory_limit = '1GB'")
            con.execute("set threads = 2")
            con.execute(f"set temp_directory = {_literal(spill)}")
            con.execute("set TimeZone = 'Asia/Tokyo'")
            folder = _Folder(con, landing)
            day = folder.next_day()
            return _Day(folder, day, seed).run(progress or (lambda _name, _done, _total: None))
        finally:
            con.close()


# --- reading the folder -----------------------------------------------------------------------


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _t(column: str) -> str:
    """SQL: a timestamp column as integer seconds since the fiscal year's first local midnight."""
    return f"(cast(floor(epoch(cast({column} as timestamptz))) as bigint) - {FY_START_EPOCH})"


def _true(column: str) -> str:
    return f"(lower(trim({column})) in ('true', 't', '1', 'yes', 'y'))"


class _Folder:
    """The landing folder's files and the SQL that reads their current versions."""

    def __init__(self, con: duckdb.DuckDBPyConnection, landing: Path) -> None:
        self.con = con
        self.landing = landing
        self.files = {name: self._table_files(landing / name) for name in TABLES}
        if not self.files["activities"] or not self.files["leads"]:
            raise ValueError(f"{landing}: not a landing folder written by sample_data.generate")

    @staticmethod
    def _table_files(folder: Path) -> list[Path]:
        """CSV files of a table folder in path order, skipping the names ingest skips."""
        if not folder.is_dir():
            return []
        found = []
        for path in folder.rglob("*"):
            parts = path.relative_to(folder).parts
            hidden = any(p.startswith((".", "_", "~$")) for p in parts)
            if path.is_file() and path.suffix.lower() == ".csv" and not hidden:
                found.append(("/".join(parts), path))
        return [path for _, path in sorted(found)]

    def next_day(self) -> dt.date:
        drops = [
            dt.date.fromisoformat(m.group(1))
            for paths in self.files.values()
            for path in paths
            if (m := DROP_NAME.fullmatch(path.name))
        ]
        if drops:
            return max(drops) + dt.timedelta(days=1)
        sql = "select max(cast(cast(occurred_at as timestamptz) as date)) from "
        (latest,) = self.con.execute(sql + self.source("activities")).fetchone()
        return latest + dt.timedelta(days=1)

    def source(self, table: str) -> str:
        """SQL: every row of every file of ``table``, as text, with its file name."""
        files = ", ".join(_literal(str(p)) for p in self.files[table])
        columns = ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in TABLES[table].column_names)
        return (
            f"read_csv([{files}], columns = {{{columns}}}, header = true, delim = ',', "
            "quote = '\"', escape = '\"', filename = true, auto_detect = false)"
        )

    def current(self, table: str, columns: Iterable[str] | None = None) -> str:
        """SQL: the current version of every key of ``table`` (``columns`` of it, as text)."""
        spec = TABLES[table]
        wanted = list(columns or spec.column_names)
        needed = list(dict.fromkeys([*spec.primary_key, *wanted]))
        order = "filename desc"
        if spec.version_column:
            needed = list(dict.fromkeys([*needed, spec.version_column]))
            order = f"cast({spec.version_column} as timestamptz) desc nulls last, {order}"
        return (
            f"(select {', '.join(wanted)} from (select {', '.join(needed)}, filename "
            f"from {self.source(table)}) qualify row_number() over "
            f"(partition by {', '.join(spec.primary_key)} order by {order}) = 1)"
        )

    def rows(self, table: str, keys: list[str]) -> Iterator[list]:
        """The current full rows (text) of ``keys`` of a single-key table, in key order."""
        key = TABLES[table].primary_key[0]
        sql = (
            f"select * from {self.current(table)} where {key} in "
            f"(select unnest(cast(? as varchar[]))) order by {key}"
        )
        for row in self.con.execute(sql, [keys]).fetchall():
            yield list(row)


# --- writing files ----------------------------------------------------------------------------


class _File:
    """One table's drop file, written under a hidden name until the day is complete."""

    def __init__(self, folder: Path, name: str, day: dt.date) -> None:
        self.name = name
        self.path = folder / name / f"{day.isoformat()}.csv"
        self.part = folder / name / f".{day.isoformat()}.csv.part"
        self.count = 0
        self._file: IO[str] | None = None
        self._writer = None

    def write(self, row: Iterable) -> None:
        if self._writer is None:
            self.part.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.part.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._file, lineterminator="\n")
            self._writer.writerow(TABLES[self.name].column_names)
        self._writer.writerow(row)
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def commit(self) -> None:
        self.close()
        if self._file is not None:
            self.part.replace(self.path)

    def discard(self) -> None:
        self.close()
        self.part.unlink(missing_ok=True)


# --- the day ----------------------------------------------------------------------------------


def _loss_per_stage() -> tuple[float, ...]:
    """Chance that a deal leaving stage i is lost, from the generator's WIN and LOST_AFTER."""
    lost, reach, out, below = 1 - WIN, 1.0, [], 0.0
    for lost_by in LOST_AFTER:
        dies = lost * (lost_by - below)
        out.append(dies / reach)
        reach, below = reach - dies, lost_by
    return tuple(out)


LOSS = _loss_per_stage()
PROSPECT_SEGMENTS = cumulative(SEGMENT_WEIGHTS["prospect"])
SOURCE_CUM = cumulative(list(SOURCE_WEIGHTS.values()))
STAGE_INDEX = {stage: i for i, (stage, _) in enumerate(STAGES)}


@dataclass(slots=True)
class _NewLead:
    """A lead created today; written at the end, when its day is known."""

    lead_id: str
    t0: int
    source: str
    account_id: str
    segment: str
    score: int
    owner: str = ""
    mql_at: int | None = None
    sql_at: int | None = None
    touched: bool = False


@dataclass(slots=True)
class _Touch:
    """One IS follow-up of a lead today."""

    lead_id: str
    account_id: str | None
    segment: str | None
    rep: str
    t: int
    may_qualify: bool  # direct source or MQL: a connected call may make an SQL
    is_sql: bool
    status: str | None = None  # an existing lead's status before today


@dataclass
class _Versions:
    """New versions of existing keys of one table: changed columns and the change time."""

    changes: dict[str, dict[str, object]] = field(default_factory=dict)
    times: dict[str, int] = field(default_factory=dict)

    def set(self, key: str, t: int, **columns: object) -> None:
        self.changes.setdefault(key, {}).update(columns)
        self.times[key] = max(t, self.times.get(key, t))

    def __contains__(self, key: str) -> bool:
        return key in self.changes


class _Day:
    """The random stream, the lookups and the output of one drop day."""

    def __init__(self, folder: _Folder, day: dt.date, seed: int) -> None:
        self.folder = folder
        self.con = folder.con
        self.day = day
        self.rng = Random(seed + day.toordinal())
        self.salt = f"{seed}:{day.isoformat()}"
        self.clock = Clock()
        self.d = (day - FY_START).days  # day index of the generator's time base
        self.start = self.d * DAY
        self.end = self.start + DAY - 1
        self.working = weekday(self.d) < 5
        self.stamp = day.strftime("%Y%m%d")
        self.files = {name: _File(folder.landing, name, day) for name in TABLES}
        self.counts: Counter[str] = Counter()
        self.numbers: Counter[str] = Counter()
        self.leads = _Versions()
        self.opportunities = _Versions()
        self.meetings = _Versions()
        self.accounts = _Versions()
        self.touched: set[str] = set()  # existing leads an IS rep worked today
        self.new_leads: dict[str, _NewLead] = {}
        self.touches: list[_Touch] = []

    # --- ids, times, rows ---------------------------------------------------------------------

    def _id(self, prefix: str, width: int = 6) -> str:
        self.numbers[prefix] += 1
        return f"{prefix}{self.stamp}{self.numbers[prefix]:0{width}d}"

    def _ts(self, t: int | None) -> str | None:
        return None if t is None else self.clock.ts(t)

    def _date(self, day: int) -> str:
        return self.clock.date(day)

    def _work_time(self, day: int | None = None) -> int:
        return (self.d if day is None else day) * DAY + WORK_START + self.rng.randrange(WORK_SPAN)

    def _working_day_after(self, day: int, count: int) -> int:
        while count > 0:
            day += 1
            count -= weekday(day) < 5
        return day

    def _new(self, table: str, row: tuple) -> None:
        self.files[table].write(row)
        self.counts["new_records"] += 1

    def _sample(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def _hash(self, key: str, purpose: str) -> str:
        return f"hash({key} || {_literal(self.salt + ':' + purpose)})"

    # --- the run ------------------------------------------------------------------------------

    def run(self, progress: Progress) -> DropSummary:
        try:
            self._load_state()
            self._new_leads()
            self._late_responses()
            self._newsletters()
            self._meetings_due()
            self._inside_sales()
            if self.working:
                self._stage_moves()
                self._recycles()
                self._amount_corrections()
                self._other_corrections()
                self._check_ins()
            self._write_versions()
        except BaseException:
            for file in self.files.values():
                file.discard()
            raise
        rows = {}
        for name, file in self.files.items():
            file.commit()
            rows[name] = file.count
            if file.count:
                progress(name, file.count, file.count)
        return DropSummary(self.day, rows, **{k: self.counts[k] for k in _KINDS})

    # --- state --------------------------------------------------------------------------------

    def _load_state(self) -> None:
        folder, con = self.folder, self.con
        users = con.execute(
            f"select user_id, department, team, {_true(ACTIVE)} "
            f"from {folder.current('users')} order by user_id"
        ).fetchall()
        self.pool: dict[str, list[str]] = {}
        for user_id, department, team, active in users:
            if active:
                self.pool.setdefault(department, []).append(user_id)
                self.pool.setdefault(f"team:{team}", []).append(user_id)
        self.reps = self.pool.get("inside_sales", [])
        self.is_reps = set(self.reps)
        campaigns = con.execute(
            f"select campaign_id, campaign_type, {_t('started_at')} as t "
            f"from {folder.current('campaigns')} where started_at is not null "
            "order by t, campaign_id"
        ).fetchall()
        self.campaigns: dict[str, list[tuple[int, str]]] = {}
        for campaign_id, kind, t in campaigns:
            self.campaigns.setdefault(kind, []).append((t, campaign_id))
        con.execute(
            "create temp table lead_state as select lead_id, account_id, lead_source, owner_id, "
            "cast(try_cast(lead_score as double) as integer) as score, status, "
            f"{_t('created_at')} as created_t, {_t('mql_at')} as mql_t, {_t('sql_at')} as sql_t, "
            f"{_t('recycled_at')} as recycled_t, converted_opportunity_id as opportunity_id "
            f"from {folder.current('leads')}"
        )
        con.execute(
            "create temp table account_state as select account_id, segment, "
            f"{_t('created_at')} as created_t from {folder.current('accounts')}"
        )
        con.execute(
            "create temp table opportunity_state as select opportunity_id, account_id, "
            "opportunity_type, stage, cast(amount as double) as amount, "
            f"{_true('is_closed')} as is_closed, {_true('is_won')} as is_won, "
            "cast(close_date as date) as close_date, "
            "cast(cast(updated_at as timestamptz) as date) as updated_day "
            f"from {folder.current('opportunities')}"
        )
        year_ago = self.start - 365 * DAY
        (self.yearly_leads, self.yearly_recycles) = con.execute(
            f"select count(*) filter (created_t >= {year_ago} and created_t < {self.start}), "
            f"count(*) filter (recycled_t >= {year_ago} and recycled_t < {self.start}) "
            "from lead_state"
        ).fetchone()
        weighted = sum(
            1.0 if weekday(day) < 5 else WEEKEND_LEADS for day in range(self.d - 365, self.d)
        )
        self.lead_day_share = (1.0 if self.working else WEEKEND_LEADS) / weighted

    def _lead_step(self, lead_id: str, t: int, **columns: object) -> None:
        self.leads.set(lead_id, t, **columns)
        self.counts["status_changes"] += 1

    def _rep(self) -> str:
        return self.rng.choice(self.reps)

    def _field_rep(self, segment: str | None) -> str:
        team = "team:FS-SMB" if segment == "smb" else "team:FS-Enterprise"
        return self.rng.choice(self.pool.get(team) or self.pool["field_sales"])

    # --- new leads ----------------------------------------------------------------------------

    def _new_leads(self) -> None:
        """The day's leads, the generator's way: source, account, score, responses, MQL, owner."""
        rng = self.rng
        count = max(1, round(self.yearly_leads * self.lead_day_share))
        existing = iter(
            self._sample(
                f"select account_id, segment from account_state where created_t < {self.start} "
                f"order by {self._hash('account_id', 'lead-account')}, account_id limit ?",
                [count],
            )
        )
        sources = list(SOURCE_WEIGHTS)
        times = sorted(self.start + rng.randrange(7 * HOUR, 23 * HOUR) for _ in range(count))
        for t0 in times:
            source = sources[bisect_right(SOURCE_CUM, rng.random())]
            picked = next(existing, None) if rng.random() >= NEW_ACCOUNT else None
            account_id, segment = picked if picked else self._new_account(t0)
            direct = source in SQL_DIRECT_SOURCES
            mean = 45 if direct or source == "other" else 58
            score = min(100, max(0, round(rng.gauss(mean, 18))))
            lead = _NewLead(self._id("L"), t0, source, account_id, segment or "smb", score)
            self.new_leads[lead.lead_id] = lead
            engaged = self._first_responses(lead)
            if score >= MQL_SCORE_THRESHOLD and engaged is not None:
                mql = engaged + rng.randrange(300, 2 * HOUR)
                lead.mql_at = mql if mql <= self.end else None
            if direct or lead.mql_at is not None:
                lead.owner = self._rep()
                self._first_touch(lead, lead.t0 if direct else lead.mql_at, True)
            elif rng.random() < NURTURE_WORK:
                lead.owner = self._rep()
                self._first_touch(lead, lead.t0, False)
            else:
                lead.owner = rng.choice(self.pool["marketing"])

    def _new_account(self, t0: int) -> tuple[str, str]:
        rng = self.rng
        segment = SEGMENTS[bisect_right(PROSPECT_SEGMENTS, rng.random())]
        industry, word = rng.choice(INDUSTRIES)
        account_id = self._id("A", 5)
        created = self._ts(t0 - rng.randrange(600, 3_600))
        row = (
            account_id,
            f"株式会社{rng.choice(NAME_STEMS)}{word}",
            industry,
            rng.randint(*EMPLOYEES[segment]),
            segment,
            created,
            created,
        )
        self._new("accounts", row)
        return account_id, segment

    def _campaign(self, kind: str, t: int, latest: int = 0) -> str | None:
        started = [c for s, c in self.campaigns.get(kind, []) if s <= t]
        if not started:
            return None
        return self.rng.choice(started[-latest:] if latest else started)

    def _response(self, lead_id: str, campaign_id: str, kind: str, t: int) -> None:
        self._new("campaign_responses", (self._id("R"), campaign_id, lead_id, kind, self._ts(t)))

    def _first_responses(self, lead: _NewLead) -> int | None:
        """The response that created an inbound lead; returns its time (the engagement)."""
        rng, t0, source = self.rng, lead.t0, lead.source
        if source == "seminar":
            upcoming = [
                (s + SEMINAR_LEAD_DAYS * DAY, c)
                for kind in ("seminar", "webinar")
                for s, c in self.campaigns.get(kind, [])
                if s <= t0 < s + SEMINAR_LEAD_DAYS * DAY
            ]
            if not upcoming:
                return None
            event_t, campaign_id = rng.choice(sorted(upcoming))
            self._response(lead.lead_id, campaign_id, "seminar_registration", t0)
            if t0 < event_t <= self.end and rng.random() < SEMINAR_ATTENDED:
                self._response(lead.lead_id, campaign_id, "seminar_attended", event_t)
            return t0
        if source in ("document_request", "web", "ads", "event"):
            kind = {"document_request": "document_request", "event": "event"}.get(source, "ads")
            campaign_id = self._campaign(kind, t0, RECENT_EVENTS if kind == "event" else 0)
            if campaign_id is None:
                return None
            response = "document_request" if kind == "document_request" else "form"
            self._response(lead.lead_id, campaign_id, response, t0)
            return t0
        return None

    def _first_touch(self, lead: _NewLead, start: int, may_qualify: bool) -> None:
        """The generator's first follow-up: within 90 minutes when the lead came in by 17:00."""
        if not self.working or start - self.start >= 17 * HOUR:
            return
        t = max(start + 600, self.start + WORK_START) + self.rng.randrange(5_400)
        self.touches.append(
            _Touch(lead.lead_id, lead.account_id, lead.segment, lead.owner, t, may_qualify, False)
        )

    # --- MQL months later ---------------------------------------------------------------------

    def _late_responses(self) -> None:
        """Leads created months ago answer a whitepaper today and turn MQL (LATER_RESPONSE)."""
        rng = self.rng
        count = max(1, round(self.yearly_leads * LATER_RESPONSE * self.lead_day_share / 2))
        statuses = ", ".join(_literal(s) for s in ("nurturing", "unqualified", "working"))
        candidates = self._sample(
            "select lead_id, owner_id, account_id from lead_state "
            f"where score >= {MQL_SCORE_THRESHOLD} and mql_t is null and sql_t is null "
            f"and recycled_t is null and opportunity_id is null and status in ({statuses}) "
            f"and created_t between {self.start - LATE_MQL_WITHIN * DAY} "
            f"and {self.start - LATE_MQL_AFTER * DAY} "
            f"order by {self._hash('lead_id', 'late-mql')}, lead_id limit ?",
            [count],
        )
        for lead_id, owner, account_id in candidates:
            t = self.start + rng.randrange(8 * HOUR, 21 * HOUR)
            campaign_id = self._campaign("document_request", t)
            if campaign_id is None:
                return
            self._response(lead_id, campaign_id, "document_request", t)
            self._turn_mql(lead_id, owner, account_id, t + rng.randrange(300, 2 * HOUR))

    def _turn_mql(self, lead_id: str, owner: str | None, account_id: str | None, mql: int) -> None:
        """An existing lead becomes MQL at ``mql``; IS takes it over and calls it by 17:00."""
        mql = min(mql, self.end)
        if owner not in self.is_reps:
            owner = self._rep()
        self._lead_step(lead_id, mql, mql_at=self._ts(mql), owner_id=owner)
        if self.working and mql - self.start < 17 * HOUR:
            t = mql + 600 + self.rng.randrange(5_400)
            self.touches.append(_Touch(lead_id, account_id, None, owner, t, True, False))
            self.touched.add(lead_id)

    # --- e-mail -------------------------------------------------------------------------------

    def _newsletters(self) -> None:
        """Today's sends: a new newsletter on newsletter days, and last week's second mailing."""
        sends = []
        for send_t, campaign_id in self.campaigns.get("email", []):
            if send_t // DAY == self.d - 7:
                sends.append((send_t + 7 * DAY, campaign_id))
        if self._is_newsletter_day():
            half = "ab"[self.day.day >= NEWSLETTER_DAYS[1]]
            campaign_id = self._id("C", 2)
            start = self.start + 10 * HOUR + self.rng.randrange(6 * HOUR)
            name = f"Newsletter {self.day.isoformat()[:7]}-{half}"
            self._new("campaigns", (campaign_id, name, "email", self._ts(start)))
            sends.append((start, campaign_id))
        if not sends:
            return
        self.con.execute(
            "create temp table unsubscribed as select distinct lead_id "
            f"from {self.folder.source('email_events')} where event_type = 'unsubscribed'"
        )
        for send_t, campaign_id in sends:
            self._send(send_t, campaign_id)

    def _is_newsletter_day(self) -> bool:
        if not self.working:
            return False
        for first in NEWSLETTER_DAYS:
            gap = self.day.day - first
            if 0 <= gap < 7 and all(weekday(self.d - k) >= 5 for k in range(1, gap + 1)):
                return True
        return False

    def _send(self, send_t: int, campaign_id: str) -> None:
        """One mailing to a hashed share of the trailing year's leads, streamed to the file."""
        email_id = self._id("EM", 2)
        cursor = self.con.execute(
            "select lead_id, owner_id, account_id, score, "
            "mql_t is null and sql_t is null and recycled_t is null and opportunity_id is null "
            f"from lead_state where created_t < {send_t} "
            f"and created_t >= {self.start - 365 * DAY} "
            "and lead_id not in (select lead_id from unsubscribed) "
            f"and {self._hash('lead_id', email_id)} % 1000000 < {round(REACH * 1_000_000)} "
            "order by lead_id"
        )
        while batch := cursor.fetchmany(10_000):
            for lead_id, owner, account_id, score, open_lead in batch:
                clicked = self._mail(email_id, campaign_id, lead_id, send_t)
                qualifies = score is not None and score >= MQL_SCORE_THRESHOLD and open_lead
                if clicked is not None and qualifies and lead_id not in self.leads:
                    mql = clicked + self.rng.randrange(300, 2 * HOUR)
                    self._turn_mql(lead_id, owner, account_id, mql)
        for lead in list(self.new_leads.values()):
            if lead.t0 < send_t and self.rng.random() < REACH:
                clicked = self._mail(email_id, campaign_id, lead.lead_id, send_t)
                if clicked is None or lead.score < MQL_SCORE_THRESHOLD or lead.mql_at is not None:
                    continue
                lead.mql_at = min(clicked + self.rng.randrange(300, 2 * HOUR), self.end)
                if lead.owner not in self.is_reps:
                    lead.owner = self._rep()
                    self._first_touch(lead, lead.mql_at, True)

    def _mail(self, email_id: str, campaign_id: str, lead_id: str, send_t: int) -> int | None:
        """The generator's events of one e-mail, opens kept within the day; returns the click."""
        rng, end = self.rng, self.end
        sent = send_t + rng.randrange(1_800)
        events = [("sent", sent)]
        clicked = None
        if rng.random() >= DELIVERED:
            events.append(("bounced", sent + rng.randrange(1, 120)))
        else:
            delivered = sent + rng.randrange(1, 120)
            events.append(("delivered", delivered))
            opened = delivered + rng.randrange(300, max(301, end - delivered))
            if rng.random() < OPENED:
                events.append(("opened", opened))
                if rng.random() < 0.3:
                    events.append(("opened", opened + rng.randrange(60, DAY)))
                if rng.random() < CLICKED:
                    clicked = opened + rng.randrange(5, 900)
                    events.append(("clicked", clicked))
                if rng.random() < UNSUBSCRIBE_AFTER_OPEN:
                    events.append(("unsubscribed", opened + rng.randrange(5, 900)))
        for event_type, t in events:
            if t <= end:
                row = (self._id("EV", 7), email_id, lead_id, campaign_id, event_type, self._ts(t))
                self._new("email_events", row)
        return clicked if clicked is not None and clicked <= end else None

    # --- meetings -----------------------------------------------------------------------------

    def _meetings_due(self) -> None:
        """Meetings due by today get their outcome; a held first meeting may open a deal."""
        due = self._sample(
            "select m.meeting_id, m.lead_id, m.account_id, m.opportunity_id, m.owner_id, "
            f"{_t('m.created_at')}, {_t('m.scheduled_at')}, {_true('m.is_first_meeting')}, "
            "a.segment, l.lead_id is not null and l.opportunity_id is null and l.sql_t is not null "
            f"from {self.folder.current('meetings')} m "
            "left join account_state a on a.account_id = m.account_id "
            "left join lead_state l on l.lead_id = m.lead_id "
            f"where m.status = 'scheduled' and {_t('m.scheduled_at')} <= {self.end} "
            "order by m.meeting_id"
        )
        for row in due:
            self._meeting_outcome(*row)

    def _meeting_outcome(
        self,
        meeting_id: str,
        lead_id: str | None,
        account_id: str | None,
        deal: str | None,
        owner: str,
        created: int,
        scheduled: int,
        first: bool,
        segment: str | None,
        open_sql: bool,
    ) -> None:
        rng = self.rng
        r = rng.random()
        if r < HELD:
            status = "held"
            updated = scheduled + HOUR + rng.randrange(2 * HOUR)
            head = (self._id("ACT", 7), lead_id, account_id, owner, "meeting", "outbound")
            self._new("activities", (*head, None, 3_600, self._ts(scheduled)))
        elif r < HELD + NO_SHOW:
            status, updated = "no_show", scheduled + 1_800
        else:
            status = "cancelled"
            lo = max(created, self.start + 7 * HOUR)
            updated = lo + rng.randrange(max(1, scheduled - lo))
        if scheduled < self.start:  # missed by earlier drops: recorded this morning
            updated = self.start + WORK_START + rng.randrange(HOUR)
        updated = min(max(updated, self.start), self.end)
        columns: dict[str, object] = {"status": status}
        held_first = status == "held" and first and deal is None and open_sql
        if held_first and lead_id not in self.leads and rng.random() < OPPORTUNITY:
            columns["opportunity_id"] = self._new_deal(lead_id, account_id, owner, segment, updated)
        self.meetings.set(meeting_id, updated, **columns)
        self.counts["status_changes"] += 1

    def _new_deal(
        self, lead_id: str, account_id: str, owner: str, segment: str | None, held: int
    ) -> str:
        rng = self.rng
        created = min(held + rng.randrange(600, HOUR), self.end)
        deal_id = self._id("O")
        lo, hi = AMOUNT[segment if segment in AMOUNT else "smb"]
        amount = rng.randint(lo, hi) * 10_000
        stage, probability = STAGES[0]
        close = self._date(self.d + rng.randint(*PLANNED_CLOSE))
        ts = self._ts(created)
        row = (deal_id, account_id, lead_id, owner, owner, "new_business", stage, amount, "JPY")
        self._new("opportunities", (*row, probability, ts, close, "false", "false", ts))
        self._new("opportunity_stage_history", (deal_id, stage, amount, probability, ts))
        self._lead_step(lead_id, created, converted_opportunity_id=deal_id)
        return deal_id

    # --- inside sales -------------------------------------------------------------------------

    def _inside_sales(self) -> None:
        """About 34 calls (plus e-mails) per active IS rep on a working day, none at weekends."""
        if not self.working or not self.reps:
            return
        busy = Counter(touch.rep for touch in self.touches)
        skip = sorted({*self.leads.changes, *self.touched})
        statuses = ", ".join(_literal(s) for s in OPEN_STATUSES)
        cadence = self.start - CADENCE_DAYS * DAY
        pool = self._sample(
            "select lead_id, owner_id, account_id, segment, may_qualify, is_sql, status from ("
            "select l.lead_id, l.owner_id, l.account_id, a.segment, l.status, "
            f"(l.mql_t is not null or l.lead_source in ({_in(SQL_DIRECT_SOURCES)})) "
            "as may_qualify, l.sql_t is not null as is_sql, row_number() over (partition by "
            f"l.owner_id order by {self._hash('l.lead_id', 'cadence')}, l.lead_id) as n "
            "from lead_state l left join account_state a on a.account_id = l.account_id "
            "where l.owner_id in (select unnest(cast(? as varchar[]))) "
            f"and l.status in ({statuses}) and l.recycled_t is null "
            "and l.opportunity_id is null "
            f"and greatest(l.created_t, coalesce(l.mql_t, l.created_t)) >= {cadence} "
            "and l.lead_id not in (select unnest(cast(? as varchar[])))"
            f") where n <= {TOUCHES_PER_REP_DAY} order by owner_id, n",
            [self.reps, skip],
        )
        for lead_id, rep, account_id, segment, may_qualify, is_sql, status in pool:
            if busy[rep] < TOUCHES_PER_REP_DAY:
                busy[rep] += 1
                t = self._work_time()
                self.touches.append(
                    _Touch(lead_id, account_id, segment, rep, t, may_qualify, is_sql, status)
                )
        for touch in self.touches:
            self._touch(touch)

    def _touch(self, touch: _Touch) -> None:
        rng = self.rng
        new = self.new_leads.get(touch.lead_id)
        if new is not None:
            new.touched = True
        else:
            self.touched.add(touch.lead_id)
            if touch.status in ("nurturing", "unqualified"):  # now worked by IS
                self._lead_step(touch.lead_id, touch.t, _touched=True)
        head = (self._id("ACT", 7), touch.lead_id, touch.account_id, touch.rep)
        if rng.random() >= CALL_SHARE:
            r = rng.random()
            outcome = "replied" if r < 0.08 else "bounced" if r < 0.1 else None
            self._new("activities", (*head, "email", "outbound", outcome, None, self._ts(touch.t)))
            return
        r = rng.random()
        outcome, lo, hi = next(o[1:] for o in CALL_OUTCOMES if r < o[0])
        duration = rng.randint(lo, hi)
        self._new("activities", (*head, "call", "outbound", outcome, duration, self._ts(touch.t)))
        if outcome == "connected" and touch.may_qualify and not touch.is_sql:
            if new is not None and new.sql_at is not None:
                return
            self._maybe_qualify(touch, new, touch.t + duration)

    def _maybe_qualify(self, touch: _Touch, new: _NewLead | None, call_end: int) -> None:
        """A connected call books the first meeting (an SQL), or qualifies without one."""
        rng = self.rng
        r = rng.random()
        if r >= APPOINTMENT + SQL_ONLY:
            return
        created = call_end + rng.randrange(0, 300)
        sql = min(created + rng.randrange(60, 1_800), self.end)
        if new is not None:
            new.sql_at = sql
        else:
            self._lead_step(touch.lead_id, sql, sql_at=self._ts(sql))
        if r >= APPOINTMENT:
            return
        day = self._working_day_after(self.d, rng.randint(2, 10))
        scheduled = day * DAY + 10 * HOUR + rng.randrange(15) * 1_800
        owner = self._field_rep(touch.segment)
        ts = self._ts(created)
        row = (self._id("M"), touch.lead_id, touch.account_id, None, owner, touch.rep, ts)
        self._new("meetings", (*row, self._ts(scheduled), "scheduled", "true", ts))

    # --- deals --------------------------------------------------------------------------------

    def _open_deals(self) -> list[tuple]:
        stages = _in(stage for stage, _ in STAGES)
        return self._sample(
            "select o.opportunity_id, o.account_id, o.opportunity_type, o.stage, o.amount, "
            "h.last_t from opportunity_state o join (select opportunity_id, "
            f"max({_t('changed_at')}) as last_t from "
            f"{self.folder.source('opportunity_stage_history')} group by opportunity_id) h "
            "on h.opportunity_id = o.opportunity_id "
            "where not o.is_closed and o.opportunity_type in ('new_business', 'upsell') "
            f"and o.stage in ({stages}) and h.last_t < {self.start} "
            "order by o.opportunity_id"
        )

    def _stage_moves(self) -> None:
        """Open deals leave their stage after the generator's STAGE_DAYS; some close today."""
        rng = self.rng
        deals = self._open_deals()
        idle = []
        won_upsells: list[tuple[str, str, int, int]] = []
        for deal_id, account_id, kind, stage, amount, last_t in deals:
            index = STAGE_INDEX[stage]
            waited = _working_days_between(last_t // DAY, self.d)
            lo, hi = STAGE_DAYS[index]
            if waited < lo or rng.random() >= 1 / max(1, hi - waited + 1):
                if index < len(STAGES) - 1 and last_t // DAY <= self.d - BACKDATED_AGE[1]:
                    idle.append((deal_id, index, int(amount), last_t))
                continue
            t = self._work_time()
            amount = int(amount)
            if rng.random() < LOSS[index]:
                step = ("closed_lost", amount, 0)
            elif index == len(STAGES) - 1:
                step = ("closed_won", amount, 100)
            else:
                step = self._next_stage(index, amount)
            self._move(deal_id, step, t, t)
            self.counts["stage_moves"] += 1
            if step[0] == "closed_won" and kind == "new_business":
                self._subscription(account_id, deal_id, self.d, round(step[1] / 12), None, t)
            elif step[0] == "closed_won":
                won_upsells.append((deal_id, account_id, step[1], t))
        self._upsell_contracts(won_upsells)
        self._backdated(idle)

    def _next_stage(self, index: int, amount: int) -> tuple[str, int, int]:
        stage, probability = STAGES[index + 1]
        if stage == "proposal":
            revised = int(round(amount * self.rng.uniform(0.85, 1.2), -4))
            amount = min(MAX_AMOUNT, max(MIN_AMOUNT, revised))
        return stage, amount, probability

    def _move(self, deal_id: str, step: tuple[str, int, int], changed: int, recorded: int) -> None:
        stage, amount, probability = step
        history = (deal_id, stage, amount, probability, self._ts(changed))
        self.files["opportunity_stage_history"].write(history)
        columns: dict[str, object] = {"stage": stage, "amount": amount, "probability": probability}
        if stage in ("closed_won", "closed_lost"):
            columns.update(
                is_closed="true", is_won=str(stage == "closed_won").lower(), close_date=self.day
            )
        self.opportunities.set(deal_id, recorded, **columns)

    def _backdated(self, idle: list[tuple[str, int, int, int]]) -> None:
        """Stage changes a rep enters today that happened weeks ago (changed_at in the past)."""
        rng = self.rng
        if not idle:
            return
        count = max(1, round(self.counts["stage_moves"] * BACKDATED_SHARE))
        for deal_id, index, amount, last_t in rng.sample(idle, min(count, len(idle))):
            days = [
                day
                for day in range(last_t // DAY + 1, self.d - BACKDATED_AGE[0] + 1)
                if weekday(day) < 5
            ]
            if not days:
                continue
            changed = self._work_time(rng.choice(days))
            self._move(deal_id, self._next_stage(index, amount), changed, self._work_time())
            self.counts["backdated_stage_changes"] += 1

    def _subscription(
        self, account_id: str, deal_id: str, start: int, mrr: int, end: int | None, t: int
    ) -> None:
        end = term_end_day(start) if end is None else end
        row = (self._id("S", 5), account_id, deal_id, self._date(start), self._date(end), mrr)
        self._new("subscriptions", (*row, "JPY", None, self._ts(t)))

    def _upsell_contracts(self, won: list[tuple[str, str, int, int]]) -> None:
        """Won upsells add a contract co-termed with the account's running one."""
        if not won:
            return
        ends = dict(
            self._sample(
                "select account_id, max(cast(end_date as date)) from "
                f"{self.folder.current('subscriptions', ['account_id', 'end_date'])} "
                "where account_id in (select unnest(cast(? as varchar[]))) "
                "and cast(end_date as date) >= ? group by account_id",
                [sorted({account for _, account, _, _ in won}), self.day],
            )
        )
        for deal_id, account_id, amount, t in won:
            end = ends.get(account_id)
            end_day = None if end is None else (end - FY_START).days
            mrr = int(round(amount / 12, -3))
            self._subscription(account_id, deal_id, self.d, mrr, end_day, t)

    def _recycles(self) -> None:
        """SQLs that stalled and leads of lost deals go back to marketing, with a reason."""
        rng = self.rng
        count = round(self.yearly_recycles / 365)
        if count == 0:
            return
        skip = sorted({*self.leads.changes, *self.touched})
        picked = self._sample(
            "select l.lead_id, l.opportunity_id is null as stalled from lead_state l "
            "left join opportunity_state o on o.opportunity_id = l.opportunity_id "
            f"where l.recycled_t is null and l.sql_t <= {self.start - RECYCLE_STALLED_AFTER * DAY} "
            "and (l.opportunity_id is null and l.status = 'sql' "
            f"or o.stage = 'closed_lost' and o.close_date < ?) "
            "and l.lead_id not in (select unnest(cast(? as varchar[]))) "
            f"order by {self._hash('l.lead_id', 'recycle')}, l.lead_id limit ?",
            [self.day, skip, count],
        )
        for lead_id, stalled in picked:
            t = self._work_time()
            reason = rng.choice(RECYCLE_REASONS["stalled" if stalled else "lost"])
            self._lead_step(lead_id, t, recycled_at=self._ts(t), recycle_reason=reason)

    # --- corrections --------------------------------------------------------------------------

    def _amount_corrections(self) -> None:
        """Amounts of deals won weeks or months ago, corrected today; close_date unchanged."""
        rng = self.rng
        (won,) = self.con.execute(
            "select count(*) from opportunity_state "
            "where is_won and close_date >= cast(? as date) - 365",
            [self.day],
        ).fetchone()
        count = max(1, round(won / 250 * CORRECTED_SHARE))
        low, high = CORRECTION_WINDOW
        picked = self._sample(
            "select opportunity_id, amount from opportunity_state "
            "where is_won and opportunity_type in ('new_business', 'upsell') "
            f"and close_date between cast(? as date) - {high} and cast(? as date) - {low} "
            "and updated_day <= close_date "
            "and opportunity_id not in (select unnest(cast(? as varchar[]))) "
            f"order by {self._hash('opportunity_id', 'amount')}, opportunity_id limit ?",
            [self.day, self.day, sorted(self.opportunities.changes), count],
        )
        for deal_id, amount in picked:
            corrected = int(round(amount * rng.uniform(*AMOUNT_FIX), -4))
            corrected = min(MAX_AMOUNT, max(MIN_AMOUNT, corrected))
            if corrected == int(amount):
                corrected += 10_000 if corrected < MAX_AMOUNT else -10_000
            self.opportunities.set(deal_id, self._work_time(), amount=corrected)
            self.counts["amount_corrections"] += 1

    def _other_corrections(self) -> None:
        """A lead's `other` lead source and an account's segment (and headcount) fixed."""
        rng = self.rng
        count = max(1, round(self.yearly_leads * FIXES_PER_LEAD))
        leads = self._sample(
            "select lead_id from lead_state where lead_source = 'other' "
            "and lead_id not in (select unnest(cast(? as varchar[]))) "
            f"order by {self._hash('lead_id', 'source')}, lead_id limit ?",
            [sorted({*self.leads.changes, *self.touched}), count],
        )
        for (lead_id,) in leads:
            self.leads.set(lead_id, self._work_time(), lead_source=rng.choice(WORKED_SOURCES))
            self.counts["other_corrections"] += 1
        accounts = self._sample(
            "select account_id, segment from account_state where segment is not null "
            f"order by {self._hash('account_id', 'segment')}, account_id limit ?",
            [count],
        )
        for account_id, segment in accounts:
            index = SEGMENTS.index(segment) if segment in SEGMENTS else 0
            fixed = SEGMENTS[1] if index != 1 else rng.choice((SEGMENTS[0], SEGMENTS[2]))
            employees = rng.randint(*EMPLOYEES[fixed])
            self.accounts.set(
                account_id, self._work_time(), segment=fixed, employee_count=employees
            )
            self.counts["other_corrections"] += 1

    # --- customer success ---------------------------------------------------------------------

    def _check_ins(self) -> None:
        """Quarterly check-in meetings with running customers, spread over working days."""
        contracts = self.folder.current("subscriptions", ["account_id", "start_date", "end_date"])
        running = (
            f"from {contracts} "
            "where cast(start_date as date) <= ? "
            "and (end_date is null or cast(end_date as date) >= ?)"
        )
        (customers,) = self.con.execute(
            f"select count(distinct account_id) {running}", [self.day, self.day]
        ).fetchone()
        count = round(customers * CHECK_INS_PER_YEAR / 250)
        if count == 0 or not self.pool.get("customer_success"):
            return
        picked = self._sample(
            f"select distinct account_id {running} "
            f"order by {self._hash('account_id', 'check-in')}, account_id limit ?",
            [self.day, self.day, count],
        )
        for (account_id,) in picked:
            cs = self.rng.choice(self.pool["customer_success"])
            row = (self._id("ACT", 7), None, account_id, cs, "meeting", "outbound", None, 1_800)
            self._new("activities", (*row, self._ts(self._work_time())))

    # --- the day's versions -------------------------------------------------------------------

    def _write_versions(self) -> None:
        """New leads, then the new version of every changed key, read back and patched."""
        for lead in self.new_leads.values():
            self._new("leads", self._new_lead_row(lead))
        for table, versions in (
            ("accounts", self.accounts),
            ("leads", self.leads),
            ("meetings", self.meetings),
            ("opportunities", self.opportunities),
        ):
            self._patch(table, versions)

    def _patch(self, table: str, versions: _Versions) -> None:
        if not versions.changes:
            return
        columns = TABLES[table].column_names
        position = {name: i for i, name in enumerate(columns)}
        for row in self.folder.rows(table, sorted(versions.changes)):
            key = row[0]
            changes = versions.changes[key]
            touched = bool(changes.pop("_touched", False))
            for name, value in changes.items():
                row[position[name]] = None if value is None else str(value)
            row[position["updated_at"]] = self._ts(versions.times[key])
            if table == "leads":
                lifecycle = touched or any(
                    name in changes
                    for name in ("mql_at", "sql_at", "recycled_at", "converted_opportunity_id")
                )
                if lifecycle:
                    row[position["status"]] = _lead_status(row, position, touched)
            self.files[table].write(row)

    def _new_lead_row(self, lead: _NewLead) -> tuple:
        rng = self.rng
        if lead.sql_at is not None:
            status = "sql"
        elif lead.mql_at is not None:
            status = "mql"
        elif lead.touched:
            status = "working"
        else:
            status = "unqualified" if lead.score < 20 else "nurturing"
        no_account = not lead.touched and lead.sql_at is None and rng.random() < 0.2
        number = lead.lead_id[1:]
        domain = "mail.example" if no_account else f"{lead.account_id.lower()}.example"
        phone = f"0{rng.randint(3, 99)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        stamps = [t for t in (lead.t0, lead.mql_at, lead.sql_at) if t is not None]
        return (
            lead.lead_id,
            None if no_account else lead.account_id,
            f"contact{number}@{domain}",
            phone,
            lead.source,
            lead.owner,
            lead.score,
            status,
            self._ts(lead.t0),
            self._ts(lead.mql_at),
            self._ts(lead.sql_at),
            None,
            None,
            None,
            self._ts(max(stamps)),
        )


_KINDS = (
    "new_records",
    "status_changes",
    "stage_moves",
    "backdated_stage_changes",
    "amount_corrections",
    "other_corrections",
)


def _lead_status(row: list, position: dict[str, int], touched: bool) -> str:
    """The generator's status rule over a lead row's lifecycle columns."""
    return lead_status(
        recycled=bool(row[position["recycled_at"]]),
        converted=bool(row[position["converted_opportunity_id"]]),
        is_sql=bool(row[position["sql_at"]]),
        is_mql=bool(row[position["mql_at"]]),
        touched=touched,
        otherwise=row[position["status"]],
    )


def _in(values: Iterable[str]) -> str:
    return ", ".join(_literal(v) for v in values)


def _working_days_between(first: int, last: int) -> int:
    """Working days after day index ``first`` up to and including ``last``."""
    weeks, rest = divmod(max(0, last - first), 7)
    return weeks * 5 + sum(1 for k in range(1, rest + 1) if weekday(first + k) < 5)
