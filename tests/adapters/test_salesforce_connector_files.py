"""Salesforce adapter: the connector-shaped files, and an empty object alone, through the
real pipeline (see test_salesforce.py for the fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.adapters.test_salesforce import CONNECTOR, DATALOADER, _run

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)


def test_connector_shaped_files_give_small_kpis(tmp_path: Path) -> None:
    outcome = _run(CONNECTOR, tmp_path / "kpitree.duckdb")
    con = duckdb.connect(str(outcome.published), read_only=True)
    try:
        for file, read, loaded, quarantined in con.execute(
            "select file, rows_read, rows_loaded, rows_quarantined from quality.ingest_log"
        ).fetchall():
            assert read == loaded + quarantined, file

        def total(kpi: str) -> float:
            (value,) = con.execute(
                "select coalesce(sum(value), 0) from metrics.kpi_values_current "
                "where kpi_name = ? and grain = 'month' and dimension = 'all'",
                [kpi],
            ).fetchone()
            return value

        # Every opportunity is soft-deleted: nothing is won, created or open.
        for kpi in ("won_count", "opportunity_count", "pipeline_created_amount"):
            assert total(kpi) == 0, kpi
        assert total("open_pipeline_amount") == 0
        # The four live Meeting events (the others are typed Call), the one live lead.
        assert total("appointment_count") == 4
        assert total("meeting_count") == 4
        assert total("lead_count") == 1
        # Tasks of subtype Task / type X are no calls.
        assert total("call_count") == 0
    finally:
        con.close()


def test_an_empty_salesforce_object_alone_gives_empty_kpis(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    folder = landing / "salesforce" / "Opportunity"
    folder.mkdir(parents=True)
    exported = DATALOADER / "salesforce" / "Opportunity" / "extract_Opportunity.csv"
    header = exported.read_text("utf-8").splitlines()[0]
    (folder / "extract_Opportunity.csv").write_text(header + "\r\n", "utf-8")
    shutil.copytree(DATALOADER / "salesforce" / "UserRole", landing / "salesforce" / "UserRole")
    outcome = _run(landing, tmp_path / "kpitree.duckdb")
    con = duckdb.connect(str(outcome.published), read_only=True)
    try:
        assert con.execute("select count(*) from metrics.kpi_values").fetchone() == (0,)
    finally:
        con.close()
