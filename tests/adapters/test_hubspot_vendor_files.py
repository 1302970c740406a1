"""HubSpot adapter, (b): the vendor's own connector fixture files, and their warehouse
variants, through the real pipeline (see test_hubspot.py for the fixtures)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.adapters.hubspot import TABLES
from tests.adapters.test_hubspot import (
    FIVETRAN,
    FIVETRAN_VARIANTS,
    _assert_every_file_accounted_for,
    _monthly_total,
    _run,
)

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

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
