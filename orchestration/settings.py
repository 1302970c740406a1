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
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
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


@dataclass(frozen=True)
class WarehousePaths:
    """The published file and the working files that live beside it.

    ``published`` is what BI tools open; it is only ever replaced whole. Everything
    a run writes while it works goes under ``workdir``.
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

    def ensure(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)


def dbt_vars_override() -> dict:
    """The dbt vars to pass when the environment overrides the project defaults."""
    overrides = {}
    if reporting_timezone() != dbt_vars()["reporting_timezone"]:
        overrides["reporting_timezone"] = reporting_timezone()
    if fiscal_year_start_month() != int(dbt_vars()["fiscal_year_start_month"]):
        overrides["fiscal_year_start_month"] = fiscal_year_start_month()
    return overrides
