"""Great Expectations as Dagster asset checks, on the assets they guard.

The rules and drift checks of the shared MQL/SQL definition sit on
``int_lead_definition_rule_results``, the model that judges them. Checks of severity
``error`` are blocking: when one fails, the publish step does not run and the
published warehouse stays as it was. ``warn`` checks are recorded and published.
The input contract's invariants are dbt tests, which dagster-dbt makes asset checks.
"""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    multi_asset_check,
)
from dagster_dbt import get_asset_key_for_model

from orchestration.assets.dbt import build_dbt_assets
from orchestration.lead_definitions import default_definitions
from orchestration.resources import KpitreeResource
from orchestration.settings import duckdb_settings
from orchestration.validation import RULE_RESULTS_MODEL, validate


def _spec(name: str, model: str, severity: str, description: str) -> AssetCheckSpec:
    return AssetCheckSpec(
        name=name,
        asset=get_asset_key_for_model([build_dbt_assets()], model),
        blocking=severity == "error",
        description=f"[{severity}] {description}",
    )


def check_specs() -> list[AssetCheckSpec]:
    definitions = default_definitions()
    specs = [
        _spec(r.name, RULE_RESULTS_MODEL, r.severity, r.description) for r in definitions.rules
    ]
    specs += [
        _spec(c.name, RULE_RESULTS_MODEL, c.severity, c.description) for c in definitions.checks
    ]
    return specs


@multi_asset_check(
    specs=check_specs(),
    name="great_expectations_checks",
    description="The rules and drift checks of the shared MQL/SQL definition (GX).",
)
def great_expectations_checks(context: AssetCheckExecutionContext, kpitree: KpitreeResource):
    paths = kpitree.paths
    report = validate(
        paths.working, paths.data_docs, default_definitions(), config=duckdb_settings(paths)
    )
    context.log.info(f"Data Docs: {report.data_docs}")
    for outcome in report.outcomes:
        metadata = {
            "rows_checked": outcome.element_count,
            "rows_breaking": outcome.unexpected_count,
            "data_docs": str(report.data_docs),
        }
        if outcome.unexpected_percent is not None:
            metadata["percent_breaking"] = round(float(outcome.unexpected_percent), 4)
        if outcome.threshold_percent is not None:
            metadata["threshold_percent"] = outcome.threshold_percent
        yield AssetCheckResult(
            asset_key=get_asset_key_for_model([build_dbt_assets()], outcome.model),
            check_name=outcome.name,
            passed=outcome.passed,
            severity=(
                AssetCheckSeverity.ERROR if outcome.severity == "error" else AssetCheckSeverity.WARN
            ),
            description=outcome.message,
            metadata=metadata,
        )
