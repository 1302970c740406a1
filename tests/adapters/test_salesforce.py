"""The Salesforce adapter: vendor-shaped landing files -> the same KPIs as canonical data.

Three landing folders, each run through the real pipeline (ingest, dbt build, checks,
publish):

- ``fixtures/salesforce/dataloader``: Data Loader exports as Salesforce writes them
  (upper-case quoted headers, ``2026-04-01T01:00:00.000Z``, 18-character ids), plus a
  Workbench-style OpportunityHistory with 15-character ids, a CP932 Campaign file saved
  from Excel, a header-only OpportunityFieldHistory and daily Lead drops where a later
  drop deletes a lead. ``expected.csv`` beside it holds KPI values computed by hand,
  with the reasoning in ``why``. Every lead with an MQL / SQL date meets the shared
  definition, so the drift checks cannot stop the run.
- ``fixtures/salesforce/connector``: the connector-shaped files of fivetran/dbt_salesforce,
  byte for byte (hashed values, all ten opportunities soft-deleted, history-mode tables,
  a header-only Lead table, objects kpitree does not read).
- a folder holding one empty Salesforce object and nothing else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.adapters import SYSTEMS, normalize_name, salesforce
from orchestration.ingest import ingest_landing
from tests.conftest import REPO, check_expected, expected_rows

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

FIXTURES = REPO / "tests" / "fixtures" / "salesforce"
DATALOADER = FIXTURES / "dataloader" / "landing"
CONNECTOR = FIXTURES / "connector" / "landing"
EXPECTED = FIXTURES / "dataloader" / "expected.csv"
STAGING = REPO / "dbt_project" / "models" / "staging" / "salesforce"
INTERMEDIATE = REPO / "dbt_project" / "models" / "intermediate" / "salesforce"
MACROS = REPO / "dbt_project" / "macros" / "salesforce" / "salesforce_adapter_models.sql"


def _run(landing: Path, warehouse: Path):
    from orchestration.runner import run_pipeline

    outcome = run_pipeline(landing, warehouse, say=lambda _: None)
    assert outcome.success, f"{outcome.failed_step}: {outcome.error} {outcome.check_failures}"
    return outcome


# --- the adapter's declarations --------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "key"),
    [
        ("Opportunity", "opportunity"),
        ("opportunity", "opportunity"),
        ("OpportunityHistory", "opportunity_history"),
        ("OpportunityFieldHistory", "opportunity_field_history"),
        ("opportunity_field_history", "opportunity_field_history"),
        ("CampaignMember", "campaign_member"),
        ("UserRole", "user_role"),
        ("LeadHistory", "lead_history"),
    ],
)
def test_object_folders_of_both_shapes_find_their_table(folder: str, key: str) -> None:
    table = SYSTEMS["salesforce"][normalize_name(folder)]
    assert normalize_name(folder) == key
    assert table.raw_table == f"salesforce__{key}"


def test_history_mode_tables_are_keyed_by_version() -> None:
    table = SYSTEMS["salesforce_history"]["opportunity"]
    assert table.raw_table == "salesforce_history__opportunity"
    assert table.primary_key == ("id", "fivetran_start")
    assert normalize_name("_fivetran_start") == "fivetran_start"
    assert {"fivetran_active", "stage_name", "is_deleted"} <= set(table.column_names)


def test_only_the_record_id_is_required() -> None:
    for table in [*salesforce.TABLES.values(), *salesforce.HISTORY_TABLES.values()]:
        assert set(table.required_columns) == set(table.primary_key), table.name


def test_data_loader_upper_case_headers_have_a_declared_alias() -> None:
    """Data Loader writes "STAGENAME": it normalises without word breaks."""
    assert normalize_name("STAGENAME") == salesforce.upper_case_alias("stage_name")
    assert normalize_name("MQL_DATE__C") == normalize_name("MQL_Date__c") == "mql_date_c"
    for table in salesforce.TABLES.values():
        names = set(table.column_names)
        for name in names:
            assert salesforce.upper_case_alias(name) in names, (table.name, name)


def test_sources_yml_lists_every_declared_table() -> None:
    sources = yaml.safe_load((STAGING / "_salesforce__sources.yml").read_text("utf-8"))
    declared = {
        source["name"]: {t["name"]: t["identifier"] for t in source["tables"]}
        for source in sources["sources"]
    }
    assert declared["salesforce"] == {k: f"salesforce__{k}" for k in salesforce.TABLES}
    assert declared["salesforce_history"] == {
        k: f"salesforce_history__{k}" for k in salesforce.HISTORY_TABLES
    }


def test_every_listed_adapter_model_exists() -> None:
    block = MACROS.read_text("utf-8").split("{%- endmacro %}")[0]
    models = set(re.findall(r"'(int_salesforce__\w+)'", block))
    assert len(models) == 10
    for model in models:
        assert (INTERMEDIATE / f"{model}.sql").exists(), model


# --- ingestion of vendor-shaped files --------------------------------------------------


def _ingest(landing: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "working.duckdb"))
    ingest_landing(con, landing, "Asia/Tokyo")
    return con


def _accounted(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select file, rows_read, rows_loaded, rows_quarantined from ingest.ingest_log "
        "where status = 'loaded' order by file"
    ).fetchall()


def test_connector_files_ingest_with_every_row_accounted_for(tmp_path: Path) -> None:
    con = _ingest(CONNECTOR, tmp_path)
    logged = _accounted(con)
    assert len(logged) == 11  # order, opportunity_line_item, product_2 are not read
    for file, read, loaded, quarantined in logged:
        assert read == loaded + quarantined, file
    # The two rows with a hashed probability of 1000 break the 0-100 range.
    reasons = con.execute("select file, reason from ingest.quarantine order by file").fetchall()
    assert reasons == [
        ("salesforce/opportunity/sf_opportunity_data.csv", "probability: '1000' is above 100"),
        (
            "salesforce_history/opportunity/sf_opportunity_history_data.csv",
            "probability: '1000' is above 100",
        ),
    ]
    # 368 contact columns: the few declared are typed, the rest kept in _extra.
    extra = con.execute("select _extra from raw.salesforce__contact limit 1").fetchone()[0]
    assert "fivetran_synced" in json.loads(extra)
    (lead_rows,) = con.execute("select count(*) from raw.salesforce__lead").fetchone()
    assert lead_rows == 1


def test_data_loader_files_load_without_quarantine(tmp_path: Path) -> None:
    con = _ingest(DATALOADER, tmp_path)
    for file, read, loaded, quarantined in _accounted(con):
        assert (read, quarantined) == (loaded, 0), file
    # Upper-case headers land in the alias columns, typed.
    stage, is_won, amount, close_day, extra = con.execute(
        "select stagename, iswon, amount, strftime(closedate, '%Y-%m-%d'), _extra "
        "from raw.salesforce__opportunity where id = '0065g00000SFO01IAQ'"
    ).fetchone()
    assert (stage, is_won, amount, close_day) == ("Closed Won", True, 1200000.0, "2026-05-20")
    # A column kpitree does not read is kept, not dropped.
    assert json.loads(extra)["competitor_c"] == "Acme"
    # The header-only object loads no rows and is no error.
    assert ("salesforce/OpportunityFieldHistory/extract_OpportunityFieldHistory.csv", 0, 0, 0) in (
        _accounted(con)
    )


def test_unparseable_salesforce_values_are_quarantined_with_reasons(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    folder = landing / "salesforce" / "Opportunity"
    folder.mkdir(parents=True)
    (folder / "extract.csv").write_text(
        '"ID","STAGENAME","AMOUNT","CLOSEDATE","CREATEDDATE"\n'
        '"0065g00000ZZ001AAA","Prospecting","100.0","2026-04-30","2026-04-01T00:00:00.000+0000"\n'
        '"0065g00000ZZ002AAA","Prospecting","1,000","2026/04/30","2026-04-01T00:00:00.000Z"\n',
        encoding="utf-8",
    )
    con = _ingest(landing, tmp_path)
    assert _accounted(con) == [("salesforce/Opportunity/extract.csv", 2, 1, 1)]
    (reason,) = con.execute("select reason from ingest.quarantine").fetchone()
    assert "amount: not a number" in reason
    assert "closedate: not an ISO 8601 timestamp" in reason


# --- end to end ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dataloader_run(tmp_path_factory: pytest.TempPathFactory):
    return _run(DATALOADER, tmp_path_factory.mktemp("sf-dataloader") / "kpitree.duckdb")


@pytest.fixture(scope="module")
def dataloader_con(dataloader_run):
    connection = duckdb.connect(str(dataloader_run.published), read_only=True)
    yield connection
    connection.close()


def _cases():
    for row in expected_rows(EXPECTED):
        key = [row[k] for k in ("kpi_name", "grain", "period_start", "dimension")]
        yield pytest.param(row, id="/".join([*key, row["dimension_value"]]))


@pytest.mark.parametrize("row", list(_cases()))
def test_data_loader_kpi_value(dataloader_con: duckdb.DuckDBPyConnection, row) -> None:
    check_expected(dataloader_con, row)


def test_data_loader_staging_maps_people_and_drops_deleted(dataloader_run) -> None:
    con = duckdb.connect(str(dataloader_run.working), read_only=True)
    try:
        users = con.execute(
            "select user_id, department, team from intermediate.int_users order by 1"
        ).fetchall()
        assert users == [
            ("0055g00000SFU01", "inside_sales", "IS East"),
            ("0055g00000SFU02", "field_sales", "Field Sales"),
            ("0055g00000SFU03", "marketing", "東京"),
            ("0055g00000SFU05", "customer_success", None),
        ]  # the integration user (no department) is left out, with a warning
        leads = con.execute("select lead_id from intermediate.int_leads order by 1")
        assert [r[0] for r in leads.fetchall()] == [
            "00Q5g00000SFL01",
            "00Q5g00000SFL02",
            "00Q5g00000SFL03",
            "00Q5g00000SFL04",
        ]
        (opportunity_lead,) = con.execute(
            "select lead_id from intermediate.int_opportunities "
            "where opportunity_id = '0065g00000SFO01'"
        ).fetchone()
        assert opportunity_lead == "00Q5g00000SFL01"
        (name,) = con.execute(
            "select campaign_name from intermediate.int_campaigns where campaign_type = 'webinar'"
        ).fetchone()
        assert name == "春のウェビナー"  # CP932 file read as such
    finally:
        con.close()
    assert any("salesforce_users_have_department" in w for w in dataloader_run.warnings)
