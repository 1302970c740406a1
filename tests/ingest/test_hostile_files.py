"""Files that try to break the ingest step: odd header names, things that are not
files, files that vanish, links out of the landing folder, CSV as editors write it,
and what reaches the published quarantine. Every case: the run goes on, the file is
named, read = loaded + quarantined, and the next run is not blocked."""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

import duckdb
import jinja2
import pytest

from orchestration.ingest import ingest_landing, loader

REPO = Path(__file__).resolve().parents[2]
QUALITY_MODELS = REPO / "dbt_project" / "models" / "quality"
HEADER = "lead_id,lead_source,owner_id,lead_score,created_at,updated_at"
GOOD = "L1,web,u1,60,2026-04-01T09:00:00,"


def write(landing: Path, relative: str, content: str | bytes) -> Path:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def ingest(con, landing: Path, progress=None):
    return ingest_landing(con, landing, "Asia/Tokyo", progress)


def log(con, file: str) -> dict:
    cursor = con.execute("select * from ingest.ingest_log where file = ?", [file])
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0], strict=True))


def quarantine(con, file: str) -> list[tuple]:
    return con.execute(
        "select line, reason, column_name, row_key from ingest.quarantine "
        "where file = ? order by line",
        [file],
    ).fetchall()


def rejection(con, file: str) -> str:
    entry = log(con, file)
    assert entry["status"] == "rejected", entry
    [(line, reason, _column, _key)] = quarantine(con, file)
    assert line is None
    assert reason == entry["message"]
    return reason


def assert_accounted(con) -> None:
    for file, table, digest, read, loaded, bad, status in con.execute(
        "select file, table_name, content_hash, rows_read, rows_loaded, rows_quarantined, "
        "status from ingest.ingest_log"
    ).fetchall():
        assert read == loaded + bad, file
        if status == "loaded":
            (in_raw,) = con.execute(
                f"select count(*) from raw.{table} where _file = ? and _content_hash = ?",
                [file, digest],
            ).fetchone()
            (in_quarantine,) = con.execute(
                "select count(*) from ingest.quarantine where file = ? and content_hash = ?",
                [file, digest],
            ).fetchone()
            assert (in_raw, in_quarantine) == (loaded, bad), file


def good_file_loaded(con, landing: Path) -> None:
    """The file written by every test beside the hostile one loaded fully."""
    assert log(con, "leads/z_good.csv")["rows_loaded"] == 1


# --- A. header names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("ordinal", "ordinal"),
        ("select", "select"),
        ("order", "order"),
        ("line", "line"),
        ("file_row_number", "file_row_number"),
        ("_file", "_file"),
        ("_extra", "_extra"),
        ("_reason", "_reason"),
        ("_raw", "_raw"),
        ("_loaded_at", "_loaded_at"),
        ("_content_hash", "_content_hash"),
        ("_columns", "_columns"),
        ('"a""b"', 'a"b'),
        ("'; drop table raw.leads; --", "'; drop table raw.leads; --"),
    ],
)
def test_any_extra_column_name_loads_into_extra_and_never_sets_bookkeeping(
    con, landing: Path, header: str, key: str
) -> None:
    write(landing, "leads/l.csv", f"{HEADER},{header}\n{GOOD},evil\n")
    ingest(con, landing)
    [(lead, file, line, extra, loaded_at, digest)] = con.execute(
        "select lead_id, _file, _line, _extra, _loaded_at, _content_hash from raw.leads"
    ).fetchall()
    assert (lead, file, line) == ("L1", "leads/l.csv", 2)
    assert json.loads(extra) == {key: "evil"}
    assert loaded_at is not None and digest == log(con, "leads/l.csv")["content_hash"]
    assert_accounted(con)


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_keys_named_like_reader_internals_load_in_json_and_parquet(
    con, landing: Path, tmp_path: Path, fmt: str
) -> None:
    record = {
        "lead_id": "L1",
        "lead_source": "web",
        "created_at": "2026-04-01T09:00:00",
        "ordinal": "o",
        "file_row_number": "f",
        "l": "x",
        "_file": "evil",
    }
    if fmt == "jsonl":
        write(landing, "leads/l.jsonl", json.dumps(record) + "\n")
    else:
        (landing / "leads").mkdir()
        columns = ", ".join(f"'{v}' as \"{k}\"" for k, v in record.items())
        duckdb.execute(
            f"copy (select {columns}) to '{landing / 'leads' / 'l.parquet'}' (format parquet)"
        )
    ingest(con, landing)
    [(file, extra)] = con.execute("select _file, _extra from raw.leads").fetchall()
    assert file == f"leads/l.{fmt}"
    assert json.loads(extra) == {"ordinal": "o", "file_row_number": "f", "l": "x", "_file": "evil"}


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (f"{HEADER},started_at,started_at", "column started_at appears twice"),
        (f"{HEADER},lead_id", "column lead_id appears twice"),
        (f"{HEADER},Note,note", "columns Note and note differ only in letter case"),
        (f"{HEADER},", "column 7 has no name in the header"),
        (f"{HEADER},_line", "column _line uses a name reserved for ingest bookkeeping"),
        (f"{HEADER},_LINE", "column _LINE uses a name reserved for ingest bookkeeping"),
        (f"{HEADER},_source_raw", "column _source_raw uses a name reserved"),
    ],
    ids=["twice", "pk-twice", "case", "empty", "_line", "_LINE", "_source_raw"],
)
def test_a_header_that_cannot_name_columns_rejects_the_file(
    con, landing: Path, header: str, reason: str
) -> None:
    write(landing, "leads/bad.csv", f"{header}\n{GOOD},a,b\n")
    write(landing, "leads/z_good.csv", f"{HEADER}\n{GOOD}\n")
    report = ingest(con, landing)
    assert reason in rejection(con, "leads/bad.csv")
    assert [f.file for f in report.rejected_files] == ["leads/bad.csv"]
    good_file_loaded(con, landing)


def test_json_keys_differing_only_in_case_reject_the_file(con, landing: Path) -> None:
    write(
        landing,
        "leads/l.jsonl",
        '{"lead_id": "L1", "lead_source": "web", "created_at": "2026-04-01", "a": 1, "A": 2}\n',
    )
    ingest(con, landing)
    assert rejection(con, "leads/l.jsonl") == "keys a and A differ only in letter case"


# --- A. things that are not readable files ------------------------------------------


def test_a_named_pipe_is_rejected_without_being_opened(con, landing: Path) -> None:
    (landing / "leads").mkdir()
    os.mkfifo(landing / "leads" / "pipe.csv")
    write(landing, "leads/z_good.csv", f"{HEADER}\n{GOOD}\n")
    ingest(con, landing)  # would hang if the pipe were opened for reading
    assert rejection(con, "leads/pipe.csv") == "not a regular file (a named pipe)"
    good_file_loaded(con, landing)


def test_a_dangling_link_is_rejected(con, landing: Path) -> None:
    (landing / "leads").mkdir()
    (landing / "leads" / "gone.csv").symlink_to(landing / "leads" / "nowhere.csv")
    write(landing, "leads/z_good.csv", f"{HEADER}\n{GOOD}\n")
    ingest(con, landing)
    assert rejection(con, "leads/gone.csv") == "broken symbolic link (its target does not exist)"
    good_file_loaded(con, landing)


def test_a_folder_named_like_a_file_is_a_folder(con, landing: Path) -> None:
    (landing / "leads" / "empty.csv").mkdir(parents=True)
    write(landing, "leads/x.csv/part-1.csv", f"{HEADER}\n{GOOD}\n")
    report = ingest(con, landing)
    assert [(f.file, f.status) for f in report.files] == [("leads/x.csv/part-1.csv", "loaded")]


def test_a_broken_gzip_is_rejected_and_skipped_next_run(con, landing: Path) -> None:
    write(landing, "leads/broken.csv.gz", b"\x1f\x8b\x08\x00garbage")
    write(landing, "leads/z_good.csv", f"{HEADER}\n{GOOD}\n")
    ingest(con, landing)
    assert rejection(con, "leads/broken.csv.gz").startswith("cannot read file")
    second = ingest(con, landing)
    assert second.files == [] and second.skipped == 2


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_link_out_of_the_landing_folder_is_rejected_unread(
    con, landing: Path, tmp_path: Path, kind: str
) -> None:
    outside = tmp_path / "secrets"
    write(outside, "leads.csv", f"{HEADER}\n{GOOD}\n")
    if kind == "file":
        (landing / "leads").mkdir()
        (landing / "leads" / "linked.csv").symlink_to(outside / "leads.csv")
        name = "leads/linked.csv"
    else:
        (landing / "leads").symlink_to(outside, target_is_directory=True)
        name = "leads"
    write(landing, "users/u.csv", "user_id,user_name,department\nu1,A,marketing\n")
    ingest(con, landing)
    reason = rejection(con, name)
    assert reason == "symbolic link to a location outside the landing folder (not read)"
    assert str(tmp_path) not in reason
    assert con.execute("select count(*) from raw.leads").fetchone() == (0,)
    assert con.execute("select count(*) from raw.users").fetchone() == (1,)
    again = ingest(con, landing)  # same link, same reason: skipped, not logged twice
    assert again.files == [] and again.skipped == 2


def test_a_link_inside_the_landing_folder_is_followed(con, landing: Path) -> None:
    write(landing, "_archive/2026-04.csv", f"{HEADER}\n{GOOD}\n")
    (landing / "leads").mkdir()
    (landing / "leads" / "linked.csv").symlink_to(landing / "_archive" / "2026-04.csv")
    (landing / "leads" / "loop").symlink_to(landing / "leads", target_is_directory=True)
    report = ingest(con, landing)
    assert [(f.file, f.status) for f in report.files] == [("leads/linked.csv", "loaded")]


def test_a_file_that_vanishes_before_it_is_read_is_rejected_and_the_run_goes_on(
    con, landing: Path
) -> None:
    write(landing, "leads/a_gone.csv", f"{HEADER}\n{GOOD}\n")
    write(landing, "leads/z_good.csv", f"{HEADER}\nL2,web,u1,60,2026-04-01T09:00:00,\n")

    def delete_it(file: str, index: int, total: int) -> None:
        if file == "leads/a_gone.csv":
            (landing / file).unlink()

    report = ingest(con, landing, progress=delete_it)
    assert rejection(con, "leads/a_gone.csv") == "file disappeared before it could be read"
    assert log(con, "leads/a_gone.csv")["content_hash"] is None
    assert [f.status for f in report.files] == ["rejected", "loaded"]
    write(landing, "leads/a_gone.csv", f"{HEADER}\n{GOOD}\n")  # it comes back: read
    again = ingest(con, landing)
    assert [(f.file, f.status) for f in again.files] == [("leads/a_gone.csv", "loaded")]
    assert_accounted(con)


def test_a_file_that_vanishes_after_hashing_is_rejected(
    con, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(landing, "leads/a_gone.csv", f"{HEADER}\n{GOOD}\n")
    write(landing, "leads/z_good.csv", f"{HEADER}\nL2,web,u1,60,2026-04-01T09:00:00,\n")
    real_hash = loader.content_hash

    def hash_then_delete(path: Path) -> str:
        digest = real_hash(path)
        if path.name == "a_gone.csv":
            path.unlink()
        return digest

    monkeypatch.setattr(loader, "content_hash", hash_then_delete)
    ingest(con, landing)
    assert rejection(con, "leads/a_gone.csv") == "file disappeared before it could be read"
    assert log(con, "leads/z_good.csv")["rows_loaded"] == 1


def test_an_exception_with_a_path_is_a_rejection_without_the_path(
    con, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(landing, "leads/l.csv", f"{HEADER}\n{GOOD}\n")
    real_stage = loader.stage_file

    def failing_stage(con, file, workdir):
        if file.rel_path == "leads/l.csv":
            raise duckdb.IOException(
                f'IO Error: Cannot open file "{file.path}": busy; temp {workdir / "t.csv"}'
            )
        return real_stage(con, file, workdir)

    monkeypatch.setattr(loader, "stage_file", failing_stage)
    report = ingest(con, landing)
    reason = rejection(con, "leads/l.csv")
    assert reason == (
        'cannot read file (IOException: IO Error: Cannot open file "leads/l.csv": busy; temp t.csv)'
    )
    assert report.rejected_files[0].message == reason
    for text in (reason, log(con, "leads/l.csv")["message"]):
        assert str(landing) not in text and "kpitree-ingest-" not in text
        assert not re.search(r"(^|[\s\"'(])/", text)


# --- B. CSV as editors and exporters write it ----------------------------------------


def test_a_stray_crlf_line_in_an_lf_file_loads(con, landing: Path) -> None:
    write(
        landing,
        "leads/l.csv",
        f"{HEADER}\n{GOOD}\r\nL2,ads,u1,70,2026-04-01T09:00:00,2026-04-02T09:00:00\nL3,web,u1,5,"
        "2026-04-01T09:00:00,\r\n",
    )
    ingest(con, landing)
    rows = con.execute(
        "select lead_id, lead_score, updated_at is null, _line from raw.leads order by 1"
    ).fetchall()
    assert rows == [("L1", 60, True, 2), ("L2", 70, False, 3), ("L3", 5, True, 4)]
    assert quarantine(con, "leads/l.csv") == []


def test_a_field_of_16_mb_loads(con, landing: Path) -> None:
    big = "x" * (16 << 20)
    write(landing, "leads/l.csv", f"{HEADER},note\n{GOOD},{big}\nL2,web,u1,1,2026-04-01,,y\n")
    ingest(con, landing)
    rows = con.execute(
        "select lead_id, length(json_extract_string(_extra, '$.note')), _line "
        "from raw.leads order by 1"
    ).fetchall()
    assert rows == [("L1", 16 << 20, 2), ("L2", 1, 3)]


def test_quarantine_lines_are_the_physical_lines_an_editor_shows(con, landing: Path) -> None:
    lines = [
        f"{HEADER},note",  # 1
        f"{GOOD},a",  # 2
        "",  # 3
        "",  # 4
        "\r",  # 5 (a blank CRLF line)
        "L2,web,u1,ten,2026-04-01T09:00:00,,b",  # 6: not an integer
        'L3,web,u1,3,2026-04-01T09:00:00,,"two',  # 7: a quoted field with a line break
        'lines"',  # 8
        "L4,web,u1,4,yesterday,,c",  # 9: not a timestamp
        "L5,web,u1,5,2026-04-01T09:00:00,,d,surplus",  # 10: too many fields
        "",  # 11
        'L6,web,u1,6,2026-04-01T09:00:00,,"e"',  # 12
    ]
    write(landing, "leads/l.csv", "\n".join(lines) + "\n")
    ingest(con, landing)
    bad = quarantine(con, "leads/l.csv")
    assert [(line, reason.split(":")[0]) for line, reason, _c, _k in bad] == [
        (6, "lead_score"),
        (9, "created_at"),
        (10, "unparseable CSV row"),
    ]
    assert (
        bad[2][1] == "unparseable CSV row: more fields than the header (expected 7 fields, found 8)"
    )
    loaded = con.execute("select lead_id, _line from raw.leads order by 1").fetchall()
    assert loaded == [("L1", 2), ("L3", 7), ("L6", 12)]
    entry = log(con, "leads/l.csv")
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_quarantined"]) == (6, 3, 3)


def test_an_unterminated_quote_loses_only_the_lines_from_it_each_reported(
    con, landing: Path
) -> None:
    content = (
        f"{HEADER}\n{GOOD}\n"
        'L2,"web,u1,60,2026-04-01T09:00:00,\n'  # 3: the quote is never closed
        "L3,web,u1,60,2026-04-01T09:00:00,\n"  # 4
        "L4,web,u1,60,2026-04-01T09:00:00,\n"  # 5
    )
    write(landing, "leads/l.csv", content)
    ingest(con, landing)
    bad = quarantine(con, "leads/l.csv")
    assert [line for line, *_ in bad] == [3, 4, 5]
    assert bad[0][1] == "unparseable CSV row: unterminated or misplaced quote"
    assert bad[1][1] == (
        "unparseable CSV row: inside a quoted field opened at line 3 and never closed"
    )
    raw = con.execute(
        "select raw_row from ingest.quarantine where file = 'leads/l.csv' order by line"
    ).fetchall()
    assert [r[0][:2] for r in raw] == ["L2", "L3", "L4"]
    assert con.execute("select lead_id from raw.leads").fetchall() == [("L1",)]
    entry = log(con, "leads/l.csv")
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_quarantined"]) == (4, 1, 3)


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_with_a_byte_order_mark_is_read(con, landing: Path, bom: bytes, codec: str) -> None:
    users = "user_id,user_name,department\r\nu1,高橋 一,marketing\r\n"
    write(landing, "users/u.csv", bom + users.encode(codec))
    ingest(con, landing)
    assert con.execute("select user_id, user_name from raw.users").fetchall() == [("u1", "高橋 一")]
    assert log(con, "users/u.csv")["encoding"] == "utf-16"


def test_utf16_without_a_byte_order_mark_is_rejected_with_advice(con, landing: Path) -> None:
    write(
        landing, "users/u.csv", "user_id,user_name,department\nu1,A,marketing\n".encode("utf-16-le")
    )
    ingest(con, landing)
    reason = rejection(con, "users/u.csv")
    assert "NUL bytes" in reason and "save it as UTF-8" in reason
    assert "missing" not in reason


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("u1,Ren\u00e9e M\u00fcller,marketing", "latin-1"),  # René Müller: é + e is valid CP932
        ("u1,caf\u00e9s \u00e0 emporter,marketing", "latin-1"),
        ("u1,\u201cquoted\u201d\u2019s,marketing", "cp1252"),
        ("u1,\u00c9COLE \u00c0 PARIS,marketing", "latin-1"),  # É, À: half-width kana in CP932
    ],
    ids=["muller", "cafes", "cp1252-quotes", "upper-accents"],
)
def test_latin1_and_cp1252_are_never_loaded_as_cp932(
    con, landing: Path, text: str, codec: str
) -> None:
    write(landing, "users/u.csv", f"user_id,user_name,department\n{text}\n".encode(codec))
    ingest(con, landing)
    reason = rejection(con, "users/u.csv")
    assert reason.startswith("unknown encoding") and "save it as UTF-8" in reason
    assert con.execute("select count(*) from raw.users").fetchone() == (0,)


def test_japanese_cp932_still_loads(con, landing: Path) -> None:
    users = "user_id,user_name,department,team\nu1,ｶﾀｶﾅ 太郎,inside_sales,東日本\n"
    write(landing, "users/u.csv", users.encode("cp932"))
    ingest(con, landing)
    assert con.execute("select user_name, team from raw.users").fetchall() == [
        ("ｶﾀｶﾅ 太郎", "東日本")
    ]
    assert log(con, "users/u.csv")["encoding"] == "cp932"


# --- C. the published quarantine -----------------------------------------------------


def published(con, model: str) -> list[tuple]:
    """The rows of a quality model, rendered over the working tables with DuckDB's spelling
    of the types the model asks dbt and the project's macros for."""
    sql = (QUALITY_MODELS / f"{model}.sql").read_text(encoding="utf-8")
    rendered = jinja2.Template(sql).render(
        source=lambda schema, table: f"{schema}.{table}",
        dbt=SimpleNamespace(type_string=lambda: "varchar"),
        type_timestamptz=lambda: "timestamptz",
    )
    return con.execute(rendered).fetchall()


def test_the_quarantine_names_columns_and_keys_and_keeps_the_raw_row_in_working(
    con, landing: Path
) -> None:
    write(landing, "leads/l.csv", f"{HEADER}\n{GOOD}\nL2,webinar,u1,ten,2026-04-01T09:00:00,\n")
    ingest(con, landing)
    [(line, reason, column, key)] = quarantine(con, "leads/l.csv")
    assert (line, column, key) == (3, "lead_source, lead_score", "L2")
    assert "'webinar'" in reason  # the working quarantine keeps the values
    [row] = published(con, "quarantine")
    assert row[:4] == ("leads/l.csv", "leads", 3, "lead_source, lead_score")
    assert "webinar" not in row[4] and "ten" not in row[4]
    assert row[4].startswith("lead_source: '…' is not one of (")
    assert row[4].endswith("; lead_score: not an integer: '…'")
    assert row[5] == "L2"


def test_no_personal_data_reaches_the_published_quarantine(con, landing: Path) -> None:
    email, phone, name = "taro.yamada@example.co.jp", "090-1234-5678", "Yamada Taro"
    rows = [
        # several reasons at once, personal data in checked columns
        f"L2,{phone},u1,{email},{name},{phone},{email}",
        # O'Brien: a quote inside a value
        f"L3,web,u1,O'Brien {email},2026-04-01T09:00:00,,{name}",
        # the reader cannot split it
        f'L4,web,u1,1,2026-04-01T09:00:00,,"{name}",{email},{phone}',
        # a duplicate key
        f"L1,web,u1,1,2026-04-01T09:00:00,,{name}",
    ]
    write(landing, "leads/l.csv", "\n".join([f"{HEADER},note", f"{GOOD},x", *rows]) + "\n")
    write(
        landing,
        "leads/l.jsonl",
        f'{{"lead_id": "J1", "email": "{email}", "phone": "{phone}", "lead_source": "{name}", '
        '"created_at": "2026-04-01"}\n'
        f"{{not json {email} {phone} {name}\n",
    )
    write(
        landing,
        "crm/_mapping.yml",
        "tables:\n  opportunities:\n    folder: deals\n    columns:\n"
        "      opportunity_id: id\n      account_id: account\n      owner_id: owner\n"
        "      opportunity_type: kind\n      stage: stage\n      created_at: created\n"
        "      amount: {from: amount, convert: yen}\n"
        "    constants: {is_closed: 'false', is_won: 'false'}\n",
    )
    write(
        landing,
        "crm/deals/d.csv",
        "id,account,owner,kind,stage,created,amount\n"
        f"D1,A1,u1,new_business,proposal,2026-04-01,{name} 120万円\n",
    )
    ingest(con, landing)
    (working,) = con.execute("select count(*) from ingest.quarantine").fetchone()
    assert working == 7  # 4 CSV rows, 2 JSON lines, 1 mapped row
    for model in ("quarantine", "ingest_log"):
        text = json.dumps(published(con, model), default=str, ensure_ascii=False)
        for secret in (email, phone, name, "Yamada", "O'Brien", "Brien", "taro"):
            assert secret not in text, (model, secret)
    # and they were there to leak: the working quarantine keeps them
    raw_rows = " ".join(
        r
        for (r,) in con.execute(
            "select raw_row from ingest.quarantine where raw_row is not null"
        ).fetchall()
    )
    assert email in raw_rows and phone in raw_rows and name in raw_rows


def test_a_working_database_without_the_new_quarantine_columns_still_works(
    con, landing: Path
) -> None:
    con.execute("create schema ingest")
    con.execute(
        "create table ingest.quarantine (file varchar, table_name varchar, line bigint, "
        "raw_row varchar, reason varchar, content_hash varchar, quarantined_at timestamptz)"
    )
    con.execute("insert into ingest.quarantine (file, reason) values ('old.csv', 'old')")
    write(landing, "leads/l.csv", f"{HEADER}\n{GOOD}\nL2,web,u1,ten,2026-04-01T09:00:00,\n")
    ingest(con, landing)
    assert quarantine(con, "leads/l.csv") == [
        (3, "lead_score: not an integer: 'ten'", "lead_score", "L2")
    ]
    assert quarantine(con, "old.csv") == [(None, "old", None, None)]


def test_a_value_holding_the_marker_characters_is_still_elided_whole(con, landing: Path) -> None:
    """Reasons mark quoted values with two private-use characters; a value that holds
    them itself must not end the elided span early."""
    secret = "taro\ue001@example.jp"
    write(landing, "leads/l.csv", f"{HEADER}\n{GOOD}\nL2,{secret},u1,1,2026-04-01T09:00:00,\n")
    ingest(con, landing)
    [row] = published(con, "quarantine")
    assert row[4].startswith("lead_source: '…' is not one of (")
    assert "example" not in row[4] and "taro" not in row[4]
