"""What the published warehouse was built from, so that a night with nothing new costs
seconds and a changed model is rebuilt in full.

A build's inputs are two fingerprints:

- **code**: the content of every file dbt reads (models, macros and the KPI catalog,
  tests, seeds -- the shared MQL/SQL definition and the mapping seeds among them --, the
  project and profile files), the dbt vars the environment overrides, and kpitree's
  version;
- **data**: the ingest log of the working database (every file applied, rejected or
  found to be a duplicate adds a row).

The dbt step writes the fingerprints it builds from to ``<work>/build_pending.json``;
the publish step, once the checked metrics are published, moves that file to
``<work>/build_published.json``. The next run compares:

- nothing changed since the last publish -> dbt build, checks and publish are skipped,
  and the published file stays as it is (it already holds these numbers);
- the code changed -> dbt builds with ``--full-refresh``, so incremental models are
  rebuilt from all the data under the new definitions;
- only data changed -> a normal (incremental) build.

``kpitree run --full-refresh`` forces a full rebuild whatever the fingerprints say.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

import duckdb

from orchestration.project import dbt_input_files
from orchestration.settings import WarehousePaths, dbt_vars_override, warehouse_target
from orchestration.workfiles import write_json_atomically


@dataclass(frozen=True)
class BuildInputs:
    code: str
    data: str


def code_fingerprint() -> str:
    """SHA-256 over what dbt reads and how kpitree calls it."""
    digest = hashlib.sha256()
    for path in dbt_input_files():
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes())
    # The run date only stamps the history: a new day alone changes no model.
    overrides = {k: v for k, v in dbt_vars_override().items() if k != "run_date"}
    digest.update(json.dumps(overrides, sort_keys=True).encode())
    digest.update(metadata.version("kpitree").encode())
    return digest.hexdigest()


def data_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The ingest log's size and last entry: any file applied since changes it."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'ingest' and table_name = 'ingest_log'"
    ).fetchone()[0]
    if not exists:
        return "no ingest log"
    rows, last = con.execute(
        "select count(*), cast(max(loaded_at) as varchar) from ingest.ingest_log"
    ).fetchone()
    return f"{rows} files, last at {last}"


def current_inputs(paths: WarehousePaths) -> BuildInputs:
    con = paths.connect_working(read_only=True)
    try:
        data = data_fingerprint(con)
    finally:
        con.close()
    # Built for another target (DuckDB, PostgreSQL, Spark): nothing there to continue from.
    return BuildInputs(code=f"{warehouse_target()}:{code_fingerprint()}", data=data)


def _pending(paths: WarehousePaths) -> Path:
    return paths.workdir / "build_pending.json"


def _published(paths: WarehousePaths) -> Path:
    return paths.workdir / "build_published.json"


def last_published(paths: WarehousePaths) -> BuildInputs | None:
    """The inputs of the build now published, if that file is there and readable (on
    PostgreSQL the published schemas live on the server; the record says what they hold;
    Spark publishes the DuckDB file too)."""
    if warehouse_target() != "postgres" and not paths.published.exists():
        return None
    try:
        return BuildInputs(**json.loads(_published(paths).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def record_pending(paths: WarehousePaths, inputs: BuildInputs) -> None:
    """The dbt step: these are the inputs of the build in the working database."""
    write_json_atomically(_pending(paths), asdict(inputs))


def record_published(paths: WarehousePaths) -> None:
    """The publish step: the working build is now the published one."""
    pending = _pending(paths)
    if pending.exists():
        os.replace(pending, _published(paths))


def forget_published(paths: WarehousePaths) -> None:
    """A build started: until it is published, the working database no longer matches
    the published inputs (a failed build must not be skipped by the next run)."""
    _published(paths).unlink(missing_ok=True)
