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
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.adapters import SYSTEMS, normalize_name
from orchestration.adapters.hubspot import TABLES
from tests.conftest import check_expected, current_kpi_value, expected_rows

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
        select coalesce(sum(v.value), 0)
        from metrics.kpi_values as v
        inner join metrics.kpi_definitions as d
            on v.kpi_name = d.kpi_name and v.kpi_version = d.kpi_version
        where d.is_current and v.kpi_name = ? and v.grain = 'month' and v.dimension = 'all'
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


# --- (b) the vendor's own fixture files ----------------------------------------------


@pytest.fixture(scope="module")
def fivetran_run(tmp_path_factory: pytest.TempPathFactory):
    return _run(FIVETRAN, tmp_path_factory.mktemp("hubspot_fivetran"))


def test_fivetran_fixtures_ingest_every_row(fivetran_run) -> None:
    with duckdb.connect(str(fivetran_run.published), read_only=True) as con:
        rows = _assert_every_file_accounted_for(con)
    loaded_tables = {r[0].split("/")[1] for r in rows}
    landed_tables = {p.name for p in (FIVETRAN / "hubspot").iterdir()}
    assert loaded_tables == landed_tables & set(TABLES)
    assert "ignored" in fivetran_run.ingest_summary  # tickets, lists, ... are reported


def test_fivetran_fixtures_give_small_kpis(fivetran_run) -> None:
    with duckdb.connect(str(fivetran_run.working), read_only=True) as work:
        (leads,) = work.execute(
            "select count(*) from intermediate.int_leads where created_at is not null"
        ).fetchone()
        (deleted,) = work.execute(
            "select count(*) from raw.hubspot__company where is_deleted"
        ).fetchone()
        (accounts,) = work.execute("select count(*) from intermediate.int_accounts").fetchone()
        (companies,) = work.execute(
            "select count(distinct id) from raw.hubspot__company"
        ).fetchone()
    with duckdb.connect(str(fivetran_run.published), read_only=True) as con:
        assert _monthly_total(con, "lead_count") == leads > 0
        # Deals carry no amounts and no close dates: nothing is won or created in value.
        assert _monthly_total(con, "won_count") == 0
        assert _monthly_total(con, "pipeline_created_amount") == 0
    assert accounts == companies - deleted


def test_fivetran_warehouse_variants_ingest(tmp_path: Path) -> None:
    outcome = _run(FIVETRAN_VARIANTS, tmp_path)
    with duckdb.connect(str(outcome.published), read_only=True) as con:
        rows = _assert_every_file_accounted_for(con)
    assert len([r for r in rows if r[0].startswith("hubspot/company/")]) == 3


# --- (c) robustness: empty, missing and extra -----------------------------------------


def test_empty_missing_and_extra_do_not_break_a_run(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(CONNECTOR_SMALL / "landing", landing)
    hubspot = landing / "hubspot"
    # An empty table file: the header only.
    email = hubspot / "engagement_email" / "engagement_email.csv"
    email.write_text(email.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    # Missing optional tables.
    shutil.rmtree(hubspot / "deal_property_history")
    shutil.rmtree(hubspot / "engagement_deal")
    shutil.rmtree(hubspot / "deal_pipeline_stage")
    # An extra column, and a table the adapter does not read.
    deal = hubspot / "deal" / "deal.csv"
    lines = deal.read_text(encoding="utf-8").splitlines()
    deal.write_text(
        "\n".join([lines[0] + ",property_hs_new_field"] + [x + ",x" for x in lines[1:]]) + "\n",
        encoding="utf-8",
    )
    (hubspot / "ticket").mkdir()
    (hubspot / "ticket" / "ticket.csv").write_text("id,property_subject\n1,help\n")

    outcome = _run(landing, tmp_path)
    with duckdb.connect(str(outcome.published), read_only=True) as con:
        _assert_every_file_accounted_for(con)
        assert current_kpi_value(con, "lead_count", "month", "2026-04-01") == [(4.0,)]
        assert current_kpi_value(con, "call_count", "month", "2026-04-01") == [(4.0,)]
        assert current_kpi_value(con, "meeting_count", "month", "2026-04-01") == [(2.0,)]
        # Without the pipeline settings, stage 987654 (7007) is no longer known as won.
        assert current_kpi_value(con, "won_count", "month", "2026-04-01") == [(2.0,)]
        assert current_kpi_value(con, "pipeline_created_amount", "month", "2026-04-01") == [
            (3000000.0,)
        ]
    assert "hubspot/ticket" in outcome.ingest_summary


def test_header_only_hubspot_files_give_empty_kpis(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    for table in ("contact", "deal", "engagement_call", "email_event"):
        source = next((CONNECTOR_SMALL / "landing" / "hubspot" / table).glob("*.csv"))
        target = landing / "hubspot" / table / source.name
        target.parent.mkdir(parents=True)
        target.write_text(source.read_text(encoding="utf-8").splitlines()[0] + "\n")
    contacts = landing / "hubspot" / "contacts" / "contacts.csv"
    contacts.parent.mkdir(parents=True)
    contacts.write_text("Record ID,First Name,Create Date\n", encoding="utf-8")

    outcome = _run(landing, tmp_path)
    with duckdb.connect(str(outcome.published), read_only=True) as con:
        rows = _assert_every_file_accounted_for(con)
        assert sum(r[2] for r in rows) == 0
        (values,) = con.execute("select count(*) from metrics.kpi_values").fetchone()
    assert values == 0
