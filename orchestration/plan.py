"""KGIから逆算: the reverse plan from a revenue target down to calls (docs/outputs.md,
`kpitree plan`).

The chain follows the sales-KPI article::

    revenue  ÷ avg_deal_size     -> won             受注
    won      ÷ meeting_win_rate  -> meetings        商談
    meetings ÷ meeting_held_rate -> appointments    アポ
    appts    ÷ appointment_rate  -> contacted_leads 接触リード   (when that rate is known)
    contacted÷ connect_rate      -> calls           架電         (when that rate is known)

Each step is ``ceil(previous step's already-rounded count ÷ rate)``, computed with exact
fractions (``Fraction``), never binary floats: ``ceil(20 ÷ 0.25)`` is 80, not 81. Rates are
in percent (25 means 25 %). The article's example (1億円, 500万円, 25 %, 50 %) gives exactly
20 won, 80 meetings, 160 appointments.

Every rate is named after the catalog KPI it is: ``avg_deal_size``, ``meeting_win_rate``,
``meeting_held_rate``, ``appointment_rate``, ``connect_rate`` (the catalog, not this module,
defines them). :func:`trailing_rates` reads them from the published warehouse as
Σ numerator ÷ Σ denominator over the last N complete months.

Everything here is a pure function except :func:`trailing_rates`, which opens the published
warehouse read-only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

from orchestration.catalog import current_kpis

# The rates of the chain, in chain order; each is the catalog KPI of that name.
RATE_NAMES = (
    "avg_deal_size",
    "meeting_win_rate",
    "meeting_held_rate",
    "appointment_rate",
    "connect_rate",
)
REQUIRED_RATES = ("avg_deal_size", "meeting_win_rate", "meeting_held_rate")
OPTIONAL_RATES = ("appointment_rate", "connect_rate")

# stage, Japanese label, the rate it is divided by
STAGES = (
    ("won", "受注", "avg_deal_size"),
    ("meetings", "商談", "meeting_win_rate"),
    ("appointments", "アポ", "meeting_held_rate"),
    ("contacted_leads", "接触リード", "appointment_rate"),
    ("calls", "架電", "connect_rate"),
)
PERIODS = ("month", "quarter", "fiscal_year")

Number = int | float | Decimal | Fraction | str


class PlanError(ValueError):
    """An input the plan cannot use (says which and why)."""


class WarehouseUnavailable(RuntimeError):
    """The published warehouse cannot give trailing actuals (says why)."""


@dataclass(frozen=True)
class PlanStep:
    """One stage of the reverse plan: ``required`` = ceil(previous required ÷ divisor)."""

    stage: str
    label_ja: str
    required: int
    rate_name: str  # the catalog KPI the previous count is divided by
    divisor: Fraction  # JPY for avg_deal_size, percent for the rates

    def as_json(self) -> dict:
        return {"stage": self.stage, "required": self.required}


@dataclass(frozen=True)
class CallSpread:
    """The planned calls spread over reps and working days, beside the benchmark."""

    calls: int
    reps: int
    working_days: int
    per_rep_day: Fraction
    benchmark: float

    @property
    def share_of_benchmark(self) -> float:
        """calls per rep per day as a percentage of the benchmark."""
        return float(100 * self.per_rep_day / Fraction(str(self.benchmark)))


@dataclass(frozen=True)
class TrailingRates:
    """Actuals of the last complete months of the published warehouse.

    ``rates`` maps each name of :data:`RATE_NAMES` to Σ numerator ÷ Σ denominator over
    ``months`` (× 100 for the rates), or None when the denominator sums to 0.
    ``sums`` keeps (Σ numerator, Σ denominator) per rate; ``reps`` is the number of distinct
    owners with at least one outbound call (call_count at dimension owner) in those months.
    """

    months: tuple[date, ...]
    rates: dict[str, Fraction | None] = field(default_factory=dict)
    sums: dict[str, tuple[float, float]] = field(default_factory=dict)
    reps: int = 0

    @property
    def window(self) -> str:
        if not self.months:
            return "no complete month"
        first, last = self.months[0], self.months[-1]
        if first == last:
            return f"{first:%Y-%m}"
        return f"{first:%Y-%m}..{last:%Y-%m}"


def exact(value: Number, name: str) -> Fraction:
    """``value`` as an exact fraction (a float by its shortest decimal form: 0.1 is 1/10)."""
    if isinstance(value, bool):
        raise PlanError(f"{name} must be a number, not {value!r}")
    try:
        if isinstance(value, Fraction):
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise PlanError(f"{name} must be a finite number, not {value!r}")
            return Fraction(repr(value))
        if isinstance(value, Decimal | str):
            decimal = Decimal(str(value).strip())
            if not decimal.is_finite():
                raise PlanError(f"{name} must be a finite number, not {value!r}")
            return Fraction(decimal)
        if isinstance(value, int):
            return Fraction(value)
    except (ArithmeticError, ValueError) as error:
        if isinstance(error, PlanError):
            raise
        raise PlanError(f"{name} must be a number, not {value!r}") from error
    raise PlanError(f"{name} must be a number, not {value!r}")


def _positive(value: Number, name: str) -> Fraction:
    number = exact(value, name)
    if number <= 0:
        raise PlanError(f"{name} must be greater than 0, got {value}")
    return number


def _percent(value: Number, name: str) -> Fraction:
    number = exact(value, name)
    if not 0 < number <= 100:
        raise PlanError(f"{name} must be a percentage in (0, 100] (25 means 25 %), got {value}")
    return number


def reverse_plan(
    revenue: Number,
    avg_deal_size: Number,
    meeting_win_rate: Number,
    meeting_held_rate: Number,
    appointment_rate: Number | None = None,
    connect_rate: Number | None = None,
) -> list[PlanStep]:
    """The required count of every stage, from the revenue target down.

    Rates are percentages (25 means 25 %). ``contacted_leads`` is planned when
    ``appointment_rate`` is given, ``calls`` when ``connect_rate`` is given too.
    Raises :class:`PlanError` on an amount <= 0 or a rate outside (0, 100].
    """
    target = _positive(revenue, "revenue")
    divisors = {
        "avg_deal_size": _positive(avg_deal_size, "avg_deal_size"),
        "meeting_win_rate": _percent(meeting_win_rate, "meeting_win_rate"),
        "meeting_held_rate": _percent(meeting_held_rate, "meeting_held_rate"),
    }
    if appointment_rate is not None:
        divisors["appointment_rate"] = _percent(appointment_rate, "appointment_rate")
    if connect_rate is not None:
        if appointment_rate is None:
            raise PlanError(
                "connect_rate plans calls from contacted leads: give appointment_rate too"
            )
        divisors["connect_rate"] = _percent(connect_rate, "connect_rate")

    steps: list[PlanStep] = []
    previous: Fraction = target
    for stage, label_ja, rate_name in STAGES:
        if rate_name not in divisors:
            break
        divisor = divisors[rate_name]
        # An amount divides as it is; a rate is a percentage.
        per_unit = divisor if rate_name == "avg_deal_size" else divisor / 100
        required = math.ceil(previous / per_unit)
        steps.append(PlanStep(stage, label_ja, required, rate_name, divisor))
        previous = Fraction(required)  # the next step starts from the rounded count
    return steps


def calls_per_rep_day_benchmark() -> float:
    """The benchmark calls per rep per day: the catalog's ``benchmark:`` of
    calls_per_rep_day (the inside-sales article's 34)."""
    return float(current_kpis()["calls_per_rep_day"]["benchmark"])


def spread_calls(
    calls: int, reps: int, working_days: int, benchmark: float | None = None
) -> CallSpread:
    """calls ÷ reps ÷ working days, beside the benchmark (34 unless the catalog says)."""
    if isinstance(calls, bool) or not isinstance(calls, int) or calls < 0:
        raise PlanError(f"calls must be a whole number >= 0, got {calls!r}")
    for name, value in (("reps", reps), ("working_days", working_days)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise PlanError(f"{name} must be a whole number >= 1, got {value!r}")
    return CallSpread(
        calls=calls,
        reps=reps,
        working_days=working_days,
        per_rep_day=Fraction(calls, reps * working_days),
        benchmark=calls_per_rep_day_benchmark() if benchmark is None else benchmark,
    )


def period_bounds(period: str, as_of: date, fiscal_year_start_month: int = 4) -> tuple[date, date]:
    """[start, end) of the month, calendar quarter or fiscal year containing ``as_of``."""
    if period == "month":
        start = as_of.replace(day=1)
        months = 1
    elif period == "quarter":
        start = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
        months = 3
    elif period == "fiscal_year":
        year = as_of.year if as_of.month >= fiscal_year_start_month else as_of.year - 1
        start = date(year, fiscal_year_start_month, 1)
        months = 12
    else:
        raise PlanError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    index = start.month - 1 + months
    return start, date(start.year + index // 12, index % 12 + 1, 1)


def weekdays(start: date, end: date) -> int:
    """Monday-to-Friday days in [start, end). Public holidays are not subtracted."""
    days = (end - start).days
    full_weeks, rest = divmod(days, 7)
    count = 5 * full_weeks
    for offset in range(rest):
        if (start.weekday() + offset) % 7 < 5:
            count += 1
    return count


def working_days_in(period: str, as_of: date, fiscal_year_start_month: int = 4) -> int:
    """Weekdays of the plan period containing ``as_of`` (a month has 20-23)."""
    return weekdays(*period_bounds(period, as_of, fiscal_year_start_month))


def today_in(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


_CURRENT_MONTHLY = """
    select kpi_name, period_start, period_end, dimension, dimension_value,
        numerator, denominator
    from metrics.kpi_values_current
    where grain = 'month'
"""


def trailing_rates(warehouse: Path, months: int = 3, as_of: date | None = None) -> TrailingRates:
    """The chain's rates over the last ``months`` complete months of the published warehouse.

    A month is complete when its end is on or before ``as_of`` (default: today in the
    reporting timezone); the window is the latest ``months`` such months the warehouse has
    (fewer when it has fewer). Each rate is the current version of the catalog KPI of the same
    name at grain month, dimension all, as Σ numerator ÷ Σ denominator over the window (× 100
    for the rates) — not an average of the monthly values:

    - avg_deal_size     = Σ won_amount ÷ Σ won_deals
    - meeting_win_rate  = 100 × Σ won_deals ÷ Σ meetings_held
    - meeting_held_rate = 100 × Σ meetings_held ÷ Σ appointments
    - appointment_rate  = 100 × Σ appointments ÷ Σ contacted_leads (a lead contacted in two
      months counts in both, as in the monthly values)
    - connect_rate      = 100 × Σ connected_calls ÷ Σ calls

    ``reps`` is the number of distinct owners with call_count > 0 at dimension owner in the
    window. Raises :class:`WarehouseUnavailable` when the file is missing or unreadable.
    """
    import duckdb

    if months < 1:
        raise PlanError(f"months must be >= 1, got {months}")
    if as_of is None:
        from orchestration.settings import reporting_timezone

        as_of = today_in(reporting_timezone())
    if not Path(warehouse).is_file():
        raise WarehouseUnavailable(f"no warehouse at {warehouse}")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise WarehouseUnavailable(f"cannot open {warehouse}: {error}") from error
    try:
        window = [
            row[0]
            for row in con.execute(
                f"""
                select distinct period_start from ({_CURRENT_MONTHLY})
                where dimension = 'all' and period_end <= ?
                order by period_start desc
                limit ?
                """,
                [as_of, months],
            ).fetchall()
        ]
        window.sort()
        if not window:
            return TrailingRates(months=())
        marks = ", ".join("?" for _ in window)
        sums = {
            name: (numerator, denominator)
            for name, numerator, denominator in con.execute(
                f"""
                select kpi_name, coalesce(sum(numerator), 0), coalesce(sum(denominator), 0)
                from ({_CURRENT_MONTHLY})
                where dimension = 'all' and period_start in ({marks})
                    and kpi_name in ({", ".join("?" for _ in RATE_NAMES)})
                group by kpi_name
                """,
                [*window, *RATE_NAMES],
            ).fetchall()
        }
        (reps,) = con.execute(
            f"""
            select count(distinct dimension_value) from ({_CURRENT_MONTHLY})
            where kpi_name = 'call_count' and dimension = 'owner'
                and period_start in ({marks}) and numerator > 0
            """,
            window,
        ).fetchone()
    except duckdb.Error as error:
        raise WarehouseUnavailable(f"cannot read actuals from {warehouse}: {error}") from error
    finally:
        con.close()

    rates: dict[str, Fraction | None] = {}
    totals: dict[str, tuple[float, float]] = {}
    for name in RATE_NAMES:
        numerator, denominator = sums.get(name, (0.0, 0.0))
        totals[name] = (float(numerator), float(denominator))
        if not denominator:
            rates[name] = None
            continue
        # The sums are whole numbers held as DOUBLE: Fraction(float) is exact.
        ratio = Fraction(numerator) / Fraction(denominator)
        rates[name] = ratio if name == "avg_deal_size" else 100 * ratio
    return TrailingRates(months=tuple(window), rates=rates, sums=totals, reps=int(reps))


@dataclass(frozen=True)
class ResolvedRates:
    """The rates a plan uses, and where each came from (``given`` or ``trailing``)."""

    values: dict[str, Fraction]
    sources: dict[str, str]
    missing: dict[str, str]  # required rate -> why it is not available
    trailing: TrailingRates | None
    unavailable: str | None  # why the warehouse could not be read (when it was needed)


def resolve_rates(
    given: dict[str, Number | None],
    warehouse: Path | None,
    months: int = 3,
    as_of: date | None = None,
    need_warehouse: bool = False,
) -> ResolvedRates:
    """Given rates win; every rate not given is taken from :func:`trailing_rates`.

    The warehouse is read when a rate is missing (or ``need_warehouse``, e.g. for the rep
    count). A required rate (:data:`REQUIRED_RATES`) that is neither given nor available is
    listed in ``missing`` with the reason; an optional one is simply left out.
    """
    values: dict[str, Fraction] = {}
    sources: dict[str, str] = {}
    for name in RATE_NAMES:
        if given.get(name) is not None:
            values[name] = exact(given[name], name)
            sources[name] = "given"
    trailing: TrailingRates | None = None
    unavailable: str | None = None
    if warehouse is not None and (need_warehouse or len(values) < len(RATE_NAMES)):
        try:
            trailing = trailing_rates(warehouse, months, as_of)
        except WarehouseUnavailable as error:
            unavailable = str(error)
        else:
            if not trailing.months:
                unavailable = f"{warehouse} has no complete month of actuals"
    elif warehouse is None:
        unavailable = "no warehouse given"
    missing: dict[str, str] = {}
    for name in RATE_NAMES:
        if name in values:
            continue
        actual = trailing.rates.get(name) if trailing and trailing.months else None
        if actual is not None and actual > 0:
            values[name] = actual
            sources[name] = "trailing"
        elif name in REQUIRED_RATES:
            if unavailable:
                missing[name] = f"not given, and {unavailable}"
            else:
                missing[name] = (
                    f"not given, and its trailing actual over {trailing.window} is "
                    f"{'0' if actual == 0 else 'empty (nothing to divide by)'}"
                )
    if sources.get("connect_rate") == "trailing" and "appointment_rate" not in values:
        # Calls are planned from contacted leads: without appointment_rate the actual
        # connect_rate has nothing to divide. (A connect_rate given alone is an error.)
        del values["connect_rate"], sources["connect_rate"]
    return ResolvedRates(values, sources, missing, trailing, unavailable)


def plan_as_json(steps: Sequence[PlanStep]) -> list[dict]:
    return [step.as_json() for step in steps]
