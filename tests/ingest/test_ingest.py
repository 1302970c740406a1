"""Ingestion of landing files: every bad-input case of the contract, the formats
and encodings it accepts, and re-ingest. The invariant checked throughout: for every
file, rows read = rows loaded + rows quarantined, and nothing is silently dropped."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest import ingest_landing

LEADS_HEADER = "lead_id,lead_source,owner_id,lead_score,created_at,updated_at\n"
OPPS_HEADER = (
    "opportunity_id,account_id,owner_id,opportunity_type,stage,amount,created_at,is_closed,is_won\n"
)


def write(landing: Path, relative: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content if isinstance(content, bytes) else content.encode(encoding)
    path.write_bytes(data)
    return path


def ingest(con: duckdb.DuckDBPyConnection, landing: Path):
    return ingest_landing(con, landing, "Asia/Tokyo")


def log_row(con: duckdb.DuckDBPyConnection, file: str) -> dict:
    cursor = con.execute("select * from ingest.ingest_log where file = ?", [file])
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0], strict=True))


def quarantine(con: duckdb.DuckDBPyConnection, file: str) -> list[tuple]:
    return con.execute(
        "select line, raw_row, reason from ingest.quarantine where file = ? order by line",
        [file],
    ).fetchall()


def assert_accounted(con: duckdb.DuckDBPyConnection) -> None:
    """Every file: read = loaded + quarantined, and the tables agree with the log."""
    for file, table, read, loaded, bad, status in con.execute(
        "select file, table_name, rows_read, rows_loaded, rows_quarantined, status "
        "from ingest.ingest_log"
    ).fetchall():
        assert read == loaded + bad, file
        if status == "loaded":
            (in_raw,) = con.execute(
                f"select count(*) from raw.{table} where _file = ?", [file]
            ).fetchone()
            (in_quarantine,) = con.execute(
                "select count(*) from ingest.quarantine where file = ?", [file]
            ).fetchone()
            assert (in_raw, in_quarantine) == (loaded, bad), file


@pytest.mark.parametrize(
    ("bad_line", "reason_part"),
    [
        ("L2,web,u1,10,2026-13-45T10:00:00,", "created_at: not an ISO 8601 timestamp: '2026-13-45"),
        ("L2,web,u1,10,yesterday,", "created_at: not an ISO 8601 timestamp: 'yesterday'"),
        ("L2,web,u1,ten,2026-04-01T10:00:00,", "lead_score: not an integer: 'ten'"),
        ("L2,webinar,u1,10,2026-04-01T10:00:00,", "lead_source: 'webinar' is not one of"),
        (",web,u1,10,2026-04-01T10:00:00,", "lead_id: required value is missing"),
        ("L2,web,u1,10,,", "created_at: required value is missing"),
    ],
    ids=["bad-timestamp", "words-as-timestamp", "non-integer", "enum", "null-pk", "missing-req"],
)
def test_a_bad_row_is_quarantined_and_the_rest_loads(
    con, landing: Path, bad_line: str, reason_part: str
) -> None:
    write(
        landing,
        "leads/2026-04-01.csv",
        LEADS_HEADER
        + "L1,web,u1,60,2026-04-01T09:00:00,\n"
        + bad_line
        + "\n"
        + "L3,seminar,u2,,2026-04-02T09:00:00+09:00,\n",
    )
    report = ingest(con, landing)
    log = log_row(con, "leads/2026-04-01.csv")
    assert (log["rows_read"], log["rows_loaded"], log["rows_quarantined"]) == (3, 2, 1)
    [(line, raw_row, reason)] = quarantine(con, "leads/2026-04-01.csv")
    assert line == 3  # header is line 1
    assert reason_part in reason
    assert json.loads(raw_row)["lead_source"] == bad_line.split(",")[1]
    loaded = con.execute("select lead_id from raw.leads order by lead_id").fetchall()
    assert loaded == [("L1",), ("L3",)]
    assert report.rows_read == report.rows_loaded + report.rows_quarantined == 3
    assert_accounted(con)


def test_non_numeric_amount_is_quarantined(con, landing: Path) -> None:
    write(
        landing,
        "opportunities/o.csv",
        OPPS_HEADER
        + "O1,A1,u1,new_business,proposal,1200000,2026-04-01T10:00:00,false,false\n"
        + "O2,A1,u1,new_business,proposal,120万円,2026-04-01T10:00:00,false,false\n",
    )
    ingest(con, landing)
    [(line, _raw, reason)] = quarantine(con, "opportunities/o.csv")
    assert line == 3
    assert reason == "amount: not a number: '120万円'"
    assert_accounted(con)


def test_duplicate_primary_key_in_one_file_keeps_the_first_and_quarantines_the_rest(
    con, landing: Path
) -> None:
    write(
        landing,
        "leads/l.csv",
        LEADS_HEADER
        + "L1,web,u1,60,2026-04-01T09:00:00,\n"
        + "L1,ads,u1,61,2026-04-01T09:00:00,\n"
        + "L2,web,u1,60,2026-04-01T09:00:00,\n",
    )
    ingest(con, landing)
    [(line, _raw, reason)] = quarantine(con, "leads/l.csv")
    assert line == 3
    assert reason == "duplicate primary key L1 in this file (first at line 2)"
    assert con.execute("select lead_source from raw.leads where lead_id = 'L1'").fetchall() == [
        ("web",)
    ]
    assert_accounted(con)


def test_several_problems_in_one_row_are_all_named(con, landing: Path) -> None:
    write(landing, "leads/l.csv", LEADS_HEADER + ",nowhere,u1,x,never,\n")
    ingest(con, landing)
    [(_line, _raw, reason)] = quarantine(con, "leads/l.csv")
    for part in ("lead_id: required", "lead_source: 'nowhere'", "lead_score: not an integer"):
        assert part in reason
    assert "created_at: not an ISO 8601 timestamp: 'never'" in reason


def test_a_row_with_the_wrong_number_of_fields_is_quarantined_with_its_line(
    con, landing: Path
) -> None:
    write(
        landing,
        "leads/l.csv",
        LEADS_HEADER
        + "L1,web,u1,60,2026-04-01T09:00:00,\n"
        + "L2,web,u1\n"
        + "L3,web,u1,60,2026-04-01T09:00:00,,surplus\n"
        + "L4,web,u1,60,2026-04-01T09:00:00,\n",
    )
    ingest(con, landing)
    rows = quarantine(con, "leads/l.csv")
    assert [r[0] for r in rows] == [3, 4]
    assert rows[0][1] == "L2,web,u1"
    assert all(r[2].startswith("unparseable CSV row") for r in rows)
    log = log_row(con, "leads/l.csv")
    assert (log["rows_read"], log["rows_loaded"], log["rows_quarantined"]) == (4, 2, 2)
    # the rows after the bad ones keep their own line numbers
    assert con.execute("select lead_id, _line from raw.leads order by _line").fetchall() == [
        ("L1", 2),
        ("L4", 5),
    ]
    assert_accounted(con)


@pytest.mark.parametrize(
    ("name", "content", "reason_part"),
    [
        ("leads/binary.csv", b"\x81\x20\xff\x00" * 10, "unknown encoding"),
        ("leads/empty.csv", b"", "empty file: no header row"),
        ("leads/leads.xlsx", b"PK\x03\x04", "unsupported file format"),
        (
            "leads/no_source.csv",
            b"lead_id,created_at\nL1,2026-04-01T10:00:00\n",
            "missing required column(s): lead_source",
        ),
        ("leads/broken.csv.gz", b"\x1f\x8b\x08\x00garbage", "cannot read file"),
        ("leads/broken.parquet", b"PAR1 not really", "not a readable Parquet file"),
    ],
    ids=["unknown-encoding", "empty", "xlsx", "missing-column", "broken-gzip", "broken-parquet"],
)
def test_an_unreadable_file_is_rejected_whole_and_the_run_goes_on(
    con, landing: Path, name: str, content: bytes, reason_part: str
) -> None:
    write(landing, name, content)
    write(landing, "leads/z_good.csv", LEADS_HEADER + "L1,web,u1,60,2026-04-01T09:00:00,\n")
    report = ingest(con, landing)
    [(line, raw_row, reason)] = quarantine(con, name)
    assert line is None and raw_row is None
    assert reason_part in reason
    assert log_row(con, name)["status"] == "rejected"
    assert [f.file for f in report.rejected_files] == [name]
    assert reason_part in report.summary()
    assert con.execute("select count(*) from raw.leads").fetchone() == (1,)


def test_cp932_and_bom_files_load_without_garbling(con, landing: Path) -> None:
    users = "user_id,user_name,department,team\nu1,高橋 一,inside_sales,東日本\n"
    write(landing, "users/sjis.csv", users, encoding="cp932")
    write(landing, "users/bom.csv", "\ufeff" + users.replace("u1,", "u2,"), encoding="utf-8")
    ingest(con, landing)
    rows = con.execute("select user_id, user_name, team from raw.users order by 1").fetchall()
    assert rows == [("u1", "高橋 一", "東日本"), ("u2", "高橋 一", "東日本")]
    assert log_row(con, "users/sjis.csv")["encoding"] == "cp932"
    assert log_row(con, "users/bom.csv")["encoding"] == "utf-8-sig"


def test_gzip_parquet_and_jsonl_load_like_csv(con, landing: Path, tmp_path: Path) -> None:
    csv_text = LEADS_HEADER + "L1,web,u1,60,2026-04-01T09:00:00,\n"
    write(landing, "leads/a.csv.gz", gzip.compress(csv_text.encode()))
    source = tmp_path / "b.csv"
    source.write_text(LEADS_HEADER + "L2,ads,u1,70,2026-04-02T09:00:00Z,\n")
    (landing / "leads").mkdir(exist_ok=True)
    duckdb.execute(
        f"copy (select * from read_csv('{source}', all_varchar = true)) "
        f"to '{landing / 'leads' / 'c.parquet'}' (format parquet)"
    )
    write(
        landing,
        "leads/d.jsonl",
        '{"lead_id": "L3", "lead_source": "event", "created_at": "2026-04-03T09:00:00"}\n'
        "\n"
        "{not json\n"
        '["a list"]\n'
        '{"lead_id": "L4", "lead_source": "event", "created_at": "2026-04-04T09:00:00",'
        ' "campaign_code": "X1"}\n',
    )
    ingest(con, landing)
    rows = con.execute("select lead_id, _file, _line, _extra from raw.leads order by 1").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("L1", "leads/a.csv.gz", 2),
        ("L2", "leads/c.parquet", 1),
        ("L3", "leads/d.jsonl", 1),
        ("L4", "leads/d.jsonl", 5),
    ]
    assert json.loads(rows[3][3]) == {"campaign_code": "X1"}
    bad = quarantine(con, "leads/d.jsonl")
    assert [(line, reason.split(":")[0]) for line, _raw, reason in bad] == [
        (3, "not valid JSON"),
        (4, "not a JSON object"),
    ]
    assert_accounted(con)


def test_timestamps_are_instants_read_in_the_reporting_timezone(con, landing: Path) -> None:
    write(
        landing,
        "leads/l.csv",
        LEADS_HEADER
        + "L1,web,u1,,2026-03-31T15:00:00Z,\n"
        + "L2,web,u1,,2026-04-01T00:00:00,\n"
        + "L3,web,u1,,2026-04-01T09:00:00+09:00,\n",
    )
    ingest(con, landing)
    con.execute("set TimeZone = 'UTC'")
    rows = con.execute(
        "select lead_id, strftime(created_at, '%Y-%m-%d %H:%M') from raw.leads order by 1"
    ).fetchall()
    assert rows == [
        ("L1", "2026-03-31 15:00"),
        ("L2", "2026-03-31 15:00"),  # no offset: read as Asia/Tokyo
        ("L3", "2026-04-01 00:00"),
    ]


def test_the_same_file_twice_is_a_no_op(con, landing: Path) -> None:
    content = LEADS_HEADER + "L1,web,u1,60,2026-04-01T09:00:00,\n"
    write(landing, "leads/2026-04-01.csv", content)
    first = ingest(con, landing)
    assert [f.status for f in first.files] == ["loaded"]
    second = ingest(con, landing)
    assert second.files == [] and second.skipped == 1
    write(landing, "leads/2026-04-01-copy.csv", content)
    third = ingest(con, landing)
    assert [f.status for f in third.files] == ["duplicate"]
    assert "same content as leads/2026-04-01.csv" in third.files[0].message
    assert con.execute("select count(*) from raw.leads").fetchone() == (1,)
    assert_accounted(con)


def test_a_changed_file_with_the_same_name_loads_its_rows_again(con, landing: Path) -> None:
    write(landing, "leads/l.csv", LEADS_HEADER + "L1,web,u1,60,2026-04-01T09:00:00,\n")
    ingest(con, landing)
    write(
        landing,
        "leads/l.csv",
        LEADS_HEADER + "L1,web,u1,80,2026-04-01T09:00:00,2026-04-02T09:00:00\n",
    )
    ingest(con, landing)
    assert con.execute("select lead_score from raw.leads order by lead_score").fetchall() == [
        (60,),
        (80,),
    ]


def test_folders_that_are_not_tables_are_reported_not_fatal(con, landing: Path) -> None:
    write(landing, "notes/readme.txt", "hello")
    write(landing, "leads/l.csv", LEADS_HEADER + "L1,web,u1,60,2026-04-01T09:00:00,\n")
    report = ingest(con, landing)
    assert report.ignored_folders == ["notes"]
    assert "notes" in report.summary()
    assert report.rows_loaded == 1


def test_missing_landing_folder_is_a_clear_error(con, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ingest(con, tmp_path / "nowhere")


def _write_in_format(landing: Path, fmt: str, header: str, lines: list[str], tmp: Path) -> str:
    """Write the same rows as .csv, .csv.gz, .parquet (all text) or .jsonl."""
    text = header + "".join(line + "\n" for line in lines)
    if fmt == "csv":
        write(landing, "leads/f.csv", text)
        return "leads/f.csv"
    if fmt == "csv.gz":
        write(landing, "leads/f.csv.gz", gzip.compress(text.encode()))
        return "leads/f.csv.gz"
    names = header.strip().split(",")
    records = [dict(zip(names, line.split(","), strict=True)) for line in lines]
    if fmt == "jsonl":
        body = "".join(
            json.dumps({k: v for k, v in r.items() if v != ""}, ensure_ascii=False) + "\n"
            for r in records
        )
        write(landing, "leads/f.jsonl", body)
        return "leads/f.jsonl"
    source = tmp / "rows.csv"
    source.write_text(text)
    (landing / "leads").mkdir(parents=True, exist_ok=True)
    duckdb.execute(
        f"copy (select * from read_csv('{source}', all_varchar = true, header = true)) "
        f"to '{landing / 'leads' / 'f.parquet'}' (format parquet)"
    )
    return "leads/f.parquet"


BAD_ROWS = {
    "unparseable-timestamp": ("L2,web,u1,10,2026-02-30T10:00:00,", "created_at: not an ISO"),
    "non-numeric": ("L2,web,u1,ten,2026-04-01T10:00:00,", "lead_score: not an integer"),
    "enum": ("L2,webinar,u1,10,2026-04-01T10:00:00,", "lead_source: 'webinar' is not one of"),
    "null-pk": (",web,u1,10,2026-04-01T10:00:00,", "lead_id: required value is missing"),
    "duplicate-pk": ("L1,ads,u1,10,2026-04-01T10:00:00,", "duplicate primary key L1"),
}


@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "parquet", "jsonl"])
@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_every_bad_row_case_in_every_format(
    con, landing: Path, tmp_path: Path, fmt: str, case: str
) -> None:
    bad_line, reason_part = BAD_ROWS[case]
    good = ["L1,web,u1,60,2026-04-01T09:00:00,", "L3,seminar,u2,,2026-04-02T09:00:00+09:00,"]
    name = _write_in_format(landing, fmt, LEADS_HEADER, [good[0], bad_line, good[1]], tmp_path)
    ingest(con, landing)
    log = log_row(con, name)
    assert (log["rows_read"], log["rows_loaded"], log["rows_quarantined"]) == (3, 2, 1)
    [(line, _raw, reason)] = quarantine(con, name)
    assert reason_part in reason
    assert line == (2 if fmt in ("parquet", "jsonl") else 3)  # row 2; CSV line 3 (header)
    assert_accounted(con)
