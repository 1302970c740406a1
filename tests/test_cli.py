"""The command line: exit codes and messages of docs/outputs.md."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from orchestration.cli import app
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

runner = CliRunner()
T3 = EXAMPLES / "t3-span-retention-pipeline" / "landing"


def test_help_teaches_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "demo", "generate", "ingest"):
        assert command in result.output


def test_run_with_a_missing_landing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", "--landing", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb")]
    )
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_an_unknown_target_or_spark_without_java_is_a_usage_error(tmp_path: Path) -> None:
    """Found before any work, with what to do: the targets there are; Java to install."""
    landing = tmp_path / "landing"
    (landing / "leads").mkdir(parents=True)
    warehouse = str(tmp_path / "kpitree.duckdb")
    args = ["run", "--landing", str(landing), "--warehouse", warehouse]
    # The command sets KPITREE_TARGET for the run; named here, the runner restores it.
    result = runner.invoke(app, [*args, "--target", "snowflake"], env={"KPITREE_TARGET": ""})
    assert result.exit_code == 2
    assert "duckdb, postgres, spark" in result.output
    no_java = {"PATH": str(tmp_path), "JAVA_HOME": "", "KPITREE_TARGET": ""}  # no java on PATH
    result = runner.invoke(app, [*args, "--target", "spark"], env=no_java)
    assert result.exit_code == 2
    assert "Java 17" in result.output and "openjdk-17-jre-headless" in result.output
    assert not (tmp_path / "kpitree_work").exists()


def test_a_failed_step_is_named_with_its_error_and_log_and_exits_1(
    tmp_path: Path, monkeypatch, pipeline_runs
) -> None:
    """A step that raises: the run stops there (no dbt build, nothing published), the
    command line names the step and the error, prints where the full log is, exits 1."""
    warehouse = pipeline_runs.copy(T3, tmp_path)  # published once already
    before = warehouse.read_bytes()

    def broken_ingest(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("orchestration.assets.ingest.ingest_landing", broken_ingest)
    args = ["run", "--verbose", "--landing", str(T3), "--warehouse", str(warehouse)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "FAILED at step canonical_raw_tables" in result.output
    assert "disk full" in result.output
    run_log = tmp_path / "kpitree_work" / "logs" / "run.log"
    assert f"full log: {run_log}" in result.output
    assert "disk full" in run_log.read_text(encoding="utf-8")
    assert " START sql " not in result.output  # dbt never ran
    assert warehouse.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp*"))


def test_a_failed_publish_leaves_the_old_file(tmp_path: Path, monkeypatch, pipeline_runs) -> None:
    """Publishing writes a new file beside the old one and moves it over in one step: a
    failure before that step leaves the published file as it was and no leftovers."""
    from orchestration.publish import publish
    from orchestration.settings import WarehousePaths

    paths = WarehousePaths(pipeline_runs.copy(T3, tmp_path))
    before = paths.published.read_bytes()

    def full_disk(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr("orchestration.publish.os.replace", full_disk)
    with pytest.raises(OSError, match="disk full"):
        publish(paths.working, paths.published)
    assert paths.published.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp*"))


def test_generate_writes_the_contract_tables(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "--out", str(tmp_path / "g"), "--scale", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "g" / "leads" / "leads.csv").exists()

    night = runner.invoke(app, ["generate", "--out", str(tmp_path / "g"), "--next-day", "1"])
    assert night.exit_code == 0, night.output
    assert (tmp_path / "g" / "leads" / "2026-04-01.csv").exists()
    assert "2026-04-01" in night.output

    empty = runner.invoke(app, ["generate", "--out", str(tmp_path / "none"), "--next-day", "1"])
    assert empty.exit_code == 2
    assert "holds no sample data" in empty.output


def test_published_file_is_readable_while_a_reader_holds_the_old_one(tmp_path: Path) -> None:
    """A BI tool holding the published file open keeps its snapshot; the run still
    publishes, and new connections see the new data."""
    from orchestration.publish import publish

    working = tmp_path / "working.duckdb"
    published = tmp_path / "kpitree.duckdb"
    con = duckdb.connect(str(working))
    con.execute("create schema metrics; create schema quality; create schema raw")
    con.execute("create table metrics.kpi_values as select 1 as value")
    con.execute("create table raw.leads as select 'secret@example.com' as email")
    con.close()
    publish(working, published)
    reader = duckdb.connect(str(published), read_only=True)
    assert reader.execute("select value from metrics.kpi_values").fetchall() == [(1,)]

    con = duckdb.connect(str(working))
    con.execute("create or replace table metrics.kpi_values as select 2 as value")
    con.close()
    publish(working, published)
    assert reader.execute("select value from metrics.kpi_values").fetchall() == [(1,)]
    reader.close()
    fresh = duckdb.connect(str(published), read_only=True)
    assert fresh.execute("select value from metrics.kpi_values").fetchall() == [(2,)]
    schemas = {r[0] for r in fresh.execute("select schema_name from duckdb_schemas()").fetchall()}
    assert "raw" not in schemas  # only metrics and quality are published
    fresh.close()
