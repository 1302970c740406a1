"""Dagster Definitions: only wiring. ``dagster dev -m orchestration.definitions``."""

from __future__ import annotations

from pathlib import Path

from dagster import Definitions, LoggerDefinition
from dagster_dbt import DbtCliResource

from orchestration.assets.alerts import alert_deliveries
from orchestration.assets.dashboard import dashboard_site
from orchestration.assets.dbt import build_dbt_assets
from orchestration.assets.ingest import canonical_raw_tables
from orchestration.assets.publish import published_warehouse
from orchestration.checks import great_expectations_checks
from orchestration.jobs import nightly_kpi_job
from orchestration.project import dbt_executable, dbt_project
from orchestration.resources import KpitreeResource
from orchestration.schedules import nightly_kpi_schedule
from orchestration.sensors import landing_files_sensor
from orchestration.settings import default_landing, default_warehouse, warehouse_target


def build_definitions(
    landing: Path,
    warehouse: Path,
    loggers: dict[str, LoggerDefinition] | None = None,
    dbt_log: Path | None = None,
    echo_dbt: bool = True,
    full_refresh: bool = False,
) -> Definitions:
    """The pipeline for one landing folder and one published warehouse.

    ``dbt_log``: a file dbt's output is appended to (else stdout, where Dagster's
    compute logs capture it); ``echo_dbt``: with ``dbt_log``, also to stdout;
    ``full_refresh``: rebuild every model from all the data.
    """
    return Definitions(
        loggers=loggers,
        assets=[
            canonical_raw_tables,
            build_dbt_assets(),
            published_warehouse,
            dashboard_site,
            alert_deliveries,
        ],
        asset_checks=[great_expectations_checks],
        jobs=[nightly_kpi_job],
        schedules=[nightly_kpi_schedule],
        sensors=[landing_files_sensor],
        resources={
            "dbt": DbtCliResource(
                project_dir=dbt_project,
                dbt_executable=dbt_executable(),
                target=warehouse_target(),
            ),
            "kpitree": KpitreeResource(
                landing_dir=str(landing),
                warehouse=str(warehouse),
                dbt_log=str(dbt_log or ""),
                echo_dbt=echo_dbt,
                full_refresh=full_refresh,
            ),
        },
    )


defs = build_definitions(default_landing(), default_warehouse())
