"""Read one landing file with DuckDB's own readers into temporary staging tables.

Every reader produces the same two temp tables, so validation does not care about
the format:

- ``_stage``: the file's columns as text (header names as written) plus ``_line``,
  the line (CSV, JSONL) or row (Parquet) number that error messages name;
- ``_stage_rejects``: rows the reader itself could not parse (line, raw text, reason).

No name from a file is ever used as an identifier while reading: columns are read
under positional names (``c1``, ``c2``, ...) and given their header names only in the
last step, after the header has been checked (no empty name, no name twice, none that
differs from another only in letter case, none of the names ``_stage`` itself uses).

CSV line numbers are the physical lines an editor shows: the header is line 1, blank
lines count, and a quoted field with line breaks inside spans as many lines as it has.
DuckDB parses the file; a single pass over its bytes here (see ``CsvLayout``) finds
where records start, so the common file (no blank lines, no line breaks inside
fields) needs no extra work in SQL.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from orchestration.ingest.discover import LandingFile
from orchestration.ingest.encoding import (
    UnreadableFile,
    detect_encoding,
    open_bytes,
    open_regular,
    utf8_copy,
)
from orchestration.ingest.sql import quote_ident, sql_literal
from orchestration.ingest.validate import MAPPING_COLUMNS

# The longest CSV line (one record, all fields) read; DuckDB's default is 2 MB.
MAX_LINE_BYTES = 32 << 20
SCAN_CHUNK = 8 << 20
# Names ``_stage`` uses for itself; a file column may not take them.
RESERVED = ("_line", *MAPPING_COLUMNS)


@dataclass(frozen=True)
class StagedFile:
    columns: list[str]  # the file's own column names, in file order
    rows_read: int  # data rows seen (parsed + rejected by the reader)
    encoding: str | None


def _create_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create or replace temp table _stage_rejects (line bigint, raw_row varchar, reason varchar)"
    )


def check_names(names: list[str], what: str = "column") -> None:
    """Raise UnreadableFile when the header cannot name columns unambiguously."""
    seen: dict[str, str] = {}
    for position, name in enumerate(names, start=1):
        if name.strip() == "":
            raise UnreadableFile(f"{what} {position} has no name in the header")
        if name in seen.values():
            raise UnreadableFile(f"{what} {name} appears twice")
        folded = name.casefold()
        if folded in seen:
            raise UnreadableFile(f"{what}s {seen[folded]} and {name} differ only in letter case")
        if folded in RESERVED:
            raise UnreadableFile(
                f"{what} {name} uses a name reserved for ingest bookkeeping; rename it"
            )
        seen[folded] = name


def _stage_select(names: list[str]) -> str:
    """Positional ``c1..cN`` as the header names (already checked)."""
    return ", ".join(f"c{i} as {quote_ident(n)}" for i, n in enumerate(names, start=1))


# --- CSV ---------------------------------------------------------------------------


@dataclass
class CsvLayout:
    """Where the records of a CSV file are, from one pass over its bytes.

    Record ``r`` (0 is the header) normally starts on physical line ``r + 1``, and
    DuckDB's reader (which counts blank lines but not line breaks inside quoted
    fields) calls it line ``r + 1`` too. ``breaks`` lists ``(r, physical offset,
    DuckDB offset)`` from each record on which either offset changes; empty for the
    common file.
    """

    header: list[str] = field(default_factory=list)
    breaks: list[tuple[int, int, int]] = field(default_factory=list)
    crlf: int = 0
    lf: int = 0

    @property
    def mixed_newlines(self) -> bool:
        return 0 < self.crlf < self.lf


def _quotes_pair_up(region: bytes) -> bool:
    """Every line of ``region`` has an even number of quotes, so (read from outside a
    quoted field) no field spans lines: the common shape of a quote-everything export."""
    data = np.frombuffer(region, dtype=np.uint8)
    # quotes seen so far, mod 256 (parity survives the wrap), at every line end
    seen = np.cumsum(data == 34, dtype=np.uint8)
    return not np.any(seen[data == 10] & 1)


def _quote_state(line: bytes, in_quote: bool) -> bool:
    """Whether a line leaves the parser inside a quoted field (RFC 4180 quoting:
    a quote opens a field only at its start; ``""`` inside one is a literal)."""
    i, n = 0, len(line)
    while i < n:
        if in_quote:
            j = line.find(b'"', i)
            if j < 0:
                return True
            if j + 1 < n and line[j + 1] == 0x22:
                i = j + 2
                continue
            in_quote = False
            k = line.find(b",", j + 1)
            if k < 0:
                return False
            i = k + 1
        elif line[i] == 0x22:
            in_quote = True
            i += 1
        else:
            k = line.find(b",", i)
            if k < 0:
                return False
            i = k + 1
    return in_quote


class _Scanner:
    def __init__(self) -> None:
        self.layout = CsvLayout()
        self.in_quote = False
        self.physical = 1  # physical line number of the next line
        self.duck = 1  # DuckDB's line number of the next line
        self.record = -1  # index of the record being read (0 = header)
        self.offsets = (0, 0)
        self.header_lines: list[bytes] = []

    def _start_record(self) -> None:
        self.record += 1
        offsets = (self.physical - self.record - 1, self.duck - self.record - 1)
        if offsets != self.offsets:
            self.layout.breaks.append((self.record, *offsets))
            self.offsets = offsets

    def line(self, line: bytes) -> None:
        """One physical line, without its ``\\n``."""
        if not self.in_quote:
            if line in (b"", b"\r"):
                self.physical += 1
                self.duck += 1
                return
            self._start_record()
        if self.record == 0:
            self.header_lines.append(line.removesuffix(b"\r"))
        if self.in_quote or line.count(b'"') % 2:
            self.in_quote = _quote_state(line, self.in_quote)
        self.physical += 1
        if not self.in_quote:
            self.duck += 1

    def quote_free(self, region: bytes) -> None:
        """Whole lines without a quote, outside any quoted field: only blank lines
        move the offsets, so only they are looked at (vectorised: the common path)."""
        data = np.frombuffer(region, dtype=np.uint8)
        ends = np.flatnonzero(data == 10)
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        lengths = ends - starts
        has_cr = np.zeros(len(ends), dtype=bool)
        has_cr[lengths > 0] = data[ends[lengths > 0] - 1] == 13
        self.layout.lf += len(ends)
        self.layout.crlf += int(np.count_nonzero(has_cr))
        blank = (lengths == 0) | ((lengths == 1) & has_cr)
        done = 0
        for index in np.flatnonzero(blank).tolist():
            self._records(index - done)
            self.physical += 1
            self.duck += 1
            done = index + 1
        self._records(len(ends) - done)

    def _records(self, count: int) -> None:
        if count <= 0:
            return
        self._start_record()
        self.record += count - 1
        self.physical += count
        self.duck += count

    def feed(self, region: bytes) -> None:
        """Whole lines (``region`` ends with ``\\n``)."""
        while self.record < 1 and region:  # the header, line by line
            cut = region.index(b"\n") + 1
            self._slow(region[:cut])
            region = region[cut:]
        if not region:
            return
        if not self.in_quote and (b'"' not in region or _quotes_pair_up(region)):
            self.quote_free(region)
        else:
            self._slow(region)

    def _slow(self, region: bytes) -> None:
        lines = region.split(b"\n")[:-1]
        self.layout.lf += len(lines)
        if b"\r" in region:
            self.layout.crlf += region.count(b"\r\n")
        for line in lines:
            self.line(line)

    def finish(self, tail: bytes) -> CsvLayout:
        if tail:
            self.line(tail)
        if self.header_lines:
            text = "\n".join(h.decode("utf-8", errors="replace") for h in self.header_lines)
            self.layout.header = next(csv.reader(io.StringIO(text)), [])
        return self.layout


def scan_csv(path: Path) -> CsvLayout:
    scanner = _Scanner()
    tail = b""
    with open_bytes(path) as handle:
        for chunk in iter(lambda: handle.read(SCAN_CHUNK), b""):
            data = tail + chunk
            cut = data.rfind(b"\n") + 1
            if cut:
                scanner.feed(data[:cut])
            tail = data[cut:]
    return scanner.finish(tail)


def _normalized_copy(path: Path, target: Path) -> Path:
    """``path`` with every CRLF written as LF (a file that mixes both)."""
    with open_bytes(path) as src, target.open("wb") as out:
        carry = b""
        for chunk in iter(lambda: src.read(SCAN_CHUNK), b""):
            data = carry + chunk
            carry = b"\r" if data.endswith(b"\r") else b""
            out.write(data[: len(data) - len(carry)].replace(b"\r\n", b"\n"))
        out.write(carry)
    return target


_READER_REASONS = {
    "TOO MANY COLUMNS": "more fields than the header",
    "MISSING COLUMNS": "fewer fields than the header",
    "UNQUOTED VALUE": "unterminated or misplaced quote",
    "LINE SIZE OVER MAXIMUM": f"line longer than {MAX_LINE_BYTES >> 20} MB",
    "INVALID UNICODE": "invalid UTF-8",
    "INVALID STATE": "not valid CSV",
}


def _reader_reason() -> str:
    """SQL over ``_reader_errors``: a reason built from the error type and numbers
    only (DuckDB's own messages can quote the line, i.e. personal data)."""
    cases = " ".join(
        f"when {sql_literal(k)} then {sql_literal(v)}" for k, v in _READER_REASONS.items()
    )
    error_type = "cast(arg_min(error_type, column_idx) as varchar)"
    message = "arg_min(error_message, column_idx)"
    pattern = "'Expected Number of Columns: (\\d+) Found: (\\d+)'"
    expected = f"regexp_extract({message}, {pattern}, 1)"
    found = f"regexp_extract({message}, {pattern}, 2)"
    return (
        f"'unparseable CSV row: ' || case {error_type} {cases} "
        f"else lower(regexp_replace({error_type}, '[^A-Za-z ]', '', 'g')) end "
        f"|| case when {expected} <> '' then ' (expected ' || {expected} "
        f"|| ' fields, found ' || {found} || ')' else '' end"
    )


def read_csv(con: duckdb.DuckDBPyConnection, file: LandingFile, workdir: Path) -> StagedFile:
    encoding = detect_encoding(file.path, file.encoding)
    source = file.path
    if encoding != "utf-8":
        source = utf8_copy(file.path, encoding, workdir / "transcoded.csv")
    layout = scan_csv(source)
    if layout.mixed_newlines:
        source = _normalized_copy(source, workdir / "normalized.csv")
    if not layout.header:
        raise UnreadableFile("empty file: no header row")
    names = layout.header
    check_names(names)
    for name in ("_reader_errors", "_reader_scans"):
        con.execute(f"drop table if exists {name}")
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(1, len(names) + 1)) + "}"
    try:
        con.execute(
            "create or replace temp table _stage_rows as select * from read_csv("
            f"{sql_literal(str(source))}, header = true, auto_detect = false, "
            f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', "
            f"max_line_size = {MAX_LINE_BYTES}, store_rejects = true, "
            "rejects_table = '_reader_errors', rejects_scan = '_reader_scans')"
        )
    except duckdb.Error as exc:
        raise UnreadableFile(f"not a readable CSV file ({type(exc).__name__})") from exc
    _create_rejects(con)
    breaks = _breaks_table(con, layout)
    # One reject per record (the reader records one error per broken field), at the
    # physical line where the record starts.
    at_line = "r.line" if breaks is None else "r.line + b.off_p - b.off_d"
    join = "" if breaks is None else "asof left join _csv_breaks b on r.line >= b.d_start"
    con.execute(
        f"""
        create or replace temp table _csv_errors as
        with grouped as (
            select
                line,
                regexp_replace(any_value(csv_line), '^\\r?\\n', '') as csv_line,
                {_reader_reason()} as reason,
                bool_or(error_type = 'UNQUOTED VALUE') as unterminated
            from _reader_errors group by line
        )
        select r.line as duck_line, {at_line} as line, r.csv_line, r.reason, r.unterminated
        from grouped r {join}
        """
    )
    # A quote never closed swallows the lines after it into one record: report each
    # of those lines, so every line the reader could not use is in the quarantine.
    con.execute(
        """
        insert into _stage_rejects
        select line, csv_line, reason from _csv_errors
        where not unterminated or csv_line not like '%' || chr(10) || '%'
        union all
        select
            line + part.i - 1,
            regexp_replace(part.text, '\\r$', ''),
            case when part.i = 1 then reason
            else 'unparseable CSV row: inside a quoted field opened at line ' || line
                || ' and never closed' end
        from (
            select
                line,
                reason,
                unnest(parts) as text,
                unnest(range(1, len(parts) + 1)) as i
            from (
                select line, reason,
                    string_split(regexp_replace(csv_line, '\\n$', ''), chr(10)) as parts
                from _csv_errors
                where unterminated and csv_line like '%' || chr(10) || '%'
            )
        ) as part
        """
    )
    (parsed,) = con.execute("select count(*) from _stage_rows").fetchone()
    (records_rejected,) = con.execute("select count(*) from _csv_errors").fetchone()
    (rejected_rows,) = con.execute("select count(*) from _stage_rejects").fetchone()
    _stage_csv(con, names, parsed + records_rejected, records_rejected, breaks)
    con.execute("drop table _stage_rows")
    return StagedFile(columns=names, rows_read=parsed + rejected_rows, encoding=encoding)


def _breaks_table(con: duckdb.DuckDBPyConnection, layout: CsvLayout) -> str | None:
    breaks = [b for b in layout.breaks if b[0] >= 1]
    if not breaks:
        return None
    con.execute(
        "create or replace temp table _csv_breaks "
        "(r bigint, off_p bigint, off_d bigint, d_start bigint)"
    )
    con.executemany(
        "insert into _csv_breaks values (?, ?, ?, ?)",
        [(r, p, d, r + 1 + d) for r, p, d in breaks],
    )
    return "_csv_breaks"


def _stage_csv(
    con: duckdb.DuckDBPyConnection,
    names: list[str],
    records: int,
    rejected: int,
    breaks: str | None,
) -> None:
    """``_stage`` from ``_stage_rows``: good row ``j`` (file order) is the ``j``-th
    record the reader did not reject; its line comes from the layout."""
    select = _stage_select(names)
    if rejected == 0:
        numbered = "select rowid + 1 as r, * from _stage_rows"
    else:
        to_record = "duck_line - 1" if breaks is None else "duck_line - 1 - b.off_d"
        join = "" if breaks is None else "asof left join _csv_breaks b on e.duck_line >= b.d_start"
        numbered = f"""
            with bad as (select {to_record} as r from _csv_errors e {join}),
            good as (
                select r, row_number() over (order by r) - 1 as ordinal
                from range(1, {records} + 1) as records (r)
                where r not in (select r from bad)
            )
            select good.r, rows.* exclude (ordinal)
            from (select rowid as ordinal, * from _stage_rows) as rows
            inner join good on rows.ordinal = good.ordinal
        """
    if breaks is None:
        con.execute(
            f"create or replace temp table _stage as "
            f"select {select}, r + 1 as _line from ({numbered}) as n"
        )
        return
    con.execute(
        f"""
        create or replace temp table _stage as
        select {select}, n.r + 1 + coalesce(b.off_p, 0) as _line
        from ({numbered}) as n
        asof left join _csv_breaks b on n.r >= b.r
        """
    )


# --- Parquet -----------------------------------------------------------------------


def read_parquet(con: duckdb.DuckDBPyConnection, file: LandingFile, workdir: Path) -> StagedFile:
    with open_regular(file.path):  # refuses a pipe or a folder before DuckDB opens it
        pass
    source = sql_literal(str(file.path))
    try:
        described = con.execute(f"describe select * from read_parquet({source})").fetchall()
        names = [r[0] for r in described]
    except duckdb.Error as exc:
        raise UnreadableFile(f"not a readable Parquet file ({type(exc).__name__})") from exc
    check_names(names)
    positional = ", ".join(f"cast(#{i} as varchar) as c{i}" for i in range(1, len(names) + 1))
    try:
        con.execute(
            "create or replace temp table _stage_rows as "
            f"select {positional} from read_parquet({source})"
        )
    except duckdb.Error as exc:
        raise UnreadableFile(f"not a readable Parquet file ({type(exc).__name__})") from exc
    con.execute(
        "create or replace temp table _stage as "
        f"select {_stage_select(names)}, rowid + 1 as _line from _stage_rows"
    )
    con.execute("drop table _stage_rows")
    _create_rejects(con)
    (rows,) = con.execute("select count(*) from _stage").fetchone()
    return StagedFile(columns=names, rows_read=rows, encoding=None)


# --- JSON Lines --------------------------------------------------------------------


def read_jsonl(con: duckdb.DuckDBPyConnection, file: LandingFile, workdir: Path) -> StagedFile:
    """JSON Lines: each non-blank line one JSON object.

    A line that is not a JSON object is rejected with its line number; the valid
    lines go to DuckDB's JSON reader, keys renamed to positions, every value as text.
    """
    encoding = detect_encoding(file.path, file.encoding)
    good_path = workdir / "good.jsonl"
    keys: dict[str, str] = {}  # key -> positional name
    rejects: list[tuple[int, str, str]] = []
    read = 0
    with (
        io.TextIOWrapper(open_bytes(file.path), encoding=encoding) as src,
        good_path.open("w", encoding="utf-8") as good,
    ):
        for number, line in enumerate(src, start=1):
            text = line.strip()
            if not text:
                continue
            read += 1
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                rejects.append((number, text, f"not valid JSON: {exc.msg}"))
                continue
            except RecursionError:
                rejects.append((number, text, "not valid JSON: nested too deeply"))
                continue
            if not isinstance(record, dict):
                rejects.append((number, text, "not a JSON object"))
                continue
            row = {"l": number}
            for key, value in record.items():
                row[keys.setdefault(key, f"c{len(keys) + 1}")] = value
            good.write(json.dumps(row, ensure_ascii=False) + "\n")
    _create_rejects(con)
    if rejects:
        con.executemany("insert into _stage_rejects values (?, ?, ?)", rejects)
    names = list(keys)
    check_names(names, "key")
    if not names or read == len(rejects):
        con.execute(
            "create or replace temp table _stage as select "
            + "".join(f"cast(null as varchar) as {quote_ident(n)}, " for n in names)
            + "cast(null as bigint) as _line where false"
        )
        return StagedFile(columns=names, rows_read=read, encoding=encoding)
    spec = "{'l': 'BIGINT', " + ", ".join(f"'{p}': 'VARCHAR'" for p in keys.values()) + "}"
    try:
        con.execute(
            f"""
            create or replace temp table _stage as
            select {_stage_select(names)}, l as _line
            from read_json({sql_literal(str(good_path))},
                format = 'newline_delimited', columns = {spec},
                maximum_object_size = {MAX_LINE_BYTES})
            """
        )
    except duckdb.Error as exc:
        raise UnreadableFile(f"not a readable JSON Lines file ({type(exc).__name__})") from exc
    return StagedFile(columns=names, rows_read=read, encoding=encoding)


READERS = {"csv": read_csv, "parquet": read_parquet, "jsonl": read_jsonl}


def stage_file(con: duckdb.DuckDBPyConnection, file: LandingFile, workdir: Path) -> StagedFile:
    """Read ``file`` into ``_stage`` / ``_stage_rejects``; raise UnreadableFile if it can't."""
    if file.problem:
        raise UnreadableFile(file.problem)
    if file.format is None:
        raise UnreadableFile("unsupported file format: expected .csv, .csv.gz, .parquet or .jsonl")
    with open_regular(file.path) as handle:
        if handle.read(1) == b"":
            raise UnreadableFile("empty file: no header row")
    return READERS[file.format](con, file, workdir)
