"""The HubSpot adapter: HubSpot-shaped landing folders -> the same models -> kpi_values.

Fixtures (tests/fixtures/hubspot/):

- ``connector_small``: a hand-built connector landing (Fivetran column names and value
  formats: ``property_*`` columns, ``_fivetran_synced`` / ``_fivetran_deleted`` /
  ``is_deleted``, UTC timestamps without an offset, one-digit hours, disposition ids,
  two daily contact drops). ``expected.csv`` holds KPI values computed by hand, with the
  reasoning in ``why``; every lead stays inside the shared MQL / SQL definition so the
  drift checks cannot stop the run.
- ``crm_export``: contacts / companies / deals exported from the HubSpot UI (English
  headers, local-time ``2026-04-01 09:30`` values, owners by name) plus the canonical
  files an export cannot provide (users, calls, form fills); also with ``expected.csv``.
- ``fivetran``: the fixture files of fivetran/dbt_hubspot copied byte for byte into
  ``hubspot/<table>/`` (values hashed, foreign keys that do not join, deals without
  amounts or close dates): the run must succeed with small KPIs.
- ``fivetran_variants``: the per-warehouse variants of those files (quoting only).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb
import pytest

from orchestration.adapters import SYSTEMS, normalize_name
from orchestration.adapters.hubspot import TABLES
from tests.conftest import check_expected, expected_rows

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "hubspot"
CONNECTOR_SMALL = FIXTURES / "connector_small"
CRM_EXPORT = FIXTURES / "crm_export"
FIVETRAN = FIXTURES / "fivetran" / "landing"
FIVETRAN_VARIANTS = FIXTURES / "fivetran_variants" / "landing"
# SHA-256 of fivetran/dbt_hubspot's seed files, which fivetran*/ copy byte for byte.
VENDOR_ORIGINALS = FIXTURES / "vendor_originals.sha256"


def _run(landing: Path, tmp: Path):
    from orchestration.runner import run_pipeline

    outcome = run_pipeline(landing, tmp / "kpitree.duckdb", say=lambda _: None)
    assert outcome.success, f"{outcome.failed_step}: {outcome.error} {outcome.check_failures}"
    return outcome


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def _monthly_total(con: duckdb.DuckDBPyConnection, kpi_name: str) -> float:
    (total,) = con.execute(
        """
        select coalesce(sum(value), 0)
        from metrics.kpi_values_current
        where kpi_name = ? and grain = 'month' and dimension = 'all'
        """,
        [kpi_name],
    ).fetchone()
    return total


def _assert_every_file_accounted_for(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    rows = con.execute(
        "select file, status, rows_read, rows_loaded, rows_quarantined, message "
        "from quality.ingest_log order by file"
    ).fetchall()
    assert rows, "nothing was ingested"
    for file, status, read, loaded, quarantined, message in rows:
        assert status == "loaded", f"{file}: {status} {message}"
        assert read == loaded + quarantined, f"{file}: {read} != {loaded} + {quarantined}"
    return rows


def _cases(expected: Path):
    for row in expected_rows(expected):
        key = "/".join(
            [row["kpi_name"], row["period_start"], row["dimension"], row["dimension_value"]]
        )
        yield pytest.param(row, id=key)


# --- declarations, without a pipeline run --------------------------------------------


def test_tables_are_keyed_by_their_normalised_folder_names() -> None:
    for key, table in SYSTEMS["hubspot"].items():
        assert normalize_name(key) == key
        assert table.raw_table == f"hubspot__{key}"
        assert table.normalize_headers


def test_handbuilt_fixture_uses_only_declared_tables_and_connector_headers() -> None:
    landing = CONNECTOR_SMALL / "landing" / "hubspot"
    for folder in sorted(p for p in landing.iterdir() if p.is_dir()):
        assert folder.name in TABLES, f"{folder.name} would be ignored"
        for file in folder.glob("*.csv"):
            columns = {normalize_name(c) for c in _header(file)}
            missing = set(TABLES[folder.name].primary_key) - columns
            assert not missing, f"{file.name} lacks {missing}"


def test_vendor_fixtures_are_byte_for_byte_copies() -> None:
    copies = sorted(FIVETRAN.rglob("*.csv")) + sorted(FIVETRAN_VARIANTS.rglob("*.csv"))
    lines = VENDOR_ORIGINALS.read_text(encoding="utf-8").splitlines()
    originals = dict(reversed(line.split("  ", 1)) for line in lines if line[:1] not in ("", "#"))
    assert sorted(copy.name for copy in copies) == sorted(originals)
    for copy in copies:
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == originals[copy.name], copy.name


def test_vendor_headers_carry_the_declared_primary_keys() -> None:
    """A vendor file without a declared key column would be rejected whole."""
    for folder in sorted(p for p in (FIVETRAN / "hubspot").iterdir() if p.is_dir()):
        if folder.name not in TABLES:
            continue
        for file in folder.glob("*.csv"):
            columns = {normalize_name(c) for c in _header(file)}
            missing = set(TABLES[folder.name].primary_key) - columns
            assert not missing, f"{file.name} lacks {missing}"


# --- (a) hand-built connector landing: hand-computed KPI values ---------------------


@pytest.fixture(scope="module")
def connector_run(tmp_path_factory: pytest.TempPathFactory):
    return _run(CONNECTOR_SMALL / "landing", tmp_path_factory.mktemp("hubspot_connector"))


@pytest.fixture(scope="module")
def connector_con(connector_run):
    connection = duckdb.connect(str(connector_run.published), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("row", list(_cases(CONNECTOR_SMALL / "expected.csv")))
def test_connector_kpi_value(connector_con: duckdb.DuckDBPyConnection, row: dict) -> None:
    check_expected(connector_con, row)


def test_connector_files_load_without_quarantine(connector_con) -> None:
    rows = _assert_every_file_accounted_for(connector_con)
    assert {r[0].split("/")[1] for r in rows} == set(
        p.name for p in (CONNECTOR_SMALL / "landing" / "hubspot").iterdir()
    )
    assert sum(r[4] for r in rows) == 0


def test_connector_run_publishes_no_drift_failure(connector_run) -> None:
    assert connector_run.check_failures == []


# --- CRM exports from the HubSpot UI ------------------------------------------------


@pytest.fixture(scope="module")
def export_con(tmp_path_factory: pytest.TempPathFactory):
    outcome = _run(CRM_EXPORT / "landing", tmp_path_factory.mktemp("hubspot_export"))
    connection = duckdb.connect(str(outcome.published), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("row", list(_cases(CRM_EXPORT / "expected.csv")))
def test_crm_export_kpi_value(export_con: duckdb.DuckDBPyConnection, row: dict) -> None:
    check_expected(export_con, row)
