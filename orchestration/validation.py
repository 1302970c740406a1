"""Great Expectations validation of the working warehouse, run after dbt build.

Design (GX 1.x has no working DuckDB datasource, and pulling whole tables into
Python does not scale): dbt builds ``int_lead_definition_features``, one row per lead
with one ``violates_<rule>`` column per rule (NULL outside the rule's population).
Only those boolean columns are read, into a pandas batch (1M leads x 7 booleans is
a few MB), and GX validates them with suites built at run time from
``expectations/lead_definitions.yml``:

- each rule: every lead of its population must conform (``mostly`` = 1); its
  severity comes from the file;
- each drift check: a column "breaks any of the check's rules" over the check's
  population, with ``mostly`` = 1 - max_violation_pct / 100, so the check fails
  when more than that share of the population breaks the definition.

A second suite holds the input contract's cross-field invariants that dbt tests
don't own (closed stage vs. is_closed, close dates, date order, one currency per
money column, non-negative amounts), each over the few columns it needs.

Every run writes Data Docs (HTML) to the directory it is given.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.lead_definitions import LeadDefinitions

FEATURES_TABLE = "intermediate.int_lead_definition_features"
LEAD_SUITE = "lead_definitions"
CONTRACT_SUITE = "input_contract_invariants"


@dataclass(frozen=True)
class Invariant:
    """One contract invariant: a query of the few columns it needs, and an expectation."""

    name: str
    model: str  # the dbt model whose asset it guards
    severity: str
    description: str
    query: str
    expectation: str  # name of a gx.expectations class
    kwargs: dict = field(default_factory=dict)


INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "closed_stage_matches_is_closed",
        "stg_canonical__opportunities",
        "warn",
        "An opportunity is closed exactly when its stage is closed_won or closed_lost.",
        "select is_closed, stage in ('closed_won', 'closed_lost') as has_closed_stage "
        "from staging.stg_canonical__opportunities",
        "ExpectColumnPairValuesToBeEqual",
        {"column_A": "is_closed", "column_B": "has_closed_stage"},
    ),
    Invariant(
        "won_is_closed",
        "stg_canonical__opportunities",
        "warn",
        "A won opportunity is closed.",
        "select (not is_won or is_closed) as won_implies_closed "
        "from staging.stg_canonical__opportunities",
        "ExpectColumnValuesToBeInSet",
        {"column": "won_implies_closed", "value_set": [True]},
    ),
    Invariant(
        "closed_has_close_date",
        "stg_canonical__opportunities",
        "warn",
        "A closed opportunity has a close_date (won and lost deals are counted on it).",
        "select close_date is not null as has_close_date "
        "from staging.stg_canonical__opportunities where is_closed",
        "ExpectColumnValuesToBeInSet",
        {"column": "has_close_date", "value_set": [True]},
    ),
    Invariant(
        "amount_not_negative",
        "stg_canonical__opportunities",
        "warn",
        "Opportunity amounts are not negative.",
        "select amount from staging.stg_canonical__opportunities",
        "ExpectColumnValuesToBeBetween",
        {"column": "amount", "min_value": 0},
    ),
    Invariant(
        "one_currency_in_opportunities",
        "stg_canonical__opportunities",
        "error",
        "All opportunity amounts are in one currency: mixed currencies in one metric are "
        "an error, not a silent sum.",
        "select coalesce(currency, 'JPY') as currency from staging.stg_canonical__opportunities",
        "ExpectColumnUniqueValueCountToBeBetween",
        {"column": "currency", "max_value": 1},
    ),
    Invariant(
        "one_currency_in_subscriptions",
        "stg_canonical__subscriptions",
        "error",
        "All subscription MRR is in one currency.",
        "select coalesce(currency, 'JPY') as currency from staging.stg_canonical__subscriptions",
        "ExpectColumnUniqueValueCountToBeBetween",
        {"column": "currency", "max_value": 1},
    ),
    Invariant(
        "subscription_ends_after_start",
        "stg_canonical__subscriptions",
        "warn",
        "A subscription's end_date is on or after its start_date.",
        "select start_date, end_date from staging.stg_canonical__subscriptions",
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {
            "column_A": "end_date",
            "column_B": "start_date",
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        },
    ),
    Invariant(
        "mrr_not_negative",
        "stg_canonical__subscriptions",
        "warn",
        "MRR is not negative.",
        "select mrr from staging.stg_canonical__subscriptions",
        "ExpectColumnValuesToBeBetween",
        {"column": "mrr", "min_value": 0},
    ),
    Invariant(
        "lead_score_in_range",
        "stg_canonical__leads",
        "warn",
        "Lead scores are between 0 and 100.",
        "select lead_score from staging.stg_canonical__leads",
        "ExpectColumnValuesToBeBetween",
        {"column": "lead_score", "min_value": 0, "max_value": 100},
    ),
    Invariant(
        "meeting_scheduled_after_set",
        "stg_canonical__meetings",
        "warn",
        "A meeting is scheduled at or after the moment it was set.",
        "select created_at, scheduled_at from staging.stg_canonical__meetings",
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {"column_A": "scheduled_at", "column_B": "created_at", "or_equal": True},
    ),
)


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
    observed: object = None  # for expectations over the whole column (distinct counts)

    @property
    def message(self) -> str:
        if self.unexpected_percent is None and self.observed is not None:
            return f"{self.name}: observed {self.observed}"
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


def lead_features(con: duckdb.DuckDBPyConnection, definitions: LeadDefinitions) -> pd.DataFrame:
    """The per-lead rule columns, plus one column per drift check."""
    columns = [rule.column for rule in definitions.rules]
    available = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'intermediate' and table_name = 'int_lead_definition_features'"
        ).fetchall()
    }
    missing = [c for c in columns if c not in available]
    if missing:
        raise RuntimeError(
            "expectations/lead_definitions.yml names rules that "
            "int_lead_definition_features does not compute: " + ", ".join(missing)
        )
    frame = con.execute(f"select {', '.join(columns)} from {FEATURES_TABLE}").df()
    for column in columns:
        frame[column] = frame[column].astype("boolean")
    for check in definitions.checks:
        rule_columns = [definitions.rule(name).column for name in check.rules]
        in_population = frame[rule_columns].notna().any(axis=1)
        breaks_any = frame[rule_columns].fillna(False).any(axis=1)
        frame[check.column] = breaks_any.where(in_population, pd.NA).astype("boolean")
    return frame


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


def validate(working: Path, data_docs: Path, definitions: LeadDefinitions) -> ValidationReport:
    """Run both suites on the working warehouse; write Data Docs to ``data_docs``."""
    _quiet_gx()
    import great_expectations as gx

    con = duckdb.connect(str(working), read_only=True)
    try:
        features = lead_features(con, definitions)
        invariant_frames = {inv.name: con.execute(inv.query).df() for inv in INVARIANTS}
    finally:
        con.close()

    context = _context(data_docs)
    source = context.data_sources.add_pandas("working_warehouse")
    validation_definitions = []
    expected: dict[str, tuple[str, Invariant | None]] = {}

    lead_suite = context.suites.add(gx.ExpectationSuite(name=LEAD_SUITE))
    for rule in definitions.rules:
        lead_suite.add_expectation(
            gx.expectations.ExpectColumnValuesToBeInSet(
                column=rule.column,
                value_set=[False],
                meta={"name": rule.name, "severity": rule.severity, "owner": rule.owner_department},
            )
        )
    for check in definitions.checks:
        lead_suite.add_expectation(
            gx.expectations.ExpectColumnValuesToBeInSet(
                column=check.column,
                value_set=[False],
                mostly=1 - check.max_violation_pct / 100,
                meta={"name": check.name, "severity": check.severity},
            )
        )
    lead_asset = source.add_dataframe_asset("int_lead_definition_features")
    validation_definitions.append(
        gx.ValidationDefinition(
            name=LEAD_SUITE,
            data=lead_asset.add_batch_definition_whole_dataframe("features"),
            suite=lead_suite,
        )
    )
    batches = {LEAD_SUITE: features}

    for invariant in INVARIANTS:
        suite = context.suites.add(gx.ExpectationSuite(name=f"{CONTRACT_SUITE}.{invariant.name}"))
        expectation_class = getattr(gx.expectations, invariant.expectation)
        suite.add_expectation(
            expectation_class(
                **invariant.kwargs,
                meta={"name": invariant.name, "severity": invariant.severity},
            )
        )
        asset = source.add_dataframe_asset(f"{invariant.model}.{invariant.name}")
        validation_definitions.append(
            gx.ValidationDefinition(
                name=suite.name,
                data=asset.add_batch_definition_whole_dataframe("columns"),
                suite=suite,
            )
        )
        batches[suite.name] = invariant_frames[invariant.name]
        expected[invariant.name] = (invariant.model, invariant)

    outcomes: list[Outcome] = []
    thresholds = {c.name: c.max_violation_pct for c in definitions.checks}
    descriptions = {r.name: r.description for r in definitions.rules}
    descriptions.update({c.name: c.description for c in definitions.checks})
    for validation in validation_definitions:
        validation = context.validation_definitions.add(validation)
        result = validation.run(batch_parameters={"dataframe": batches[validation.name]})
        for item in result.results:
            meta = item.expectation_config.meta or {}
            name = meta["name"]
            model, invariant = expected.get(name, ("int_lead_definition_features", None))
            details = item.result or {}
            unexpected = details.get("unexpected_count")
            element_count = details.get("element_count") or 0
            missing = details.get("missing_count") or 0
            percent = details.get("unexpected_percent")
            observed = details.get("observed_value")
            outcomes.append(
                Outcome(
                    name=name,
                    model=model,
                    severity=meta["severity"],
                    passed=bool(item.success),
                    description=invariant.description if invariant else descriptions[name],
                    element_count=int(element_count - missing),
                    unexpected_count=int(unexpected or 0),
                    unexpected_percent=percent,
                    threshold_percent=thresholds.get(name),
                    observed=observed if unexpected is None else None,
                )
            )
    context.build_data_docs(site_names=["kpitree"])
    return ValidationReport(outcomes=outcomes, data_docs=data_docs / "index.html")
