"""The dashboard site in a real browser: the OS's Chromium driven by Playwright opens every
page of the company folder and of each department folder, which must load without console
errors and draw every chart with data; displayed numbers equal the warehouse's role tables
(metrics.rep_daily, exec_monthly: computed apart from kpi_report, which the pages read);
a department folder holds only its own people. Screenshots go to var/screenshots/."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from orchestration.settings import WarehousePaths
from tests.conftest import REPO, query

pytestmark = pytest.mark.pipeline

LANDING = REPO / "tests" / "e2e" / "handbuilt" / "landing"
SCREENSHOTS = REPO / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: `make os-packages` installs it", pytrace=False)
    pytest.skip(
        "no Chromium: `make os-packages` (apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def site(pipeline_runs) -> dict:
    published = pipeline_runs.published(LANDING)
    return {"folder": WarehousePaths(published).dashboard, "published": published}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_selector("#tables > *")
    return page, errors


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text))


def test_every_page_of_every_folder_loads_and_draws_its_charts(site, browser) -> None:
    folders = sorted(p for p in site["folder"].iterdir() if p.is_dir())
    names = [folder.name for folder in folders]
    assert "company" in names and {"inside_sales", "field_sales", "marketing"} <= set(names)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = 0
    for folder in folders:
        assert (folder / "assets" / "plotly.min.js").stat().st_size > 1_000_000  # shipped
        for html in sorted(folder.glob("*.html")):
            if html.name == "index.html":
                continue
            page, errors = _open(browser, html)
            assert errors == [], f"{folder.name}/{html.name}: {errors}"
            expected = page.evaluate(
                "JSON.parse(document.getElementById('page-data').textContent).charts.length"
            )
            drawn = page.evaluate(
                "[...document.querySelectorAll('.js-plotly-plot')]"
                ".map(p => p.data.reduce((n, t) => n + t.y.filter(v => v !== null).length, 0))"
            )
            assert len(drawn) == expected, f"{folder.name}/{html.name}"
            assert all(points > 0 for points in drawn), f"{folder.name}/{html.name}: {drawn}"
            scripts = page.evaluate("[...document.scripts].map(s => s.src).filter(Boolean)")
            assert scripts and all(src.startswith("file://") for src in scripts)  # shipped
            page.screenshot(
                path=str(SCREENSHOTS / f"{folder.name}-{html.stem}.png"), full_page=True
            )
            page.close()
            pages += 1
    company = sorted(p.name for p in (site["folder"] / "company").glob("*.html"))
    assert company == [
        "alerts.html", "exec_monthly.html", "funnel.html", "index.html", "kpi_tree.html",
        "manager_weekly.html", "rep_daily.html",
    ]  # fmt: skip
    assert (site["folder"] / "inside_sales" / "rep_daily.html").exists()
    assert pages >= 6 + 2 * (len(folders) - 1)


def test_rep_numbers_equal_rep_daily_and_a_team_filter_keeps_its_team(site, browser) -> None:
    page, _ = _open(browser, site["folder"] / "company" / "rep_daily.html")
    offered = page.eval_on_selector_all(
        "#filter-period option", "options => options.map(o => o.value)"
    )
    ((day,),) = query(
        site["published"],
        "select cast(max(period_start) as varchar) from metrics.rep_daily "
        "where call_count > 0 and cast(period_start as varchar) in (select unnest(?))",
        [offered],
    )
    page.select_option("#filter-period", day)
    shown = page.eval_on_selector_all(
        "#tables tbody tr",
        "rows => rows.map(r => [r.dataset.key,"
        " r.querySelector('td[data-kpi=call_count]').textContent])",
    )
    calls = dict(
        query(
            site["published"],
            "select user_id, call_count from metrics.rep_daily where period_start = ?",
            [date.fromisoformat(day)],
        )
    )
    numbers = [(user, _number(text)) for user, text in shown if text != "-"]
    assert numbers, f"{day} has calls"
    assert numbers == [(user, calls[user]) for user, _ in numbers]
    team = page.eval_on_selector("#tables tbody tr", "row => row.cells[1].textContent")
    page.select_option("#filter-team", team)
    teams = page.eval_on_selector_all(
        "#tables tbody tr", "rows => rows.map(r => r.cells[1].textContent)"
    )
    assert teams and set(teams) == {team}
    page.close()


def test_exec_figures_equal_exec_monthly(site, browser) -> None:
    page, _ = _open(browser, site["folder"] / "company" / "exec_monthly.html")
    month = page.eval_on_selector("#filter-period", "select => select.value")
    won = page.eval_on_selector(
        "#tables tr[data-kpi=won_amount] td:nth-child(2)", "cell => cell.textContent"
    )
    ((expected,),) = query(
        site["published"],
        "select won_amount from metrics.exec_monthly where period_start = ?",
        [date.fromisoformat(month)],
    )
    assert _number(won) == expected
    assert won.endswith(" 円")
    page.close()


def test_alerts_and_department_folders_hold_what_they_should(site, browser) -> None:
    page, _ = _open(browser, site["folder"] / "company" / "alerts.html")
    shown = page.eval_on_selector_all("#tables table:first-of-type tbody tr", "rows => rows.length")
    ((alerts,),) = query(site["published"], "select count(*) from metrics.kpi_alerts")
    assert shown == alerts > 0
    page.close()

    page, _ = _open(browser, site["folder"] / "inside_sales" / "rep_daily.html")
    page.select_option("#filter-period", index=0)
    users = set(
        page.eval_on_selector_all("#tables tbody tr", "rows => rows.map(r => r.dataset.key)")
    )
    inside = {
        user
        for (user,) in query(
            site["published"],
            "select distinct user_id from metrics.rep_daily where department = 'inside_sales'",
        )
    }
    assert users and users <= inside
    page.close()


def test_the_funnel_shows_the_stages_and_marks_the_weakest_conversion(site, browser) -> None:
    page, _ = _open(browser, site["folder"] / "company" / "funnel.html")
    month = page.eval_on_selector("#filter-period", "select => select.value")
    shown = page.eval_on_selector_all(
        "#tables tbody tr",
        "rows => rows.map(r => [r.dataset.key, r.cells[1].textContent,"
        " r.classList.contains('status-off_track')])",
    )
    expected = query(
        site["published"],
        "select stage, entered, conversion_rate from metrics.funnel where method = 'period' "
        "and grain = 'month' and dimension = 'all' and period_start = ? order by stage_order",
        [date.fromisoformat(month)],
    )
    assert [(stage, _number(entered)) for stage, entered, _ in shown] == [
        (stage, entered) for stage, entered, _ in expected
    ]
    rated = [(rate, stage) for stage, _, rate in expected if rate is not None]
    assert [stage for stage, _, marked in shown if marked] == [min(rated)[1]]
    page.close()


def _periods_containing(day: date) -> dict[str, tuple[date, date]]:
    """The period of each grain that contains ``day`` (calendar quarters, fiscal years from
    April, as the demo catalog publishes them): (start, exclusive end)."""
    month = day.replace(day=1)
    quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    fiscal = date(day.year if day.month >= 4 else day.year - 1, 4, 1)

    def plus_months(start: date, months: int) -> date:
        index = start.month - 1 + months
        return date(start.year + index // 12, index % 12 + 1, 1)

    return {
        "month": (month, plus_months(month, 1)),
        "quarter": (quarter, plus_months(quarter, 3)),
        "fiscal_year": (fiscal, plus_months(fiscal, 12)),
    }


def test_the_kpi_tree_shows_each_node_against_its_target_and_marks_the_weakest(
    site, browser
) -> None:
    """Derived apart from metrics.kpi_tree: each node of kpi_trees/demo.yml in the period
    of its grain containing the shown month's last day (or the as-of date), its actual from
    kpi_values_current, a count or sum of the period in progress projected linearly to the
    period's end, judged against the node's target; the weakest is the lowest share of
    target (mirrored for lower-is-better), the first in the file on a tie."""
    from orchestration.catalog import current_kpis
    from orchestration.kpi_tree import load_tree, node_rows

    page, _ = _open(browser, site["folder"] / "company" / "kpi_tree.html")
    month = date.fromisoformat(page.eval_on_selector("#filter-period", "select => select.value"))
    ((as_of,),) = query(site["published"], "select max(as_of_date) from metrics.kpi_attainment")
    last_day = _periods_containing(month)["month"][1].toordinal() - 1
    seen_at = min(date.fromordinal(last_day), as_of)
    catalog = current_kpis()
    nodes = node_rows("demo", load_tree(REPO / "kpi_trees" / "demo.yml"))
    standings = []
    shown = {}
    for _, _, node_id, _, order, _, _, _, kpi, _, grain, target, *_ in nodes:
        if kpi is None:
            continue
        start, end = _periods_containing(seen_at)[grain]
        entry = catalog[kpi]
        rows = query(
            site["published"],
            "select value from metrics.kpi_values_current where kpi_name = ? and grain = ? "
            "and period_start = ? and dimension = 'all'",
            [kpi, grain, start],
        )
        # A count or plain sum over no records is 0; a rate or average over nothing is NULL.
        is_sum = entry["kind"] == "count" or (
            entry["kind"] == "amount" and entry["denominator"] is None
        )
        actual = rows[0][0] if rows else (0.0 if is_sum else None)
        text = page.eval_on_selector(f"[data-node={node_id}] .actual", "e => e.textContent")
        shown[node_id] = text
        if actual is None:
            assert text == "-", node_id
            continue
        # Shown rounded for its unit: a percent to 0.1, a ratio to 0.01, the rest whole.
        rounding = {"percent": 0.05, "ratio": 0.005}.get(entry["unit"], 0.5)
        assert _number(text) == pytest.approx(actual, abs=rounding), node_id
        projected = actual
        if as_of < end and is_sum and not entry["point_in_time"]:
            projected = actual * (end - start).days / ((as_of - start).days + 1)
        share = 100 * projected / target
        standing = 200 - share if entry["direction"] == "lower_is_better" else share
        standings.append((round(standing, 1), order, node_id))
    weakest = page.eval_on_selector_all(".node.weakest", "nodes => nodes.map(n => n.dataset.node)")
    assert weakest == [min(standings)[2]]
    # Every measured node is drawn in the chart; the KSFs are boxes without figures.
    bars = page.evaluate("document.querySelector('#chart-standing').data[0].y.length")
    assert bars == len(standings)
    assert page.locator(".node.node-ksf .actual").count() == 0
    page.close()

    page, _ = _open(browser, site["folder"] / "inside_sales" / "kpi_tree.html")
    measured = page.eval_on_selector_all(
        ".node:not(.unmeasured)", "nodes => nodes.map(n => n.dataset.node)"
    )
    inside = {row[2] for row in nodes if row[9] == "inside_sales" and row[8]}
    assert measured and set(measured) == inside
    page.close()


def test_the_tree_page_shows_the_arithmetic_of_the_demo_tree(site, browser) -> None:
    """The company tree page carries `kpitree tree`'s analysis of kpi_trees/demo.yml: its KGI
    (受注金額 = 受注件数 × 平均受注単価, 受注件数 = 商談数 × 受注率, 商談数 = アポ獲得数 ×
    商談化率, アポ獲得数 = 接触リード数 × アポ獲得率) is one product of five levers, so +1 %
    on any of them is +1 % on the KGI, and every formula is an identity of the catalog's
    definitions, so all four hold on the actuals. Department folders have no analysis."""
    page, errors = _open(browser, site["folder"] / "company" / "kpi_tree.html")
    section = page.locator("#tree-analysis")
    assert section.count() == 1
    text = section.inner_text()
    # The KGI's grain (fiscal_year); the shown period's KGI is kpi_values' won_amount.
    start = re.search(r"fiscal_year from (\d{4}-\d\d-\d\d)", text).group(1)
    ((won_amount,),) = query(
        site["published"],
        "select value from metrics.kpi_values_current where kpi_name = 'won_amount' "
        "and grain = 'fiscal_year' and dimension = 'all' and period_start = ?",
        [date.fromisoformat(start)],
    )
    assert f"actual ¥{won_amount:,.0f}" in text
    rows = page.eval_on_selector_all(
        "#tree-analysis tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    levers = [row for row in rows if not row[0].startswith("=")]
    assert [row[0].removesuffix(" ★") for row in levers] == [
        "接触リード数", "アポ獲得率", "商談化率 (アポ起点)", "受注率 (商談起点)", "平均受注単価",
    ]  # fmt: skip
    assert {row[2] for row in levers} == {"+1.00 %"}
    assert "identities: 4 of 4 formulas hold" in text
    # The bottleneck is marked in the table and named below it.
    marked = [row[0] for row in rows if "★" in row[0]]
    assert len(marked) <= 1
    if marked:
        assert f"ボトルネック: {marked[0].removesuffix(' ★').removeprefix('= ')}" in text
    assert errors == []
    page.close()
    page, _ = _open(browser, site["folder"] / "field_sales" / "kpi_tree.html")
    assert page.locator("#tree-analysis").count() == 0
    page.close()
