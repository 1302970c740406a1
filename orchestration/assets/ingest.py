"""Ingest the landing folder into the raw tables that the dbt sources read."""

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, multi_asset
from dagster_dbt import get_asset_keys_by_output_name_for_source

from orchestration.assets.dbt import PROGRESS, PROGRESS_STEPS, build_dbt_assets
from orchestration.ingest import ingest_landing
from orchestration.resources import KpitreeResource

RAW_ASSET_KEYS = get_asset_keys_by_output_name_for_source([build_dbt_assets()], "canonical")


@multi_asset(
    specs=[
        AssetSpec(key, description=f"raw.{key.path[-1]}: every loaded row version.")
        for key in RAW_ASSET_KEYS.values()
    ],
    group_name="ingest",
    can_subset=False,
)
def canonical_raw_tables(context: AssetExecutionContext, kpitree: KpitreeResource):
    """Load new landing files into ``raw``; bad rows go to ``quality.quarantine``."""
    kpitree.paths.ensure()

    def progress(name: str, done: int, total: int) -> None:
        # Every file in the run's log; a progress line at each quarter of the files.
        quarter = done * PROGRESS_STEPS // max(total, 1)
        shown = quarter > (done - 1) * PROGRESS_STEPS // max(total, 1)
        context.log.info(f"ingest [{done}/{total}] {name}", extra=PROGRESS if shown else None)

    con = kpitree.paths.connect_working()
    try:
        report = ingest_landing(con, kpitree.landing, kpitree.timezone, progress=progress)
    finally:
        con.close()
    summary = report.summary()
    context.log.info(summary)
    by_table: dict[str, list] = {}
    for result in report.files:
        by_table.setdefault(result.table, []).append(result)
    for key in RAW_ASSET_KEYS.values():
        files = by_table.get(key.path[-1], [])
        yield MaterializeResult(
            asset_key=key,
            metadata={
                "new_files": len(files),
                "rows_read": sum(f.rows_read for f in files),
                "rows_loaded": sum(f.rows_loaded for f in files),
                "rows_quarantined": sum(f.rows_quarantined for f in files),
                "run_summary": summary,
            },
        )
