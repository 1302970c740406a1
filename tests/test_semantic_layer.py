"""The semantic layer (docs/semantic-layer.md): MetricFlow's metrics, generated from the KPI
catalog, give the numbers `metrics.kpi_values` publishes.

For every KPI version the layer carries, `kpitree mf query` at month grain, for dimension
`all` (no grouping) and grouped by each other dimension the KPI is published by, equals
kpi_values row for row on the hand-built data set; the KPIs it leaves out are the levels at
a period's end, each with its reason. Generation itself is checked on the catalog file and
on a small catalog written here.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from orchestration.catalog import load_catalog
from orchestration.cli import app
from orchestration.semantic_layer import LAYER_DOC, build_layer, doc_with_reference, metric_name
from tests.conftest import REPO, query

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

HANDBUILT = REPO / "tests" / "e2e" / "handbuilt" / "landing"
# The catalog's dimensions and MetricFlow's names for them (`all` is no grouping).
GROUPINGS = {
    "all": None,
    "department": "kpi_event__department",
    "team": "kpi_event__team",
    "owner": "kpi_event__owner",
    "lead_source": "kpi_event__lead_source",
    "segment": "kpi_event__segment",
}
# The KPIs that are a level at the period's end (as-of pipeline, MRR on given days).
LEVELS = {
    "open_pipeline_amount", "weighted_pipeline_amount", "mrr", "nrr", "grr",
    "customer_churn_rate", "arpa", "ltv",
}  # fmt: skip

runner = CliRunner()


def test_the_layer_leaves_out_exactly_the_levels_at_a_period_end() -> None:
    layer = build_layer()
    left_out = {item.kpi["name"] for item in layer.left_out}
    assert left_out == LEVELS
    for item in layer.left_out:
        assert "level" in item.reason, item
    carried = {name for name, _ in layer.metrics}
    assert carried | left_out == {kpi["name"] for kpi in load_catalog()}
    # The retired win rate keeps its own metric beside the current one.
    assert layer.metrics[("win_rate", 1)] == "win_rate_v1"
    assert layer.metrics[("win_rate", 2)] == "win_rate"


def test_the_layer_says_the_catalog_formula_in_metricflow_terms() -> None:
    metrics = {m["name"]: m for m in build_layer().document["metrics"]}
    # count: a simple metric over its measure, no records read as 0
    assert metrics["lead_count"]["type"] == "simple"
    assert metrics["lead_count"]["type_params"]["measure"] == {
        "name": "leads_created",
        "fill_nulls_with": 0,
    }
    assert metrics["lead_count"]["label"] == "リード数"
    # rate: 100 × numerator ÷ denominator, a missing measure 0, a zero denominator NULL
    assert metrics["win_rate"]["type"] == "derived"
    assert metrics["win_rate"]["type_params"]["expr"] == (
        "100.0 * coalesce(won_deals, 0) / nullif(coalesce(closed_deals, 0), 0)"
    )
    # ratio and average: no × 100
    assert metrics["calls_per_rep_day"]["type_params"]["expr"] == (
        "coalesce(calls, 0) / nullif(coalesce(call_rep_days, 0), 0)"
    )
    assert metrics["avg_deal_size"]["type_params"]["expr"] == (
        "coalesce(won_amount, 0) / nullif(coalesce(won_deals, 0), 0)"
    )
    # a distinct measure counts keys; the others sum value
    model = build_layer().document["semantic_models"][0]
    measures = {m["name"]: m for m in model["measures"]}
    assert measures["contacted_leads"]["agg"] == "count_distinct"
    assert measures["calls"]["agg"] == "sum"


def test_the_generated_page_is_current() -> None:
    text = LAYER_DOC.read_text(encoding="utf-8")
    assert doc_with_reference(text) == text, (
        "docs/semantic-layer.md is stale: run `python -m orchestration.semantic_layer`"
    )


def _mf_query(warehouse: Path, metrics: list[str], grouping: str | None, out: Path) -> list:
    group_by = "metric_time__month" + (f",{grouping}" if grouping else "")
    result = runner.invoke(
        app,
        [
            "mf", "--warehouse", str(warehouse), "query",
            "--metrics", ",".join(metrics), "--group-by", group_by, "--csv", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str | None) -> float | None:
    return None if text in (None, "") else float(text)


def test_mf_query_equals_kpi_values_at_month_grain(pipeline_runs, tmp_path: Path) -> None:
    warehouse = pipeline_runs.copy(HANDBUILT, tmp_path / "warehouse")
    layer = build_layer()
    kpis = {(k["name"], k["version"]): k for k in load_catalog()}
    months = {
        row[0].isoformat()
        for row in query(
            warehouse,
            "select distinct period_start from metrics.kpi_values "
            "where grain = 'month' and dimension = 'all'",
        )
    }
    assert len(months) >= 3
    compared = 0
    for dimension, grouping in GROUPINGS.items():
        carried = {
            key: metric
            for key, metric in layer.metrics.items()
            if dimension in kpis[key]["dimensions"]
        }
        rows = _mf_query(warehouse, sorted(carried.values()), grouping, tmp_path / "mf.csv")
        published = {
            (name, version, start.isoformat(), value_of): value
            for name, version, start, value_of, value in query(
                warehouse,
                "select kpi_name, kpi_version, period_start, dimension_value, value "
                "from metrics.kpi_values where grain = 'month' and dimension = ?",
                [dimension],
            )
        }
        from_mf: dict[tuple, float | None] = {}
        for row in rows:
            month = row["metric_time__month"][:10]
            value_of = "all" if grouping is None else row[grouping]
            if month not in months or value_of == "":
                # Planned dates beyond the data span (a subscription's end), and events
                # without the attribute: kpi_values has no period or value for them.
                continue
            for key, metric in carried.items():
                from_mf[(*key, month, value_of)] = _number(row[metric])
        for key in set(published) | set(from_mf):
            if key[:2] not in carried:
                continue
            # No row on one side: a KPI without a denominator is 0 there (the catalog:
            # a count is 0 over no records), a quotient has no value.
            absent = None if kpis[key[:2]]["denominator"] else 0.0
            expected = published.get(key, absent)
            actual = from_mf.get(key, absent)
            label = f"{dimension}: {key}"
            if expected is None or actual is None:
                assert expected is None and actual is None, f"{label}: {expected} != {actual}"
            else:
                assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9), (
                    f"{label}: kpi_values {expected}, mf {actual}"
                )
            compared += 1
    # Every carried KPI in every month at least for `all`, and far more by dimension.
    assert compared > len(layer.metrics) * len(months)


def test_a_small_catalog_becomes_its_own_layer(tmp_path: Path, monkeypatch) -> None:
    """Generation reads the catalog it is given: a new KPI is a new metric at once."""
    from orchestration import semantic_layer
    from orchestration.catalog import CATALOG_FILE, read_catalog_file

    data = yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))
    meta = data["macros"][0]["config"]["meta"]
    meta["kpis"] = [
        {
            "name": "won_per_call",
            "label_ja": "架電あたり受注",
            "label_en": "Won per call",
            "kind": "ratio",
            "numerator": "won_deals",
            "denominator": "calls",
            "owner_department": "inside_sales",
            "definition": "won_count / call_count.",
        }
    ]
    path = tmp_path / "kpi_catalog.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(semantic_layer, "read_catalog_file", lambda: read_catalog_file(path))
    monkeypatch.setattr(semantic_layer, "load_catalog", lambda: load_catalog(path))
    layer = semantic_layer.build_layer()
    names = {m["name"] for m in layer.document["metrics"]}
    assert names == {"won_per_call", "won_deals", "calls"}
    assert layer.metrics == {("won_per_call", 1): "won_per_call"}
    assert metric_name({"name": "x", "version": 3, "is_current": False}) == "x_v3"


def test_kpitree_mf_teaches_and_refuses_clearly(tmp_path: Path) -> None:
    """`kpitree mf` alone shows its help (exit 2), with --help exit 0; without a working
    warehouse it says to run first (exit 1); while a run holds the warehouse, exit 3."""
    import subprocess
    import sys

    from orchestration.settings import WarehousePaths

    bare = runner.invoke(app, ["mf"])
    assert bare.exit_code == 2
    assert "kpitree mf query --metrics win_rate" in bare.output
    helped = runner.invoke(app, ["mf", "--help"])
    assert helped.exit_code == 0 and "kpi_event__lead_source" in helped.output
    warehouse = tmp_path / "kpitree.duckdb"
    missing = runner.invoke(app, ["mf", "--warehouse", str(warehouse), "list", "metrics"])
    assert missing.exit_code == 1
    assert "no working warehouse" in missing.output and "kpitree run" in missing.output
    paths = WarehousePaths(warehouse)
    paths.ensure()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys, time; f = open(sys.argv[1], 'w'); "
         "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
         str(paths.lock)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        busy = runner.invoke(app, ["mf", "--warehouse", str(warehouse), "list", "metrics"])
        assert busy.exit_code == 3
    finally:
        holder.kill()
        holder.wait()
