"""The publish step: swap the checked metrics into the file BI tools read."""

from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset
from dagster_dbt import get_asset_key_for_model

from orchestration.assets.dbt import build_dbt_assets
from orchestration.build_state import record_published
from orchestration.project import prepared_manifest
from orchestration.publish import publish
from orchestration.resources import KpitreeResource
from orchestration.settings import duckdb_settings, warehouse_target

# Publishing waits for these models and for the blocking checks on them: the
# definition's drift checks (GX) on the rule results, the one-currency tests (dbt).
PUBLISHED_MODELS = (
    "kpi_values",
    "kpi_values_current",
    "kpi_definitions",
    "lead_definition_violations",
    "int_lead_definition_rule_results",
    "int_opportunities",
    "int_subscriptions",
)
PUBLISHED_ASSET_KEY = AssetKey("published_warehouse")


@asset(
    key=PUBLISHED_ASSET_KEY,
    deps=[get_asset_key_for_model([build_dbt_assets()], name) for name in PUBLISHED_MODELS],
    group_name="publish",
)
def published_warehouse(
    context: AssetExecutionContext, kpitree: KpitreeResource
) -> MaterializeResult:
    """What BI tools read: schemas ``metrics`` and ``quality``, replaced atomically, and
    only after every model and check upstream has passed. In the DuckDB file, or on the
    PostgreSQL server by a schema swap (``KPITREE_TARGET=postgres``); from Spark, as a
    new Parquet version behind a pointer file and as the DuckDB file
    (``KPITREE_TARGET=spark``)."""
    paths = kpitree.paths
    if warehouse_target() == "postgres":
        from orchestration.postgres import publish as publish_schemas

        tables = publish_schemas()
        record_published(paths)
        context.log.info(f"published {len(tables)} tables to PostgreSQL (metrics, quality)")
        return MaterializeResult(metadata={"target": "postgres", "tables": ", ".join(tables)})
    if warehouse_target() == "spark":
        version, tables = _publish_from_spark(paths)
        record_published(paths)
        context.log.info(f"published {len(tables)} tables to {paths.published} and {version}")
        return MaterializeResult(
            metadata={
                "path": str(paths.published),
                "parquet": str(version),
                "tables": ", ".join(tables),
            }
        )
    tables = publish(paths.working, paths.published, duckdb_settings(paths))
    record_published(paths)
    context.log.info(f"published {len(tables)} tables to {paths.published}")
    return MaterializeResult(metadata={"path": str(paths.published), "tables": ", ".join(tables)})


def _publish_from_spark(paths) -> tuple[Path, list[str]]:
    """The tables dbt built on Spark: copied as a new Parquet version, loaded into the
    working DuckDB file with their contract's types and published from there as on
    DuckDB (history, storage version, atomic replace); then the Parquet pointer is
    switched. Returns the version folder and the published tables."""
    from orchestration import spark

    root = spark.parquet_folder(paths.published)
    version = spark.write_version(paths.workdir, root)
    types = spark.contract_types(prepared_manifest())
    spark.load_into_working(version, paths.working, types, duckdb_settings(paths))
    tables = publish(paths.working, paths.published, duckdb_settings(paths))
    spark.switch_pointer(root, version)
    return version, tables
