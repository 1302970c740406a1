"""Deterministic sample SFA/MA data written in the canonical landing contract.

Why it exists: the demo, the end-to-end tests and anyone trying the pipeline need one fiscal
year (2025-04-01 .. 2026-03-31, Asia/Tokyo) of B2B sales data whose funnel sits near the
figures of the source articles -- 34 outbound calls per inside-sales rep per working day, 5.1
follow-ups per lead, ~20 % lead-to-meeting, ~50 % opportunity rate, ~25 % win rate, 96 / 20 /
25 % email delivery / open / click-to-open -- so that a KPI far from those figures points at the
models, not at the data. The shared MQL/SQL definition (lead-lifecycle.md) is respected apart
from a few deliberate violations of every rule, so the quality checks have something to list
while both drift checks stay under their 5 % thresholds.

How: each lead's whole story (responses, emails, calls, meeting, deal, contract) is drawn from
one ``random.Random(seed)`` in creation order and written as soon as it is made. The same
arguments therefore give byte-identical files, volumes grow linearly with ``scale``, and
memory stays bounded at scale 100. Instants are integer seconds since the fiscal year's first
local midnight; Asia/Tokyo has no daylight saving, so a fixed ``+09:00`` offset is exact.
"""

from __future__ import annotations

import csv
import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import IO

from orchestration.contract import (
    CAMPAIGN_TYPES,
    DEPARTMENTS,
    LEAD_SOURCES,
    SEGMENTS,
    TABLES,
)
from orchestration.lead_definitions import DEFINITIONS_FILE
from orchestration.lead_definitions import load as load_lead_definitions

Progress = Callable[[str, int, int], None]

# --- calendar ---------------------------------------------------------------------------------

FY_START = dt.date(2025, 4, 1)
FY_DAYS = (dt.date(2026, 4, 1) - FY_START).days
DAY = 86_400
HOUR = 3_600
T_END = FY_DAYS * DAY  # first instant after the fiscal year
OFFSET = "+09:00"
_PLANNING_DAYS = 400  # working days are also needed after the year, for planned dates
_WORK_START = 9 * HOUR
_WORK_SPAN = 9 * HOUR + 1_800  # 09:00 .. 18:30

# --- organisation (per unit of scale) ---------------------------------------------------------

_TEAMS: dict[str, tuple[tuple[str, int], ...]] = {
    "marketing": (("MKT-Demand", 3), ("MKT-Content", 2)),
    "inside_sales": (("IS-East", 5), ("IS-West", 5)),
    "field_sales": (("FS-Enterprise", 5), ("FS-SMB", 5)),
    "customer_success": (("CS-Onboarding", 2), ("CS-Retention", 3)),
}
_CUSTOMERS_PER_UNIT = 600  # accounts already paying before the year: the retention base
_PROSPECTS_PER_LEAD = 0.45  # about two leads per prospect account

# --- funnel calibration -----------------------------------------------------------------------

CALLS_PER_REP_DAY = 34
# Outbound calls that one created lead brings, given the shares below; measured on a large
# run. Sizing the lead volume with it makes the calls per rep and day land on the benchmark.
_CALLS_PER_LEAD = 3.83
_CALL_SHARE = 0.85  # of IS follow-ups; the rest are outbound emails
# Follow-ups per worked lead: triangular(low, high, mode), rounded; the year-end cut of the
# last leads' cadences brings the mean from ~5.2 down to the article's 5.1.
_TOUCHES = (1, 10, 4.7)
_NURTURE_WORK = 0.55  # leads neither MQL nor direct that IS still calls
_APPOINTMENT = 0.265  # per connected call of a lead IS may qualify; gives ~20 % of all leads
_SQL_ONLY = 0.04  # qualified on the call, no meeting booked
_CALL_BACK = 0.04  # worked leads that ring the rep back once
_HELD, _NO_SHOW = 0.82, 0.07  # the rest of past meetings were cancelled
_OPPORTUNITY = 0.54  # held first meeting -> deal; above 0.5 as follow-up meetings count as held
_FOLLOW_UP_MEETING = 0.2
_WIN = 0.27  # above 0.25: lost deals close sooner, so the closed ones at year end lean lost
_LOST_AFTER = (0.25, 0.55, 0.85, 1.0)  # cumulative: stage index a lost deal dies after
_STAGES = (("prospecting", 10), ("qualification", 20), ("proposal", 50), ("negotiation", 75))
_STAGE_DAYS = ((3, 10), (5, 20), (7, 25), (7, 30))

# Lead sources over all contract values, and the default direct-SQL sources of
# lead-lifecycle.md (a lead from them may become SQL without being MQL first).
_SOURCE_WEIGHTS = {
    "web": 22,
    "document_request": 18,
    "seminar": 12,
    "referral": 6,
    "outbound": 16,
    "ads": 12,
    "event": 6,
    "partner": 4,
    "other": 4,
}
# The shared MQL/SQL definition the sample data is generated to (mostly) meet.
_DEFINITIONS = load_lead_definitions(DEFINITIONS_FILE)
SQL_DIRECT_SOURCES = _DEFINITIONS.sql_direct_sources
MQL_SCORE_THRESHOLD = _DEFINITIONS.mql_score_threshold
_LATER_RESPONSE = 0.08
_SEMINAR_ATTENDED = 0.6

_CALL_OUTCOMES = (  # cumulative probability, outcome, duration range in seconds
    (0.25, "connected", 60, 1_200),
    (0.65, "no_answer", 15, 45),
    (0.85, "voicemail", 20, 60),
    (0.95, "busy", 0, 5),
    (1.0, "wrong_number", 10, 40),
)

# Marketing email: a lead present all year receives about this many of the year's sends.
_EMAILS_PER_CAMPAIGN = 2
_SENDS_PER_LEAD_YEAR = 4.0
_DELIVERED, _OPENED, _CLICKED, _UNSUBSCRIBE_AFTER_OPEN = 0.96, 0.20, 0.25, 0.05

# Deliberate breaks of the shared definition: each well under the 5 % drift thresholds.
_MQL_LOW_SCORE = 0.015  # of MQL leads: flagged with a score under the threshold
_MQL_NO_ENGAGEMENT = 0.03  # of unengaged leads scoring >= threshold: flagged anyway
_APPOINTMENT_WITHOUT_MQL = 0.012  # per connected call of a lead that is neither MQL nor direct
_SQL_BEFORE_CALL = 0.01  # SQL stamped minutes before the qualifying call
_SQL_OWNER_MARKETING = 0.006  # SQL lead left with a marketing owner
_CREATED_RESTAMPED = 0.003  # MQL lead whose created_at a later sync moved past mql_at
_RECYCLE_NO_REASON = 0.03

# Retention: existing customers renew yearly, a few churn, some buy more.
_OPEN_ENDED = 0.1
_CHURN = 0.09
_OPEN_ENDED_CHURN = 0.12
_UPSELL = 0.2
_UPSELL_WIN = 0.55
_RENEWAL_UPLIFT = (0.98, 1.15)
_MRR = {"smb": (85_000, 200_000), "mid": (150_000, 450_000), "enterprise": (400_000, 700_000)}
_AMOUNT = {"smb": (100, 300), "mid": (250, 600), "enterprise": (500, 1_000)}  # x 10,000 JPY
_MIN_AMOUNT, _MAX_AMOUNT = 1_000_000, 10_000_000

_SEGMENT_WEIGHTS = {"prospect": (0.6, 0.27, 0.13), "customer": (0.5, 0.35, 0.15)}
_EMPLOYEES = {"smb": (10, 99), "mid": (100, 999), "enterprise": (1_000, 30_000)}
_INDUSTRIES = (
    ("manufacturing", "製作所"),
    ("it_services", "システムズ"),
    ("retail", "商事"),
    ("finance", "ファイナンス"),
    ("healthcare", "メディカル"),
    ("logistics", "ロジスティクス"),
    ("construction", "建設"),
    ("real_estate", "不動産"),
    ("education", "エデュケーション"),
    ("professional_services", "コンサルティング"),
)
_NAME_STEMS = ("あおぞら", "さくら", "富士", "みどり", "ひかり", "大和", "ミライ", "東邦", "北斗")
_NAME_STEMS += ("朝日", "星野", "川崎", "日の出", "青葉", "若葉", "光洋", "新星", "中央")
_FAMILY = (
    ("佐藤", "sato"),
    ("鈴木", "suzuki"),
    ("高橋", "takahashi"),
    ("田中", "tanaka"),
    ("渡辺", "watanabe"),
    ("伊藤", "ito"),
    ("山本", "yamamoto"),
    ("中村", "nakamura"),
    ("小林", "kobayashi"),
    ("加藤", "kato"),
    ("吉田", "yoshida"),
    ("山田", "yamada"),
)
_GIVEN = (
    ("陽翔", "haruto"),
    ("結衣", "yui"),
    ("蒼", "aoi"),
    ("陽菜", "hina"),
    ("蓮", "ren"),
    ("芽依", "mei"),
    ("悠真", "yuma"),
    ("凛", "rin"),
    ("湊", "minato"),
    ("咲良", "sakura"),
)
_RECYCLE_REASONS = {
    "lost": ("lost_to_competitor", "no_budget", "bad_timing"),
    "no_opportunity": ("not_a_fit", "no_budget", "bad_timing"),
    "missed": ("no_show", "unresponsive"),
    "stalled": ("unresponsive", "no_decision_maker"),
}


def _check_against_contract() -> None:
    """Fail at import when the contract's value lists move away from what is drawn here."""
    if set(_SOURCE_WEIGHTS) != set(LEAD_SOURCES) or set(_TEAMS) != set(DEPARTMENTS):
        raise RuntimeError("generate.py is out of step with orchestration.contract")
    if set(_MRR) != set(SEGMENTS) or not set(SQL_DIRECT_SOURCES) <= set(LEAD_SOURCES):
        raise RuntimeError("generate.py is out of step with orchestration.contract")


_check_against_contract()


def generate(
    out_dir: Path,
    scale: int = 1,
    seed: int = 20260401,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write ``<out_dir>/<table>/<table>.csv`` for all contract tables; return rows per table.

    ``scale`` multiplies every volume (reps, accounts, leads, events) so that load tests can
    grow the data without changing its rates; ``progress(table, done, total)`` is called at
    least once per table so a CLI can show a progress bar.
    """
    if scale < 1:
        raise ValueError("scale must be a positive integer")
    with ExitStack() as files:  # closes every table file, also when generation fails
        sinks = {}
        for name in TABLES:
            folder = Path(out_dir) / name
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{name}.csv"
            sinks[name] = _Sink(
                name, files.enter_context(path.open("w", encoding="utf-8", newline=""))
            )
        return _Generator(sinks, scale, seed, progress).run()


# --- small helpers ----------------------------------------------------------------------------


class _Clock:
    """Formats instants cheaply: one cached date string per day, one time string per second."""

    def __init__(self) -> None:
        self._dates: dict[int, str] = {}
        self._times = [
            f"T{s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}{OFFSET}" for s in range(DAY)
        ]

    def date(self, day: int) -> str:
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = (FY_START + dt.timedelta(days=day)).isoformat()
        return text

    def ts(self, t: int) -> str:
        day, second = divmod(t, DAY)
        return self.date(day) + self._times[second]


class _Sink:
    """Buffered writer of one table, rows as tuples in the contract's column order."""

    def __init__(self, name: str, file: IO[str]) -> None:
        self.name = name
        self.rows: list[tuple] = []
        self.count = 0
        self._writer = csv.writer(file, lineterminator="\n")
        self._writer.writerow(TABLES[name].column_names)

    def flush(self) -> None:
        self._writer.writerows(self.rows)
        self.count += len(self.rows)
        self.rows.clear()


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _weekday(day: int) -> int:
    return (FY_START.weekday() + day) % 7


def _term_end(start_day: int) -> int:
    """Last day (inclusive) of a one-year contract starting on ``start_day``."""
    start = FY_START + dt.timedelta(days=start_day)
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + 1, day=28)
    return (anniversary - FY_START).days - 1


def _month_start(month: int) -> int:
    """Day index of the first day of the fiscal year's ``month`` (0 = April 2025)."""
    year, month0 = divmod(FY_START.month - 1 + month, 12)
    return (dt.date(FY_START.year + year, month0 + 1, 1) - FY_START).days


def _cumulative(weights: list[float] | tuple[float, ...]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [c / total for c in out]


@dataclass(slots=True)
class _Lead:
    """Everything decided about one lead before its row is written."""

    lead_id: str
    t0: int
    source: str
    account: int
    segment: str
    score: int
    owner: str = ""
    created: int = 0
    mql_at: int | None = None
    sql_at: int | None = None
    recycled_at: int | None = None
    recycle_reason: str | None = None
    opportunity_id: str | None = None
    converted_at: int | None = None
    touched: bool = False


@dataclass(slots=True)
class _Deal:
    """A deal's outcome as it stands at the end of the year."""

    stage: str
    amount: int
    probability: int
    is_closed: bool
    is_won: bool
    close_day: int
    updated: int
    proposal_at: int | None


# --- the generator ----------------------------------------------------------------------------


class _Generator:
    """Holds the random stream, the lookups and the open table writers of one run."""

    def __init__(
        self, sinks: dict[str, _Sink], scale: int, seed: int, progress: Progress | None
    ) -> None:
        self.rng = Random(seed)
        self.scale = scale
        self.clock = _Clock()
        self.progress = progress or (lambda _name, _done, _total: None)
        self.sinks = sinks
        self.n = dict.fromkeys(("act", "evt", "mtg", "opp", "sub", "resp"), 0)
        days = FY_DAYS + _PLANNING_DAYS
        self.wd = [d for d in range(days) if _weekday(d) < 5]
        self.wd_in_year = sum(1 for d in self.wd if d < FY_DAYS)
        self.next_wd: list[int] = []
        pos = 0
        for d in range(days):
            while pos < len(self.wd) and self.wd[pos] < d:
                pos += 1
            self.next_wd.append(pos)
        is_reps = sum(size for _, size in _TEAMS["inside_sales"])
        calls_per_unit = is_reps * self.wd_in_year * CALLS_PER_REP_DAY
        self.n_leads = scale * round(calls_per_unit / _CALLS_PER_LEAD)

    def run(self) -> dict[str, int]:
        self._users()
        self._campaigns()
        self._accounts()
        self._leads()
        self._customers()
        for sink in self.sinks.values():
            sink.flush()
            self.progress(sink.name, sink.count, sink.count)
        return {name: sink.count for name, sink in self.sinks.items()}

    # --- ids and times ------------------------------------------------------------------------

    def _id(self, kind: str, prefix: str, width: int) -> str:
        self.n[kind] += 1
        return f"{prefix}{self.n[kind]:0{width}d}"

    def _work_time(self, day: int) -> int:
        return day * DAY + _WORK_START + self.rng.randrange(_WORK_SPAN)

    def _working_day_after(self, t: int, lo: int, hi: int) -> int:
        """A working day ``lo..hi`` working days after the day of instant ``t``."""
        pos = self.next_wd[t // DAY + 1] + self.rng.randint(lo, hi) - 1
        return self.wd[min(pos, len(self.wd) - 1)]

    # --- reference tables ---------------------------------------------------------------------

    def _users(self) -> None:
        rng, rows = self.rng, self.sinks["users"].rows
        self.pool: dict[str, list[str]] = {}
        number = 0
        for department in DEPARTMENTS:
            head = ""
            for team, size in _TEAMS[department]:
                members = []
                for _ in range(size * self.scale):
                    number += 1
                    members.append(f"U{number:05d}")
                lead_id = members[0]
                for position, user_id in enumerate(members, 1):
                    manager = lead_id if user_id != lead_id else head
                    head = head or lead_id
                    # One marketer per unit has left: present in users, owning nothing.
                    active = not (team == "MKT-Content" and position % size == 0)
                    family, given = rng.choice(_FAMILY), rng.choice(_GIVEN)
                    email = f"{given[1]}.{family[1]}.{user_id.lower()}@example.com"
                    updated = -rng.randrange(30, 400) * DAY + 10 * HOUR
                    rows.append(
                        (
                            user_id,
                            f"{family[0]} {given[0]}",
                            department,
                            team,
                            manager or None,
                            email,
                            _bool(active),
                            self.clock.ts(updated),
                        )
                    )
                    if active:
                        self.pool.setdefault(department, []).append(user_id)
                        self.pool.setdefault(team, []).append(user_id)
        self._flush_reference("users")

    def _campaigns(self) -> None:
        """Campaigns of every type; seminars and webinars carry an event date for attendance."""
        rng = self.rng
        self.campaign_starts: dict[str, list[tuple[int, str]]] = {t: [] for t in CAMPAIGN_TYPES}
        self.events: list[tuple[int, str]] = []  # (seminar or webinar date, campaign id)
        self.emails: list[tuple[int, str, str]] = []  # (send time, email id, campaign id)
        plans: list[tuple[int, str, str, int | None]] = []  # (start, type, name, event time)
        for unit in range(self.scale):
            tag = f"#{unit + 1}"
            for month in range(13):
                first = _month_start(month)
                for kind, base in (("seminar", 12), ("webinar", 20)):
                    day = first + base + rng.randrange(6)
                    event_t = day * DAY + 14 * HOUR
                    name = f"{kind.title()} {self.clock.date(day)[:7]} {tag}"
                    plans.append((event_t - 42 * DAY, kind, name, event_t))
            for month in range(12):
                first = _month_start(month)
                for half in (0, 1):
                    day = first + 3 + 14 * half + rng.randrange(4)
                    start = day * DAY + 10 * HOUR + rng.randrange(6 * HOUR)
                    name = f"Newsletter {self.clock.date(day)[:7]}-{'ab'[half]} {tag}"
                    plans.append((start, "email", name, None))
            for i in range(6):
                day = -300 + 100 * i + rng.randrange(30)
                plans.append(
                    (day * DAY + 9 * HOUR, "document_request", f"Whitepaper {i + 1} {tag}", None)
                )
            for i in range(4):
                day = -120 + 90 * i + rng.randrange(20)
                plans.append((day * DAY + 9 * HOUR, "ads", f"Search ads wave {i + 1} {tag}", None))
            for i in range(6):
                day = -60 + 60 * i + rng.randrange(20)
                plans.append((day * DAY + 9 * HOUR, "event", f"Trade show {i + 1} {tag}", None))
        plans.sort()
        rows = self.sinks["campaigns"].rows
        for number, (start, kind, name, event_t) in enumerate(plans, 1):
            campaign_id = f"C{number:05d}"
            rows.append((campaign_id, name, kind, self.clock.ts(start)))
            self.campaign_starts[kind].append((start, campaign_id))
            if event_t is not None:
                self.events.append((event_t, campaign_id))
            if kind == "email":
                for step in range(_EMAILS_PER_CAMPAIGN):
                    if start + 7 * DAY * step < T_END - DAY:
                        self.emails.append((start + 7 * DAY * step, "", campaign_id))
        self.events.sort()
        self.event_times = [t for t, _ in self.events]
        self.emails.sort()
        self.emails = [(t, f"EM{i:06d}", c) for i, (t, _, c) in enumerate(self.emails, 1)]
        self.email_times = [t for t, _, _ in self.emails]
        self.start_times = {k: [t for t, _ in v] for k, v in self.campaign_starts.items()}
        self._flush_reference("campaigns")

    def _accounts(self) -> None:
        """Customers (created years ago) and prospects; leads later pick an existing prospect."""
        rng = self.rng
        n_customers = _CUSTOMERS_PER_UNIT * self.scale
        n_prospects = round(self.n_leads * _PROSPECTS_PER_LEAD)
        keys = []  # created * 8 + segment * 2 + is_customer: sorts by creation, no tuples
        customer_cum = _cumulative(_SEGMENT_WEIGHTS["customer"])
        prospect_cum = _cumulative(_SEGMENT_WEIGHTS["prospect"])
        for i in range(n_customers + n_prospects):
            customer = i < n_customers
            if customer:
                created = rng.randrange(-2_200 * DAY, -400 * DAY)
            elif rng.random() < 0.7:
                created = rng.randrange(-2_200 * DAY, 0)
            else:
                created = rng.randrange(0, T_END)
            segment = bisect_right(customer_cum if customer else prospect_cum, rng.random())
            keys.append(created * 8 + segment * 2 + customer)
        keys.sort()
        self.segment = bytearray(len(keys))
        self.prospect_times: list[int] = []
        self.prospects: list[int] = []
        self.customers: list[int] = []
        rows = self.sinks["accounts"].rows
        for index, key in enumerate(keys):
            created, rest = divmod(key, 8)
            segment, customer = divmod(rest, 2)
            self.segment[index] = segment
            if customer:
                self.customers.append(index)
            else:
                self.prospects.append(index)
                self.prospect_times.append(created)
            rows.append(self._account_row(index, created, SEGMENTS[segment]))
            if len(rows) >= 10_000:
                self.sinks["accounts"].flush()
        self._flush_reference("accounts")

    def _account_row(self, index: int, created: int, segment: str) -> tuple:
        rng = self.rng
        industry, word = rng.choice(_INDUSTRIES)
        name = f"株式会社{rng.choice(_NAME_STEMS)}{word}"
        employees = rng.randint(*_EMPLOYEES[segment])
        updated = min(max(created, 0) + rng.randrange(0, 200 * DAY), T_END - 1)
        return (
            _account_id(index),
            name,
            industry,
            employees,
            segment,
            self.clock.ts(created),
            self.clock.ts(updated),
        )

    def _flush_reference(self, name: str) -> None:
        sink = self.sinks[name]
        sink.flush()
        self.progress(name, sink.count, sink.count)

    # --- leads --------------------------------------------------------------------------------

    def _leads(self) -> None:
        """Create leads day by day (fewer at weekends), each with its whole story."""
        rng = self.rng
        weights = [1.0 if _weekday(d) < 5 else 0.35 for d in range(FY_DAYS)]
        cum = _cumulative(weights)
        self.source_cum = _cumulative(list(_SOURCE_WEIGHTS.values()))
        self.sources = list(_SOURCE_WEIGHTS)
        done, previous = 0, 0
        for day in range(FY_DAYS):
            upto = round(self.n_leads * cum[day])
            count, previous = upto - previous, upto
            base = day * DAY
            for t0 in sorted(base + rng.randrange(7 * HOUR, 23 * HOUR) for _ in range(count)):
                done += 1
                self._lead(f"L{done:08d}", t0)
                if done % 2_000 == 0:
                    self._flush_stream()
                    self.progress("leads", done, self.n_leads)
        self._flush_stream()
        self.progress("leads", done, self.n_leads)

    def _flush_stream(self) -> None:
        for sink in self.sinks.values():
            if len(sink.rows) > 0:
                sink.flush()

    def _lead(self, lead_id: str, t0: int) -> None:
        rng = self.rng
        source = self.sources[bisect_right(self.source_cum, rng.random())]
        k = bisect_right(self.prospect_times, t0)
        account = self.prospects[int(rng.random() * k)]
        direct = source in SQL_DIRECT_SOURCES
        mean = 45 if direct or source == "other" else 58
        score = min(100, max(0, round(rng.gauss(mean, 18))))
        lead = _Lead(lead_id, t0, source, account, SEGMENTS[self.segment[account]], score)
        lead.created = t0
        engaged = [t for t in (self._responses(lead), self._email_sends(lead)) if t is not None]
        self._decide_mql(lead, min(engaged) if engaged else None)
        self._work(lead)
        self._write_lead(lead)

    def _campaign(self, kind: str, t: int, recent: bool = False) -> str | None:
        """A campaign of ``kind`` already started at ``t`` (the latest few when ``recent``)."""
        hi = bisect_right(self.start_times[kind], t)
        if hi == 0:
            return None
        lo = max(0, hi - self.scale) if recent else 0
        return self.campaign_starts[kind][lo + int(self.rng.random() * (hi - lo))][1]

    def _response(self, lead: _Lead, campaign_id: str, kind: str, t: int) -> None:
        response_id = self._id("resp", "R", 9)
        row = (response_id, campaign_id, lead.lead_id, kind, self.clock.ts(t))
        self.sinks["campaign_responses"].rows.append(row)

    def _responses(self, lead: _Lead) -> int | None:
        """The campaign response that created an inbound lead, and sometimes a later one."""
        rng, t0, source = self.rng, lead.t0, lead.source
        first: int | None = None
        if source == "seminar":
            lo = bisect_right(self.event_times, t0)
            hi = max(bisect_right(self.event_times, t0 + 42 * DAY), lo + 1)
            if lo < len(self.events):
                event_t, campaign_id = self.events[
                    lo + int(rng.random() * (min(hi, len(self.events)) - lo))
                ]
                self._response(lead, campaign_id, "seminar_registration", t0)
                first = t0
                if event_t < T_END and rng.random() < _SEMINAR_ATTENDED:
                    self._response(lead, campaign_id, "seminar_attended", event_t)
        elif source in ("document_request", "web", "ads", "event"):
            kind = {"document_request": "document_request", "event": "event"}.get(source, "ads")
            campaign_id = self._campaign(kind, t0, recent=kind == "event")
            if campaign_id is not None:
                response = "document_request" if kind == "document_request" else "form"
                self._response(lead, campaign_id, response, t0)
                first = t0
        if rng.random() < _LATER_RESPONSE:
            later = t0 + rng.randrange(7 * DAY, 120 * DAY)
            campaign_id = self._campaign("document_request", later)
            if later < T_END and campaign_id is not None:
                self._response(lead, campaign_id, "document_request", later)
                first = later if first is None else first
        return first

    def _email_sends(self, lead: _Lead) -> int | None:
        """Marketing emails to the lead after it was created; returns its first click."""
        rng, ts, rows = self.rng, self.clock.ts, self.sinks["email_events"].rows
        i0 = bisect_right(self.email_times, lead.t0)
        remaining = len(self.emails) - i0
        if remaining <= 0:
            return None
        expected = _SENDS_PER_LEAD_YEAR * remaining / len(self.emails)
        k = min(remaining, int(expected + rng.random()))
        first_click = None
        for i in sorted(rng.sample(range(i0, len(self.emails)), k)):
            send_t, email_id, campaign_id = self.emails[i]
            events = []
            sent = send_t + rng.randrange(1_800)
            events.append(("sent", sent))
            if rng.random() >= _DELIVERED:
                events.append(("bounced", sent + rng.randrange(1, 120)))
            else:
                delivered = sent + rng.randrange(1, 120)
                events.append(("delivered", delivered))
                opened = delivered + rng.randrange(300, 2 * DAY)
                if rng.random() < _OPENED and opened < T_END:
                    events.append(("opened", opened))
                    if rng.random() < 0.3:
                        events.append(("opened", opened + rng.randrange(60, DAY)))
                    if rng.random() < _CLICKED:
                        clicked = opened + rng.randrange(5, 900)
                        events.append(("clicked", clicked))
                        first_click = clicked if first_click is None else first_click
                    if rng.random() < _UNSUBSCRIBE_AFTER_OPEN:
                        events.append(("unsubscribed", opened + rng.randrange(5, 900)))
            for event_type, t in events:
                if t < T_END:
                    self.n["evt"] += 1
                    event_id = f"EV{self.n['evt']:010d}"
                    rows.append((event_id, email_id, lead.lead_id, campaign_id, event_type, ts(t)))
            if events[-1][0] == "unsubscribed":
                break
        return first_click

    def _decide_mql(self, lead: _Lead, engaged_at: int | None) -> None:
        """MA flags MQL on engagement with a score at the threshold -- bar a deliberate few."""
        rng = self.rng
        if lead.score >= MQL_SCORE_THRESHOLD and engaged_at is not None:
            lead.mql_at = engaged_at + rng.randrange(300, 2 * HOUR)
        elif lead.score >= MQL_SCORE_THRESHOLD and rng.random() < _MQL_NO_ENGAGEMENT:
            lead.mql_at = lead.t0 + rng.randrange(HOUR, 2 * DAY)
        if lead.mql_at is not None and lead.mql_at >= T_END:
            lead.mql_at = None
        if lead.mql_at is not None and rng.random() < _MQL_LOW_SCORE:
            lead.score = rng.randint(30, MQL_SCORE_THRESHOLD - 1)

    # --- inside sales -------------------------------------------------------------------------

    def _work(self, lead: _Lead) -> None:
        """IS follow-ups; a connected call may book the first meeting, which makes an SQL."""
        rng = self.rng
        direct = lead.source in SQL_DIRECT_SOURCES
        if direct:
            start = qualify_from = lead.t0
        elif lead.mql_at is not None:
            start = qualify_from = lead.mql_at
        elif rng.random() < _NURTURE_WORK:
            start, qualify_from = lead.t0, T_END
        else:
            lead.owner = rng.choice(self.pool["marketing"])
            return
        rep = lead.owner = rng.choice(self.pool["inside_sales"])
        account_id = _account_id(lead.account)
        activities, ts = self.sinks["activities"].rows, self.clock.ts
        for t in self._touch_times(start):
            lead.touched = True
            self.n["act"] += 1
            activity_id = f"ACT{self.n['act']:09d}"
            if rng.random() >= _CALL_SHARE:
                r = rng.random()
                outcome = "replied" if r < 0.08 else "bounced" if r < 0.1 else None
                activities.append(
                    (
                        activity_id,
                        lead.lead_id,
                        account_id,
                        rep,
                        "email",
                        "outbound",
                        outcome,
                        None,
                        ts(t),
                    )
                )
                continue
            r = rng.random()
            outcome, lo, hi = next(o[1:] for o in _CALL_OUTCOMES if r < o[0])
            duration = rng.randint(lo, hi)
            activities.append(
                (
                    activity_id,
                    lead.lead_id,
                    account_id,
                    rep,
                    "call",
                    "outbound",
                    outcome,
                    duration,
                    ts(t),
                )
            )
            if outcome == "connected" and lead.sql_at is None:
                self._maybe_qualify(lead, rep, t, t + duration, t >= qualify_from)
        if lead.touched and rng.random() < _CALL_BACK:
            t = self._work_time(self._working_day_after(start, 1, 4))
            if t < T_END:  # the lead rings back; inbound, so no follow-up of IS
                self.n["act"] += 1
                activity_id = f"ACT{self.n['act']:09d}"
                duration = rng.randint(60, 600)
                activities.append(
                    (
                        activity_id,
                        lead.lead_id,
                        account_id,
                        rep,
                        "call",
                        "inbound",
                        "connected",
                        duration,
                        ts(t),
                    )
                )

    def _touch_times(self, start: int) -> list[int]:
        """Follow-up instants on working days after ``start``, cut at the end of the year."""
        rng, wd = self.rng, self.wd
        k = int(rng.triangular(*_TOUCHES) + 0.5)
        day = start // DAY
        second = start - day * DAY
        if _weekday(day) < 5 and second < 17 * HOUR:
            first = max(start + 600, day * DAY + _WORK_START) + rng.randrange(5_400)
            pos = self.next_wd[day]
        else:
            pos = self.next_wd[day + 1]
            first = self._work_time(wd[pos])
        times = [first]
        for _ in range(k - 1):
            pos += rng.randint(1, 3)
            times.append(self._work_time(wd[pos]))
        return [t for t in times if t < T_END]

    def _maybe_qualify(
        self, lead: _Lead, rep: str, call_t: int, call_end: int, allowed: bool
    ) -> None:
        rng = self.rng
        r = rng.random()
        if not allowed:
            if r >= _APPOINTMENT_WITHOUT_MQL:
                return
            booked = True
        elif r < _APPOINTMENT:
            booked = True
        elif r < _APPOINTMENT + _SQL_ONLY:
            booked = False
        else:
            return
        created = call_end + rng.randrange(0, 300)
        lead.sql_at = created + rng.randrange(60, 1_800)
        if rng.random() < _SQL_BEFORE_CALL:
            lead.sql_at = call_t - rng.randrange(60, 600)
        if rng.random() < _SQL_OWNER_MARKETING:
            lead.owner = rng.choice(self.pool["marketing"])
        if booked:
            self._first_meeting(lead, rep, created)
        elif rng.random() < 0.3:
            self._recycle(lead, lead.sql_at + rng.randrange(14 * DAY, 60 * DAY), "stalled")

    # --- field sales --------------------------------------------------------------------------

    def _field_rep(self, segment: str) -> str:
        return self.rng.choice(self.pool["FS-SMB" if segment == "smb" else "FS-Enterprise"])

    def _schedule(self, created: int) -> tuple[int, str, int]:
        """When a meeting set at ``created`` takes place, how it went, and when that was known."""
        rng = self.rng
        day = self._working_day_after(created, 2, 10)
        scheduled = day * DAY + 10 * HOUR + rng.randrange(15) * 1_800
        if scheduled >= T_END:
            return scheduled, "scheduled", created
        r = rng.random()
        if r < _HELD:
            return scheduled, "held", scheduled + HOUR + rng.randrange(2 * HOUR)
        if r < _HELD + _NO_SHOW:
            return scheduled, "no_show", scheduled + 1_800
        return scheduled, "cancelled", created + int(rng.random() * (scheduled - created))

    def _meeting_row(
        self,
        meeting_id: str,
        lead: _Lead,
        owner: str,
        set_by: str,
        created: int,
        plan: tuple[int, str, int],
        opportunity_id: str | None,
    ) -> None:
        scheduled, status, updated = plan
        ts = self.clock.ts
        self.sinks["meetings"].rows.append(
            (
                meeting_id,
                lead.lead_id,
                _account_id(lead.account),
                opportunity_id,
                owner,
                set_by,
                ts(created),
                ts(scheduled),
                status,
                _bool(set_by != owner),  # only the meeting IS books is a first meeting
                ts(updated),
            )
        )
        if status == "held":
            self._account_activity(lead.lead_id, lead.account, owner, "meeting", scheduled, 3_600)

    def _account_activity(
        self, lead_id: str | None, account: int, owner: str, kind: str, t: int, duration: int | None
    ) -> None:
        self.n["act"] += 1
        self.sinks["activities"].rows.append(
            (
                f"ACT{self.n['act']:09d}",
                lead_id,
                _account_id(account),
                owner,
                kind,
                "outbound",
                None,
                duration,
                self.clock.ts(t),
            )
        )

    def _first_meeting(self, lead: _Lead, set_by: str, created: int) -> None:
        """The appointment IS books; once held it may become a deal, else the lead recycles."""
        rng = self.rng
        meeting_id = self._id("mtg", "M", 8)
        owner = self._field_rep(lead.segment)
        plan = self._schedule(created)
        scheduled, status, _ = plan
        if status == "held" and rng.random() < _OPPORTUNITY:
            self._new_business(lead, owner, scheduled)
        elif status == "held" and rng.random() < 0.4:
            self._recycle(lead, scheduled + rng.randrange(DAY, 10 * DAY), "no_opportunity")
        elif status in ("no_show", "cancelled") and rng.random() < 0.5:
            self._recycle(lead, max(scheduled, created) + rng.randrange(DAY, 10 * DAY), "missed")
        # The first meeting is linked to the deal it produced.
        self._meeting_row(meeting_id, lead, owner, set_by, created, plan, lead.opportunity_id)

    def _recycle(self, lead: _Lead, t: int, why: str) -> None:
        if t >= T_END or lead.sql_at is None or lead.recycled_at is not None:
            return
        lead.recycled_at = t
        if self.rng.random() >= _RECYCLE_NO_REASON:
            lead.recycle_reason = self.rng.choice(_RECYCLE_REASONS[why])

    def _amount(self, segment: str) -> int:
        lo, hi = _AMOUNT[segment]
        return self.rng.randint(lo, hi) * 10_000

    def _new_business(self, lead: _Lead, owner: str, held_at: int) -> None:
        rng = self.rng
        day = self.wd[self.next_wd[held_at // DAY] + rng.randint(0, 3)]
        created = max(self._work_time(day), held_at + HOUR)
        if created >= T_END:
            return
        opportunity_id = self._id("opp", "O", 8)
        lead.opportunity_id, lead.converted_at = opportunity_id, created
        won = rng.random() < _WIN
        last = 3 if won else bisect_right(_LOST_AFTER, rng.random())
        deal = self._stage_history(opportunity_id, created, self._amount(lead.segment), won, last)
        self._opportunity_row(
            opportunity_id, lead.account, lead.lead_id, owner, "new_business", created, deal
        )
        if deal.proposal_at is not None and rng.random() < _FOLLOW_UP_MEETING:
            set_at = deal.proposal_at + rng.randrange(HOUR, 4 * HOUR)
            if set_at < T_END:
                meeting_id = self._id("mtg", "M", 8)
                plan = self._schedule(set_at)
                self._meeting_row(meeting_id, lead, owner, owner, set_at, plan, opportunity_id)
        if deal.is_won:
            close_t = deal.updated
            self._subscription(
                lead.account, opportunity_id, deal.close_day, round(deal.amount / 12), None, close_t
            )
            cs = rng.choice(self.pool["customer_success"])
            onboarding = self._work_time(self._working_day_after(close_t, 3, 10))
            if onboarding < T_END:
                self._account_activity(None, lead.account, cs, "meeting", onboarding, 3_600)
        elif deal.is_closed and rng.random() < 0.5:
            self._recycle(lead, deal.updated + rng.randrange(DAY, 10 * DAY), "lost")

    def _stage_history(
        self, opportunity_id: str, created: int, amount: int, won: bool, last: int
    ) -> _Deal:
        """Walk a deal through the stages; what lies past the year end stays unwritten."""
        rng = self.rng
        path: list[tuple[str, int, int, int]] = []  # (stage, amount, probability, changed_at)
        t = created
        for index, (stage, probability) in enumerate(_STAGES[: last + 1]):
            if index > 0:
                lo, hi = _STAGE_DAYS[index - 1]
                t = self._work_time(self._working_day_after(t, lo, hi))
            if stage == "proposal":
                revised = int(round(amount * rng.uniform(0.85, 1.2), -4))
                amount = min(_MAX_AMOUNT, max(_MIN_AMOUNT, revised))
            path.append((stage, amount, probability, t))
        lo, hi = _STAGE_DAYS[min(last, 3)]
        t = self._work_time(self._working_day_after(t, lo, hi))
        path.append(("closed_won", amount, 100, t) if won else ("closed_lost", amount, 0, t))
        return self._write_history(opportunity_id, path)

    def _write_history(self, opportunity_id: str, path: list[tuple[str, int, int, int]]) -> _Deal:
        rows, ts = self.sinks["opportunity_stage_history"].rows, self.clock.ts
        seen = [step for step in path if step[3] < T_END]
        for stage, amount, probability, t in seen:
            rows.append((opportunity_id, stage, amount, probability, ts(t)))
        stage, amount, probability, updated = seen[-1]
        closed = stage in ("closed_won", "closed_lost")
        proposal = [t for s, _, _, t in seen if s == "proposal"]
        return _Deal(
            stage,
            amount,
            probability,
            closed,
            stage == "closed_won",
            path[-1][3] // DAY,
            updated,
            proposal[0] if proposal else None,
        )

    def _opportunity_row(
        self,
        opportunity_id: str,
        account: int,
        lead_id: str | None,
        owner: str,
        kind: str,
        created: int,
        deal: _Deal,
    ) -> None:
        ts = self.clock.ts
        self.sinks["opportunities"].rows.append(
            (
                opportunity_id,
                _account_id(account),
                lead_id,
                owner,
                owner,
                kind,
                deal.stage,
                deal.amount,
                "JPY",
                deal.probability,
                ts(created),
                self.clock.date(deal.close_day),
                _bool(deal.is_closed),
                _bool(deal.is_won),
                ts(deal.updated),
            )
        )

    def _subscription(
        self,
        account: int,
        opportunity_id: str | None,
        start_day: int,
        mrr: int,
        renewed_from: str | None,
        updated: int,
        end_day: int | None = -1,
    ) -> str:
        """Write one contract; ``end_day`` -1 means a one-year term, None open-ended."""
        subscription_id = self._id("sub", "S", 8)
        if end_day == -1:
            end_day = _term_end(start_day)
        self.sinks["subscriptions"].rows.append(
            (
                subscription_id,
                _account_id(account),
                opportunity_id,
                self.clock.date(start_day),
                None if end_day is None else self.clock.date(end_day),
                mrr,
                "JPY",
                renewed_from,
                self.clock.ts(updated),
            )
        )
        return subscription_id

    def _write_lead(self, lead: _Lead) -> None:
        rng, ts = self.rng, self.clock.ts
        if lead.mql_at is not None and rng.random() < _CREATED_RESTAMPED:
            restamped = lead.mql_at + rng.randrange(HOUR, 8 * HOUR)
            lead.created = restamped if restamped < T_END else lead.created
        if lead.recycled_at is not None:
            status = "recycled"
        elif lead.opportunity_id is not None:
            status = "converted"
        elif lead.sql_at is not None:
            status = "sql"
        elif lead.mql_at is not None:
            status = "mql"
        elif lead.touched:
            status = "working"
        else:
            status = "unqualified" if lead.score < 20 else "nurturing"
        # Marketing-owned leads nobody worked often lack a company in the MA tool.
        no_account = not lead.touched and lead.sql_at is None and rng.random() < 0.2
        stamps = (lead.created, lead.mql_at, lead.sql_at, lead.recycled_at, lead.converted_at)
        updated = max(t for t in stamps if t is not None)
        number = lead.lead_id[1:]
        domain = "mail.example" if no_account else f"{_account_id(lead.account).lower()}.example"
        self.sinks["leads"].rows.append(
            (
                lead.lead_id,
                None if no_account else _account_id(lead.account),
                f"contact{number}@{domain}",
                f"0{rng.randint(3, 99)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                lead.source,
                lead.owner,
                lead.score,
                status,
                ts(lead.created),
                None if lead.mql_at is None else ts(lead.mql_at),
                None if lead.sql_at is None else ts(lead.sql_at),
                None if lead.recycled_at is None else ts(lead.recycled_at),
                lead.recycle_reason,
                lead.opportunity_id,
                ts(updated),
            )
        )

    # --- existing customers -------------------------------------------------------------------

    def _customers(self) -> None:
        """Contracts running at the year's start: renewals, churn and upsells during the year."""
        for number, account in enumerate(self.customers, 1):
            self._customer(account)
            if number % 2_000 == 0:
                self._flush_stream()

    def _customer(self, account: int) -> None:
        rng = self.rng
        segment = SEGMENTS[self.segment[account]]
        cs = rng.choice(self.pool["customer_success"])
        mrr = rng.randint(*_MRR[segment]) // 1_000 * 1_000
        start = rng.randrange(-365, 0)
        signed = start * DAY + 10 * HOUR
        for i in range(4):  # quarterly check-ins
            day = self.wd[self.next_wd[i * 91 + rng.randrange(60)]]
            self._account_activity(None, account, cs, "meeting", self._work_time(day), 1_800)
        if rng.random() < _OPEN_ENDED:
            end = None
            if rng.random() < _OPEN_ENDED_CHURN:
                end = rng.randrange(FY_DAYS - 1)
            updated = signed if end is None else end * DAY + 10 * HOUR
            self._subscription(account, None, start, mrr, None, updated, end)
            return
        base = self._subscription(account, None, start, mrr, None, signed)
        end = _term_end(start)
        churn = rng.random() < _CHURN
        addons: list[tuple[str, int]] = [(base, mrr)]
        if not churn and rng.random() < _UPSELL:
            addon = self._upsell(account, segment, mrr, end)
            if addon is not None and addon[2] <= end:
                addons.append(addon[:2])
        self._renewal(account, cs, end, churn, addons)

    def _upsell(
        self, account: int, segment: str, mrr: int, term_end: int
    ) -> tuple[str, int, int] | None:
        """An upsell deal; when won, an add-on contract co-termed with the running one."""
        rng = self.rng
        owner = self._field_rep(segment)
        created = self._work_time(self.wd[self.next_wd[rng.randrange(300)]])
        amount = min(
            _MAX_AMOUNT, max(_MIN_AMOUNT, int(round(mrr * 12 * rng.uniform(0.3, 0.7), -4)))
        )
        won = rng.random() < _UPSELL_WIN
        opportunity_id = self._id("opp", "O", 8)
        last = 3 if won else bisect_right(_LOST_AFTER, rng.random())
        deal = self._stage_history(opportunity_id, created, amount, won, last)
        self._opportunity_row(opportunity_id, account, None, owner, "upsell", created, deal)
        if not deal.is_won:
            return None
        start = deal.close_day
        end = term_end if start <= term_end else _term_end(term_end + 1)
        addon_mrr = int(round(deal.amount / 12, -3))
        sub = self._subscription(account, opportunity_id, start, addon_mrr, None, deal.updated, end)
        return sub, addon_mrr, start

    def _renewal(
        self, account: int, cs: str, end: int, churn: bool, contracts: list[tuple[str, int]]
    ) -> None:
        """The renewal deal before ``end``; when won, each running contract is renewed."""
        rng = self.rng
        created_day = self.wd[self.next_wd[max(0, end - 60)]]
        created = self._work_time(created_day)
        close_day = max(end - rng.randrange(20), created_day + 3)
        close_t = self._work_time(self.wd[self.next_wd[close_day]])
        uplift = rng.uniform(*_RENEWAL_UPLIFT)
        renewed = [(sub, int(round(mrr * uplift, -3))) for sub, mrr in contracts]
        amount = sum(m for _, m in renewed) * 12
        opportunity_id = self._id("opp", "O", 8)
        path = [("negotiation", amount, 75, created)]
        path.append(
            ("closed_lost", amount, 0, close_t) if churn else ("closed_won", amount, 100, close_t)
        )
        deal = self._write_history(opportunity_id, path)
        self._opportunity_row(opportunity_id, account, None, cs, "renewal", created, deal)
        if not deal.is_won:
            return
        for sub, mrr in renewed:
            self._subscription(account, opportunity_id, end + 1, mrr, sub, close_t)


def _account_id(index: int) -> str:
    return f"A{index + 1:07d}"
