"""Run the nightly job in-process, as ``kpitree run`` and the tests do.

The same Dagster job the schedule runs; this module only chooses its resources,
prints concise progress, and turns the outcome into a result a CLI can exit with.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dagster import AssetCheckSeverity, DagsterInstance, logger

from orchestration.jobs import nightly_kpi_job
from orchestration.project import prepare_manifest
from orchestration.settings import WarehousePaths

Say = Callable[[str], None]


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


def _progress_logger(say: Say):
    class _Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            meta = getattr(record, "dagster_meta", None) or {}
            event = meta.get("dagster_event")
            step = meta.get("step_key") or ""
            if event is not None:
                kind = event.event_type_value
                if kind == "STEP_START":
                    say(f"[step] {step} ...")
                elif kind == "STEP_SUCCESS":
                    say(f"[step] {step} done")
                elif kind == "STEP_FAILURE":
                    say(f"[step] {step} FAILED")
                elif kind == "ASSET_MATERIALIZATION" and step.startswith("kpi_dbt_assets"):
                    key = event.event_specific_data.materialization.asset_key
                    say(f"  built {key.to_user_string()}")
                return
            message = meta.get("orig_message") or ""
            if message.startswith("ingest ["):
                say("  " + message)

    @logger(description="One line per step for the command line.")
    def progress(_init_context):
        log = logging.getLogger("kpitree.progress")
        log.handlers = [_Handler()]
        log.setLevel(logging.INFO)
        log.propagate = False
        return log

    return progress


def _root_cause(error) -> str:
    """The innermost error message: what went wrong, not Dagster's wrapper."""
    if error is None:
        return "unknown error"
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def run_pipeline(landing: Path, warehouse: Path, say: Say = print) -> RunOutcome:
    """Ingest ``landing``, build, check and publish to ``warehouse``."""
    landing = landing.resolve()
    if "orchestration.assets.dbt" not in sys.modules:
        # The dbt assets read the manifest when first imported: make it current first.
        prepare_manifest()
    from orchestration.definitions import build_definitions

    paths = WarehousePaths(warehouse.resolve())
    paths.ensure()
    defs = build_definitions(landing, paths.published, loggers={"progress": _progress_logger(say)})
    job = defs.resolve_job_def(nightly_kpi_job.name)
    with DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"progress": {}}},
        )
    outcome = RunOutcome(success=result.success, published=paths.published, working=paths.working)
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            metadata = event.event_specific_data.materialization.metadata
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
