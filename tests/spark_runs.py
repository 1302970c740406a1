"""What the Spark tests share (tests/test_spark.py, tests/test_spark_nightly.py): the skip
where Java is missing, a `--target spark` run, and the published tables they compare with
DuckDB's."""

from __future__ import annotations

import os
import shutil
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
    """Skip the calling module where there is no Java (fail in CI, which installs it)."""
    if shutil.which("java") is not None or os.environ.get("JAVA_HOME"):
        return
    if os.environ.get("CI"):
        pytest.fail("Java is missing: `make os-packages` installs it", pytrace=False)
    pytest.skip("no Java for Spark: `make os-packages` (apt-get install openjdk-17-jre-headless)",
                allow_module_level=True)  # fmt: skip


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
