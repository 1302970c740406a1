"""The run's settings as a Dagster resource, shared by every asset of the job."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource

from orchestration.settings import WarehousePaths, reporting_timezone


class KpitreeResource(ConfigurableResource):
    """Where the landing files are and where the published warehouse goes."""

    landing_dir: str
    warehouse: str

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
    def dbt_environment(self) -> Iterator[None]:
        """Point dbt's profile at this run's working database while dbt runs."""
        self.paths.ensure()
        names = {
            "KPITREE_DBT_DATABASE": str(self.paths.working),
            "KPITREE_REPORTING_TZ": self.timezone,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
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
