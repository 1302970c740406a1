"""The weekly and monthly digests: an HTML mail per role with the last complete week or
month, the KPIs the role's dashboard page shows (the role table's KPI columns), as
metrics.kpi_report shows them. An e-mail channel with ``role:`` and ``digests:`` gets each
digest once per period (docs/alerts.md)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from orchestration.dashboard import data

# digest -> (grain, Japanese name)
DIGESTS = {"weekly": ("week", "週次"), "monthly": ("month", "月次")}


@dataclass(frozen=True)
class Digest:
    period: str  # ISO first day: what the sent-state records
    subject: str
    text: str
    html: str


def last_complete_period(con: duckdb.DuckDBPyConnection, grain: str, run_date: date):
    """(period_start, Japanese name) of the latest period of ``grain`` that ended by the
    run date, or None."""
    rows = con.execute(
        "select period_start, period_label_ja from metrics.kpi_report "
        "where grain = ? and dimension = 'all' and period_end <= ? "
        "order by period_start desc limit 1",
        [grain, run_date],
    ).fetchall()
    return rows[0] if rows else None


def build_digest(
    published: Path,
    role: str,
    every: str,
    run_date: date,
    departments: tuple[str, ...] | None = None,
    dashboard_url: str | None = None,
) -> Digest | None:
    """The ``every`` digest for ``role`` as of ``run_date``; None when no period ended."""
    reader = data.ROLES[role]
    table, dimension, role_ja = reader.table, reader.dimension, reader.label_ja
    grain, every_ja = DIGESTS[every]
    con = duckdb.connect(str(published), read_only=True)
    try:
        period = last_complete_period(con, grain, run_date)
        if period is None:
            return None
        start, label = period
        kpis = data.role_kpis(con, table)
        rows = [
            row
            for row in data.report_rows(con, grain, dimension, kpis, periods=60)
            if row["period"] == start.isoformat()
        ]
        people = data.reps(con)
    finally:
        con.close()
    teams = {rep["team"]: rep["department"] for rep in people.values()}

    def name(key: str) -> str:
        return people[key]["name"] if dimension == "owner" and key in people else key

    def department(key: str) -> str | None:
        if dimension == "owner":
            return people.get(key, {}).get("department")
        return teams.get(key) if dimension == "team" else None

    if departments and dimension != "all":
        rows = [row for row in rows if department(row["key"]) in departments]
    title = f"[kpitree] {every_ja}ダイジェスト ({role_ja}) {label}"
    link = f"{dashboard_url}/{table}.html" if dashboard_url else None
    lines: list[str] = [title, ""]
    if dimension == "all":  # the company: one line per KPI, with target and status
        header = ["KPI", "実績", "目標", "達成率", "状態"]
        values = rows[0] if rows else {}
        grid = []
        for kpi in kpis:
            value = values.get(kpi.name, {})
            pct = value.get("attainment")
            grid.append([
                kpi.label_ja,
                value.get("text", "-"),
                value.get("target_text") or "-",
                "-" if pct is None else f"{pct:.1f}%",
                value.get("status_ja") or "-",
            ])  # fmt: skip
    else:
        header = [{"owner": "担当者", "team": "チーム"}[dimension], *(k.label_ja for k in kpis)]
        grid = [
            [name(row["key"]), *(row.get(k.name, {}).get("text", "-") for k in kpis)]
            for row in rows
        ]
    for cells in grid:
        lines.append(" / ".join(f"{h} {c}" for h, c in zip(header, cells, strict=True)))
    if link:
        lines.append(f"\nダッシュボード: {link}")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"
        for cells in grid
    )
    table_html = (
        "<table border=1 cellpadding=4 style='border-collapse:collapse'>"
        f"<tr>{head}</tr>{body}</table>"
        if grid
        else "<p>この期間のデータはありません</p>"
    )
    page = (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"{table_html}"
        + (f'<p><a href="{html.escape(link)}">ダッシュボードで見る</a></p>' if link else "")
        + "</body></html>"
    )
    return Digest(start.isoformat(), title, "\n".join(lines), page)
