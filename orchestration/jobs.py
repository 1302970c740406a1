"""The one pipeline job: ingest -> dbt build (tests as checks) -> publish."""

from dagster import AssetSelection, define_asset_job, in_process_executor

# DuckDB allows one writer: every step runs in one process, one after another.
nightly_kpi_job = define_asset_job(
    name="nightly_kpi_job",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Ingest new landing files, build and test the KPI models, publish.",
)
