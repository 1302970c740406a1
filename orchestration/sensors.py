"""Start a run when new files land. The sensor only lists the landing folder: it
never opens the warehouse (a run may be writing it)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from orchestration.jobs import nightly_kpi_job
from orchestration.settings import default_landing


def landing_fingerprint(landing: Path) -> str | None:
    """A digest of every file's path, size and modification time; None when there
    are no files."""
    files = sorted(p for p in landing.rglob("*") if p.is_file()) if landing.is_dir() else []
    if not files:
        return None
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(f"{path.relative_to(landing)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@sensor(
    name="landing_files_sensor",
    job=nightly_kpi_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Runs the KPI job when files in the landing folder change.",
)
def landing_files_sensor(context: SensorEvaluationContext):
    landing = default_landing()
    fingerprint = landing_fingerprint(landing)
    if fingerprint is None:
        return SkipReason(f"no files in the landing folder {landing}")
    if fingerprint == context.cursor:
        return SkipReason("no new files")
    context.update_cursor(fingerprint)
    return RunRequest(run_key=fingerprint)
