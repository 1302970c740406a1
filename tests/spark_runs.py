"""What the Spark tests share (tests/test_spark.py, tests/test_spark_nightly.py): the skip
where Java is missing, a `--target spark` run, and the published tables they compare with
DuckDB's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import query

# Published table -> the columns compared (detected_at is when the run saw a violation).
COMPARED = {
    "metrics.kpi_values": None,
    "metrics.funnel": None,
    "metrics.kpi_attainment": None,
    "quality.lead_definition_violations": ["lead_id", "rule", "owner_department", "severity"],
}


def skip_without_java() -> None:
    """Skip the calling module where Spark cannot run (no PySpark or no Java; fail in CI,
    which installs both)."""
    from orchestration.spark import SparkUnavailable, check_available

    try:
        check_available()
    except SparkUnavailable as missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (`make os-packages` installs Java)", pytrace=False)
        pytest.skip(f"{missing} (`make os-packages`)", allow_module_level=True)


def run_on_spark(landing: Path, warehouse: Path, lines: list[str] | None = None, **env: str):
    """`kpitree run --target spark` in this process; progress lines into ``lines``."""
    from orchestration.runner import run_pipeline

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KPITREE_TARGET", "spark")
        for key, value in env.items():
            patch.setenv(key, value)
        say = lines.append if lines is not None else (lambda _line: None)
        return run_pipeline(landing, warehouse, say=say)


def columns(published: Path, table: str) -> list[str]:
    """The columns of ``table`` the comparison reads."""
    listed = COMPARED.get(table)
    return listed or [c for (c,) in query(published, f"select column_name from (describe {table})")]
