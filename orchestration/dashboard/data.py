"""What the dashboard pages show, read from the published file.

Values, their display text, targets and status come from ``metrics.kpi_report`` (one
formatting for BI tools, alerts and pages). Which KPIs a role page shows is what its role
table carries (``metrics.rep_daily``, ``manager_weekly``, ``exec_monthly``: their columns
named after catalog KPIs), so a KPI added to a role model appears on its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb


@dataclass(frozen=True)
class Kpi:
    name: str
    label_ja: str
    unit: str
    display_unit: str
    benchmark: float | None
    is_sum: bool  # over no records 0 (a count or a plain sum), else NULL


@dataclass(frozen=True)
class Role:
    """Who reads a dashboard page and a digest: its role table (whose KPI columns it
    shows, and whose name is its page), what its rows are, its Japanese name."""

    table: str
    dimension: str
    label_ja: str


ROLES = {
    "rep": Role("rep_daily", "owner", "担当者"),
    "manager": Role("manager_weekly", "team", "マネージャー"),
    "exec": Role("exec_monthly", "all", "経営"),
}


def role_kpis(con: duckdb.DuckDBPyConnection, role_table: str) -> list[Kpi]:
    """The current catalog KPIs that ``metrics.<role_table>`` has a column for, in its
    column order."""
    columns = [row[0] for row in con.execute(f"describe metrics.{role_table}").fetchall()]
    definitions = {
        row[0]: Kpi(*row)
        for row in con.execute(
            "select kpi_name, label_ja, unit, display_unit, benchmark, is_sum "
            "from metrics.kpi_definitions "
            "where is_current"
        ).fetchall()
    }
    return [definitions[column] for column in columns if column in definitions]


def report_rows(
    con: duckdb.DuckDBPyConnection,
    grain: str,
    dimension: str,
    kpis: list[Kpi],
    periods: int,
) -> list[dict]:
    """One row per period (the latest ``periods`` of ``grain``) and dimension value, with
    per KPI its value, display text, target text, attainment and status (Japanese)."""
    names = [kpi.name for kpi in kpis]
    cursor = con.execute(
        """
        with latest as (
            select distinct period_start from metrics.kpi_report
            where grain = $grain and dimension = $dimension
            order by period_start desc limit $periods
        )
        select period_start, period_label_ja, dimension_value, kpi_name, display_value,
            display_text, target, target_text, attainment_pct, status, status_ja
        from metrics.kpi_report
        where grain = $grain and dimension = $dimension and kpi_name in $names
            and period_start in (select period_start from latest)
        order by period_start, dimension_value, kpi_name
        """,
        {"grain": grain, "dimension": dimension, "periods": periods, "names": names},
    )
    rows: dict[tuple[date, str], dict] = {}
    for record in cursor.fetchall():
        start, label, value_of, kpi, value, text, target, target_text = record[:8]
        pct, status, status_ja = record[8:]
        row = rows.setdefault(
            (start, value_of),
            {"period": start.isoformat(), "period_label": label, "key": value_of},
        )
        row[kpi] = {
            "value": value,
            "text": text,
            "target": target,
            "target_text": target_text,
            "attainment": pct,
            "status": status,
            "status_ja": status_ja,
        }
    return list(rows.values())


def reps(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Each rep of metrics.rep_daily: name, department and team (as the users table has
    them now)."""
    return {
        user: {"name": name, "department": department, "team": team}
        for user, name, department, team in con.execute(
            "select distinct user_id, user_name, department, team from metrics.rep_daily"
        ).fetchall()
    }


def calls_benchmark(con: duckdb.DuckDBPyConnection) -> float | None:
    row = con.execute("select max(calls_benchmark) from metrics.rep_daily").fetchall()
    return row[0][0]


def department_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Department code -> Japanese name, for the departments that own KPIs."""
    return dict(
        con.execute(
            "select distinct owner_department, owner_department_ja from metrics.kpi_report"
        ).fetchall()
    )


def alerts(con: duckdb.DuckDBPyConnection) -> list[dict]:
    cursor = con.execute(
        "select owner_department, grain, period_start, subject, message from metrics.kpi_alerts "
        "order by period_start desc, kpi_name, dimension, dimension_value"
    )
    return [
        {
            "department": department,
            "grain": grain,
            "period": start.isoformat(),
            "subject": subject,
            "message": message,
        }
        for department, grain, start, subject, message in cursor.fetchall()
    ]


def violations(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Broken rules of the shared MQL/SQL definition: leads per department and rule."""
    cursor = con.execute(
        "select owner_department, rule, severity, count(*) from "
        "quality.lead_definition_violations group by all order by 1, 2"
    )
    return [
        {"department": department, "rule": rule, "severity": severity, "leads": leads}
        for department, rule, severity, leads in cursor.fetchall()
    ]


def funnel(con: duckdb.DuckDBPyConnection, grain: str, periods: int) -> list[dict]:
    """The funnel (metrics.funnel) of the latest ``periods`` of ``grain``, company-wide and
    per department: one row per method, period, dimension value and stage, with the
    period's Japanese name."""
    cursor = con.execute(
        """
        with latest as (
            select distinct period_start from metrics.funnel
            where grain = $grain order by period_start desc limit $periods
        ),
        labels as (
            select distinct period_start, period_label_ja from metrics.kpi_report
            where grain = $grain
        )
        select funnel.method, funnel.period_start, labels.period_label_ja, funnel.dimension,
            funnel.dimension_value, funnel.stage, funnel.stage_order, funnel.stage_label_ja,
            funnel.entered, funnel.converted_to_next, funnel.conversion_rate
        from metrics.funnel as funnel
        left join labels on funnel.period_start = labels.period_start
        where funnel.grain = $grain and funnel.dimension in ('all', 'department')
            and funnel.period_start in (select period_start from latest)
        order by all
        """,
        {"grain": grain, "periods": periods},
    )
    columns = [
        "method", "period", "period_label", "dimension", "key", "stage", "stage_order",
        "stage_label", "entered", "converted", "rate",
    ]  # fmt: skip
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["period"] = row["period"].isoformat()
    return rows


def kpi_trees(con: duckdb.DuckDBPyConnection, months: int) -> tuple[list[dict], list[dict]]:
    """The KPI trees: their nodes (metrics.kpi_tree_nodes, in file order) and each measured
    node as judged in each of the latest ``months`` months (metrics.kpi_tree)."""
    cursor = con.execute(
        "select tree_id, tree_title, node_id, parent_id, node_name, node_type, "
        "owner_department, note from metrics.kpi_tree_nodes order by tree_id, node_order"
    )
    columns = ["tree_id", "tree", "node_id", "parent_id", "name", "type", "department", "note"]
    nodes = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    titles = {node["tree_id"]: node["tree"] for node in nodes}
    cursor = con.execute(
        """
        with latest as (
            select distinct view_month from metrics.kpi_tree
            order by view_month desc limit $months
        )
        select tree_id, node_id, owner_department, view_month, view_month_label_ja,
            period_label_ja, display_text, target_text, attainment_pct, status, status_ja,
            standing_pct, is_weakest, is_weakest_in_department, is_in_progress, as_of_date
        from metrics.kpi_tree
        where view_month in (select view_month from latest)
        order by tree_id, view_month, node_id
        """,
        {"months": months},
    )
    columns = [
        "tree_id", "node_id", "department", "period", "period_label", "node_period",
        "text", "target_text", "attainment", "status", "status_ja", "standing",
        "is_weakest", "is_weakest_in_department", "is_in_progress", "as_of",
    ]  # fmt: skip
    rows = []
    for record in cursor.fetchall():
        row = dict(zip(columns, record, strict=True))
        row["period"] = row["period"].isoformat()
        row["as_of"] = row["as_of"].isoformat()
        row["tree"] = titles.get(row["tree_id"], row["tree_id"])
        rows.append(row)
    return nodes, rows
