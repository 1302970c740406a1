"""The dbt project as Dagster assets; dbt's data tests become asset checks.

The assets are built by :func:`build_dbt_assets`, not at import: they are defined from the
manifest, which :func:`orchestration.project.prepared_manifest` prepares once per process,
so importing this module never parses the project and every caller gets one definition.

The nightly build leaves dbt's unit tests out (:data:`BUILD_ARGS`): they test the SQL
logic on fixed inputs, not the night's data, so they run once where the models are
checked (``make dbt-build`` in ``make test``), not in every run of the job.
"""

import functools
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import ExitStack, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from dagster import AssetExecutionContext, AssetsDefinition
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.build_state import (
    BuildInputs,
    current_inputs,
    forget_published,
    last_published,
    record_pending,
)
from orchestration.project import dbt_project, prepared_manifest, write_generated_seeds
from orchestration.resources import KpitreeResource
from orchestration.settings import dbt_vars_override, warehouse_target
from orchestration.workfiles import make_private

# dbt events that end one node (a model, seed, snapshot or test), skipped ones included.
NODE_DONE_EVENTS = frozenset(
    {"LogModelResult", "LogSeedResult", "LogSnapshotResult", "LogTestResult", "SkippingDetails"}
)
PROGRESS_STEPS = 4  # a progress line at each quarter of the nodes
# Marks a log message as a progress line for the command line (see orchestration.runner).
PROGRESS = {"kpitree_progress": True}
# The job's dbt command: every model, seed and data test, no unit test. dbt's own flag, not
# an --exclude selector, so it holds whatever --select dagster-dbt adds for a subset.
BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")


@dataclass
class DbtProgress:
    """Counts dbt's finished nodes from its structured events."""

    done: int = 0
    total: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    _reported: int = 0

    def observe(self, raw_event: dict) -> str | None:
        """Take one dbt event; return a progress line when a new quarter is reached."""
        name = raw_event.get("info", {}).get("name")
        data = raw_event.get("data", {})
        if name == "StatsLine":
            self.stats = dict(data.get("stats", {}))
            return None
        if name not in NODE_DONE_EVENTS:
            return None
        self.done += 1
        self.total = max(self.total, int(data.get("total") or 0), self.done)
        step = self.done * PROGRESS_STEPS // self.total
        if step > self._reported:
            self._reported = step
            return f"dbt build {self.done}/{self.total}"
        return None

    def summary(self) -> str:
        stats = self.stats
        nodes, errors, warnings = (
            stats.get("total", self.done),
            stats.get("error", 0),
            stats.get("warn", 0),
        )
        line = f"dbt: {nodes} nodes, {_count(errors, 'error')}, {_count(warnings, 'warning')}"
        if stats.get("skip"):
            line += f", {stats['skip']} skipped"
        return line


class _SkippedBuildNotice(logging.Filter):
    """Drop Dagster's warning that the checks of a skipped build "emitted no result": when
    nothing is new, the dbt step yields nothing on purpose and the checks and the publish
    step are skipped with it (their outcome is the published one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "emitted no result in step" not in record.getMessage()


logging.getLogger("dagster._core.execution.plan.active").addFilter(_SkippedBuildNotice())

NOTHING_NEW = (
    "nothing new since the last publish (no new landing file, no changed model or "
    "definition): build, checks and publish skipped, the published file is current"
)


def _full_refresh_reason(
    forced: bool, published: BuildInputs | None, inputs: BuildInputs
) -> str | None:
    """Why this build rebuilds every model from all the data, or None (incremental)."""
    if forced:
        return "asked for (--full-refresh)"
    if published is None:
        return "no published build to continue from"
    if published.code != inputs.code:
        return "models, definitions, seeds or settings changed since the last publish"
    return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class _LineSink:
    """Where dagster-dbt's copy of each dbt line goes: a log file, stdout, or both."""

    def __init__(self, log: TextIO | None, echo: TextIO | None) -> None:
        self._targets = [target for target in (log, echo) if target is not None]

    def write(self, text: str) -> int:
        for target in self._targets:
            target.write(text)
        return len(text)

    def flush(self) -> None:
        for target in self._targets:
            target.flush()


def _dbt_events(invocation, sink: _LineSink) -> Iterator:
    """dbt's events, one by one; dagster-dbt echoes each line to stdout while it reads
    the next one, so stdout is pointed at ``sink`` only for that moment."""
    events = invocation.stream_raw_events()
    while True:
        with redirect_stdout(sink):
            event = next(events, None)
        if event is None:
            return
        yield event


@functools.cache
def build_dbt_assets() -> AssetsDefinition:
    """The dbt models, seeds and sources as Dagster assets (``kpi_dbt_assets``), their data
    tests as asset checks; defined once per process from :func:`prepared_manifest`."""

    @dbt_assets(manifest=prepared_manifest(), project=dbt_project)
    def kpi_dbt_assets(
        context: AssetExecutionContext, dbt: DbtCliResource, kpitree: KpitreeResource
    ):
        """Build and test every model in the working warehouse."""
        yield from _dbt_build(context, dbt, kpitree)

    return kpi_dbt_assets


def _dbt_build(context: AssetExecutionContext, dbt: DbtCliResource, kpitree: KpitreeResource):
    """``dbt build`` without unit tests, its events turned into Dagster's, with progress;
    nothing at all when nothing changed since the last publish (orchestration.build_state)."""
    # The shared MQL/SQL definition and the KPI trees reach dbt as seeds written from
    # their files; a tree file that fails the SMART check is left out, and said.
    for message in write_generated_seeds():
        context.log.warning(message)
    paths = kpitree.paths
    inputs = current_inputs(paths)
    published = last_published(paths)
    if published == inputs and not kpitree.full_refresh:
        context.log.info(NOTHING_NEW, extra=PROGRESS)
        return
    forget_published(paths)
    args = list(BUILD_ARGS)
    full_refresh = _full_refresh_reason(kpitree.full_refresh, published, inputs)
    if full_refresh:
        context.log.info(f"dbt build --full-refresh: {full_refresh}", extra=PROGRESS)
        args.append("--full-refresh")
    overrides = dbt_vars_override()
    if overrides:
        args += ["--vars", json.dumps(overrides)]
    record_pending(paths, inputs)
    if warehouse_target() == "postgres":
        # The landed rows go to the server in bulk; dbt builds there (target postgres).
        from orchestration.postgres import load_working

        copied = load_working(paths.working)
        context.log.info(
            f"copied the landed rows to PostgreSQL: {sum(copied.values()):,} rows in "
            f"{len(copied)} tables",
            extra=PROGRESS,
        )
    elif warehouse_target() == "spark":
        # The landed rows as Parquet; dbt's on-run-start hook declares them to Spark.
        from orchestration.spark import land, landed_folder

        written = land(paths.working, landed_folder(paths.workdir))
        context.log.info(
            f"landed the rows for Spark as Parquet: {sum(written.values()):,} rows in "
            f"{len(written)} tables",
            extra=PROGRESS,
        )
    progress = DbtProgress()
    with ExitStack() as stack:
        stack.enter_context(kpitree.dbt_environment())
        log = None
        if kpitree.dbt_log:
            log_path = Path(kpitree.dbt_log)
            log_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            log = stack.enter_context(log_path.open("a", encoding="utf-8"))
        sink = _LineSink(log, sys.stdout if kpitree.echo_dbt or log is None else None)
        # One target folder per warehouse, emptied when a run starts: dbt's artifacts and
        # its dbt.log stay with the run's other working files and do not pile up.
        invocation = dbt.cli(args, context=context, target_path=paths.dbt_target)
        # dagster-dbt copies the project's partial_parse.msgpack in with its mode (0644).
        make_private(paths.dbt_target)
        try:
            for event in _dbt_events(invocation, sink):
                line = progress.observe(event.raw_event)
                if line:
                    context.log.info(line, extra=PROGRESS)
                yield from event.to_default_asset_events(
                    manifest=invocation.manifest,
                    dagster_dbt_translator=invocation.dagster_dbt_translator,
                    context=context,
                    target_path=invocation.target_path,
                    project=invocation.project,
                )
        finally:
            make_private(paths.dbt_target)
            context.log.info(progress.summary(), extra=PROGRESS)
