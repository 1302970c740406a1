"""An unattended nightly run: one at a time per warehouse, nothing that grows per run,
quiet output with the full log kept, private working files, and usage mistakes caught
before any work."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance
from typer.testing import CliRunner

from orchestration import cli
from orchestration.cli import app
from orchestration.settings import DBT_PROJECT_DIR, WarehousePaths
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

runner = CliRunner()
T1 = EXAMPLES / "t1-reading-and-funnel" / "landing"
T3 = EXAMPLES / "t3-span-retention-pipeline" / "landing"
ANSI = re.compile(r"\x1b\[")
STEPS = (
    "canonical_raw_tables",
    "kpi_dbt_assets",
    "great_expectations_checks",
    "published_warehouse",
)


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _entries(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


# --- three runs of one landing folder, shared by the tests below ----------------------------


def _kpi_values(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select * from metrics.kpi_values order by all").fetchall()
    finally:
        con.close()


def _nightly_runs() -> int:
    with DagsterInstance.from_config(os.environ["DAGSTER_HOME"]) as instance:
        return sum(run.job_name == "nightly_kpi_job" for run in instance.get_runs())


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory, pipeline_runs) -> dict:
    """A warehouse after its first run, then two more command-line runs on the same
    landing folder (the first run is the session's shared run, copied). With nothing new a
    run would stop after ingest (tests/test_incremental.py): these two rebuild in full
    (--full-refresh), so that every step runs again."""
    root = tmp_path_factory.mktemp("hygiene")
    warehouse = pipeline_runs.copy(T3, root)
    paths = WarehousePaths(warehouse)
    nightly_before = _nightly_runs()
    values = [_kpi_values(warehouse)]
    outputs, sizes = [], [None]
    for verbose in (["--verbose"], []):
        args = ["run", *verbose, "--full-refresh", "--landing", str(T3), "--warehouse"]
        args.append(str(warehouse))
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
        values.append(_kpi_values(warehouse))
        sizes.append(
            {
                "target": _size(DBT_PROJECT_DIR / "target"),
                "target_entries": _entries(DBT_PROJECT_DIR / "target"),
                "logs": _size(DBT_PROJECT_DIR / "logs"),
                "work": _size(paths.workdir),
                "dbt_work": _size(paths.dbt_target),
                "entries": _entries(root),
            }
        )
    return {
        "root": root,
        "paths": paths,
        "outputs": outputs,
        "sizes": sizes,
        "recorded": _nightly_runs() - nightly_before,
        "values": values,
    }


def test_nothing_grows_from_run_to_run(three_runs) -> None:
    second, third = three_runs["sizes"][1], three_runs["sizes"][2]
    # dbt_project/target holds the manifest only, rewritten by every parse (its size
    # follows the models, not the number of runs); dbt_project/logs gets nothing.
    assert third["target_entries"] == second["target_entries"]
    assert third["target"] <= second["target"] * 1.05
    assert third["logs"] <= second["logs"], (second["logs"], third["logs"])
    # The working database gains a few ingest-log rows; dbt's folder is replaced.
    assert third["work"] <= second["work"] * 1.05
    assert abs(third["dbt_work"] - second["dbt_work"]) <= second["dbt_work"] * 0.05
    # The same files, no leftovers (Data Docs pages are named by the time of the run).
    assert len(third["entries"]) == len(second["entries"])
    assert {e for e in third["entries"] if "/data_docs/" not in e} == {
        e for e in second["entries"] if "/data_docs/" not in e
    }
    assert not list((DBT_PROJECT_DIR / "target").glob("kpi_dbt_assets-*"))
    paths = three_runs["paths"]
    assert not any(name.endswith((".tmp", ".wal")) for name in third["entries"])
    assert sorted(p.name for p in paths.logs.iterdir()) == ["run.log", "run.log.1"]


def test_output_is_one_line_per_step_and_a_dbt_summary(three_runs) -> None:
    output = three_runs["outputs"][-1]
    lines = output.splitlines()
    for step in STEPS:
        assert sum(f"({step})" in line and line.startswith("[step]") for line in lines) == 1
    assert re.search(r"^  dbt: \d+ nodes, 0 errors, \d+ warnings?$", output, re.M), output
    assert re.search(r"^published .+ in \d+ s$", output, re.M), output
    assert "START sql" not in output and " of " not in output  # no per-node dbt lines
    assert len(lines) < 30, output
    assert not ANSI.search(output)


def test_a_rerun_on_the_same_folder_loads_nothing_and_keeps_values(three_runs) -> None:
    """The runs after the first skip every landing file and republish the same values."""
    for output in three_runs["outputs"]:
        assert "ingest: 0 new file(s), 7 already loaded" in output, output
    first, *later = three_runs["values"]
    assert first and all(values == first for values in later)


def test_verbose_prints_every_dbt_line_too(three_runs) -> None:
    output = three_runs["outputs"][0]  # the run with --verbose
    assert " START sql " in output
    assert re.search(r"^published .+ in \d+ s$", output, re.M), output


def test_the_full_log_is_kept_in_the_work_folder(three_runs) -> None:
    log = three_runs["paths"].run_log.read_text(encoding="utf-8")
    assert "STEP_START" in log  # Dagster's events
    assert re.search(r"\d+ of \d+ START sql", log)  # every dbt line
    assert not ANSI.search(log)
    assert (three_runs["paths"].dbt_target / "run_results.json").is_file()


def test_working_files_are_private_and_the_published_file_is_readable(three_runs) -> None:
    paths = three_runs["paths"]
    assert stat.S_IMODE(paths.workdir.stat().st_mode) == 0o700
    for path in paths.workdir.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
    assert stat.S_IMODE(paths.published.stat().st_mode) == 0o644


def test_command_line_runs_are_recorded_in_the_dagster_instance(three_runs) -> None:
    assert three_runs["recorded"] == 2  # each command-line run, once


# --- one run at a time ------------------------------------------------------------------------


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from orchestration.lock import warehouse_lock
    with warehouse_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def _hold(warehouse: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(warehouse), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_run_exits_at_once_naming_the_holder(tmp_path: Path) -> None:
    warehouse = tmp_path / "kpitree.duckdb"
    holder = _hold(warehouse, 60)
    try:
        started = time.monotonic()
        for command in ("run", "ingest"):
            args = [command, "--landing", str(T3), "--warehouse", str(warehouse)]
            result = runner.invoke(app, args)
            assert result.exit_code == 3, result.output
            line = result.output.strip()
            assert "\n" not in line
            assert re.fullmatch(
                rf"another run \(pid {holder.pid}, since \S+\) holds {re.escape(str(warehouse))}",
                line,
            ), line
        assert time.monotonic() - started < 10
        assert not warehouse.exists()
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_run_does_not_block_the_next(tmp_path: Path) -> None:
    warehouse = tmp_path / "kpitree.duckdb"
    holder = _hold(warehouse, 60)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    result = runner.invoke(app, ["ingest", "--landing", str(T3), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "new file(s)" in result.output


def test_wait_waits_for_the_holder(tmp_path: Path) -> None:
    warehouse = tmp_path / "kpitree.duckdb"
    holder = _hold(warehouse, 2)
    args = ["ingest", "--wait", "--landing", str(T3), "--warehouse", str(warehouse)]
    result = runner.invoke(app, args)
    holder.wait()
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"waiting: another run (pid {holder.pid}")


def test_the_dagster_job_takes_the_lock_too(tmp_path: Path) -> None:
    """Runs the schedule or the sensor launch hold the lock like command-line runs."""
    from orchestration.definitions import build_definitions

    warehouse = tmp_path / "kpitree.duckdb"
    holder = _hold(warehouse, 60)
    try:
        defs = build_definitions(T3, warehouse)
        job = defs.resolve_job_def("nightly_kpi_job")
        with DagsterInstance.ephemeral() as instance:
            result = job.execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        messages = []
        for event in result.all_events:
            error = getattr(event.event_specific_data, "error", None)
            while error is not None:
                messages.append(error.message)
                error = error.cause
        assert any(f"another run (pid {holder.pid}" in message for message in messages), messages
        assert not warehouse.exists()
    finally:
        holder.kill()
        holder.wait()


# --- usage mistakes: one line, exit 2, nothing written -------------------------------------


def _usage(tmp_path: Path, args: list[str]) -> str:
    before = _entries(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert _entries(tmp_path) == before  # no warehouse, no .tmp, no work folder, no lock
    line = result.output.strip()
    assert "\n" not in line, result.output
    return line


def test_landing_that_is_not_a_folder(tmp_path: Path) -> None:
    warehouse = str(tmp_path / "w.duckdb")
    missing = _usage(
        tmp_path, ["run", "--landing", str(tmp_path / "nope"), "--warehouse", warehouse]
    )
    assert missing == f"landing folder {tmp_path / 'nope'} does not exist"
    (tmp_path / "export.csv").write_text("lead_id\n")
    is_file = _usage(
        tmp_path, ["run", "--landing", str(tmp_path / "export.csv"), "--warehouse", warehouse]
    )
    assert "is a file, not a folder" in is_file


def test_landing_without_table_folders_suggests_the_closest(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    (landing / "lead").mkdir(parents=True)
    (landing / "lead" / "a.csv").write_text("lead_id\n")
    warehouse = str(tmp_path / "w.duckdb")
    for command in ("run", "ingest"):
        line = _usage(tmp_path, [command, "--landing", str(landing), "--warehouse", warehouse])
        assert line == f"no table folders found in {landing}; did you mean leads/ (not lead/)?"
    (landing / "lead").rename(landing / "HubSpot")
    line = _usage(tmp_path, ["run", "--landing", str(landing), "--warehouse", warehouse])
    assert "did you mean hubspot/" in line
    (landing / "HubSpot").rename(landing / "misc")
    line = _usage(tmp_path, ["run", "--landing", str(landing), "--warehouse", warehouse])
    assert line.startswith(f"no table folders found in {landing} (found misc/); expected leads/")


def test_a_generic_source_folder_is_a_table_folder(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    (landing / "kintone").mkdir(parents=True)
    (landing / "kintone" / "_mapping.yml").write_text("tables: {}\n")
    cli.check_landing(landing)  # no exit


def test_a_broken_mapping_file_is_a_usage_error(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    (landing / "kintone").mkdir(parents=True)
    mapping = landing / "kintone" / "_mapping.yml"
    mapping.write_text("tables:\n  lead:\n    folder: x\n")
    warehouse = str(tmp_path / "w.duckdb")
    line = _usage(tmp_path, ["run", "--landing", str(landing), "--warehouse", warehouse])
    assert line.startswith(f"{mapping}: tables.lead: not a canonical table (")
    mapping.write_text("tables: [unclosed\n")
    line = _usage(tmp_path, ["ingest", "--landing", str(landing), "--warehouse", warehouse])
    assert line.startswith(f"{mapping}: not valid YAML")


def test_a_run_clock_that_is_not_a_timestamp_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPITREE_NOW", "tomorrow")
    warehouse = str(tmp_path / "w.duckdb")
    line = _usage(tmp_path, ["run", "--landing", str(T3), "--warehouse", warehouse])
    assert line == "KPITREE_NOW: not an ISO 8601 timestamp: 'tomorrow'"


def test_warehouse_that_cannot_be_written(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    line = _usage(tmp_path, ["run", "--landing", str(T3), "--warehouse", str(folder)])
    assert line == f"warehouse {folder} is a folder; give a file, e.g. {folder / 'kpitree.duckdb'}"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    target = blocker / "sub" / "kpitree.duckdb"
    for command in ("run", "ingest", "demo"):
        args = [command, "--warehouse", str(target)]
        args += ["--landing", str(tmp_path / "demo-landing" if command == "demo" else T3)]
        line = _usage(tmp_path, args)
        assert line == f"cannot create the warehouse {target}: {blocker} is a file, not a folder"


def test_rates_given_as_fractions_are_refused(tmp_path: Path) -> None:
    args = ["plan", "--json", "--revenue", "100000000", "--avg-deal-size", "5000000"]
    result = runner.invoke(app, [*args, "--meeting-win-rate", "0.25", "--meeting-held-rate", "50"])
    assert result.exit_code == 2
    assert "looks like a fraction" in result.output
    assert "--meeting-win-rate 25" in " ".join(result.output.split())
    meant = runner.invoke(app, [*args, "--meeting-win-rate", "25%", "--meeting-held-rate", "50"])
    assert meant.exit_code == 0, meant.output
    assert '"required": 20' in meant.output
    small = runner.invoke(app, [*args, "--meeting-win-rate", "0.5%", "--meeting-held-rate", "50"])
    assert small.exit_code == 0, small.output
    assert '"required": 4000' in small.output


# --- the demo ---------------------------------------------------------------------------------


@pytest.fixture
def no_pipeline(monkeypatch) -> list:
    """The demo without generating or running: records what it would do."""
    calls: list = []

    def fake_generate(out: Path, scale: int, seed: int) -> dict[str, int]:
        (out / "leads").mkdir(parents=True, exist_ok=True)
        (out / "leads" / "leads.csv").write_text(f"scale {scale}\n")
        calls.append(("generate", scale))
        return {}

    def fake_run(landing: Path, warehouse: Path, verbose: bool = False, wait: bool = False):
        calls.append(("run", landing))
        return 1  # no preview of a warehouse that was not built

    monkeypatch.setattr(cli, "_generate_with_progress", fake_generate)
    monkeypatch.setattr(cli, "_report_run", fake_run)
    return calls


def test_demo_regenerates_for_another_scale(tmp_path: Path, no_pipeline: list) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "kpitree.duckdb"
    args = ["demo", "--landing", str(landing), "--warehouse", str(warehouse)]
    runner.invoke(app, args)
    assert no_pipeline == [("generate", 1), ("run", landing)]
    again = runner.invoke(app, args)
    assert "already in" in again.output
    assert no_pipeline[-1] == ("run", landing) and len(no_pipeline) == 3
    warehouse.write_bytes(b"old")
    bigger = runner.invoke(app, [*args, "--scale", "2"])
    assert "regenerating sample data at scale 2 (was 1)" in bigger.output
    assert not warehouse.exists()
    assert (landing / "leads" / "leads.csv").read_text() == "scale 2\n"


def test_demo_leaves_a_landing_folder_with_other_files_alone(
    tmp_path: Path, no_pipeline: list
) -> None:
    landing = tmp_path / "landing"
    (landing / "leads").mkdir(parents=True)
    (landing / "leads" / "crm.csv").write_text("lead_id\n")
    args = ["demo", "--landing", str(landing), "--warehouse", str(tmp_path / "k.duckdb")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "not kpitree's sample data" in result.output
    assert no_pipeline == []
    assert (landing / "leads" / "crm.csv").read_text() == "lead_id\n"


def test_demo_uses_the_default_landing_and_warehouse() -> None:
    """`make demo`, `make dev` and `kpitree plan` share one pair of settings."""
    from orchestration.settings import default_landing, default_warehouse

    params = {p.name: p.default for p in cli.typer.main.get_command(app).commands["demo"].params}
    assert Path(params["landing"]) == default_landing()
    assert Path(params["warehouse"]) == default_warehouse()
