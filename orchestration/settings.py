"""Run settings: where things are, which timezone and fiscal year to report in.

Every setting has one default. The reporting timezone and fiscal-year start live in
``dbt_project/dbt_project.yml`` (``vars``), which both dbt and the ingest step read;
environment variables override them for a deployment.

| variable | default | meaning |
| --- | --- | --- |
| KPITREE_LANDING | ./var/landing | the landing folder the nightly job and sensor read |
| KPITREE_WAREHOUSE | ./var/kpitree.duckdb | the published DuckDB file BI tools open |
| KPITREE_REPORTING_TZ | vars.reporting_timezone | reporting timezone |
| KPITREE_FISCAL_YEAR_START_MONTH | vars.fiscal_year_start_month | 1-12 |
| KPITREE_NOW | the current time | the run's clock (ISO 8601; UTC without an offset): landing
  timestamps later than it + 1 day are quarantined (see the accepted range at the end), and
  its local date is the run date metrics.kpi_history records |
| DAGSTER_HOME | ./var/dagster_home | the Dagster instance; command-line runs are recorded there |
| KPITREE_DUCKDB_MEMORY_LIMIT | 2GB | DuckDB's memory limit for the working database; larger
  intermediate results spill to ``<work>/spill`` |
| KPITREE_DUCKDB_THREADS | the number of cores | DuckDB's worker threads |
| KPITREE_ALERTS | (none) | the alert channels file (docs/alerts.md); unset: alerts stay in
  ``metrics.kpi_alerts`` and are sent nowhere |
| KPITREE_TARGET | duckdb | where the models build: duckdb, postgres (docs/postgres.md) or
  spark (docs/spark.md); `kpitree run --target` sets it |
| KPITREE_SPARK_CORES | all | the local Spark's cores (``local[N]``) |
| KPITREE_SPARK_DRIVER_MEMORY | 2g | the memory of dbt's local Spark (its JVM heap) |
| KPITREE_SPARK_SHUFFLE_PARTITIONS | 4 | Spark's partitions after a shuffle (its default, 200,
  is for a cluster) |
| KPITREE_SPARK_LANDED | <work>/spark/landed | where the landed rows go as Parquet for Spark
  (a folder a cluster can read, for a remote Spark) |
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import yaml

from orchestration import contract as _contract

REPO_ROOT = Path(__file__).resolve().parent.parent
# The working schemas the ingest step writes, which the dbt sources read (and which the
# PostgreSQL and Spark targets copy to the engine that builds).
LANDED_SCHEMAS = ("raw", "ingest")
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


@cache
def dbt_vars() -> dict:
    with (DBT_PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle).get("vars", {}))


def reporting_timezone() -> str:
    return os.environ.get("KPITREE_REPORTING_TZ") or str(dbt_vars()["reporting_timezone"])


def fiscal_year_start_month() -> int:
    value = os.environ.get("KPITREE_FISCAL_YEAR_START_MONTH")
    return int(value) if value else int(dbt_vars()["fiscal_year_start_month"])


def default_landing() -> Path:
    return Path(os.environ.get("KPITREE_LANDING", "var/landing")).resolve()


def default_warehouse() -> Path:
    return Path(os.environ.get("KPITREE_WAREHOUSE", "var/kpitree.duckdb")).resolve()


TARGETS = ("duckdb", "postgres", "spark")


def warehouse_target() -> str:
    """Where the models build and the metrics are published: ``duckdb`` (the embedded
    default, the published file), ``postgres`` (the server libpq's PG* variables name) or
    ``spark`` (dbt-spark on a local PySpark; published as Parquet versions and the DuckDB
    file), from ``KPITREE_TARGET`` (`kpitree run --target` sets it)."""
    value = (os.environ.get("KPITREE_TARGET") or "duckdb").strip().lower()
    if value not in TARGETS:
        raise ValueError(f"KPITREE_TARGET={value!r}: use one of {', '.join(TARGETS)}")
    return value


def default_alerts_file() -> Path | None:
    """The alert channels file of ``KPITREE_ALERTS``, or None (no delivery)."""
    value = os.environ.get("KPITREE_ALERTS")
    return Path(value).resolve() if value else None


def dagster_home() -> Path:
    """The Dagster instance folder that ``dagster dev`` (``make dev``) also uses."""
    return Path(os.environ.get("DAGSTER_HOME") or "var/dagster_home").resolve()


@dataclass(frozen=True)
class WarehousePaths:
    """The published file and the working files that live beside it.

    ``published`` is what BI tools open; it is only ever replaced whole. Everything
    a run writes while it works goes under ``workdir``, which only the user running
    kpitree can enter (0700; files in it 0600): the working database holds the raw
    rows, personal data included.
    """

    published: Path

    @property
    def workdir(self) -> Path:
        return self.published.parent / f"{self.published.stem}_work"

    @property
    def working(self) -> Path:
        return self.workdir / "working.duckdb"

    @property
    def data_docs(self) -> Path:
        return self.workdir / "data_docs"

    @property
    def logs(self) -> Path:
        return self.workdir / "logs"

    @property
    def run_log(self) -> Path:
        """The full log of the last run: every Dagster event and every dbt line."""
        return self.logs / "run.log"

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this warehouse's runs (its dbt.log included)."""
        return self.workdir / "dbt"

    @property
    def dashboard(self) -> Path:
        """The dashboard site written after each publish, beside the published file (not
        in the private work folder: people open it)."""
        return self.published.parent / f"{self.published.stem}_dashboard"

    @property
    def alerts_state(self) -> Path:
        """What each alert channel has been told: the off-track alerts it announced."""
        return self.workdir / "alerts_sent.json"

    @property
    def spill(self) -> Path:
        """Where DuckDB writes what does not fit in its memory limit (emptied each run)."""
        return self.workdir / "spill"

    def connect_working(self, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection to the working database with the run's DuckDB resource settings."""
        return duckdb.connect(str(self.working), read_only=read_only, config=duckdb_settings(self))

    @property
    def lock(self) -> Path:
        return self.workdir / "run.lock"

    @property
    def staging(self) -> Path:
        """The complete new file a publish writes before moving it over ``published``."""
        return self.published.with_name(self.published.name + ".tmp")

    def ensure(self) -> None:
        self.workdir.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.workdir.stat().st_mode & 0o077:
            self.workdir.chmod(0o700)


# DuckDB keeps a run within this much memory (buffers, hash tables, sorts) and spills the
# rest to disk; the whole run (Python, Dagster, dbt and Great Expectations included) then
# stays under about 4 GiB at 100x the demo data (benchmarks/RESULTS.md).
DEFAULT_DUCKDB_MEMORY_LIMIT = "2GB"


def duckdb_settings(paths: WarehousePaths) -> dict[str, str]:
    """DuckDB's resource settings for every connection a run opens to its working database
    (ingest, dbt through its profile, checks, publish)."""
    return {
        "memory_limit": os.environ.get("KPITREE_DUCKDB_MEMORY_LIMIT")
        or DEFAULT_DUCKDB_MEMORY_LIMIT,
        "threads": os.environ.get("KPITREE_DUCKDB_THREADS") or str(os.cpu_count() or 1),
        "temp_directory": str(paths.spill),
        # Tables are written without keeping the input's row order (models that need an
        # order say ORDER BY): large results then stream in bounded memory.
        "preserve_insertion_order": "false",
    }


def dbt_vars_override() -> dict:
    """The dbt vars to pass when the environment overrides the project defaults; with
    KPITREE_NOW, also the run date the KPI history records (the run's clock, local)."""
    overrides = {}
    if os.environ.get("KPITREE_NOW", "").strip():
        overrides["run_date"] = run_date().isoformat()
    if reporting_timezone() != dbt_vars()["reporting_timezone"]:
        overrides["reporting_timezone"] = reporting_timezone()
    if fiscal_year_start_month() != int(dbt_vars()["fiscal_year_start_month"]):
        overrides["fiscal_year_start_month"] = fiscal_year_start_month()
    return overrides


# --- Accepted range of landing values --------------------------------------------------------
# A number (amount, MRR, probability ...) larger in magnitude than this is quarantined:
# it is a broken export, not a deal, and two such values would sum to infinity. 10^15 yen
# is a thousand times the largest company's yearly revenue; money stays exact below 2^53.
LARGEST_ACCEPTED_NUMBER = 1e15

# Ingestion quarantines a timestamp or date outside these bounds, so that no single value
# (2205-01-01, 0001-01-01, 9999-12-31) stretches the reporting calendar. Which upper bound
# applies depends on the column's ``time_kind`` in the contract. The run's clock is the
# current time in UTC unless KPITREE_NOW (an ISO 8601 timestamp; UTC when it has no
# offset) pins it, e.g. for a reproducible re-run or a test.

EARLIEST_ACCEPTED_DATE = _dt.date(2000, 1, 1)  # every kind: nothing earlier
# How far past the run's clock each kind may lie: a timedelta, whole years, or None (no
# upper bound).
ACCEPTED_AHEAD: dict[str, _dt.timedelta | int | None] = {
    # Events happened: a day of slack for clocks and time zones.
    _contract.EVENT: _dt.timedelta(days=1),
    # Upcoming starts (a contract signed before it starts) extend the calendar, so keep
    # them close: years.
    _contract.UPCOMING: 2,
    # Planned dates do not extend the calendar; the bound only keeps placeholder years out.
    _contract.PLANNED: 100,
    # A connector writes 9999-12-31 as the end of a version that is still current.
    _contract.VALIDITY_END: None,
}


@dataclass(frozen=True)
class TimeBounds:
    """The accepted time range of one run: computed once, written into the SQL as literals."""

    clock: _dt.datetime  # the run's clock, in UTC
    earliest: _dt.date
    latest: dict[str, _dt.datetime | None]  # per time kind; None = no upper bound


def run_clock() -> _dt.datetime:
    """The run's clock in UTC: KPITREE_NOW when set, else now."""
    text = os.environ.get("KPITREE_NOW", "").strip()
    if not text:
        return _dt.datetime.now(_dt.UTC)
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"KPITREE_NOW: not an ISO 8601 timestamp: {text!r}") from exc
    if moment.tzinfo is None:
        return moment.replace(tzinfo=_dt.UTC)
    return moment.astimezone(_dt.UTC)


def run_date() -> _dt.date:
    """The run's date where the periods are cut (the run clock's local date)."""
    return run_clock().astimezone(ZoneInfo(reporting_timezone())).date()


def _ahead(clock: _dt.datetime, allowance: _dt.timedelta | int) -> _dt.datetime:
    if isinstance(allowance, _dt.timedelta):
        return clock + allowance
    try:
        return clock.replace(year=clock.year + allowance)
    except ValueError:  # 29 February
        return clock.replace(year=clock.year + allowance, day=28)


def time_bounds(clock: _dt.datetime | None = None) -> TimeBounds:
    """The accepted time range for a run whose clock is ``clock`` (an aware datetime;
    default ``run_clock()``)."""
    now = run_clock() if clock is None else clock.astimezone(_dt.UTC)
    latest = {
        kind: None if allowance is None else _ahead(now, allowance)
        for kind, allowance in ACCEPTED_AHEAD.items()
    }
    return TimeBounds(clock=now, earliest=EARLIEST_ACCEPTED_DATE, latest=latest)
