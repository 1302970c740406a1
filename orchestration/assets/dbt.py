"""The dbt project as Dagster assets; dbt tests become asset checks."""

import json

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.lead_definitions import write_seeds
from orchestration.project import dbt_project
from orchestration.resources import KpitreeResource
from orchestration.settings import dbt_vars_override


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def kpi_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, kpitree: KpitreeResource):
    """Build and test every model in the working warehouse."""
    # The shared MQL/SQL definition reaches dbt as seeds written from its one file.
    write_seeds()
    args = ["build"]
    overrides = dbt_vars_override()
    if overrides:
        args += ["--vars", json.dumps(overrides)]
    with kpitree.dbt_environment():
        yield from dbt.cli(args, context=context).stream()
