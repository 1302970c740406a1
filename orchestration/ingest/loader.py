"""Apply landing files to the working warehouse: raw tables, quarantine, ingest log.

Raw tables are append-only: every valid row of every file is kept with the file and
line it came from. Which version of a primary key is current (newest ``updated_at``
as an instant; on a tie or without it, the later file in name order) is decided
downstream, in the staging models, so nothing is overwritten here and every row that
was read is either in ``raw`` or in ``ingest.quarantine``. The ingest log and the
quarantine live in the working schema ``ingest``; dbt publishes them, under their
contracts, as ``quality.ingest_log`` and ``quality.quarantine`` (the published
quarantine carries no raw rows and no values).

No file stops a run: whatever goes wrong while reading one (it vanished, it is a pipe,
a link out of the landing folder, DuckDB refused it) rejects that file with a reason,
logged under its path; the run goes on with the next file. A rejected file is skipped
by later runs while it stays the same (same path and content hash, or, for a file that
could not be hashed, the same reason) and read again once it changes. Messages that
reach the log never carry an absolute path.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.adapters import adapter_tables, normalize_name
from orchestration.contract import TABLES
from orchestration.ingest.discover import LandingFile, discover
from orchestration.ingest.encoding import UnreadableFile, content_hash
from orchestration.ingest.mapping import apply_mapping
from orchestration.ingest.readers import stage_file
from orchestration.ingest.sql import plain_reason, public_reason, quote_ident
from orchestration.ingest.validate import missing_required_columns, raw_table_ddl, validated_select
from orchestration.settings import TimeBounds, time_bounds

QUALITY_DDL = (
    """
    create table if not exists ingest.ingest_log (
        file varchar,
        table_name varchar,
        content_hash varchar,
        file_format varchar,
        encoding varchar,
        status varchar,
        rows_read bigint,
        rows_loaded bigint,
        rows_quarantined bigint,
        message varchar,
        loaded_at timestamptz
    )
    """,
    """
    create table if not exists ingest.quarantine (
        file varchar,
        table_name varchar,
        line bigint,
        raw_row varchar,
        reason varchar,
        content_hash varchar,
        quarantined_at timestamptz,
        column_name varchar,
        row_key varchar
    )
    """,
    # a working database created before these columns existed
    "alter table ingest.quarantine add column if not exists column_name varchar",
    "alter table ingest.quarantine add column if not exists row_key varchar",
    # The reason with the values it quotes elided, for the published quarantine; rows from
    # before it existed get everything between their outer quotes elided.
    "alter table ingest.quarantine add column if not exists public_reason varchar",
    "update ingest.quarantine set public_reason = regexp_replace(reason, '''.*''', '''…''') "
    "where public_reason is null",
)
QUARANTINE_COLUMNS = (
    "file, table_name, line, raw_row, reason, content_hash, quarantined_at, column_name, "
    "row_key, public_reason"
)
# An absolute path (POSIX or Windows) inside a message.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.])(?:/|[A-Za-z]:\\)[^\s'\"()<>,;]*")


@dataclass(frozen=True)
class FileResult:
    file: str
    table: str
    status: str  # loaded | rejected | duplicate
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str = ""


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    skipped: int = 0  # files already loaded by an earlier run
    ignored_folders: list[str] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def rejected_files(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "rejected"]

    def summary(self) -> str:
        """A few lines a person reads at the end of a run."""
        lines = [
            f"ingest: {len(self.files)} new file(s), {self.skipped} already loaded; "
            f"rows read {self.rows_read} = loaded {self.rows_loaded} "
            f"+ quarantined {self.rows_quarantined}"
        ]
        for f in self.rejected_files:
            lines.append(f"  rejected file {f.file}: {f.message}")
        for reason, count in self.reasons.most_common(10):
            lines.append(f"  quarantined {count} row(s): {reason}")
        if self.ignored_folders:
            lines.append(
                "  folders that are not canonical tables (ignored here): "
                + ", ".join(self.ignored_folders)
            )
        return "\n".join(lines)


def prepare_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``raw`` and ``quality`` and their tables when missing (idempotent)."""
    con.execute("create schema if not exists raw")
    con.execute("create schema if not exists ingest")
    for ddl in QUALITY_DDL:
        con.execute(ddl)
    for table in [*TABLES.values(), *adapter_tables().values()]:
        con.execute(raw_table_ddl(table))


def scrub_paths(message: str, *known: Path) -> str:
    """``message`` without absolute paths: known folders become relative, any other
    absolute path is reduced to its last part."""
    for folder in known:
        for prefix in {str(folder), str(folder.resolve())}:
            message = message.replace(prefix.rstrip("/\\") + "/", "").replace(prefix, ".")
    return _ABSOLUTE_PATH.sub(lambda m: re.split(r"[/\\]", m.group(0).rstrip("/\\"))[-1], message)


def _seen_unhashed(con: duckdb.DuckDBPyConnection, file: LandingFile, reason: str) -> bool:
    """A file that could not be hashed was rejected for the same reason before."""
    (count,) = con.execute(
        "select count(*) from ingest.ingest_log "
        "where file = ? and content_hash is null and message = ?",
        [file.rel_path, reason],
    ).fetchone()
    return count > 0


def _seen(con: duckdb.DuckDBPyConnection, file: LandingFile, digest: str) -> tuple[bool, str]:
    """(already applied from this path, first file that had this content)."""
    same_path = con.execute(
        "select count(*) from ingest.ingest_log where file = ? and content_hash = ?",
        [file.rel_path, digest],
    ).fetchone()[0]
    first = con.execute(
        "select min(file) from ingest.ingest_log where content_hash = ? and status <> 'duplicate'",
        [digest],
    ).fetchone()[0]
    return same_path > 0, first or ""


def _log(
    con: duckdb.DuckDBPyConnection,
    result: FileResult,
    digest: str,
    file_format: str | None,
    encoding: str | None,
    now: datetime,
) -> None:
    con.execute(
        "insert into ingest.ingest_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.file,
            result.table,
            digest,
            file_format,
            encoding,
            result.status,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            result.message,
            now,
        ],
    )


def _reject_file(
    con: duckdb.DuckDBPyConnection,
    file: LandingFile,
    digest: str | None,
    reason: str,
    now: datetime,
) -> FileResult:
    con.execute(
        f"insert into ingest.quarantine ({QUARANTINE_COLUMNS}) "
        "values (?, ?, null, null, ?, ?, ?, null, null, ?)",
        [file.rel_path, file.table, reason, digest, now, reason],
    )
    return FileResult(file.rel_path, file.table, "rejected", message=reason)


@dataclass(frozen=True)
class Checked:
    """A file read and validated into temp tables, not yet applied."""

    rows_read: int
    encoding: str | None
    reject_reason: str | None = None  # the whole file is rejected


def check_file(
    con: duckdb.DuckDBPyConnection,
    file: LandingFile,
    workdir: Path,
    bounds: TimeBounds | None = None,
) -> Checked:
    """Read and validate ``file`` into the temp tables ``_checked`` and ``_stage_rejects``.

    ``bounds`` is the run's accepted time range (default: computed from the clock now).

    Runs outside the write transaction: the temp tables belong to this connection.
    Anything that goes wrong rejects the file (never the run).
    """
    try:
        return _check_file(con, file, workdir, bounds or time_bounds())
    except UnreadableFile as exc:
        return Checked(0, None, str(exc))
    except Exception as exc:  # one file never stops the run
        return Checked(0, None, f"cannot read file ({_describe(exc)})")


def _check_file(
    con: duckdb.DuckDBPyConnection, file: LandingFile, workdir: Path, bounds: TimeBounds
) -> Checked:
    table = file.contract
    staged = stage_file(con, file, workdir)
    if table.normalize_headers:
        staged, problem = _normalize_headers(con, staged)
        if problem:
            return Checked(0, staged.encoding, problem)
    if file.mapping:
        columns, problem = apply_mapping(con, file.mapping, staged.columns)
        if problem:
            return Checked(0, staged.encoding, problem)
        staged = replace(staged, columns=columns)
    missing = missing_required_columns(table, staged.columns)
    if missing:
        return Checked(0, staged.encoding, "missing required column(s): " + ", ".join(missing))
    select = validated_select(table, staged.columns, bounds)
    con.execute(f"create or replace temp table _checked as {select}")
    return Checked(staged.rows_read, staged.encoding)


def _normalize_headers(con: duckdb.DuckDBPyConnection, staged):
    """Rename vendor headers to snake_case in ``_stage``; refuse ambiguous files."""
    renamed: dict[str, str] = {}
    for column in staged.columns:
        target = normalize_name(column)
        if target in renamed.values():
            first = next(k for k, v in renamed.items() if v == target)
            return staged, f"columns {first!r} and {column!r} both mean {target!r}"
        renamed[column] = target
    for column, target in renamed.items():
        if column != target:
            con.execute(
                f"alter table _stage rename column {quote_ident(column)} to {quote_ident(target)}"
            )
    return replace(staged, columns=list(renamed.values())), None


def apply_file(
    con: duckdb.DuckDBPyConnection,
    file: LandingFile,
    checked: Checked,
    digest: str | None,
    now: datetime,
) -> FileResult:
    """Append a checked file to raw and quarantine. Caller owns the transaction."""
    if checked.reject_reason:
        return _reject_file(con, file, digest, checked.reject_reason, now)
    table = file.contract
    names = ", ".join(f'"{c}"' for c in table.column_names)
    con.execute(
        f"insert into raw.{table.raw_table} select {names}, _extra, ?, _line, ?, ? "
        "from _checked where _reason = ''",
        [file.rel_path, digest, now],
    )
    con.execute(
        f"insert into ingest.quarantine ({QUARANTINE_COLUMNS}) "
        f"select ?, ?, _line, _raw, {plain_reason('_reason')}, ?, ?, _columns, _key, "
        f"{public_reason('_reason')} from _checked where _reason <> '' "
        # the reader's reasons name the error kind and field counts, never a value
        "union all select ?, ?, line, raw_row, reason, ?, ?, null, null, reason "
        "from _stage_rejects",
        [file.rel_path, file.table, digest, now] * 2,
    )
    loaded, bad = con.execute(
        "select count(*) filter (where _reason = ''), count(*) filter (where _reason <> '') "
        "from _checked"
    ).fetchone()
    (reader_bad,) = con.execute("select count(*) from _stage_rejects").fetchone()
    if loaded + bad + reader_bad != checked.rows_read:
        raise RuntimeError(
            f"{file.rel_path}: read {checked.rows_read} rows but accounted for "
            f"{loaded + bad + reader_bad}; refusing to lose rows"
        )
    return FileResult(
        file.rel_path,
        file.table,
        "loaded",
        rows_read=checked.rows_read,
        rows_loaded=loaded,
        rows_quarantined=bad + reader_bad,
    )


def _describe(exc: BaseException) -> str:
    """An exception as a short message (first line, no path added here)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _reasons(con: duckdb.DuckDBPyConnection, file: str) -> Counter:
    """Quarantine reasons of a file, grouped by rule: the public reasons, whose values are
    elided, so that "amount: not a number: 'abc'" and "... 'xyz'" count as one reason."""
    rows = con.execute(
        "select public_reason from ingest.quarantine where file = ? and line is not null", [file]
    ).fetchall()
    counter: Counter = Counter()
    for (reason,) in rows:
        for part in reason.split("; "):
            counter[part.split(" (expected")[0]] += 1
    return counter


def ingest_landing(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    timezone: str,
    progress: Callable[[str, int, int], None] | None = None,
) -> IngestReport:
    """Load every new file of ``landing`` into ``raw``; return what happened.

    Offset-less timestamps are read in ``timezone`` (the reporting timezone).
    A file already applied (same path, same content hash) is skipped; a file whose
    content equals one applied under another name is logged as a duplicate and not
    read again. Each file is applied in its own transaction.
    """
    con.execute(f"set TimeZone = '{timezone}'")
    prepare_schemas(con)
    found = discover(landing)
    report = IngestReport(ignored_folders=found.ignored_folders)
    total = len(found.files)
    bounds = time_bounds()  # one clock for every file of the run
    with tempfile.TemporaryDirectory(prefix="kpitree-ingest-") as tmp:
        workdir = Path(tmp)
        for index, file in enumerate(found.files, start=1):
            if progress:
                progress(file.rel_path, index, total)
            result = _ingest_file(con, file, workdir, (landing, workdir), bounds)
            if result is None:
                report.skipped += 1
                continue
            report.files.append(result)
            report.reasons.update(_reasons(con, file.rel_path))
    return report


def _ingest_file(
    con: duckdb.DuckDBPyConnection,
    file: LandingFile,
    workdir: Path,
    folders: tuple[Path, ...],
    bounds: TimeBounds,
) -> FileResult | None:
    """Apply one file in its own transaction; None when an earlier run applied it."""
    before = _stat_key(file.path)
    digest: str | None = None
    problem = file.problem
    if problem is None:
        try:
            digest = content_hash(file.path)
        except UnreadableFile as exc:
            problem = str(exc)
    first = ""
    if problem is not None:
        if _seen_unhashed(con, file, problem):
            return None
        checked: Checked | None = Checked(0, None, problem)
    else:
        applied, first = _seen(con, file, digest)
        if applied:
            return None
        checked = None if first else check_file(con, file, workdir, bounds)
        if checked is not None and not checked.reject_reason and _stat_key(file.path) != before:
            # written to while it was read: what was read matches no content hash
            digest = None
            checked = Checked(0, None, "file changed while it was being read; read again next run")
    if checked is not None and checked.reject_reason:
        checked = replace(checked, reject_reason=scrub_paths(checked.reject_reason, *folders))
    try:
        return _apply_and_log(con, file, checked, digest, first)
    except Exception as exc:  # one file never stops the run
        reason = scrub_paths(f"could not be applied ({_describe(exc)})", *folders)
        return _apply_and_log(con, file, Checked(0, None, reason), digest, first)


def _apply_and_log(
    con: duckdb.DuckDBPyConnection,
    file: LandingFile,
    checked: Checked | None,
    digest: str | None,
    first: str,
) -> FileResult:
    now = datetime.now(UTC)
    con.execute("begin transaction")
    try:
        if checked is None:
            result = FileResult(
                file.rel_path, file.table, "duplicate", message=f"same content as {first}"
            )
        else:
            result = apply_file(con, file, checked, digest, now)
        encoding = checked.encoding if checked else None
        _log(con, result, digest, file.format, encoding, now)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return result
