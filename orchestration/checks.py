"""Great Expectations as Dagster asset checks, on the assets they guard.

The lead-definition rules and drift checks sit on ``int_lead_definition_features``;
the contract invariants on the staging models they read. Checks of severity
``error`` are blocking: when one fails, the publish step does not run and the
published warehouse stays as it was. ``warn`` checks are recorded and published.
"""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    multi_asset_check,
)
from dagster_dbt import get_asset_key_for_model

from orchestration.assets.dbt import kpi_dbt_assets
from orchestration.lead_definitions import default_definitions
from orchestration.resources import KpitreeResource
from orchestration.validation import INVARIANTS, validate

FEATURES_MODEL = "int_lead_definition_features"


def _spec(name: str, model: str, severity: str, description: str) -> AssetCheckSpec:
    return AssetCheckSpec(
        name=name,
        asset=get_asset_key_for_model([kpi_dbt_assets], model),
        blocking=severity == "error",
        description=f"[{severity}] {description}",
    )


def check_specs() -> list[AssetCheckSpec]:
    definitions = default_definitions()
    specs = [_spec(r.name, FEATURES_MODEL, r.severity, r.description) for r in definitions.rules]
    specs += [_spec(c.name, FEATURES_MODEL, c.severity, c.description) for c in definitions.checks]
    specs += [_spec(i.name, i.model, i.severity, i.description) for i in INVARIANTS]
    return specs


@multi_asset_check(
    specs=check_specs(),
    name="great_expectations_checks",
    description="The shared MQL/SQL definition and the input contract's invariants (GX).",
)
def great_expectations_checks(context: AssetCheckExecutionContext, kpitree: KpitreeResource):
    paths = kpitree.paths
    report = validate(paths.working, paths.data_docs, default_definitions())
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
            asset_key=get_asset_key_for_model([kpi_dbt_assets], outcome.model),
            check_name=outcome.name,
            passed=outcome.passed,
            severity=(
                AssetCheckSeverity.ERROR if outcome.severity == "error" else AssetCheckSeverity.WARN
            ),
            description=outcome.message,
            metadata=metadata,
        )
