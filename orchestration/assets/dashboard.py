"""After publishing: the dashboard site people open (orchestration/dashboard)."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from orchestration.assets.publish import PUBLISHED_ASSET_KEY
from orchestration.dashboard.site import build_site
from orchestration.resources import KpitreeResource
from orchestration.settings import warehouse_target

DASHBOARD_ASSET_KEY = AssetKey("dashboard_site")


@asset(key=DASHBOARD_ASSET_KEY, deps=[PUBLISHED_ASSET_KEY], group_name="deliver")
def dashboard_site(context: AssetExecutionContext, kpitree: KpitreeResource) -> MaterializeResult:
    """The static dashboard site of the published file, beside it in ``<stem>_dashboard/``:
    one folder for the company and one per department, replaced whole."""
    paths = kpitree.paths
    if warehouse_target() == "postgres":
        context.log.info("dashboard: not written for the postgres target (it reads DuckDB)")
        return MaterializeResult(metadata={"skipped": "postgres target"})
    folders = build_site(paths.published, paths.dashboard)
    context.log.info(f"dashboard: {folders[0]} ({len(folders)} folders)")
    return MaterializeResult(metadata={"path": str(paths.dashboard), "folders": len(folders)})
