"""The run's settings as a Dagster resource, shared by every asset of the job."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from pydantic import Field

from orchestration.lock import warehouse_lock
from orchestration.settings import (
    WarehousePaths,
    duckdb_settings,
    reporting_timezone,
    warehouse_target,
)
from orchestration.workfiles import clear_run_leftovers, private_files


class KpitreeResource(ConfigurableResource):
    """Where the landing files are and where the published warehouse goes.

    While a run uses it, the run holds the warehouse's run lock (one run at a time
    per warehouse, also for runs the schedule or the sensor starts) and creates its
    working files readable by its user only.
    """

    landing_dir: str
    warehouse: str
    wait_for_lock: bool = Field(
        default=False,
        description="When another run holds the warehouse: wait for it (true) or fail at "
        "once (false).",
    )
    dbt_log: str = Field(
        default="",
        description="A file to append dbt's output to instead of stdout (the command line "
        "sets it to <work>/logs/run.log); empty: dbt's output goes to stdout.",
    )
    echo_dbt: bool = Field(
        default=True, description="Also write dbt's output to stdout when dbt_log is set."
    )
    full_refresh: bool = Field(
        default=False,
        description="Rebuild every model from all the data (dbt --full-refresh), even when "
        "nothing changed since the last publish.",
    )

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)

    @property
    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.warehouse))

    @property
    def timezone(self) -> str:
        return reporting_timezone()

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[KpitreeResource]:
        on_wait = context.log.warning if context.log is not None else None
        with (
            warehouse_lock(self.paths.published, wait=self.wait_for_lock, on_wait=on_wait),
            private_files(),
        ):
            clear_run_leftovers(self.paths)
            yield self

    @contextmanager
    def dbt_environment(self) -> Iterator[None]:
        """Point dbt's profile at this run's working database while dbt runs."""
        self.paths.ensure()
        names = {
            "KPITREE_DBT_DATABASE": str(self.paths.working),
            "KPITREE_REPORTING_TZ": self.timezone,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            # Plain text: dbt's lines go to log files and to Dagster, not to a terminal.
            "DBT_USE_COLORS": "false",
            # dbt.log at info (every node, every warning; no debug SQL): ~0.2 MB a run
            # instead of ~12 MB, and dbt does not format the debug events at all.
            "DBT_LOG_LEVEL_FILE": "info",
            # The profile applies the run's DuckDB resource settings (orchestration.settings).
            **{
                f"KPITREE_DUCKDB_{name.upper()}": value
                for name, value in duckdb_settings(self.paths).items()
            },
        }
        if warehouse_target() == "spark":
            # The spark profile's folders and the tables its landing hook declares.
            from orchestration.spark import dbt_environment, landed_folder, landed_tables

            names.update(dbt_environment(self.paths.workdir))
            landed = landed_folder(self.paths.workdir)
            names["KPITREE_SPARK_LANDED_TABLES"] = landed_tables(landed) if landed.is_dir() else ""
        saved = {name: os.environ.get(name) for name in names}
        os.environ.update(names)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
