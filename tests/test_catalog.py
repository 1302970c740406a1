"""The KPI catalog (dbt_project/macros/kpi_catalog.yml): read as plain YAML, and
checked against what exists — the measures and dimensions the measure models declare and
the grains — by Python (validate_catalog) and by every dbt compile, in the same words."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from orchestration import kpi_tree
from orchestration.catalog import (
    ALL_GRAINS,
    CATALOG_FILE,
    CatalogProblem,
    current_kpis,
    load_catalog,
    measure_models,
    read_catalog_file,
    validate_catalog,
)
from orchestration.project import DBT_PROJECT_DIR, dbt_executable

# A small catalog and two measure models, written here so every expected message is
# worked out by hand from them.
MODELS = {
    "int_events": {
        "measures": ["leads_created", "calls", "connected_calls"],
        "dimensions": ["all", "department", "owner"],
    },
    "int_retention": {
        "measures": ["mrr_last_day", "active_accounts"],
        "dimensions": ["all", "segment"],
    },
}
CATALOG = {
    "dimension_sets": {"people": ["all", "department", "owner"], "account": ["all", "segment"]},
    "units": {"count": "count", "rate": "percent", "ratio": "ratio", "amount": "JPY"},
    "defaults": {
        "version": 1,
        "is_current": True,
        "dimensions": "people",
        "direction": "higher_is_better",
        "point_in_time": False,
    },
    "kpis": [
        {
            "name": "connect_rate",
            "label_ja": "コネクト率",
            "label_en": "Connect rate",
            "kind": "rate",
            "numerator": "connected_calls",
            "denominator": "calls",
            "owner_department": "inside_sales",
            "definition": "connected / calls x 100.",
        },
        {
            "name": "arpa",
            "label_ja": "平均単価 (ARPA)",
            "label_en": "Average revenue per account",
            "kind": "amount",
            "numerator": "mrr_last_day",
            "denominator": "active_accounts",
            "grains": ["month", "quarter"],
            "dimensions": "account",
            "owner_department": "customer_success",
            "definition": "mrr / active accounts.",
        },
    ],
}
MEASURES = "active_accounts, calls, connected_calls, leads_created, mrr_last_day"  # sorted


def broken(index: int, **changes: object) -> dict:
    """CATALOG with entry `index` changed."""
    catalog = copy.deepcopy(CATALOG)
    catalog["kpis"][index].update(changes)
    return catalog


def test_the_small_catalog_is_sound() -> None:
    assert validate_catalog(CATALOG, MODELS) == []


def test_an_unknown_measure_in_the_numerator_is_named() -> None:
    (problem,) = validate_catalog(broken(0, numerator="connected_callz"), MODELS)
    assert (problem.kpi, problem.version, problem.field, problem.value) == (
        "connect_rate",
        1,
        "numerator",
        "connected_callz",
    )
    assert str(problem) == (
        "kpi connect_rate v1: numerator names measure 'connected_callz', which no model "
        f"declares (measures: {MEASURES})"
    )


def test_an_unknown_measure_in_a_product_denominator_is_named() -> None:
    catalog = broken(1, denominator="active_accounts * churned_accounts")
    (problem,) = validate_catalog(catalog, MODELS)
    assert (problem.kpi, problem.field, problem.value) == (
        "arpa",
        "denominator",
        "churned_accounts",
    )
    assert "denominator names measure 'churned_accounts', which no model declares" in str(problem)


def test_an_unknown_dimension_set_is_named() -> None:
    (problem,) = validate_catalog(broken(0, dimensions="peple"), MODELS)
    assert (problem.field, problem.value) == ("dimensions", "peple")
    assert str(problem) == (
        "kpi connect_rate v1: dimensions names set 'peple', which is not a dimension set "
        "(sets: account, people)"
    )


def test_an_unknown_dimension_is_named() -> None:
    (problem,) = validate_catalog(broken(0, dimensions=["all", "region"]), MODELS)
    assert (problem.field, problem.value) == ("dimensions", "region")
    assert str(problem) == (
        "kpi connect_rate v1: dimensions names 'region', which no measure model carries "
        "(dimensions: all, department, owner, segment)"
    )


def test_a_dimension_the_kpis_measure_model_does_not_carry_is_named() -> None:
    # `owner` exists (int_events carries it), but arpa's measures come from int_retention.
    (problem,) = validate_catalog(broken(1, dimensions=["all", "owner"]), MODELS)
    assert (problem.kpi, problem.field, problem.value) == ("arpa", "dimensions", "owner")
    assert str(problem) == (
        "kpi arpa v1: dimensions names 'owner', which int_retention does not carry "
        "(it carries: all, segment)"
    )


def test_a_dimension_set_naming_an_unknown_dimension_is_named() -> None:
    catalog = broken(0)
    catalog["dimension_sets"]["people"] = ["all", "team"]
    (problem,) = validate_catalog(catalog, MODELS)
    assert str(problem) == (
        "kpi connect_rate v1: dimensions names 'team' (of set 'people'), which no measure "
        "model carries (dimensions: all, department, owner, segment)"
    )


def test_an_unknown_grain_is_named() -> None:
    (problem,) = validate_catalog(broken(1, grains=["month", "hour"], version=3), MODELS)
    assert (problem.kpi, problem.version, problem.field, problem.value) == (
        "arpa",
        3,
        "grains",
        "hour",
    )
    assert str(problem) == (
        "kpi arpa v3: grains names 'hour', which is not a grain "
        "(grains: day, week, month, quarter, fiscal_year)"
    )


def test_an_unknown_kind_is_named() -> None:
    (problem,) = validate_catalog(broken(0, kind="percent"), MODELS)
    assert str(problem) == (
        "kpi connect_rate v1: kind 'percent' is not a kind (kinds: amount, count, rate, ratio)"
    )


def test_a_measure_declared_by_two_models_is_named() -> None:
    models = copy.deepcopy(MODELS)
    models["int_retention"]["measures"].append("calls")
    (problem,) = validate_catalog(CATALOG, models)
    assert (problem.kpi, problem.value) == (None, "calls")
    assert str(problem) == "measure 'calls' is declared by both int_events and int_retention"


def test_every_problem_is_reported_in_catalog_order() -> None:
    catalog = broken(0, numerator="callz", grains=["hour"])
    catalog["kpis"][1]["dimensions"] = "acount"
    assert [(p.kpi, p.field, p.value) for p in validate_catalog(catalog, MODELS)] == [
        ("connect_rate", "numerator", "callz"),
        ("connect_rate", "grains", "hour"),
        ("arpa", "dimensions", "acount"),
    ]


# --- the catalog file ------------------------------------------------------------------


def test_the_catalog_file_is_plain_yaml_and_sound() -> None:
    data = yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))
    (macro,) = [m for m in data["macros"] if m["name"] == "kpi_catalog"]
    assert macro["config"]["meta"] == read_catalog_file()
    assert validate_catalog() == []


def test_the_measure_models_declare_what_they_produce() -> None:
    models = measure_models()
    assert set(models) == {
        "int_kpi_event_measures",
        "int_pipeline_snapshot_measures",
        "int_retention_measures",
    }
    assert models["int_retention_measures"]["dimensions"] == ["all", "segment"]
    assert "leads_created" in models["int_kpi_event_measures"]["measures"]
    assert models["int_pipeline_snapshot_measures"]["measures"] == [
        "open_pipeline_amount",
        "weighted_pipeline_amount",
    ]


def test_entries_get_the_defaults_kpi_catalog_applies() -> None:
    kpis = current_kpis()
    lead_count = kpis["lead_count"]
    assert lead_count["version"] == 1
    assert lead_count["is_current"] is True
    assert lead_count["unit"] == "count"
    assert lead_count["grains"] == list(ALL_GRAINS)
    assert lead_count["dimensions"] == [
        "all",
        "department",
        "team",
        "owner",
        "lead_source",
        "segment",
    ]
    assert lead_count["direction"] == "higher_is_better"
    assert lead_count["point_in_time"] is False
    assert lead_count["denominator"] is None and lead_count["benchmark"] is None
    assert kpis["connect_rate"]["unit"] == "percent"
    assert kpis["calls_per_rep_day"]["unit"] == "ratio"
    assert kpis["calls_per_rep_day"]["benchmark"] == 34
    assert kpis["email_open_rate"]["dimensions"] == ["all", "lead_source", "segment"]
    assert kpis["nrr"]["dimensions"] == ["all", "segment"]
    assert kpis["customer_churn_rate"]["direction"] == "lower_is_better"
    assert kpis["open_pipeline_amount"]["point_in_time"] is True
    assert kpis["ltv"]["grains"] == ["month"]
    retired = [(e["name"], e["version"]) for e in load_catalog() if not e["is_current"]]
    assert retired == [("win_rate", 1)]


def test_lint_tree_names_a_kpi_whose_catalog_entry_is_broken(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = "kpi call_count v1: numerator names measure 'callz', which no model declares"
    monkeypatch.setattr(
        kpi_tree,
        "validate_catalog",
        lambda: [CatalogProblem("call_count", 1, "numerator", "callz", message)],
    )
    tree = {
        "root": {
            "id": "kgi",
            "name": "架電数",
            "type": "kgi",
            "kpi": "call_count",
            "owner_department": "inside_sales",
            "grain": "month",
            "target": 7500,
        }
    }
    problems = kpi_tree.check_tree(tree).problems
    assert [(p.node_id, p.letter) for p in problems] == [("kgi", "M")]
    assert message in problems[0].reason


# --- dbt stops on the same problems -------------------------------------------------------


def test_dbt_compile_fails_naming_the_broken_entry(tmp_path: Path) -> None:
    """A copy of the dbt project whose lead_count numerator is misspelt and whose ltv has
    an hour grain: `dbt compile` stops, naming both, in the words of validate_catalog."""
    project = tmp_path / "dbt_project"
    shutil.copytree(
        DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages")
    )
    (tmp_path / "seeds").symlink_to(DBT_PROJECT_DIR.parent / "seeds")  # seed-paths: ../seeds
    catalog_file = project / CATALOG_FILE.relative_to(DBT_PROJECT_DIR)
    text = catalog_file.read_text(encoding="utf-8")
    for old, new in (
        ("numerator: leads_created\n", "numerator: leads_createdd\n"),
        ("grains: [month]\n", "grains: [month, hour]\n"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    catalog_file.write_text(text, encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if k != "KPITREE_DBT_DATABASE"}  # :memory:
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    result = subprocess.run(
        [dbt_executable(), "compile", "--select", "kpi_definitions", "--profiles-dir", "."],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert "KPI catalog (macros/kpi_catalog.yml): 2 problem(s):" in output, output[-3000:]
    assert "kpi lead_count v1: numerator names measure 'leads_createdd', which no model" in output
    assert (
        "kpi ltv v1: grains names 'hour', which is not a grain "
        "(grains: day, week, month, quarter, fiscal_year)"
    ) in output
    # dbt's grains (macro all_grains()) are the catalog file's, as Python reads them.
    assert f"(grains: {', '.join(ALL_GRAINS)})" in output

    # The same file, read by Python, gives the same problems, word for word.
    python_problems = validate_catalog(
        read_catalog_file(catalog_file), measure_models(project / "models")
    )
    assert len(python_problems) == 2
    for problem in python_problems:
        assert str(problem) in output

    # dbt's YAML parser read the catalog exactly as yaml.safe_load does.
    manifest = json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))
    macro = manifest["macros"]["macro.kpitree.kpi_catalog"]
    assert macro["config"]["meta"] == read_catalog_file(catalog_file)
