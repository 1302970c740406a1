"""`kpitree tree`: the arithmetic of a KPI tree file on the published numbers of one period.

The tree file's formulas (``formula: {op, of}``, see orchestration/kpi_tree.py) say how the
KGI is formed; orchestration/tree_math.py does the arithmetic. This module puts the numbers
in, for one grain, period and department:

- **the period**: given, or the latest complete one of the grain (ended by the data's last
  day) in which every lever has a value, else the latest such one in progress.
- **actuals** from ``metrics.kpi_values_current`` at that grain and period, company-wide
  (dimension ``all``) or for one department: each KPI exactly as numerator ÷ denominator
  (× 100 for a rate), the fraction the value was computed from, not the rounded double.
- **targets** from the tree file, each set per period of its node's grain and counted for
  the period analysed: a count or an amount set per month is × 12 over a fiscal year and
  × 3 over a quarter (÷ 3 from a quarter down to a month, and so on); a rate, a ratio or an
  average is the same in any period. A target at grain day or week is not carried to
  another grain. For one department the tree's (company) targets do not apply: every node
  is measured against its catalog benchmark, and the KGI's target is given (``--kgi-target``).
- **benchmarks** from the catalog (``benchmark:``), where a node has no target.

:func:`analyse_tree` returns the identity checks of every formula on the actuals (within the
tree's ``identity_tolerance_pct``) and the analysis: each lever's elasticity, the bottleneck,
and goal seek. The rows come from the tree file (:func:`orchestration.kpi_tree.node_rows`)
or from the published seed ``metrics.kpi_tree_nodes`` (the dashboard): the same columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import duckdb

from orchestration.catalog import current_kpis
from orchestration.kpi_tree import (
    SEED_COLUMNS,
    TreeFileError,
    check_tree,
    load_tree,
    node_rows,
    tree_node,
)
from orchestration.plan import WarehouseUnavailable
from orchestration.tree_math import (
    IdentityCheck,
    TreeAnalysis,
    TreeMathError,
    analyse,
    build_tree,
    identity_checks,
)

# Months in a period of each grain a target can be carried between.
GRAIN_MONTHS = {"month": 1, "quarter": 3, "fiscal_year": 12}
GRAINS = ("month", "quarter", "fiscal_year")


class TreeAnalysisError(ValueError):
    """The analysis cannot be made (says why and what to give instead)."""


@dataclass(frozen=True)
class TreeReport:
    """The analysis of one tree for one grain, period and department."""

    tree_id: str
    title: str
    grain: str
    period_start: date
    department: str | None
    complete: bool  # False: a period in progress, measured against a whole period's target
    tolerance_pct: Fraction
    identities: list[IdentityCheck]
    analysis: TreeAnalysis
    target_notes: list[str]

    def as_dict(self) -> dict:
        return {
            "tree_id": self.tree_id,
            "title": self.title,
            "grain": self.grain,
            "period_start": self.period_start.isoformat(),
            "department": self.department,
            "period_complete": self.complete,
            "identity_tolerance_pct": float(self.tolerance_pct),
            "identities": [check.as_dict() for check in self.identities],
            "target_notes": self.target_notes,
            **self.analysis.as_dict(),
        }


def rows_from_file(path: Path) -> list[dict]:
    """The node rows of a tree file that passes the check (as the seed holds them)."""
    data = load_tree(path)
    result = check_tree(data)
    if not result.ok:
        problems = "\n  ".join(str(problem) for problem in result.problems)
        raise TreeFileError(f"{path}: {len(result.problems)} problem(s):\n  {problems}")
    return [dict(zip(SEED_COLUMNS, row, strict=True)) for row in node_rows(path.stem, data)]


def rows_from_warehouse(con: duckdb.DuckDBPyConnection, tree_id: str) -> list[dict]:
    """The node rows of a published tree (metrics.kpi_tree_nodes)."""
    cursor = con.execute(
        f"select {', '.join(SEED_COLUMNS)} from metrics.kpi_tree_nodes "
        "where tree_id = ? order by node_order",
        [tree_id],
    )
    return [dict(zip(SEED_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def carried_target(target: object, unit_kind: str, per_unit: bool, from_grain: str | None,
                   to_grain: str) -> Fraction | None:  # fmt: skip
    """A node's target (set per period of ``from_grain``) for a period of ``to_grain``:
    a count or amount scales with the months; a rate, ratio or average does not. None when
    there is no target or it cannot be carried (day, week)."""
    if target is None or from_grain is None:
        return None
    value = Fraction(str(target))
    if unit_kind in ("percent", "ratio") or per_unit or from_grain == to_grain:
        return value
    if from_grain not in GRAIN_MONTHS or to_grain not in GRAIN_MONTHS:
        return None
    return value * GRAIN_MONTHS[to_grain] / GRAIN_MONTHS[from_grain]


def actuals(
    con: duckdb.DuckDBPyConnection,
    kpi_names: Sequence[str],
    grain: str,
    period_start: date,
    department: str | None,
) -> dict[str, Fraction | None]:
    """Each KPI's value in the period, exactly: numerator ÷ denominator (× 100 for a rate),
    the numerator alone without a denominator; None where it has none."""
    dimension, value_of = ("department", department) if department else ("all", "all")
    rows = con.execute(
        "select kpi_name, kind, numerator, denominator from metrics.kpi_values_current "
        "where grain = ? and period_start = ? and dimension = ? and dimension_value = ? "
        f"and kpi_name in ({', '.join('?' for _ in kpi_names)})",
        [grain, period_start, dimension, value_of, *kpi_names],
    ).fetchall()
    found: dict[str, Fraction | None] = dict.fromkeys(kpi_names)
    for name, kind, numerator, denominator in rows:
        if numerator is None:
            continue
        # The sums are held as DOUBLE: Fraction(float) is the exact number stored.
        top = Fraction(numerator)
        if denominator is None and kind in ("count", "amount"):
            found[name] = top
        elif denominator:
            found[name] = top / Fraction(denominator) * (100 if kind == "rate" else 1)
    return found


def candidate_periods(con: duckdb.DuckDBPyConnection, grain: str) -> list[tuple[date, bool]]:
    """The periods of ``grain`` to analyse by default, in the order to try them: the
    complete ones (ended by the data's last day), latest first, then those in progress
    (a part of a period against a whole period's target). Each with whether complete."""
    rows = con.execute(
        """
        with last_day as (
            select max(period_end) as data_end from metrics.kpi_values_current
            where grain = 'day' and dimension = 'all'
        )
        select distinct
            period_start,
            coalesce(period_end <= (select data_end from last_day), false) as complete
        from metrics.kpi_values_current
        where grain = ? and dimension = 'all'
        order by complete desc, period_start desc
        """,
        [grain],
    ).fetchall()
    if not rows:
        raise TreeAnalysisError(f"the published warehouse has no {grain} periods")
    return [(start, bool(complete)) for start, complete in rows]


def analyse_tree(
    rows: Sequence[Mapping],
    con: duckdb.DuckDBPyConnection,
    *,
    grain: str | None = None,
    period_start: date | None = None,
    department: str | None = None,
    kgi_target: Fraction | None = None,
) -> TreeReport:
    """The identity checks and the analysis of the tree of ``rows`` on the published
    numbers of ``con`` (default grain: the KGI's; default period: the latest one)."""
    if not rows:
        raise TreeAnalysisError("the tree has no nodes")
    kpis = current_kpis()
    by_id = {str(row["node_id"]): row for row in rows}
    root = next(row for row in rows if row["parent_id"] is None)
    tree_id, title = str(root["tree_id"]), str(root["tree_title"])
    if not root.get("formula_op"):
        raise TreeAnalysisError(
            f"tree {tree_id}: its KGI {root['node_id']} has no formula, so there is no "
            "arithmetic to analyse (give it `formula: {op: product, of: [...]}`)"
        )
    grain = grain or str(root["grain"])
    if grain not in GRAINS:
        raise TreeAnalysisError(f"grain {grain}: use one of {', '.join(GRAINS)}")

    members: list[str] = []
    pending = [str(root["node_id"])]
    while pending:
        node_id = pending.pop()
        members.append(node_id)
        pending.extend(str(by_id[node_id].get("formula_of") or "").split())
    kpi_names = sorted({str(by_id[m]["kpi_name"]) for m in members})
    levers = [m for m in members if not by_id[m].get("formula_op")]
    complete = True
    if period_start is None:
        # The latest period in which every lever has a value (else the latest, to say so).
        tried = candidate_periods(con, grain)
        for start, is_complete in tried:
            values = actuals(con, kpi_names, grain, start, department)
            if all(values[str(by_id[m]["kpi_name"])] is not None for m in levers):
                period_start, complete = start, is_complete
                break
        else:
            period_start, complete = tried[0]
    else:
        complete = dict(candidate_periods(con, grain)).get(period_start, True)
    values = actuals(con, kpi_names, grain, period_start, department)

    notes: list[str] = []
    nodes = []
    for node_id in members:
        row = by_id[node_id]
        # The catalog decides the unit and whether the KPI is an average (per unit).
        node = tree_node(
            {"id": node_id, "name": row["node_name"], "kpi": row["kpi_name"]},
            kpis,
            op=row.get("formula_op") or None,
            operands=tuple(str(row.get("formula_of") or "").split()),
            actual=values[str(row["kpi_name"])],
        )
        target = None
        if department is None:
            target = carried_target(row["target_value"], node.unit, node.per_unit,
                                    row["grain"], grain)  # fmt: skip
            if target is None and row["target_value"] is not None:
                notes.append(
                    f"{node_id}: its target is set per {row['grain']} and is not carried to "
                    f"a {grain}"
                )
            elif target is not None and target != Fraction(str(row["target_value"])):
                notes.append(
                    f"{row['node_name']}: {show(Fraction(str(row['target_value'])), node.unit)}"
                    f" per {row['grain']} is {show(target, node.unit)} per {grain}"
                )
        if node_id == str(root["node_id"]) and kgi_target is not None:
            target = kgi_target
        nodes.append(replace(node, target=target))
    arithmetic = build_tree(str(root["node_id"]), nodes)
    kgi = arithmetic.nodes[arithmetic.root]
    if kgi.target is None:
        where = f"department {department}" if department else f"a {grain}"
        raise TreeAnalysisError(f"no KGI target for {where}: give --kgi-target (in {kgi.unit})")
    missing = [arithmetic.nodes[lever].label for lever in arithmetic.levers
               if arithmetic.nodes[lever].actual is None]  # fmt: skip
    if missing:
        raise TreeAnalysisError(
            f"no actual in {grain} {period_start} for {', '.join(missing)}: nothing recorded "
            "(or a denominator of 0) in that period"
        )
    tolerance = Fraction(str(root.get("identity_tolerance_pct") or 0))
    try:
        analysis = analyse(arithmetic, kgi.target)
    except TreeMathError as error:
        raise TreeAnalysisError(str(error)) from None
    return TreeReport(
        tree_id=tree_id,
        title=title,
        grain=grain,
        period_start=period_start,
        department=department,
        complete=complete,
        tolerance_pct=tolerance,
        identities=identity_checks(arithmetic, tolerance),
        analysis=analysis,
        target_notes=notes,
    )


def connect_published(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The published file, read-only."""
    if not warehouse.is_file():
        raise WarehouseUnavailable(f"{warehouse}: no published file (run `kpitree run` first)")
    try:
        return duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise WarehouseUnavailable(f"{warehouse}: cannot open it: {error}") from None


# --- what `kpitree tree` prints ------------------------------------------------------------


def show(value: Fraction | None, unit: str) -> str:
    """A value in its unit, for people: ¥1,400,000,000 / 12.5 % / 340 / 4.2."""
    if value is None:
        return "—"
    number = float(value)
    if unit == "JPY":
        return f"{'−' if number < 0 else ''}¥{abs(number):,.0f}"
    if unit == "percent":
        return f"{number:,.2f} %"
    if unit == "count":
        return f"{number:,.1f}".removesuffix(".0")
    return f"{number:,.2f}"


def pct(value: Fraction | None, sign: bool = True) -> str:
    if value is None:
        return "—"
    return f"{float(value):+.2f} %" if sign else f"{float(value):.2f} %"


def _plain(value: Fraction | None) -> str:
    """A number to two decimals at most, grouped: 63,000,000 / 12.34."""
    if value is None:
        return "—"
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def summary_lines(report: TreeReport) -> list[str]:
    """The lines above and below the table: KGI against target, the bottleneck, the
    balanced change, the identities that do not hold, the targets carried."""
    a = report.analysis
    where = f"department {report.department}" if report.department else "全社 (all)"
    lines = [
        f"{report.title} [tree {report.tree_id}] — {report.grain} from {report.period_start}"
        f"{'' if report.complete else ' (in progress: part of the period)'}, {where}",
        f"KGI {a.root_name}: actual {show(a.kgi_baseline, a.unit)}, target "
        f"{show(a.kgi_target, a.unit)}, gap {show(a.gap, a.unit)} ({pct(a.gap_pct)})",
    ]
    if a.bottleneck is None:
        lines.append("ボトルネック: none (no node is behind its target or benchmark)")
    else:
        b = a.bottleneck
        lines.append(
            f"ボトルネック: {b.name} ({b.node_id}): {show(b.actual, b.unit)} against its "
            f"{b.reference_kind} {show(b.reference, b.unit)}; at it the KGI would gain "
            f"{show(b.kgi_gain, a.unit)}"
        )
    balanced = a.balanced
    if balanced.g is None:
        lines.append(f"balanced change: none reaches the target ({balanced.reason})")
    else:
        lines.append(
            f"balanced change: every lever {pct(balanced.g_pct)} in its favourable direction "
            f"reaches {show(balanced.kgi, a.unit)}"
            + ("" if balanced.feasible else f" — not feasible: {balanced.reason}")
        )
    broken = [check for check in report.identities if check.holds is False]
    unchecked = [check for check in report.identities if check.holds is None]
    lines.append(
        f"identities: {len(report.identities) - len(broken) - len(unchecked)} of "
        f"{len(report.identities)} formulas hold on the actuals within "
        f"{float(report.tolerance_pct):g} %"
    )
    for check in broken:
        lines.append(
            f"  does not hold: {check.name} ({check.node_id}) = {check.op} gives "
            f"{_plain(check.computed)}, actual {_plain(check.actual)} "
            f"({pct(check.difference_pct)})" + (f": {check.reason}" if check.reason else "")
        )
    for check in unchecked:
        lines.append(f"  not checked: {check.name} ({check.node_id}): {check.reason}")
    lines += [f"  target: {note}" for note in report.target_notes]
    return lines


def table_rows(report: TreeReport) -> list[tuple[str, ...]]:
    """One row per lever: name, actual, elasticity, reference, KGI gain at reference,
    the single-lever value that reaches the target, the lever under the balanced change."""
    a = report.analysis
    gaps = {gap.node_id: gap for gap in a.gaps}
    goals = {goal.lever_id: goal for goal in a.single_lever}
    balanced = {lever.lever_id: lever for lever in a.balanced.levers}
    rows = []
    for item in a.elasticities:
        gap = gaps.get(item.lever_id)
        goal = goals[item.lever_id]
        level = balanced.get(item.lever_id)
        mark = " ★" if a.bottleneck and a.bottleneck.node_id == item.lever_id else ""
        required = show(goal.required_value, item.unit)
        if goal.required_value is not None:
            required += f" ({pct(goal.change_pct)})"
        if not goal.feasible:
            required += " ✗"
        rows.append(
            (
                f"{item.name}{mark}",
                show(item.actual, item.unit),
                pct(item.elasticity_pct),
                "—" if gap is None else show(gap.reference, item.unit) + _kind_mark(gap),
                "—" if gap is None else show(gap.kgi_gain, a.unit),
                required,
                "—" if level is None else show(level.new_value, item.unit),
            )
        )
    # The formula nodes between the levers and the KGI: their gap costs the KGI too.
    for gap in a.gaps:
        if gap.kind != "formula":
            continue
        mark = " ★" if a.bottleneck and a.bottleneck.node_id == gap.node_id else ""
        rows.append(
            (
                f"= {gap.name}{mark}",
                show(gap.actual, gap.unit),
                "",
                show(gap.reference, gap.unit) + _kind_mark(gap),
                show(gap.kgi_gain, a.unit),
                "",
                "",
            )
        )
    return rows


TABLE_COLUMNS = (
    "lever (★ bottleneck)", "actual", "+1 % →", "target", "KGI gain", "alone", "balanced",
)  # fmt: skip
TABLE_NOTE = (
    "+1 % →: the KGI's change for +1 % on the lever; target (b: the catalog benchmark); "
    "KGI gain: the KGI with that node alone at it; alone: the lever's value that reaches the "
    "KGI target by itself (✗ not feasible); balanced: the lever under the balanced change; "
    "= a node formed from the levers above it."
)


def _kind_mark(gap) -> str:
    return " b" if gap.reference_kind == "benchmark" else ""
