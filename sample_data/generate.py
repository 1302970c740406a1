"""Deterministic sample SFA/MA data written in the canonical landing contract.

Why it exists: the demo, the end-to-end tests and anyone trying the pipeline need one fiscal
year (2025-04-01 .. 2026-03-31, Asia/Tokyo) of B2B sales data whose funnel sits near the
figures of the source articles -- 34 outbound calls per inside-sales rep per working day, 5.1
follow-ups per lead, ~20 % lead-to-meeting, ~50 % opportunity rate, ~25 % win rate, 96 / 20 /
25 % email delivery / open / click-to-open -- so that a KPI far from those figures points at the
models, not at the data. The shared MQL/SQL definition (docs/lead-lifecycle.md) is respected apart
from a few deliberate violations of every rule, so the quality checks have something to list
while both drift checks stay under their 5 % thresholds.

How: each lead's whole story (responses, emails, calls, meeting, deal, contract) is drawn from
one ``random.Random(seed)`` in creation order and written as soon as it is made. The same
arguments therefore give byte-identical files, volumes grow linearly with ``scale``, and
memory stays bounded at scale 100. Instants are integer seconds since the fiscal year's first
local midnight (:mod:`sample_data.timeline`); every rate and volume drawn with is in
:mod:`sample_data.calibration`.
"""

from __future__ import annotations

import csv
from bisect import bisect_right
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import IO

from orchestration.contract import CAMPAIGN_TYPES, DEPARTMENTS, SEGMENTS, TABLES
from sample_data.calibration import (
    AMOUNT,
    APPOINTMENT,
    APPOINTMENT_WITHOUT_MQL,
    CALL_BACK,
    CALL_OUTCOMES,
    CALL_SHARE,
    CALLS_PER_LEAD,
    CALLS_PER_REP_DAY,
    CHURN,
    CLICKED,
    CREATED_RESTAMPED,
    CUSTOMERS_PER_UNIT,
    DELIVERED,
    EMAILS_PER_CAMPAIGN,
    EMPLOYEES,
    FAMILY,
    FOLLOW_UP_MEETING,
    GIVEN,
    HELD,
    INDUSTRIES,
    LATER_RESPONSE,
    LOST_AFTER,
    MAX_AMOUNT,
    MIN_AMOUNT,
    MQL_LOW_SCORE,
    MQL_NO_ENGAGEMENT,
    MQL_SCORE_THRESHOLD,
    MRR,
    NAME_STEMS,
    NO_SHOW,
    NURTURE_WORK,
    OPEN_ENDED,
    OPEN_ENDED_CHURN,
    OPENED,
    OPPORTUNITY,
    PROSPECTS_PER_LEAD,
    RECYCLE_NO_REASON,
    RECYCLE_REASONS,
    RENEWAL_UPLIFT,
    SEGMENT_WEIGHTS,
    SEMINAR_ATTENDED,
    SENDS_PER_LEAD_YEAR,
    SOURCE_WEIGHTS,
    SQL_BEFORE_CALL,
    SQL_DIRECT_SOURCES,
    SQL_ONLY,
    SQL_OWNER_MARKETING,
    STAGE_DAYS,
    STAGES,
    TEAMS,
    TOUCHES,
    UNSUBSCRIBE_AFTER_OPEN,
    UPSELL,
    UPSELL_WIN,
    WIN,
)
from sample_data.timeline import (
    DAY,
    FY_DAYS,
    HOUR,
    PLANNING_DAYS,
    T_END,
    WORK_SPAN,
    WORK_START,
    Clock,
    month_start,
    term_end_day,
    weekday,
)

Progress = Callable[[str, int, int], None]


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


def cumulative(weights: list[float] | tuple[float, ...]) -> list[float]:
    """Cumulative shares of ``weights`` (the last is 1.0), to draw with ``bisect_right``."""
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [c / total for c in out]


def lead_status(
    *, recycled: bool, converted: bool, is_sql: bool, is_mql: bool, touched: bool, otherwise: str
) -> str:
    """A lead's status from its lifecycle: its latest milestone, else ``working`` once a rep
    touched it, else ``otherwise`` (what it was)."""
    if recycled:
        return "recycled"
    if converted:
        return "converted"
    if is_sql:
        return "sql"
    if is_mql:
        return "mql"
    return "working" if touched else otherwise


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
        self.clock = Clock()
        self.progress = progress or (lambda _name, _done, _total: None)
        self.sinks = sinks
        self.n = dict.fromkeys(("act", "evt", "mtg", "opp", "sub", "resp"), 0)
        days = FY_DAYS + PLANNING_DAYS
        self.wd = [d for d in range(days) if weekday(d) < 5]
        self.wd_in_year = sum(1 for d in self.wd if d < FY_DAYS)
        self.next_wd: list[int] = []
        pos = 0
        for d in range(days):
            while pos < len(self.wd) and self.wd[pos] < d:
                pos += 1
            self.next_wd.append(pos)
        is_reps = sum(size for _, size in TEAMS["inside_sales"])
        calls_per_unit = is_reps * self.wd_in_year * CALLS_PER_REP_DAY
        self.n_leads = scale * round(calls_per_unit / CALLS_PER_LEAD)

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
        return day * DAY + WORK_START + self.rng.randrange(WORK_SPAN)

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
            for team, size in TEAMS[department]:
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
                    family, given = rng.choice(FAMILY), rng.choice(GIVEN)
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
                first = month_start(month)
                for kind, base in (("seminar", 12), ("webinar", 20)):
                    day = first + base + rng.randrange(6)
                    event_t = day * DAY + 14 * HOUR
                    name = f"{kind.title()} {self.clock.date(day)[:7]} {tag}"
                    plans.append((event_t - 42 * DAY, kind, name, event_t))
            for month in range(12):
                first = month_start(month)
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
                for step in range(EMAILS_PER_CAMPAIGN):
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
        n_customers = CUSTOMERS_PER_UNIT * self.scale
        n_prospects = round(self.n_leads * PROSPECTS_PER_LEAD)
        keys = []  # created * 8 + segment * 2 + is_customer: sorts by creation, no tuples
        customer_cum = cumulative(SEGMENT_WEIGHTS["customer"])
        prospect_cum = cumulative(SEGMENT_WEIGHTS["prospect"])
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
        industry, word = rng.choice(INDUSTRIES)
        name = f"株式会社{rng.choice(NAME_STEMS)}{word}"
        employees = rng.randint(*EMPLOYEES[segment])
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
        weights = [1.0 if weekday(d) < 5 else 0.35 for d in range(FY_DAYS)]
        cum = cumulative(weights)
        self.source_cum = cumulative(list(SOURCE_WEIGHTS.values()))
        self.sources = list(SOURCE_WEIGHTS)
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
                if event_t < T_END and rng.random() < SEMINAR_ATTENDED:
                    self._response(lead, campaign_id, "seminar_attended", event_t)
        elif source in ("document_request", "web", "ads", "event"):
            kind = {"document_request": "document_request", "event": "event"}.get(source, "ads")
            campaign_id = self._campaign(kind, t0, recent=kind == "event")
            if campaign_id is not None:
                response = "document_request" if kind == "document_request" else "form"
                self._response(lead, campaign_id, response, t0)
                first = t0
        if rng.random() < LATER_RESPONSE:
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
        expected = SENDS_PER_LEAD_YEAR * remaining / len(self.emails)
        k = min(remaining, int(expected + rng.random()))
        first_click = None
        for i in sorted(rng.sample(range(i0, len(self.emails)), k)):
            send_t, email_id, campaign_id = self.emails[i]
            events = []
            sent = send_t + rng.randrange(1_800)
            events.append(("sent", sent))
            if rng.random() >= DELIVERED:
                events.append(("bounced", sent + rng.randrange(1, 120)))
            else:
                delivered = sent + rng.randrange(1, 120)
                events.append(("delivered", delivered))
                opened = delivered + rng.randrange(300, 2 * DAY)
                if rng.random() < OPENED and opened < T_END:
                    events.append(("opened", opened))
                    if rng.random() < 0.3:
                        events.append(("opened", opened + rng.randrange(60, DAY)))
                    if rng.random() < CLICKED:
                        clicked = opened + rng.randrange(5, 900)
                        events.append(("clicked", clicked))
                        first_click = clicked if first_click is None else first_click
                    if rng.random() < UNSUBSCRIBE_AFTER_OPEN:
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
        elif lead.score >= MQL_SCORE_THRESHOLD and rng.random() < MQL_NO_ENGAGEMENT:
            lead.mql_at = lead.t0 + rng.randrange(HOUR, 2 * DAY)
        if lead.mql_at is not None and lead.mql_at >= T_END:
            lead.mql_at = None
        if lead.mql_at is not None and rng.random() < MQL_LOW_SCORE:
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
        elif rng.random() < NURTURE_WORK:
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
            if rng.random() >= CALL_SHARE:
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
            outcome, lo, hi = next(o[1:] for o in CALL_OUTCOMES if r < o[0])
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
        if lead.touched and rng.random() < CALL_BACK:
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
        k = int(rng.triangular(*TOUCHES) + 0.5)
        day = start // DAY
        second = start - day * DAY
        if weekday(day) < 5 and second < 17 * HOUR:
            first = max(start + 600, day * DAY + WORK_START) + rng.randrange(5_400)
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
            if r >= APPOINTMENT_WITHOUT_MQL:
                return
            booked = True
        elif r < APPOINTMENT:
            booked = True
        elif r < APPOINTMENT + SQL_ONLY:
            booked = False
        else:
            return
        created = call_end + rng.randrange(0, 300)
        lead.sql_at = created + rng.randrange(60, 1_800)
        if rng.random() < SQL_BEFORE_CALL:
            lead.sql_at = call_t - rng.randrange(60, 600)
        if rng.random() < SQL_OWNER_MARKETING:
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
        if r < HELD:
            return scheduled, "held", scheduled + HOUR + rng.randrange(2 * HOUR)
        if r < HELD + NO_SHOW:
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
        if status == "held" and rng.random() < OPPORTUNITY:
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
        if self.rng.random() >= RECYCLE_NO_REASON:
            lead.recycle_reason = self.rng.choice(RECYCLE_REASONS[why])

    def _amount(self, segment: str) -> int:
        lo, hi = AMOUNT[segment]
        return self.rng.randint(lo, hi) * 10_000

    def _new_business(self, lead: _Lead, owner: str, held_at: int) -> None:
        rng = self.rng
        day = self.wd[self.next_wd[held_at // DAY] + rng.randint(0, 3)]
        created = max(self._work_time(day), held_at + HOUR)
        if created >= T_END:
            return
        opportunity_id = self._id("opp", "O", 8)
        lead.opportunity_id, lead.converted_at = opportunity_id, created
        won = rng.random() < WIN
        last = 3 if won else bisect_right(LOST_AFTER, rng.random())
        deal = self._stage_history(opportunity_id, created, self._amount(lead.segment), won, last)
        self._opportunity_row(
            opportunity_id, lead.account, lead.lead_id, owner, "new_business", created, deal
        )
        if deal.proposal_at is not None and rng.random() < FOLLOW_UP_MEETING:
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
        for index, (stage, probability) in enumerate(STAGES[: last + 1]):
            if index > 0:
                lo, hi = STAGE_DAYS[index - 1]
                t = self._work_time(self._working_day_after(t, lo, hi))
            if stage == "proposal":
                revised = int(round(amount * rng.uniform(0.85, 1.2), -4))
                amount = min(MAX_AMOUNT, max(MIN_AMOUNT, revised))
            path.append((stage, amount, probability, t))
        lo, hi = STAGE_DAYS[min(last, 3)]
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
            end_day = term_end_day(start_day)
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
        if lead.mql_at is not None and rng.random() < CREATED_RESTAMPED:
            restamped = lead.mql_at + rng.randrange(HOUR, 8 * HOUR)
            lead.created = restamped if restamped < T_END else lead.created
        status = lead_status(
            recycled=lead.recycled_at is not None,
            converted=lead.opportunity_id is not None,
            is_sql=lead.sql_at is not None,
            is_mql=lead.mql_at is not None,
            touched=lead.touched,
            otherwise="unqualified" if lead.score < 20 else "nurturing",
        )
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
        mrr = rng.randint(*MRR[segment]) // 1_000 * 1_000
        start = rng.randrange(-365, 0)
        signed = start * DAY + 10 * HOUR
        for i in range(4):  # quarterly check-ins
            day = self.wd[self.next_wd[i * 91 + rng.randrange(60)]]
            self._account_activity(None, account, cs, "meeting", self._work_time(day), 1_800)
        if rng.random() < OPEN_ENDED:
            end = None
            if rng.random() < OPEN_ENDED_CHURN:
                end = rng.randrange(FY_DAYS - 1)
            updated = signed if end is None else end * DAY + 10 * HOUR
            self._subscription(account, None, start, mrr, None, updated, end)
            return
        base = self._subscription(account, None, start, mrr, None, signed)
        end = term_end_day(start)
        churn = rng.random() < CHURN
        addons: list[tuple[str, int]] = [(base, mrr)]
        if not churn and rng.random() < UPSELL:
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
        amount = min(MAX_AMOUNT, max(MIN_AMOUNT, int(round(mrr * 12 * rng.uniform(0.3, 0.7), -4))))
        won = rng.random() < UPSELL_WIN
        opportunity_id = self._id("opp", "O", 8)
        last = 3 if won else bisect_right(LOST_AFTER, rng.random())
        deal = self._stage_history(opportunity_id, created, amount, won, last)
        self._opportunity_row(opportunity_id, account, None, owner, "upsell", created, deal)
        if not deal.is_won:
            return None
        start = deal.close_day
        end = term_end if start <= term_end else term_end_day(term_end + 1)
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
        uplift = rng.uniform(*RENEWAL_UPLIFT)
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
