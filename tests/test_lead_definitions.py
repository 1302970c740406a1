"""The one shared MQL/SQL definition: the file is validated, it drives both dbt and
Great Expectations, and a failing error check blocks publishing — a drift check of the
definition (GX) as much as an error-severity invariant of the input contract (a dbt test)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.lead_definitions import (
    DEFINITIONS_FILE,
    DefinitionError,
    load,
    parse,
    write_seeds,
)
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

T1 = EXAMPLES / "t1-reading-and-funnel" / "landing"


def _document() -> dict:
    return yaml.safe_load(DEFINITIONS_FILE.read_text(encoding="utf-8"))


def test_the_file_holds_the_spec_defaults() -> None:
    definitions = load(DEFINITIONS_FILE)
    assert definitions.mql_score_threshold == 50
    assert definitions.sql_direct_sources == ("referral", "outbound", "partner")
    assert {r.name: (r.owner_department, r.severity) for r in definitions.rules} == {
        "mql_requires_score": ("marketing", "warn"),
        "mql_requires_engagement": ("marketing", "warn"),
        "sql_requires_mql": ("inside_sales", "warn"),
        "sql_requires_conversation": ("inside_sales", "warn"),
        "sql_owner_is_sales": ("inside_sales", "warn"),
        "lifecycle_order": ("marketing", "warn"),
        "recycle_requires_reason": ("field_sales", "warn"),
    }
    assert {(c.name, c.severity, c.max_violation_pct) for c in definitions.checks} == {
        ("mql_definition_drift", "error", 5.0),
        ("sql_definition_drift", "error", 5.0),
    }


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["rules"][0].update(severity="fatal"), "severity must be one of"),
        (lambda d: d["checks"][0]["rules"].append("no_such_rule"), "unknown rule 'no_such_rule'"),
        (lambda d: d["checks"][0]["rules"].append("sql_requires_mql"), "applies to sql, not mql"),
        (lambda d: d["parameters"].pop("mql_score_threshold"), "missing mql_score_threshold"),
        (lambda d: d["rules"][1].update(owner_department="sales"), "owner_department must be"),
    ],
    ids=["severity", "unknown-rule", "population", "parameter", "department"],
)
def test_a_broken_definitions_file_names_the_entry(edit, message: str) -> None:
    document = _document()
    edit(document)
    with pytest.raises(DefinitionError, match=message):
        parse(document)


def test_seeds_carry_the_file_into_dbt(tmp_path: Path) -> None:
    write_seeds(load(DEFINITIONS_FILE), tmp_path)
    assert (tmp_path / "lead_definition_parameters.csv").read_text() == "mql_score_threshold\n50\n"
    rules = (tmp_path / "lead_definition_rules.csv").read_text().splitlines()
    assert rules[0] == "rule,owner_department,severity,population,description"
    assert rules[1].startswith("mql_requires_score,marketing,warn,mql,")


@pytest.fixture
def stricter_definitions(tmp_path: Path, monkeypatch):
    """The definitions file with mql_score_threshold raised to 70 (t1's MQL scores 60)."""
    document = _document()
    document["parameters"]["mql_score_threshold"] = 70
    path = tmp_path / "lead_definitions.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("KPITREE_LEAD_DEFINITIONS", str(path))
    yield path
    monkeypatch.delenv("KPITREE_LEAD_DEFINITIONS")
    write_seeds()


# Rewrites the seeds in the checkout that every run reads: not beside other runs.
@pytest.mark.serial
def test_a_threshold_change_in_the_file_changes_dbt_and_gx_and_blocks_publish(
    tmp_path: Path, stricter_definitions: Path
) -> None:
    from orchestration.runner import run_pipeline

    warehouse = tmp_path / "kpitree.duckdb"
    outcome = run_pipeline(T1, warehouse, say=lambda _: None)
    # GX: the one MQL now breaks mql_requires_score -> 100 % drift > 5 % -> blocked
    assert not outcome.success
    assert outcome.failed_step == "great_expectations_checks"
    [failure] = outcome.check_failures
    assert "mql_definition_drift" in failure
    assert "1 of 1 (100.00%)" in failure and "threshold 5%" in failure
    assert any("mql_requires_score" in w for w in outcome.warnings)
    assert not warehouse.exists()  # nothing was ever published
    # dbt: the same threshold produced the violation row
    con = duckdb.connect(str(outcome.working), read_only=True)
    try:
        rows = con.execute(
            "select lead_id, rule, owner_department from quality.lead_definition_violations"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("L1", "mql_requires_score", "marketing")]


def test_mql_drift_blocks_publish_and_leaves_the_published_metrics_as_they_were(
    tmp_path: Path, pipeline_runs
) -> None:
    from orchestration.runner import run_pipeline

    landing = tmp_path / "landing"
    shutil.copytree(T1, landing)
    first = pipeline_runs.outcome(T1)  # the first run on these files, shared
    assert first.data_docs is not None and first.data_docs.exists()
    warehouse = pipeline_runs.copy(T1, tmp_path / "warehouse")
    published_before = warehouse.read_bytes()

    # A new drop re-flags L1 with a score of 10: the only MQL now breaks the definition.
    (landing / "leads" / "leads_3.csv").write_text(
        "lead_id,lead_source,owner_id,lead_score,created_at,mql_at,sql_at,updated_at\n"
        "L1,web,u1,10,2026-03-20T10:00:00,2026-03-25T10:00:00,2026-04-01T09:00:00,"
        "2026-04-02T09:00:00\n",
        encoding="utf-8",
    )
    second = run_pipeline(landing, warehouse, say=lambda _: None)
    assert not second.success
    assert second.failed_step == "great_expectations_checks"
    assert "mql_definition_drift" in second.check_failures[0]
    assert warehouse.read_bytes() == published_before


def test_a_second_currency_fails_its_dbt_test_and_blocks_publish(
    tmp_path: Path, pipeline_runs
) -> None:
    """one_currency_in_opportunities is a dbt test of severity error on int_opportunities:
    a drop with a USD deal beside the JPY ones fails it, the dbt step fails, and the
    published file stays exactly as it was."""
    from orchestration.runner import run_pipeline

    landing = tmp_path / "landing"
    shutil.copytree(T1, landing)
    warehouse = pipeline_runs.copy(T1, tmp_path / "warehouse")
    published_before = warehouse.read_bytes()

    (landing / "opportunities" / "opportunities_usd.csv").write_text(
        "opportunity_id,account_id,owner_id,opportunity_type,stage,amount,currency,"
        "created_at,is_closed,is_won,updated_at\n"
        "O9,X,u2,new_business,negotiation,5000,USD,2026-04-20T10:00:00,false,false,"
        "2026-04-20T10:00:00\n",
        encoding="utf-8",
    )
    outcome = run_pipeline(landing, warehouse, say=lambda _: None)
    assert not outcome.success
    assert outcome.failed_step == "kpi_dbt_assets"
    [failure] = outcome.check_failures
    assert failure.startswith("one_currency_in_opportunities on intermediate/int_opportunities")
    assert warehouse.read_bytes() == published_before
