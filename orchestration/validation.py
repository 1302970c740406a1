"""Great Expectations validation of the working warehouse, run after dbt build.

Design (GX 1.x has no working DuckDB datasource, and pulling whole tables into
Python does not scale): dbt judges every rule of the shared MQL/SQL definition in
``int_lead_definition_rule_results``, one row per rule and lead of the rule's
population. DuckDB turns those rows into one boolean column per rule and one row per
lead (NULL outside the rule's population); only those columns reach a pandas batch
(1M leads x 7 booleans is a few MB), and GX validates them with a suite built at run
time from ``expectations/lead_definitions.yml``:

- each rule: every lead of its population must conform (``mostly`` = 1); its
  severity comes from the file;
- each drift check: a column "breaks any of the check's rules" over the check's
  population, with ``mostly`` = 1 - max_violation_pct / 100, so the check fails
  when more than that share of the population breaks the definition.

The input contract's cross-field invariants are dbt tests on the models they guard
(``dbt_project/models/intermediate/combined/_combined__models.yml``), with their
severities; dagster-dbt reports them as asset checks.

Every run writes Data Docs (HTML) to the directory it is given.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.lead_definitions import LeadDefinitions
from orchestration.settings import warehouse_target

RULE_RESULTS_MODEL = "int_lead_definition_rule_results"
RULE_RESULTS_TABLE = f"intermediate.{RULE_RESULTS_MODEL}"
LEAD_SUITE = "lead_definitions"


@dataclass(frozen=True)
class Outcome:
    """The result of one expectation, in the terms a run report needs."""

    name: str
    model: str  # dbt model the check guards
    severity: str  # warn | error
    passed: bool
    description: str
    element_count: int = 0
    unexpected_count: int = 0
    unexpected_percent: float | None = None
    threshold_percent: float | None = None

    @property
    def message(self) -> str:
        measured = (
            f"{self.unexpected_percent:.2f}%" if self.unexpected_percent is not None else "n/a"
        )
        text = f"{self.name}: {self.unexpected_count} of {self.element_count} ({measured}) break it"
        if self.threshold_percent is not None:
            text += f"; threshold {self.threshold_percent:g}%"
        return text


@dataclass
class ValidationReport:
    outcomes: list[Outcome]
    data_docs: Path

    @property
    def failed_errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed and o.severity == "error"]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed and o.severity == "warn"]


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_name(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _per_lead_sql(definitions: LeadDefinitions, table: str) -> str:
    """The rule results of ``table`` pivoted: one row per lead, one column per rule."""
    pivoted = ", ".join(
        f"bool_or(is_violation) filter (where rule = {_sql_text(rule.name)}) "
        f"as {_sql_name(rule.column)}"
        for rule in definitions.rules
    )
    return f"select {pivoted} from {table} group by lead_id"


def lead_rule_columns(con: duckdb.DuckDBPyConnection, definitions: LeadDefinitions) -> pd.DataFrame:
    """One row per lead, one boolean column per rule (NULL outside the rule's population,
    or undecided), plus one column per drift check (:func:`rule_columns_sql`, run by
    DuckDB)."""
    frame = con.execute(rule_columns_sql(definitions)).df()
    for column in frame.columns:
        frame[column] = frame[column].astype("boolean")
    return frame


def rule_columns_sql(definitions: LeadDefinitions, table: str = RULE_RESULTS_TABLE) -> str:
    """The per-lead columns the suite validates, as one SQL query DuckDB, PostgreSQL and
    Spark run (on ``table``, the rule results): a column per rule (NULL outside its
    population, or undecided), and per drift check whether the lead breaks any of its
    rules (NULL when it is in none of their populations)."""
    checks = []
    for check in definitions.checks:
        names = [_sql_name(definitions.rule(name).column) for name in check.rules]
        in_population = " or ".join(f"{name} is not null" for name in names)
        breaks_any = " or ".join(f"coalesce({name}, false)" for name in names)
        checks.append(
            f"case when {in_population} then {breaks_any} end as {_sql_name(check.column)}"
        )
    rules = ", ".join(_sql_name(rule.column) for rule in definitions.rules)
    per_lead = _per_lead_sql(definitions, table)
    return f"select {rules}, {', '.join(checks)} from ({per_lead}) as per_lead"


def _quiet_gx() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


def _context(data_docs: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    data_docs.mkdir(parents=True, exist_ok=True)
    context.add_data_docs_site(
        site_name="kpitree",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(data_docs),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    return context


def _per_lead_batch(context, working: Path, definitions: LeadDefinitions, config):
    """The batch the suite validates, and its run parameters: on PostgreSQL a query asset
    of Great Expectations' PostgreSQL datasource (the expectations run as SQL on the
    server); on Spark the same query as a Spark DataFrame of its Spark datasource (the
    expectations run in Spark); on DuckDB the query's result as a pandas dataframe."""
    if warehouse_target() == "postgres":
        from orchestration.postgres import sqlalchemy_url

        source = context.data_sources.add_postgres(
            "working_warehouse", connection_string=sqlalchemy_url()
        )
        asset = source.add_query_asset(RULE_RESULTS_MODEL, query=rule_columns_sql(definitions))
        return asset.add_batch_definition_whole_table("per_lead"), None
    if warehouse_target() == "spark":
        from orchestration.spark import rule_results_frame

        frame = rule_results_frame(
            working.parent, RULE_RESULTS_MODEL, lambda view: rule_columns_sql(definitions, view)
        )
        asset = context.data_sources.add_spark("working_warehouse").add_dataframe_asset(
            RULE_RESULTS_MODEL
        )
        return asset.add_batch_definition_whole_dataframe("per_lead"), {"dataframe": frame}
    con = duckdb.connect(str(working), read_only=True, config=config or {})
    try:
        frame = lead_rule_columns(con, definitions)
    finally:
        con.close()
    asset = context.data_sources.add_pandas("working_warehouse").add_dataframe_asset(
        RULE_RESULTS_MODEL
    )
    return asset.add_batch_definition_whole_dataframe("per_lead"), {"dataframe": frame}


def validate(
    working: Path,
    data_docs: Path,
    definitions: LeadDefinitions,
    config: dict[str, str] | None = None,
) -> ValidationReport:
    """Run the lead-definition suite on the working warehouse (the DuckDB file, or the
    PostgreSQL server where the run built); write Data Docs to ``data_docs``. ``config``:
    DuckDB settings for reading the warehouse."""
    _quiet_gx()
    import great_expectations as gx

    context = _context(data_docs)
    batch, parameters = _per_lead_batch(context, working, definitions, config)
    suite = context.suites.add(gx.ExpectationSuite(name=LEAD_SUITE))
    for rule in definitions.rules:
        suite.add_expectation(
            gx.expectations.ExpectColumnValuesToBeInSet(
                column=rule.column,
                value_set=[False],
                meta={"name": rule.name, "severity": rule.severity, "owner": rule.owner_department},
            )
        )
    for check in definitions.checks:
        suite.add_expectation(
            gx.expectations.ExpectColumnValuesToBeInSet(
                column=check.column,
                value_set=[False],
                mostly=1 - check.max_violation_pct / 100,
                meta={"name": check.name, "severity": check.severity},
            )
        )
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=LEAD_SUITE, data=batch, suite=suite)
    )
    result = validation.run(batch_parameters=parameters)

    outcomes: list[Outcome] = []
    thresholds = {c.name: c.max_violation_pct for c in definitions.checks}
    descriptions = {r.name: r.description for r in definitions.rules}
    descriptions.update({c.name: c.description for c in definitions.checks})
    for item in result.results:
        meta = item.expectation_config.meta or {}
        name = meta["name"]
        details = item.result or {}
        element_count = details.get("element_count") or 0
        missing = details.get("missing_count") or 0
        outcomes.append(
            Outcome(
                name=name,
                model=RULE_RESULTS_MODEL,
                severity=meta["severity"],
                passed=bool(item.success),
                description=descriptions[name],
                element_count=int(element_count - missing),
                unexpected_count=int(details.get("unexpected_count") or 0),
                unexpected_percent=details.get("unexpected_percent"),
                threshold_percent=thresholds.get(name),
            )
        )
    context.build_data_docs(site_names=["kpitree"])
    return ValidationReport(outcomes=outcomes, data_docs=data_docs / "index.html")
