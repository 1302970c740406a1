"""HubSpot adapter, (c): empty, missing and extra tables and columns do not break a run
(see test_hubspot.py for the fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.adapters.test_hubspot import (
    CONNECTOR_SMALL,
    _assert_every_file_accounted_for,
    _run,
)
from tests.conftest import current_kpi_value

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

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
