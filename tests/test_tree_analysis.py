"""`kpitree tree` (docs/outputs.md, "kpitree tree"): a tree file's formulas checked against
the catalog, and its arithmetic on published numbers.

The numbers are a small published table written here (metrics.kpi_values_current with
numerators and denominators chosen by hand), so every expectation is worked out in the
comments, not taken from the code.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from orchestration.cli import app
from orchestration.kpi_tree import check_tree, formula_problems
from orchestration.tree_analysis import (
    TreeAnalysisError,
    analyse_tree,
    carried_target,
    rows_from_file,
)

runner = CliRunner()
MONTH = date(2025, 6, 1)

# 受注金額 = 受注件数 × 平均受注単価;  受注件数 = 商談数 × 受注率 (商談起点)
TREE = {
    "title": "テスト",
    "identity_tolerance_pct": 0.5,
    "root": {
        "id": "kgi", "name": "受注金額", "type": "kgi", "kpi": "won_amount",
        "owner_department": "field_sales", "grain": "fiscal_year",
        # 1,080,000,000 a fiscal year is 90,000,000 a month
        "target": 1_080_000_000,
        "formula": {"op": "product", "of": ["won", "deal"]},
        "children": [
            {
                "id": "ksf", "name": "新規", "type": "ksf", "owner_department": "field_sales",
                "children": [
                    {
                        "id": "won", "name": "受注件数", "type": "kpi", "kpi": "won_count",
                        "owner_department": "field_sales", "grain": "month", "target": 22,
                        "formula": {"op": "product", "of": ["meetings", "win"]},
                        "children": [
                            {
                                "id": "meetings", "name": "商談数", "type": "kpi",
                                "kpi": "meeting_count", "owner_department": "field_sales",
                                "grain": "quarter", "target": 750,  # 250 a month
                            },
                            {
                                "id": "win", "name": "受注率", "type": "kpi",
                                "kpi": "meeting_win_rate", "owner_department": "field_sales",
                                "grain": "month", "target": 12,
                            },
                        ],
                    },
                ],
            },
            {
                "id": "deal", "name": "平均受注単価", "type": "kpi", "kpi": "avg_deal_size",
                "owner_department": "field_sales", "grain": "month", "target": 3_300_000,
            },
        ],
    },
}  # fmt: skip

# June 2025, company-wide: 200 meetings held, 20 won for 60,000,000 JPY.
VALUES = [
    # kpi_name, kind, dimension, dimension_value, numerator, denominator
    ("won_amount", "amount", "all", "all", 60_000_000, None),
    ("won_count", "count", "all", "all", 20, None),
    ("meeting_count", "count", "all", "all", 200, None),
    ("meeting_win_rate", "rate", "all", "all", 20, 200),
    ("avg_deal_size", "amount", "all", "all", 60_000_000, 20),
    # field sales: 100 meetings, 12 won for 30,000,000
    ("won_amount", "amount", "department", "field_sales", 30_000_000, None),
    ("won_count", "count", "department", "field_sales", 12, None),
    ("meeting_count", "count", "department", "field_sales", 100, None),
    ("meeting_win_rate", "rate", "department", "field_sales", 12, 100),
    ("avg_deal_size", "amount", "department", "field_sales", 30_000_000, 12),
]


@pytest.fixture
def published(tmp_path: Path) -> Path:
    path = tmp_path / "kpitree.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema metrics")
    con.execute(
        "create table metrics.kpi_values_current (kpi_name varchar, kind varchar, "
        "grain varchar, period_start date, period_end date, dimension varchar, "
        "dimension_value varchar, numerator double, denominator double)"
    )
    for name, kind, dimension, value_of, numerator, denominator in VALUES:
        con.execute(
            "insert into metrics.kpi_values_current "
            "values (?, ?, 'month', ?, ?, ?, ?, ?, ?)",
            [name, kind, MONTH, MONTH.replace(month=7), dimension, value_of, numerator,
             denominator],
        )  # fmt: skip
    # July has begun (data up to July 10th): June is the latest complete month.
    con.execute(
        "insert into metrics.kpi_values_current values ('lead_count', 'count', 'month', "
        "'2025-07-01', '2025-08-01', 'all', 'all', 5, null), ('lead_count', 'count', 'day', "
        "'2025-07-10', '2025-07-11', 'all', 'all', 1, null)"
    )
    con.close()
    return path


def _tree_file(folder: Path, tree: dict = TREE, name: str = "sales.yml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    return path


def _report(tmp_path: Path, published: Path, tree: dict = TREE, **options):
    rows = rows_from_file(_tree_file(tmp_path, tree))
    with duckdb.connect(str(published), read_only=True) as con:
        return analyse_tree(rows, con, grain="month", **options)


def test_targets_are_carried_to_the_period_analysed() -> None:
    # a count: 1,080,000,000 a fiscal year = 90,000,000 a month; 750 a quarter = 250 a month
    assert carried_target(1_080_000_000, "JPY", False, "fiscal_year", "month") == 90_000_000
    assert carried_target(750, "count", False, "quarter", "month") == 250
    assert carried_target(300, "count", False, "month", "fiscal_year") == 3600
    # a rate, a ratio, an average: the same in any period
    assert carried_target(12, "percent", False, "month", "fiscal_year") == 12
    assert carried_target(34, "ratio", False, "month", "quarter") == 34
    assert carried_target(3_300_000, "JPY", True, "quarter", "fiscal_year") == 3_300_000
    # a week is not a whole number of months: not carried
    assert carried_target(100, "count", False, "week", "month") is None
    assert carried_target(None, "count", False, "month", "month") is None


def test_the_analysis_of_one_month(tmp_path: Path, published: Path) -> None:
    report = _report(tmp_path, published)
    a = report.analysis
    # KGI = 200 × 10 % × 3,000,000 = 60,000,000 against 90,000,000: gap 30,000,000 (+50 %)
    assert a.kgi_baseline == 60_000_000
    assert a.kgi_target == 90_000_000
    assert a.gap_pct == 50
    # a pure product: +1 % on any lever is +1 % on the KGI
    assert [(e.lever_id, e.elasticity_pct) for e in a.elasticities] == [
        ("meetings", 1), ("win", 1), ("deal", 1),
    ]  # fmt: skip
    gains = {gap.node_id: gap.kgi_gain for gap in a.gaps}
    # meetings at 250: 25 won × 3M = 75M (+15M); win rate at 12 %: 24 × 3M = 72M (+12M);
    # deal size at 3.3M: 20 × 3.3M = 66M (+6M); won at 22 (its target): 66M (+6M)
    assert gains == {"won": 6_000_000, "meetings": 15_000_000, "win": 12_000_000,
                     "deal": 6_000_000}  # fmt: skip
    assert a.bottleneck is not None and a.bottleneck.node_id == "meetings"
    # alone: 90M / (10 % × 3M) = 300 meetings; 90M / (200 × 3M) = 15 %; 90M / 20 = 4.5M
    alone = {goal.lever_id: goal.required_value for goal in a.single_lever}
    assert alone == {"meetings": 300, "win": 15, "deal": 4_500_000}
    # balanced: (1 + g)^3 = 1.5, g = 1.5^(1/3) − 1 = 0.144714243 (to 1e-9)
    assert abs(a.balanced.g - Fraction("0.144714243")) <= Fraction(1, 10**9)
    # identities: 20 × 3,000,000 = 60,000,000 and 200 × 10 % = 20, exactly
    assert [(c.node_id, c.holds, c.difference_pct) for c in report.identities] == [
        ("kgi", True, 0), ("won", True, 0),
    ]  # fmt: skip


def test_an_identity_that_does_not_hold_is_reported(tmp_path: Path, published: Path) -> None:
    con = duckdb.connect(str(published))
    # 21 won recorded, but 200 meetings × 10 % is 20: off by (20 − 21) / 21 = −4.76 %
    con.execute("update metrics.kpi_values_current set numerator = 21 "
                "where kpi_name = 'won_count' and dimension = 'all'")  # fmt: skip
    con.close()
    report = _report(tmp_path, published)
    kgi, won = report.identities
    assert won.holds is False
    assert won.difference_pct == Fraction(-100, 21)
    # and the KGI: 21 × 3,000,000 = 63,000,000 against 60,000,000 recorded: +5 %
    assert (kgi.holds, kgi.difference_pct) == (False, 5)
    result = runner.invoke(
        app, ["tree", str(tmp_path / "sales.yml"), "--warehouse", str(published),
              "--grain", "month", "--period", "2025-06-01"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "0 of 2 formulas hold on the actuals within 0.5 %" in result.output
    assert "does not hold: 受注件数 (won) = product gives 20, actual 21 (-4.76 %)" in result.output
    assert "受注金額 (kgi) = product gives 63,000,000, actual 60,000,000 (+5.00 %)" in result.output


def test_one_department_against_benchmarks_and_a_given_kgi_target(
    tmp_path: Path, published: Path
) -> None:
    with pytest.raises(TreeAnalysisError, match="--kgi-target"):
        _report(tmp_path, published, department="field_sales")
    report = _report(tmp_path, published, department="field_sales", kgi_target=Fraction(36_000_000))
    a = report.analysis
    # 100 × 12 % × 2,500,000 = 30,000,000; the tree's targets are the company's, and none
    # of these KPIs has a catalog benchmark: no reference, so no bottleneck
    assert a.kgi_baseline == 30_000_000
    assert a.gaps == [] and a.bottleneck is None
    # alone: 36M / (12 % × 2.5M) = 120 meetings (+20 %)
    alone = {goal.lever_id: (goal.required_value, goal.change_pct) for goal in a.single_lever}
    assert alone["meetings"] == (120, 20)


def test_json_carries_every_number_exactly(tmp_path: Path, published: Path) -> None:
    result = runner.invoke(
        app, ["tree", str(_tree_file(tmp_path)), "--warehouse", str(published),
              "--grain", "month", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period_start"] == "2025-06-01"  # the latest complete month
    assert data["kgi_baseline_exact"] == "60000000"
    assert data["bottleneck"]["node_id"] == "meetings"
    assert data["bottleneck"]["kgi_gain_exact"] == "15000000"
    assert [lever["required_value_exact"] for lever in data["single_lever"]] == [
        "300", "15", "4500000",
    ]  # fmt: skip


def test_usage_errors_say_what_to_give(tmp_path: Path, published: Path) -> None:
    tree = _tree_file(tmp_path)
    no_period = runner.invoke(app, ["tree", str(tree), "--warehouse", str(published),
                                    "--grain", "month", "--period", "June"])  # fmt: skip
    assert no_period.exit_code == 2 and "YYYY-MM-DD" in no_period.output
    missing = runner.invoke(app, ["tree", str(tree), "--warehouse", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "run `kpitree run` first" in missing.output
    empty_month = runner.invoke(app, ["tree", str(tree), "--warehouse", str(published),
                                      "--grain", "month", "--period", "2025-07-01"])  # fmt: skip
    assert empty_month.exit_code == 2 and "no actual in month 2025-07-01" in empty_month.output


def test_formulas_are_checked_against_the_tree_and_the_catalog() -> None:
    assert check_tree(TREE).ok
    # JPY = count × percent does not fit
    wrong = copy.deepcopy(TREE)
    wrong["root"]["formula"] = {"op": "product", "of": ["won", "ksf"]}
    assert [p.reason for p in formula_problems(wrong)] == [
        "formula: ksf measures no KPI, so it is not a number"
    ]
    units = copy.deepcopy(TREE)
    won = units["root"]["children"][0]["children"][0]
    units["root"]["formula"] = {"op": "product", "of": ["won", "deal"]}
    won["formula"] = {"op": "sum", "of": ["meetings", "win"]}
    reasons = [str(p) for p in check_tree(units).problems]
    assert reasons == [
        "node won (受注件数): structure: units: sum of meetings (count) + win (percent) mixes units"
    ]
    # an operand that is not below the node, one used twice, a ratio of three
    far = copy.deepcopy(TREE)
    far["root"]["children"][0]["children"][0]["formula"] = {
        "op": "product",
        "of": ["meetings", "deal"],
    }
    assert "formula: 'deal' is not a node below it" in str(check_tree(far).problems[0])
    twice = copy.deepcopy(TREE)
    twice["root"]["formula"] = {"op": "product", "of": ["won", "won"]}
    messages = " ".join(str(p) for p in check_tree(twice).problems)
    assert "won is already an operand of kgi" in messages
    three = copy.deepcopy(TREE)
    three["root"]["formula"] = {"op": "ratio", "of": ["won", "deal", "ksf"]}
    assert "a ratio has 2 operands" in str(check_tree(three).problems[0])
