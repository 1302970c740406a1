"""The dashboard site: static HTML pages written beside the published file after each
publish (``kpitree dashboard`` writes one on demand). Japanese first.

One folder for the whole company and one per department, each self-contained (its pages,
their data, and the chart library, plotly.js, shipped with the ``plotly`` package): a web
server can grant access per folder (閲覧権限), and nothing is fetched from the internet
when a page is viewed. Every page embeds its rows as JSON; ``assets/site.js`` draws the
filters (period, team), the table and the charts from them."""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from orchestration.dashboard import data

COMPANY = "company"
ASSETS = resources.files("orchestration.dashboard") / "assets"
# How many periods each role page carries (its period filter offers them).
REP_DAYS, MANAGER_WEEKS, EXEC_MONTHS = 31, 13, 13


@dataclass(frozen=True)
class Page:
    file: str
    title: str
    spec: dict


def _plotly_js() -> Path:
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def _bar(kpis: list[data.Kpi], chart_id: str, title: str, x: str, kpi: str, **extra) -> dict:
    """A bar per row of the chosen period. A count or amount a row has no record of is
    drawn as 0 (it had none); a rate or ratio over nothing is left out."""
    is_sum = next((k.is_sum for k in kpis if k.name == kpi), False)
    return {"id": chart_id, "title": title, "type": "bar", "x": x, "kpi": kpi,
            "missing": 0 if is_sum else None, **extra}  # fmt: skip


def _kpi_columns(kpis: list[data.Kpi]) -> list[dict]:
    return [{"kpi": kpi.name, "label": kpi.label_ja} for kpi in kpis]


def rep_daily(con: duckdb.DuckDBPyConnection, department: str | None) -> Page:
    role = data.ROLES["rep"]
    kpis = data.role_kpis(con, role.table)
    people = data.reps(con)
    rows = []
    for row in data.report_rows(con, "day", role.dimension, kpis, REP_DAYS):
        rep = people.get(row["key"])
        if rep is None or (department and rep["department"] != department):
            continue
        rows.append({**row, **rep})
    benchmark = data.calls_benchmark(con)
    calls = next((kpi for kpi in kpis if kpi.name == "call_count"), None)
    title = "担当者別 架電数"
    if benchmark and calls:
        title += f" (基準 {benchmark:g} {calls.display_unit}/日)"
    spec = {
        "filters": [
            {"key": "period", "label": "日付", "latest": True},
            {"key": "team", "label": "チーム"},
        ],
        "columns": [
            {"key": "name", "label": "担当者"},
            {"key": "team", "label": "チーム"},
            *_kpi_columns(kpis),
        ],
        "rows": rows,
        "charts": [_bar(kpis, "calls", title, "name", "call_count", benchmark=benchmark)],
    }
    return Page(f"{role.table}.html", f"{role.label_ja}・日次", spec)


def manager_weekly(con: duckdb.DuckDBPyConnection, department: str | None) -> Page:
    role = data.ROLES["manager"]
    kpis = data.role_kpis(con, role.table)
    teams = {rep["team"]: rep["department"] for rep in data.reps(con).values()}
    rows = [
        {**row, "team": row["key"]}
        for row in data.report_rows(con, "week", role.dimension, kpis, MANAGER_WEEKS)
        if not department or teams.get(row["key"]) == department
    ]
    spec = {
        "filters": [
            {"key": "period", "label": "週", "latest": True},
            {"key": "team", "label": "チーム"},
        ],
        "columns": [{"key": "team", "label": "チーム"}, *_kpi_columns(kpis)],
        "rows": rows,
        "charts": [
            _bar(kpis, "meetings", "チーム別 商談数", "team", "meeting_count"),
            _bar(kpis, "pipeline", "チーム別 パイプライン額", "team", "open_pipeline_amount"),
        ],
    }
    return Page(f"{role.table}.html", f"{role.label_ja}・週次", spec)


def exec_monthly(con: duckdb.DuckDBPyConnection) -> Page:
    role = data.ROLES["exec"]
    kpis = data.role_kpis(con, role.table)
    rows = data.report_rows(con, "month", role.dimension, kpis, EXEC_MONTHS)
    spec = {
        "filters": [{"key": "period", "label": "月", "latest": True}],
        "layout": "kpis",  # one table row per KPI of the chosen month
        "kpis": _kpi_columns(kpis),
        "rows": rows,
        "charts": [
            {"id": kpi, "title": title, "type": "trend", "kpi": kpi}
            for kpi, title in (
                ("won_amount", "受注金額 (実績と目標)"),
                ("open_pipeline_amount", "パイプライン額"),
                ("mrr", "MRR"),
                ("nrr", "NRR (%)"),
            )
            if any(k.name == kpi for k in kpis)
        ],
    }
    return Page(f"{role.table}.html", f"{role.label_ja}・月次", spec)


METHODS = {"period": "期間 (その期間の件数)", "cohort": "コホート (期間に作成されたリード)"}
FUNNEL_MONTHS = 13


def funnel_page(con: duckdb.DuckDBPyConnection, department: str | None, names: dict) -> Page:
    """The funnel リード → MQL → SQL → アポ → 商談 → 案件 → 受注 per month, by the period
    method and by cohort, with the stage that loses the largest share (the lowest
    conversion to the next stage) marked as the drop-off."""
    rows = []
    for row in data.funnel(con, "month", FUNNEL_MONTHS):
        if department and row["key"] != department:
            continue
        rows.append(
            {
                **row,
                "method_ja": METHODS.get(row["method"], row["method"]),
                "department": "全社" if row["key"] == "all" else names.get(row["key"], row["key"]),
                # A rate in percent is shown to 0.1, as metrics.kpi_report shows rates.
                "rate_text": "-" if row["rate"] is None else f"{row['rate']:.1f}%",
            }
        )
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["method"], row["period"], row["key"]), []).append(row)
    for stages in groups.values():
        rated = [row for row in stages if row["rate"] is not None]
        weakest = min(rated, key=lambda row: row["rate"], default=None)
        for row in stages:
            row["drop_off"] = row is weakest
    spec = {
        "filters": [
            {"key": "method_ja", "label": "集計方法", "required": True,
             "default": METHODS["period"]},
            {"key": "period", "label": "月", "latest": True},
            {"key": "department", "label": "部門", "required": True, "default": "全社"},
        ],
        "layout": "funnel",
        "rows": rows,
        "charts": [{"id": "funnel", "title": "ファネル (赤: 最も落ちる段階)", "type": "funnel"}],
    }  # fmt: skip
    return Page("funnel.html", "ファネル", spec)


TREE_MONTHS = 13


def tree_analyses(con: duckdb.DuckDBPyConnection, tree_ids: set[str]) -> dict[str, dict]:
    """Each tree's arithmetic as `kpitree tree` shows it (its KGI's grain, the latest
    period, company-wide): the summary lines and the lever table, or why there is none."""
    from orchestration.tree_analysis import (
        TABLE_COLUMNS,
        TABLE_NOTE,
        TreeAnalysisError,
        analyse_tree,
        rows_from_warehouse,
        summary_lines,
        table_rows,
    )

    analyses: dict[str, dict] = {}
    for tree_id in sorted(tree_ids):
        rows = rows_from_warehouse(con, tree_id)
        if not any(row["formula_op"] for row in rows):
            continue  # a tree without formulas has no arithmetic to show
        try:
            report = analyse_tree(rows, con)
        except TreeAnalysisError as error:
            analyses[tree_id] = {"error": str(error)}
            continue
        analyses[tree_id] = {
            "lines": summary_lines(report),
            "columns": list(TABLE_COLUMNS),
            "rows": [list(row) for row in table_rows(report)],
            "note": TABLE_NOTE,
            "bottleneck": None if report.analysis.bottleneck is None
            else report.analysis.bottleneck.node_id,
        }  # fmt: skip
    return analyses


def tree_page(con: duckdb.DuckDBPyConnection, department: str | None) -> Page:
    """The KPI trees (kpi_trees/*.yml) month by month: each node with its actual, target,
    attainment and status in the period of its grain, the weakest node marked. A
    department's folder shows the tree's shape with figures for its own nodes only, and
    marks the weakest of those."""
    nodes, rows = data.kpi_trees(con, TREE_MONTHS)
    if department:
        rows = [row for row in rows if row["department"] == department]
    weakest = "is_weakest_in_department" if department else "is_weakest"
    for row in rows:
        row["weakest"] = bool(row[weakest])
    spec = {
        "filters": [
            {"key": "tree", "label": "ツリー", "required": True},
            {"key": "period", "label": "月", "latest": True},
        ],
        "layout": "tree",
        "nodes": nodes,
        "rows": rows,
        # The tree's arithmetic (kpitree tree) company-wide, per tree id.
        "analysis": {} if department else tree_analyses(con, {n["tree_id"] for n in nodes}),
        "charts": [
            {"id": "standing", "type": "standing",
             "title": "目標に対する達成度 (%、100 = 目標、赤: 最も弱いノード)"},
        ],
    }  # fmt: skip
    return Page("kpi_tree.html", "KPIツリー", spec)


def alerts_page(con: duckdb.DuckDBPyConnection, department: str | None, names: dict) -> Page:
    def mine(row: dict) -> bool:
        return not department or row["department"] == department

    alerts = [
        {**row, "department_ja": names.get(row["department"], row["department"])}
        for row in data.alerts(con)
        if mine(row)
    ]
    broken = [
        {**row, "department_ja": names.get(row["department"], row["department"])}
        for row in data.violations(con)
        if mine(row)
    ]
    spec = {"layout": "alerts", "alerts": alerts, "violations": broken, "charts": []}
    return Page("alerts.html", "アラートと定義違反", spec)


def _html(page: Page, pages: list[Page], folder_title: str) -> str:
    nav = "".join(
        f'<a href="{p.file}"{" class=current" if p.file == page.file else ""}>'
        f"{html.escape(p.title)}</a>"
        for p in pages
    )
    payload = json.dumps(page.spec, ensure_ascii=False, default=str).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(page.title)} — {html.escape(folder_title)} — kpitree</title>
<link rel="stylesheet" href="assets/site.css">
<script src="assets/plotly.min.js"></script>
</head>
<body>
<header><strong>kpitree</strong> {html.escape(folder_title)}<nav>{nav}</nav></header>
<main>
<h1>{html.escape(page.title)}</h1>
<div id="filters"></div>
<div id="charts"></div>
<div id="tables"></div>
</main>
<script type="application/json" id="page-data">{payload}</script>
<script src="assets/site.js"></script>
</body>
</html>
"""


def _write_folder(folder: Path, title: str, pages: list[Page]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    assets = folder / "assets"
    assets.mkdir(exist_ok=True)
    shutil.copyfile(_plotly_js(), assets / "plotly.min.js")
    for name in ("site.js", "site.css"):
        (assets / name).write_bytes((ASSETS / name).read_bytes())
    for page in pages:
        (folder / page.file).write_text(_html(page, pages, title), encoding="utf-8")
    index = "".join(f'<li><a href="{p.file}">{html.escape(p.title)}</a></li>' for p in pages)
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} — kpitree</title>"
        f'<link rel="stylesheet" href="assets/site.css"></head><body>'
        f"<header><strong>kpitree</strong> {html.escape(title)}</header><main>"
        f"<h1>{html.escape(title)}</h1><ul>{index}</ul></main></body></html>",
        encoding="utf-8",
    )


def build_site(published: Path, out: Path) -> list[Path]:
    """Write the site for ``published`` into ``out`` (replacing what was there); returns
    the index page of every folder, the company's first."""
    partial = out.with_name(out.name + ".tmp")
    shutil.rmtree(partial, ignore_errors=True)
    con = duckdb.connect(str(published), read_only=True)
    try:
        names = data.department_names(con)
        company = [
            rep_daily(con, None),
            manager_weekly(con, None),
            exec_monthly(con),
            funnel_page(con, None, names),
            tree_page(con, None),
            alerts_page(con, None, names),
        ]
        folders = {COMPANY: ("全社", company)}
        for code, name in sorted(names.items()):
            # A department without reps, teams or tree nodes of its own gets no page for them.
            pages = [
                rep_daily(con, code),
                manager_weekly(con, code),
                funnel_page(con, code, names),
                tree_page(con, code),
            ]
            people = [page for page in pages if page.spec["rows"]]
            folders[code] = (name, [*people, alerts_page(con, code, names)])
    finally:
        con.close()
    for code, (title, pages) in folders.items():
        _write_folder(partial / code, title, pages)
    links = "".join(
        f'<li><a href="{code}/index.html">{html.escape(title)}</a></li>'
        for code, (title, _) in folders.items()
    )
    (partial / "index.html").write_text(
        '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>kpitree</title>'
        f"</head><body><h1>kpitree ダッシュボード</h1><ul>{links}</ul></body></html>",
        encoding="utf-8",
    )
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return [out / code / "index.html" for code in folders]
