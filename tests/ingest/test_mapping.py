"""Generic CSV exports of Japanese SFA/MA tools, mapped onto the contract by a
per-source `_mapping.yml`: renames, CP932, Excel-style dates, full-width digits,
yen amounts, value maps, and clear quarantine reasons for what can't be read."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.ingest import ingest_landing
from orchestration.ingest.mapping import MappingError, load_mapping

MAPPING = """\
encoding: cp932
tables:
  leads:
    folder: リード
    columns:
      lead_id: リードID
      created_at: {from: 作成日時, convert: datetime}
      lead_source: {from: 流入元, map: {Webサイト: web, 資料請求: document_request}}
      lead_score: {from: スコア, convert: number}
  opportunities:
    folder: 案件
    columns:
      opportunity_id: 案件ID
      account_id: 取引先ID
      owner_id: 担当者ID
      stage: フェーズ
      amount: {from: 金額, convert: AMOUNT}
      created_at: {from: 作成日, convert: datetime}
      close_date: {from: 完了予定日, convert: date}
      is_closed: {from: 完了, convert: boolean}
      is_won: {from: 受注, convert: boolean}
    constants:
      opportunity_type: new_business
"""


def _landing(tmp_path: Path, amount_convert: str = "yen") -> Path:
    landing = tmp_path / "landing"
    source = landing / "crm"
    (source / "リード").mkdir(parents=True)
    (source / "案件").mkdir()
    (source / "_mapping.yml").write_text(MAPPING.replace("AMOUNT", amount_convert), "utf-8")
    (source / "リード" / "2026-04.csv").write_bytes(
        (
            "リードID,作成日時,流入元,スコア,備考\r\n"
            "S1,2026/04/01 9:00,Webサイト,６０,メモ\r\n"
            'S2,2026年4月2日 10時30分,資料請求,"1,2",\r\n'
            "S3,2026/13/01,Webサイト,10,\r\n"
            "S4,2026/04/03,展示会,5,\r\n"
        ).encode("cp932")
    )
    (source / "案件" / "2026-04.csv").write_bytes(
        (
            "案件ID,取引先ID,担当者ID,フェーズ,金額,作成日,完了予定日,完了,受注\r\n"
            'O1,A1,u1,提案,"￥1,200,000",2026/04/01,2026/04/30,×,×\r\n'
            "O2,A1,u1,受注,１２０万円,2026/4/2,2026/04/20,○,○\r\n"
        ).encode("cp932")
    )
    return landing


def _ingest(landing: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest_landing(con, landing, "Asia/Tokyo")
    con.execute("set TimeZone = 'Asia/Tokyo'")
    return con


def test_renames_and_converts_japanese_exports(tmp_path: Path) -> None:
    con = _ingest(_landing(tmp_path), tmp_path)
    leads = con.execute(
        "select lead_id, lead_source, lead_score, strftime(created_at, '%Y-%m-%d %H:%M'), _line "
        "from raw.leads order by lead_id"
    ).fetchall()
    assert leads == [
        ("S1", "web", 60, "2026-04-01 09:00", 2),  # full-width ６０
        ("S2", "document_request", 12, "2026-04-02 10:30", 3),  # 年月日 時分, "1,2"
    ]
    opps = con.execute(
        "select opportunity_id, amount, is_closed, is_won, close_date, opportunity_type "
        "from raw.opportunities"
    ).fetchall()
    assert [(o[0], o[1], o[2], o[3], str(o[4]), o[5]) for o in opps] == [
        ("O1", 1_200_000.0, False, False, "2026-04-30", "new_business")
    ]


def test_what_cannot_be_read_is_quarantined_with_the_source_row(tmp_path: Path) -> None:
    con = _ingest(_landing(tmp_path), tmp_path)
    rows = con.execute(
        "select file, line, reason, raw_row from ingest.quarantine order by file, line"
    ).fetchall()
    reasons = {(file.split("/")[1], line): reason for file, line, reason, _raw in rows}
    assert reasons[("リード", 4)].startswith("created_at: not an ISO 8601 timestamp")
    assert reasons[("リード", 5)].startswith("lead_source: '展示会' is not one of")
    assert reasons[("案件", 3)] == (
        "amount: '１２０万円' is in 万 (10,000) units — set convert: man_yen in the mapping "
        "to read it"
    )
    raw_rows = {line: raw for file, line, _reason, raw in rows if "案件" in file}
    assert '"金額":"１２０万円"' in raw_rows[3]
    for read, loaded, bad in con.execute(
        "select rows_read, rows_loaded, rows_quarantined from ingest.ingest_log"
    ).fetchall():
        assert read == loaded + bad


def test_man_yen_reads_amounts_in_units_of_ten_thousand(tmp_path: Path) -> None:
    con = _ingest(_landing(tmp_path, amount_convert="man_yen"), tmp_path)
    amounts = con.execute(
        "select opportunity_id, amount from raw.opportunities order by 1"
    ).fetchall()
    assert amounts == [("O1", 1_200_000.0), ("O2", 1_200_000.0)]


def test_a_mapped_column_missing_from_the_export_rejects_the_file(tmp_path: Path) -> None:
    landing = _landing(tmp_path)
    path = landing / "crm" / "リード" / "2026-04.csv"
    path.write_bytes("リードID,作成日時,スコア\r\nS1,2026/04/01,60\r\n".encode("cp932"))
    con = _ingest(landing, tmp_path)
    [(reason,)] = con.execute(
        "select reason from ingest.quarantine where file like '%リード%'"
    ).fetchall()
    assert reason == "the export has no column(s) 流入元 named in the mapping"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tables:\n  deals: {columns: {id: x}}\n", "tables.deals: not a canonical table"),
        ("tables:\n  leads: {columns: {foo: x}}\n", "columns.foo: not a column of leads"),
        (
            "tables:\n  leads: {columns: {lead_score: {from: x, convert: magic}}}\n",
            "convert must be one of",
        ),
    ],
)
def test_a_broken_mapping_names_the_entry(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "_mapping.yml").write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=message):
        load_mapping(tmp_path)
