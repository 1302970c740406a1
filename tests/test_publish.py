"""Publishing: the history's Parquet files are written once per run date and never
copied again; each published version names exactly its own files."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import HISTORY_LIST, history_folder, publish


def _working(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema metrics; create schema quality; create schema raw")
    con.execute("create table metrics.kpi_values as select 1 as value")
    con.execute(
        "create table metrics.kpi_history as "
        "select date '2026-04-01' as run_date, 'call_count' as kpi_name, 10.0 as value, "
        "'new' as change_type"
    )
    con.execute("create table raw.leads as select 'secret@example.com' as email")
    con.close()


def _add_day(path: Path, run_date: str, value: float) -> None:
    con = duckdb.connect(str(path))
    con.execute(
        "insert into metrics.kpi_history values (cast(? as date), 'call_count', ?, 'changed')",
        [run_date, value],
    )
    con.close()


def _history(published: Path) -> list[tuple]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.execute("select run_date, value from metrics.kpi_history order by 1").fetchall()
    finally:
        con.close()


def test_each_run_date_is_written_once_and_the_published_history_is_a_view(
    tmp_path: Path,
) -> None:
    working, published = tmp_path / "working.duckdb", tmp_path / "kpitree.duckdb"
    folder = history_folder(published)
    _working(working)
    publish(working, published)
    assert _history(published) == [(date(2026, 4, 1), 10.0)]
    first = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.parquet")}
    assert len(first) == 1

    _add_day(working, "2026-04-02", 11.0)
    publish(working, published)
    assert _history(published) == [(date(2026, 4, 1), 10.0), (date(2026, 4, 2), 11.0)]
    second = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.parquet")}
    assert len(second) == 2
    # The first day's file is the same file, untouched: it was not written again.
    assert {name: second[name] for name in first} == first
    assert (folder / HISTORY_LIST).read_text().split() == sorted(second)

    con = duckdb.connect(str(published), read_only=True)
    kind = con.execute(
        "select table_type from information_schema.tables where table_name = 'kpi_history'"
    ).fetchone()[0]
    schemas = {r[0] for r in con.execute("select schema_name from duckdb_schemas()").fetchall()}
    con.close()
    assert kind == "VIEW"
    assert "raw" not in schemas
    assert oct(folder.stat().st_mode & 0o777) == oct(0o755)
    assert {oct(p.stat().st_mode & 0o777) for p in folder.iterdir()} == {oct(0o644)}


def test_a_reader_of_the_replaced_file_keeps_its_history_until_the_next_publish(
    tmp_path: Path,
) -> None:
    """A re-run of the same day rewrites that day: the new version names a new file, the
    replaced version's file stays for its readers, and goes one publish later."""
    working, published = tmp_path / "working.duckdb", tmp_path / "kpitree.duckdb"
    folder = history_folder(published)
    _working(working)
    _add_day(working, "2026-04-02", 11.0)
    publish(working, published)
    reader = duckdb.connect(str(published), read_only=True)

    con = duckdb.connect(str(working))
    con.execute("update metrics.kpi_history set value = 12.0 where run_date = '2026-04-02'")
    con.close()
    publish(working, published)
    assert len(list(folder.glob("*.parquet"))) == 3  # two days, plus the replaced day
    old_view = reader.execute("select value from metrics.kpi_history order by run_date")
    assert old_view.fetchall() == [(10.0,), (11.0,)]
    reader.close()  # (one process shares one database per path: close before reopening)
    assert _history(published) == [(date(2026, 4, 1), 10.0), (date(2026, 4, 2), 12.0)]

    publish(working, published)  # nothing changed: the replaced day's file goes now
    assert len(list(folder.glob("*.parquet"))) == 2
    assert _history(published) == [(date(2026, 4, 1), 10.0), (date(2026, 4, 2), 12.0)]


def test_an_empty_history_is_published_as_an_empty_table(tmp_path: Path) -> None:
    working, published = tmp_path / "working.duckdb", tmp_path / "kpitree.duckdb"
    _working(working)
    con = duckdb.connect(str(working))
    con.execute("delete from metrics.kpi_history")
    con.close()
    publish(working, published)
    assert _history(published) == []
    assert not history_folder(published).exists()


def test_a_duckdb_1_4_client_reads_the_file_and_its_history(tmp_path: Path) -> None:
    """BI drivers embed older DuckDB releases: the published file and the history view
    open in DuckDB 1.4 (`make test` installs it beside the project, in .venv-duckdb14)."""
    client = os.environ.get("KPITREE_DUCKDB14_PYTHON", "")
    if not Path(client).is_file():
        pytest.skip("no DuckDB 1.4 interpreter: run through `make test` (KPITREE_DUCKDB14_PYTHON)")
    working, published = tmp_path / "working.duckdb", tmp_path / "kpitree.duckdb"
    _working(working)
    _add_day(working, "2026-04-02", 11.0)
    publish(working, published)
    script = (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(duckdb.__version__)\n"
        "print(con.execute('select value from metrics.kpi_values').fetchall())\n"
        "print(con.execute('select run_date, value from metrics.kpi_history order by 1')"
        ".fetchall())\n"
    )
    result = subprocess.run(
        [client, "-c", script, str(published)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    version, values, history = result.stdout.splitlines()
    assert version.startswith("1.4.")
    assert values == "[(1,)]"
    assert history == (
        "[(datetime.date(2026, 4, 1), Decimal('10.0')), "
        "(datetime.date(2026, 4, 2), Decimal('11.0'))]"
    )
