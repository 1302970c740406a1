"""After publishing: tell the alert channels what is new (orchestration/alerts)."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from orchestration.alerts.config import AlertConfigError, load_config
from orchestration.alerts.delivery import deliver
from orchestration.assets.dashboard import DASHBOARD_ASSET_KEY
from orchestration.resources import KpitreeResource
from orchestration.settings import default_alerts_file, run_date, warehouse_target


# After the dashboard: the messages link to its alerts page.
@asset(key=AssetKey("alert_deliveries"), deps=[DASHBOARD_ASSET_KEY], group_name="deliver")
def alert_deliveries(context: AssetExecutionContext, kpitree: KpitreeResource) -> MaterializeResult:
    """The off-track alerts of the published file, sent once to each channel of the alerts
    file (KPITREE_ALERTS). A channel that fails is logged and retried on the next run; it
    never fails the run, which has published already."""
    if warehouse_target() == "postgres":
        context.log.info("alerts: not sent for the postgres target (they read the DuckDB file)")
        return MaterializeResult(metadata={"skipped": "postgres target"})
    source = default_alerts_file()
    if source is None:
        context.log.info("alerts: no channels (KPITREE_ALERTS is not set)")
        return MaterializeResult(metadata={"channels": 0})
    try:
        config = load_config(source)
    except AlertConfigError as error:
        context.log.warning(f"alerts: not sent: {error}")
        return MaterializeResult(metadata={"error": str(error)})
    paths = kpitree.paths
    try:
        outcomes = deliver(
            config, paths.published, paths.alerts_state, run_date(), log=lambda _: None
        )
    except Exception as error:  # publishing is done: nothing here may fail the run
        context.log.warning(f"alerts: not sent: {type(error).__name__}: {error}")
        return MaterializeResult(metadata={"error": f"{type(error).__name__}: {error}"})
    for outcome in outcomes:
        if outcome.error:
            context.log.warning(f"alerts: {outcome.line}")
        else:
            context.log.info(f"alerts: {outcome.line}")
    return MaterializeResult(
        metadata={
            "channels": len(outcomes),
            "new alerts sent": sum(o.new for o in outcomes if not o.error),
            "recoveries sent": sum(o.recovered for o in outcomes if not o.error),
            "channels failed": ", ".join(o.channel for o in outcomes if o.error) or "none",
        }
    )
