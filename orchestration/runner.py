"""Run the nightly job in-process, as ``kpitree run`` and the tests do.

The same Dagster job the schedule runs; this module only chooses its resources,
prints concise progress, and turns the outcome into a result a CLI can exit with.
The run is recorded in the Dagster instance under ``DAGSTER_HOME`` (default
``var/dagster_home``), so ``dagster dev`` lists it beside scheduled runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from dagster import AssetCheckSeverity, DagsterInstance, logger

from orchestration.jobs import nightly_kpi_job
from orchestration.lock import warehouse_lock
from orchestration.settings import WarehousePaths, dagster_home
from orchestration.workfiles import private_files, rotate_run_log

Say = Callable[[str], None]

# What each step of the job does, for the progress lines.
STEP_LABELS = {
    "canonical_raw_tables": "ingest",
    "kpi_dbt_assets": "dbt build",
    "great_expectations_checks": "checks",
    "published_warehouse": "publish",
    "dashboard_site": "dashboard",
    "alert_deliveries": "alerts",
}


@dataclass
class RunOutcome:
    success: bool
    published: Path
    working: Path
    failed_step: str | None = None
    error: str | None = None
    ingest_summary: str = ""
    check_failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data_docs: Path | None = None
    run_log: Path | None = None
    run_id: str | None = None
    seconds: float = 0.0
    was_published: bool = False  # False after a failure or when nothing was new


def _meta(record: logging.LogRecord) -> dict:
    return getattr(record, "dagster_meta", None) or {}


def _progress_logger(say: Say, verbose: bool):
    """One line per step and a few progress lines; with ``verbose``, every log line."""

    class _Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            meta = _meta(record)
            if verbose:
                say(meta.get("orig_message") or record.getMessage())
                return
            event = meta.get("dagster_event")
            step = meta.get("step_key") or ""
            if event is not None:
                label = STEP_LABELS.get(step, step)
                if event.event_type_value == "STEP_START":
                    say(f"[step] {label} ({step})")
                elif event.event_type_value == "STEP_FAILURE":
                    say(f"[step] {label} FAILED")
                return
            if getattr(record, "kpitree_progress", False):
                say("  " + (meta.get("orig_message") or record.getMessage()))

    @logger(description="One line per step for the command line.")
    def progress(_init_context):
        log = logging.getLogger("kpitree.progress")
        log.handlers = [_Handler()]
        # Dagster logs its step events at DEBUG: a logger at INFO never sees them.
        log.setLevel(logging.DEBUG)
        log.propagate = False
        return log

    return progress


def _file_logger(stream: TextIO):
    """Every Dagster log line of the run, into the run's log file."""

    class _Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stamp = datetime.fromtimestamp(record.created, UTC).astimezone()
            stream.write(f"{stamp.isoformat(timespec='milliseconds')} {record.getMessage()}\n")
            stream.flush()

    @logger(description="The run's full log, in <work>/logs/run.log.")
    def run_log(_init_context):
        log = logging.getLogger("kpitree.run_log")
        log.handlers = [_Handler()]
        log.setLevel(logging.DEBUG)
        log.propagate = False
        return log

    return run_log


def _root_cause(error) -> str:
    """The innermost error message: what went wrong, not Dagster's wrapper."""
    if error is None:
        return "unknown error"
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


# Written when DAGSTER_HOME has no dagster.yaml: Dagster otherwise says so on every run.
DAGSTER_YAML = """\
# The Dagster instance of kpitree: `kpitree run` and `dagster dev` (make dev) record runs here.
# Settings: https://docs.dagster.io/deployment/oss/dagster-yaml
telemetry:
  enabled: false
"""


def dagster_instance() -> DagsterInstance:
    """The persistent instance under ``DAGSTER_HOME``, the one ``dagster dev`` shows."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return DagsterInstance.from_config(str(home))


def run_pipeline(
    landing: Path,
    warehouse: Path,
    say: Say = print,
    *,
    verbose: bool = False,
    wait: bool = False,
    full_refresh: bool = False,
) -> RunOutcome:
    """Ingest ``landing``, build, check and publish to ``warehouse``.

    Holds the warehouse's run lock throughout: raises
    :class:`orchestration.lock.WarehouseBusy` when another run holds it (unless
    ``wait``). The run's full log goes to ``<work>/logs/run.log``.
    """
    started = time.monotonic()
    landing = landing.resolve()
    paths = WarehousePaths(warehouse.resolve())
    with ExitStack() as stack:
        stack.enter_context(warehouse_lock(paths.published, wait=wait, on_wait=say))
        stack.enter_context(private_files())
        rotate_run_log(paths)
        # Append mode: dbt's lines are appended to the same file through another handle.
        log_file = stack.enter_context(paths.run_log.open("a", encoding="utf-8"))
        # Importing the definitions builds the dbt assets: the first time in a process, that
        # prepares dbt's manifest (orchestration.project.prepared_manifest).
        from orchestration.assets.publish import PUBLISHED_ASSET_KEY
        from orchestration.definitions import build_definitions

        defs = build_definitions(
            landing,
            paths.published,
            loggers={"progress": _progress_logger(say, verbose), "run_log": _file_logger(log_file)},
            dbt_log=paths.run_log,
            echo_dbt=verbose,
            full_refresh=full_refresh,
        )
        job = defs.resolve_job_def(nightly_kpi_job.name)
        instance = stack.enter_context(dagster_instance())
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"progress": {}, "run_log": {}}},
        )
    outcome = RunOutcome(
        success=result.success,
        published=paths.published,
        working=paths.working,
        run_log=paths.run_log,
        run_id=result.run_id,
        seconds=time.monotonic() - started,
    )
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            if materialization.asset_key == PUBLISHED_ASSET_KEY:
                outcome.was_published = True
            metadata = materialization.metadata
            if "run_summary" in metadata and not outcome.ingest_summary:
                outcome.ingest_summary = metadata["run_summary"].value
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if "data_docs" in evaluation.metadata:
                outcome.data_docs = Path(evaluation.metadata["data_docs"].value)
            if evaluation.passed:
                continue
            line = f"{evaluation.check_name} on {evaluation.asset_key.to_user_string()}"
            if evaluation.description:
                line += f" — {evaluation.description}"
            if evaluation.severity == AssetCheckSeverity.ERROR:
                outcome.check_failures.append(line)
            else:
                outcome.warnings.append(line)
    failures = result.get_step_failure_events()
    if failures:
        first = failures[0]
        outcome.failed_step = first.step_key
        outcome.error = _root_cause(first.step_failure_data.error)
    elif not result.success:
        outcome.failed_step = "run"
        outcome.error = "the run did not finish"
    return outcome
