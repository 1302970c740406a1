"""What ``kpitree plan`` settles and shows around the reverse plan of :mod:`orchestration.plan`.

The arithmetic (the chain of ceilings, the trailing actuals, calls ÷ reps ÷ working days) is
in :mod:`orchestration.plan`. This module holds the choices the command makes around it and
the text it shows, as pure functions of plain values, so each can be tested without a
terminal:

- which rep count and which number of working days the calls are spread over, and what the
  output names as their source (:func:`choose_reps`, :func:`choose_working_days`);
- the command-line option of each rate (:func:`rate_option`) and the messages for the
  required rates that are neither given nor in the warehouse (:func:`missing_rate_messages`);
- the rows of the plan table (:func:`plan_rows`) and the note saying which rates came from
  trailing actuals (:func:`trailing_note`).

Every choice that cannot be made raises :class:`orchestration.plan.PlanError` with a message
naming the option that would settle it; the command prints it and exits 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

from orchestration.plan import (
    REQUIRED_RATES,
    PlanError,
    PlanStep,
    ResolvedRates,
    TrailingRates,
    working_days_in,
)


@dataclass(frozen=True)
class Chosen:
    """A count the plan uses and where it came from, as the output names it
    (``--reps``, ``distinct callers in 2026-01..2026-03``, ``weekdays of the month of ...``)."""

    value: int
    source: str


@dataclass(frozen=True)
class PlanRow:
    """One row of the plan table, every cell as it is printed."""

    stage: str  # "受注 won"
    required: str  # "20"
    rate_used: str  # "÷ ¥5,000,000" or "÷ 25 %"
    kpi: str  # "平均受注単価 avg_deal_size": the catalog KPI the rate is
    source: str  # "given" or "trailing"

    def cells(self) -> tuple[str, str, str, str, str]:
        return (self.stage, self.required, self.rate_used, self.kpi, self.source)


def rate_option(name: str) -> str:
    """The command-line option that gives the rate ``name``: ``meeting_win_rate`` is given
    with ``--meeting-win-rate``."""
    return "--" + name.replace("_", "-")


def format_rate(name: str, value: Fraction | float) -> str:
    """A rate as the output shows it: avg_deal_size in yen (``¥5,000,000``), every other
    rate in percent with at most two decimals and no trailing zeros (``12.5 %``, ``25 %``)."""
    if name == "avg_deal_size":
        return f"¥{float(value):,.0f}"
    return f"{float(value):.2f}".rstrip("0").rstrip(".") + " %"


def missing_rate_messages(missing: Mapping[str, str]) -> list[str]:
    """One line per required rate that is missing, in chain order, naming its option:
    ``missing --meeting-win-rate (meeting_win_rate): not given, and no warehouse at ...``."""
    return [
        f"missing {rate_option(name)} ({name}): {missing[name]}"
        for name in REQUIRED_RATES
        if name in missing
    ]


def trailing_note(resolved: ResolvedRates, warehouse: Path) -> str | None:
    """The line saying which rates were taken from the warehouse's trailing actuals and over
    which months; None when every rate used was given."""
    trailing = resolved.trailing
    taken = [name for name, source in resolved.sources.items() if source == "trailing"]
    if not taken or trailing is None:
        return None
    listed = ", ".join(f"{name} {format_rate(name, resolved.values[name])}" for name in taken)
    return (
        f"taken from trailing actuals of {warehouse} ({trailing.window}, "
        f"{len(trailing.months)} complete month(s)): {listed}"
    )


def planned_calls(steps: Sequence[PlanStep]) -> int | None:
    """The calls the plan requires, or None when the chain stops before calls (their rates
    are not known)."""
    return next((step.required for step in steps if step.stage == "calls"), None)


def choose_reps(
    given: int | None, trailing: TrailingRates | None, unavailable: str | None = None
) -> Chosen:
    """The reps the planned calls are spread over.

    ``--reps`` when given; else the distinct callers (owners with at least one outbound
    call) of the trailing window. With neither, a :class:`PlanError` names ``--reps`` and
    says why the warehouse could not tell (``unavailable``, or that nobody called).
    """
    if given is not None:
        return Chosen(given, "--reps")
    if trailing is not None and trailing.reps:
        return Chosen(trailing.reps, f"distinct callers in {trailing.window}")
    if unavailable:
        why = unavailable
    elif trailing is not None:
        why = f"nobody made a call in {trailing.window}"
    else:
        why = "no trailing actuals were read"
    raise PlanError(f"missing --reps: the planned calls are spread over the reps, and {why}")


def choose_working_days(
    given: int | None, period: str, as_of: date, fiscal_year_start_month: int = 4
) -> Chosen:
    """The working days of the plan period: ``--working-days`` when given, else the
    weekdays (Monday to Friday, holidays not subtracted) of the month, quarter or fiscal
    year containing ``as_of``."""
    if given is not None:
        return Chosen(given, "--working-days")
    days = working_days_in(period, as_of, fiscal_year_start_month)
    return Chosen(days, f"weekdays of the {period} of {as_of}")


def plan_rows(
    steps: Sequence[PlanStep], sources: Mapping[str, str], kpis: Mapping[str, Mapping]
) -> list[PlanRow]:
    """The plan table: per stage its label, required count, the rate divided by, the catalog
    KPI that rate is (its Japanese label from ``kpis``, the current catalog) and whether the
    rate was given or taken from trailing actuals. A rate the catalog does not label is
    shown by its name alone."""
    rows = []
    for step in steps:
        label = kpis.get(step.rate_name, {}).get("label_ja")
        rows.append(
            PlanRow(
                stage=f"{step.label_ja} {step.stage}",
                required=f"{step.required:,}",
                rate_used=f"÷ {format_rate(step.rate_name, step.divisor)}",
                kpi=f"{label} {step.rate_name}" if label else step.rate_name,
                source=sources[step.rate_name],
            )
        )
    return rows
