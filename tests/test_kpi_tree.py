"""The KPI tree file and its SMART check (docs/outputs.md, "The command line"):
`kpitree lint-tree FILE` says which node breaks which letter."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from orchestration.catalog import current_kpis
from orchestration.cli import app
from orchestration.kpi_tree import (
    ALL_GRAINS,
    check_tree,
    lint_file,
    load_tree,
    published_grains,
)

runner = CliRunner()
DEMO = Path(__file__).resolve().parent.parent / "kpi_trees" / "demo.yml"

BASE = {
    "title": "test tree",
    "root": {
        "id": "kgi",
        "name": "受注金額",
        "type": "kgi",
        "kpi": "won_amount",
        "owner_department": "field_sales",
        "grain": "fiscal_year",
        "target": 1_000_000_000,
        "children": [
            {
                "id": "ksf_new",
                "name": "新規顧客の獲得",
                "type": "ksf",
                "owner_department": "field_sales",
                "children": [
                    {
                        "id": "calls",
                        "name": "架電数",
                        "type": "kpi",
                        "kpi": "call_count",
                        "owner_department": "inside_sales",
                        "grain": "month",
                        "target": 7500,
                    },
                    {
                        "id": "meetings",
                        "name": "商談数",
                        "type": "kpi",
                        "kpi": "meeting_count",
                        "owner_department": "field_sales",
                        "grain": "month",
                        "target": 300,
                    },
                ],
            },
            {
                "id": "ksf_keep",
                "name": "既存顧客の維持・拡大",
                "type": "ksf",
                "owner_department": "customer_success",
                "children": [
                    {
                        "id": "nrr",
                        "name": "NRR",
                        "type": "kpi",
                        "kpi": "nrr",
                        "owner_department": "customer_success",
                        "grain": "month",
                        "target": 100,
                    }
                ],
            },
        ],
    },
}


def tree() -> dict:
    return copy.deepcopy(BASE)


def node(data: dict, node_id: str) -> dict:
    stack = [data["root"]]
    while stack:
        current = stack.pop()
        if current.get("id") == node_id:
            return current
        stack.extend(current.get("children") or [])
    raise KeyError(node_id)


def write(tmp_path: Path, data: object, name: str = "tree.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def lint(tmp_path: Path, data: object):
    return runner.invoke(app, ["lint-tree", str(write(tmp_path, data))])


# --- clean trees -----------------------------------------------------------------------


def test_the_demo_tree_passes() -> None:
    result = runner.invoke(app, ["lint-tree", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "SMART check passed" in result.output
    assert "1 KGI, 3 KSF" in result.output


def test_the_demo_tree_has_the_articles_shape() -> None:
    data = load_tree(DEMO)
    root = data["root"]
    assert root["type"] == "kgi" and root["kpi"] == "won_amount"
    assert [child["name"] for child in root["children"]] == [
        "新規顧客の獲得",
        "既存顧客の維持・拡大",
        "単価向上",
    ]
    named = set()
    stack = [root]
    while stack:
        current = stack.pop()
        named.add(current.get("kpi"))
        stack.extend(current.get("children") or [])
    for kpi in ("appointment_count", "meeting_count", "meeting_win_rate", "avg_deal_size"):
        assert kpi in named
    for kpi in ("call_count", "connect_rate", "nrr", "renewal_rate"):
        assert kpi in named


def test_the_base_tree_is_clean(tmp_path: Path) -> None:
    result = lint(tmp_path, tree())
    assert result.exit_code == 0, result.output
    assert "1 KGI, 2 KSF, 3 KPI" in result.output


# --- each SMART letter -----------------------------------------------------------------


def test_a_kpi_node_without_a_kpi_name_breaks_s(tmp_path: Path) -> None:
    data = tree()
    del node(data, "calls")["kpi"]
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    assert "node calls (架電数): breaks S (Specific): names no KPI" in result.output


def test_a_kpi_the_catalog_does_not_have_breaks_m(tmp_path: Path) -> None:
    data = tree()
    node(data, "meetings")["kpi"] = "happy_customers"
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    assert "node meetings (商談数): breaks M (Measurable):" in result.output
    assert "'happy_customers' is not a current KPI of the catalog" in result.output


def test_a_kgi_naming_an_unknown_kpi_breaks_m(tmp_path: Path) -> None:
    data = tree()
    data["root"]["kpi"] = "revenue"
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    assert "node kgi (受注金額): breaks M (Measurable)" in result.output


@pytest.mark.parametrize(("target", "why"), [(None, "has no target"), ("high", "not a number")])
def test_a_kpi_without_a_numeric_target_breaks_a(tmp_path: Path, target, why: str) -> None:
    data = tree()
    if target is None:
        del node(data, "nrr")["target"]
    else:
        node(data, "nrr")["target"] = target
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    assert "node nrr (NRR): breaks A (Achievable):" in result.output
    assert why in result.output


def test_a_kpi_not_under_a_kgi_breaks_r(tmp_path: Path) -> None:
    data = {"root": node(tree(), "ksf_new")}  # the KSF as the root: no KGI above
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "node ksf_new (新規顧客の獲得): breaks R (Relevant): the root is a ksf" in lines[0]
    assert any(line.startswith("node calls (架電数): breaks R (Relevant)") for line in lines)
    assert any(line.startswith("node meetings (商談数): breaks R (Relevant)") for line in lines)


def test_a_kpi_as_the_root_breaks_r_once(tmp_path: Path) -> None:
    data = {"root": node(tree(), "nrr")}
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    assert result.output.count("breaks R") == 1
    assert "node nrr (NRR): breaks R (Relevant): the root is a kpi, not a KGI" in result.output


@pytest.mark.parametrize(
    ("node_id", "grain", "why"),
    [
        ("calls", None, "has no grain"),
        ("calls", "hourly", "unknown grain 'hourly'"),
        ("nrr", "week", "nrr is not published at grain week (only month, quarter, fiscal_year)"),
    ],
)
def test_a_kpi_without_a_published_grain_breaks_t(
    tmp_path: Path, node_id: str, grain: str | None, why: str
) -> None:
    data = tree()
    if grain is None:
        del node(data, node_id)["grain"]
    else:
        node(data, node_id)["grain"] = grain
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    assert f"node {node_id} (" in result.output
    assert "breaks T (Time-bound)" in result.output
    assert why in result.output


def test_ltv_is_published_at_month_only(tmp_path: Path) -> None:
    data = tree()
    node(data, "nrr").update(kpi="ltv", grain="quarter")
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    assert "breaks T (Time-bound): ltv is not published at grain quarter (only month)" in (
        result.output
    )


def test_every_problem_of_a_node_is_reported_in_smart_order(tmp_path: Path) -> None:
    data = {"root": tree()["root"]}
    calls = node(data, "calls")
    del calls["kpi"], calls["target"], calls["grain"]
    result = check_tree(data)
    assert [(p.node_id, p.letter) for p in result.problems] == [
        ("calls", "S"),
        ("calls", "A"),
        ("calls", "T"),
    ]


# --- structure -------------------------------------------------------------------------


def test_structural_problems_name_the_node(tmp_path: Path) -> None:
    data = tree()
    node(data, "calls")["type"] = "metric"
    node(data, "meetings")["id"] = "calls"  # duplicate id
    node(data, "nrr")["owner_department"] = "sales"
    del node(data, "ksf_keep")["name"]
    node(data, "ksf_new")["traget"] = 5
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    out = result.output
    assert "node calls (架電数): structure: unknown type 'metric'" in out
    assert "node calls (商談数): structure: id 'calls' is used twice" in out
    assert "node nrr (NRR): structure: unknown owner_department 'sales'" in out
    assert "node ksf_keep (?): structure: missing field name" in out
    assert "node ksf_new (新規顧客の獲得): structure: unknown field 'traget'" in out


def test_a_node_without_id_is_located_by_its_path(tmp_path: Path) -> None:
    data = tree()
    del node(data, "nrr")["id"]
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    assert "node <ksf_keep.children[0]> (NRR): structure: missing field id" in result.output


def test_a_kgi_below_the_root_is_a_structural_problem(tmp_path: Path) -> None:
    data = tree()
    node(data, "ksf_new")["type"] = "kgi"
    result = lint(tmp_path, data)
    assert result.exit_code == 1
    assert "node ksf_new (新規顧客の獲得): structure: a kgi is the root" in result.output


# --- files that are not trees ----------------------------------------------------------


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint-tree", str(tmp_path / "nope.yml")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_invalid_yaml_exits_2_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("root:\n  id: kgi\n  name: [unclosed\n  type: kgi\n", encoding="utf-8")
    result = runner.invoke(app, ["lint-tree", str(path)])
    assert result.exit_code == 2
    assert "invalid YAML at line" in result.output


def test_a_key_given_twice_exits_2_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "twice.yml"
    path.write_text("root:\n  id: kgi\n  target: 10\n  name: x\n  target: 20\n", encoding="utf-8")
    result = runner.invoke(app, ["lint-tree", str(path)])
    assert result.exit_code == 2
    assert "line 5" in result.output
    assert "'target' twice" in result.output


@pytest.mark.parametrize("data", [[1, 2], {"title": "no root"}, "text", {"root": {}, "x": 1}])
def test_yaml_that_is_not_a_tree_exits_2(tmp_path: Path, data: object) -> None:
    result = lint(tmp_path, data)
    assert result.exit_code == 2
    assert "tree" in result.output or "top-level" in result.output


# --- grains come from the catalog ------------------------------------------------------


def test_published_grains_follow_the_catalog() -> None:
    kpis = current_kpis()
    assert published_grains(kpis["call_count"]) == ALL_GRAINS
    assert published_grains(kpis["nrr"]) == ("month", "quarter", "fiscal_year")
    assert published_grains(kpis["renewal_rate"]) == ("month", "quarter", "fiscal_year")
    assert published_grains(kpis["ltv"]) == ("month",)


def test_lint_file_api(tmp_path: Path) -> None:
    result = lint_file(write(tmp_path, tree()))
    assert result.ok
    assert result.counts == {"kgi": 1, "ksf": 2, "kpi": 3}


def test_the_demo_tree_agrees_with_the_demo_targets_seed() -> None:
    """Where seeds/kpi_targets.csv has one target for a KPI and grain (dimension all), the
    demo tree's node for that KPI and grain has the same number."""
    import csv

    seed = DEMO.parent.parent / "seeds" / "kpi_targets.csv"
    with seed.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["dimension"] == "all"]
    targets: dict[tuple[str, str], set[float]] = {}
    for row in rows:
        targets.setdefault((row["kpi_name"], row["grain"]), set()).add(float(row["target_value"]))
    stack, compared = [load_tree(DEMO)["root"]], 0
    while stack:
        current = stack.pop()
        stack.extend(current.get("children") or [])
        values = targets.get((current.get("kpi"), current.get("grain")))
        if values and len(values) == 1:
            assert float(current["target"]) == values.pop(), current["id"]
            compared += 1
    assert compared >= 5


def test_checked_trees_become_the_seed_rows_and_a_broken_one_is_left_out_and_said(
    tmp_path: Path,
) -> None:
    import csv

    from orchestration.kpi_tree import SEED_COLUMNS, write_seed

    folder = tmp_path / "trees"
    folder.mkdir()
    write(folder, tree(), "sales.yml")
    broken = tree()
    del node(broken, "calls")["target"]  # breaks A
    write(folder, broken, "broken.yml")
    write(folder, tree(), "sales.yaml")  # the same id as sales.yml
    (folder / "notes.txt").write_text("not a tree")
    seed = tmp_path / "seeds" / "kpi_tree_nodes.csv"

    skipped = write_seed(folder, seed)

    assert len(skipped) == 2
    assert "broken.yml" in skipped[0] and "breaks A" in skipped[0]
    assert "sales.yaml" in skipped[1] and "'sales'" in skipped[1]
    with seed.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == SEED_COLUMNS
    # Depth first in the file's order, each node under its parent.
    assert [(r["node_id"], r["parent_id"], r["depth"], r["node_order"]) for r in rows] == [
        ("kgi", "", "0", "1"),
        ("ksf_new", "kgi", "1", "2"),
        ("calls", "ksf_new", "2", "3"),
        ("meetings", "ksf_new", "2", "4"),
        ("ksf_keep", "kgi", "1", "5"),
        ("nrr", "ksf_keep", "2", "6"),
    ]
    assert {r["tree_id"] for r in rows} == {"sales"}
    assert rows[0]["tree_title"] == "test tree"
    assert (rows[0]["kpi_name"], rows[0]["grain"], rows[0]["target_value"]) == (
        "won_amount", "fiscal_year", "1000000000",
    )  # fmt: skip
    assert rows[1]["kpi_name"] == rows[1]["target_value"] == ""  # a KSF measures nothing

    # Unchanged content is not rewritten (dbt's state sees no change).
    before = seed.stat().st_mtime_ns
    write_seed(folder, seed)
    assert seed.stat().st_mtime_ns == before
