"""Apache Spark as the engine (``--target spark``).

The landing files are read, checked and quarantined as on DuckDB, into the working DuckDB
file. :func:`land` then writes its ``raw`` and ``ingest`` tables as Parquet (one folder
per table) under the run's Spark folder, where dbt's ``on-run-start`` hook
(``register_landed_tables``) declares them as Spark tables and the same dbt models build
with dbt-spark (``profiles.yml``, output ``spark``). The gate of the shared MQL/SQL
definition validates the rule results with Great Expectations' Spark datasource
(:func:`rule_results_frame`), and :func:`publish` writes the checked metrics as a new
Parquet version, switches a pointer file to it, and replaces the DuckDB file BI tools and
the dashboard read with the same rows (docs/spark.md says why both).

Everything Spark writes for a run lives in ``<work>/spark/``: ``landed/`` (the Parquet
copy of the landed rows), ``warehouse/`` (the tables dbt builds), ``metastore_db/`` (the
local Hive metastore of dbt's session) and ``checks/`` (the gate's session).
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from orchestration.publish import PUBLISHED_SCHEMAS
from orchestration.settings import LANDED_SCHEMAS

POINTER = "CURRENT"  # in the Parquet folder: the name of the published version
KEPT_VERSIONS = 2  # the published version and the one before (readers still on it)
PUBLISHED_MODE = 0o644
PUBLISHED_FOLDER_MODE = 0o755


class SparkUnavailable(RuntimeError):
    """PySpark or Java is missing; the message says what to install."""


def spark_folder(workdir: Path) -> Path:
    """Where a run's Spark files live: ``<work>/spark``."""
    return workdir / "spark"


def landed_folder(workdir: Path) -> Path:
    """Where the landed rows go as Parquet, as Spark reads them: ``KPITREE_SPARK_LANDED``
    (a folder a cluster can read too) or ``<work>/spark/landed``."""
    value = os.environ.get("KPITREE_SPARK_LANDED")
    return Path(value) if value else spark_folder(workdir) / "landed"


def parquet_folder(published: Path) -> Path:
    """The published Parquet versions, beside the published DuckDB file:
    ``<stem>_parquet/``."""
    return published.parent / f"{published.stem}_parquet"


def dbt_environment(workdir: Path) -> dict[str, str]:
    """The variables the ``spark`` profile and the landing hook read."""
    return {
        "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"),
        "KPITREE_SPARK_DIR": str(spark_folder(workdir)),
        "KPITREE_SPARK_LANDED": str(landed_folder(workdir)),
    }


def check_available() -> None:
    """Raise :class:`SparkUnavailable` unless PySpark and a Java runtime are installed."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable(
            "PySpark is not installed: pip install 'kpitree[spark]' (dbt-spark[session], pyspark)"
        ) from None
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home) / "bin" / "java" if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise SparkUnavailable(
            "Spark needs Java 17 or later: install it (apt-get install openjdk-17-jre-headless) "
            "or set JAVA_HOME"
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def land(
    working: Path, folder: Path, say: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Write every ``raw`` and ``ingest`` table of the working DuckDB file as Parquet to
    ``folder/<schema>/<table>/``, replacing the previous copy whole (a new folder, then a
    rename). Returns the rows written per table."""
    written: dict[str, int] = {}
    fresh = folder.with_name(folder.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    con = duckdb.connect(str(working), read_only=True)
    try:
        # Instants as UTC: Spark's session time zone (profiles.yml) is UTC too.
        con.execute("set TimeZone = 'UTC'")
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' "
            "order by all",
            [list(LANDED_SCHEMAS)],
        ).fetchall()
        for schema, table in tables:
            target = fresh / schema / table
            target.mkdir(parents=True)
            name = f"{_quote(schema)}.{_quote(table)}"
            rows = con.execute(f"select count(*) from {name}").fetchone()[0]
            con.execute(
                f"copy {name} to {_literal((target / 'part-0.parquet').as_posix())} "
                "(format parquet)"
            )
            written[f"{schema}.{table}"] = rows
            say(f"landed {schema}.{table} for Spark: {rows:,} rows")
    finally:
        con.close()
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(fresh, folder)
    shutil.rmtree(old, ignore_errors=True)
    return written


def landed_tables(folder: Path) -> str:
    """The landed tables as ``schema.table,...`` for the landing hook (the variable
    ``KPITREE_SPARK_LANDED_TABLES``)."""
    return ",".join(
        f"{schema.name}.{table.name}"
        for schema in sorted(folder.iterdir())
        if schema.is_dir()
        for table in sorted(schema.iterdir())
        if table.is_dir()
    )


def table_location(workdir: Path, schema: str, table: str) -> Path:
    """Where dbt-spark's session keeps the files of a table it built (a managed table of
    the local warehouse: ``<warehouse>/<schema>.db/<table>``)."""
    return spark_folder(workdir) / "warehouse" / f"{schema}.db" / table


# --- the gate's session ---------------------------------------------------------------


@functools.cache
def checks_session():
    """A local Spark session in this process for Great Expectations (no Hive metastore:
    dbt's session owns that one). Created once per process; UTC like dbt's."""
    check_available()
    from pyspark.sql import SparkSession

    cores = os.environ.get("KPITREE_SPARK_CORES", "*")
    partitions = os.environ.get("KPITREE_SPARK_SHUFFLE_PARTITIONS", "4")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # local: no network name lookup
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("kpitree-checks")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", partitions)
        # The per-lead query quotes names with double quotes (it runs on every target).
        .config("spark.sql.ansi.enabled", "true")
        .config("spark.sql.ansi.doubleQuotedIdentifiers", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")  # the run's log says what failed
    return session


def rule_results_frame(workdir: Path, model: str, query: Callable[[str], str]):
    """The per-lead rule columns as a Spark DataFrame: ``query(view)`` run by the gate's
    session over the Parquet files of ``intermediate.<model>`` that dbt built."""
    spark = checks_session()
    location = table_location(workdir, "intermediate", model)
    if not location.is_dir():
        raise FileNotFoundError(f"{location}: dbt did not build intermediate.{model} on Spark")
    view = f"kpitree_{model}"
    spark.read.parquet(str(location)).createOrReplaceTempView(view)
    return spark.sql(query(view))


# --- publishing -----------------------------------------------------------------------


# Tables dbt and the incremental macros use for a moment (left behind by a killed run).
HELPER_SUFFIXES = ("__dbt_tmp", "__kpitree_next")


def _published_relations(workdir: Path) -> list[tuple[str, str]]:
    relations = []
    for schema in PUBLISHED_SCHEMAS:
        folder = spark_folder(workdir) / "warehouse" / f"{schema}.db"
        if folder.is_dir():
            relations += [
                (schema, path.name)
                for path in sorted(folder.iterdir())
                if path.is_dir() and not path.name.endswith(HELPER_SUFFIXES)
            ]
    return relations


def write_version(workdir: Path, root: Path) -> Path:
    """Copy the Parquet files of every ``metrics`` and ``quality`` table dbt built into a
    new version folder ``root/<version>/<schema>/<table>/`` (not yet published)."""
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(PUBLISHED_FOLDER_MODE)
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    version = root / f"v{stamp}"
    partial = root / f".v{stamp}.partial"
    for schema, table in _published_relations(workdir):
        source = table_location(workdir, schema, table)
        target = partial / schema / table
        target.mkdir(parents=True)
        for part in sorted(source.glob("*.parquet")):
            shutil.copyfile(part, target / part.name)
            (target / part.name).chmod(PUBLISHED_MODE)
    for folder in [partial, *partial.rglob("*")]:
        if folder.is_dir():
            folder.chmod(PUBLISHED_FOLDER_MODE)
    os.replace(partial, version)
    return version


def switch_pointer(root: Path, version: Path) -> None:
    """Publish ``version``: replace the pointer file ``root/CURRENT`` in one rename, then
    remove versions older than the one it replaced."""
    pointer = root / POINTER
    previous = pointer.read_text(encoding="utf-8").strip() if pointer.exists() else None
    partial = root / f".{POINTER}.tmp"
    partial.write_text(version.name + "\n", encoding="utf-8")
    partial.chmod(PUBLISHED_MODE)
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, pointer)
    keep = {version.name, previous}
    for folder in root.iterdir():
        if folder.is_dir() and folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def current_version(root: Path) -> Path | None:
    """The published version folder the pointer names, or None before the first publish."""
    pointer = root / POINTER
    if not pointer.exists():
        return None
    return root / pointer.read_text(encoding="utf-8").strip()


def contract_types(manifest: Path) -> dict[tuple[str, str], dict[str, str]]:
    """Per published model, its contract's column types (the YAML's ``data_type``)."""
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    types = {}
    for node in nodes:
        schema = node.get("config", {}).get("schema")
        if node["resource_type"] != "model" or schema not in PUBLISHED_SCHEMAS:
            continue
        columns = {
            name: column["data_type"]
            for name, column in node.get("columns", {}).items()
            if column.get("data_type")
        }
        types[(schema, node["alias"] or node["name"])] = columns
    return types


def load_into_working(
    version: Path, working: Path, types: dict[tuple[str, str], dict[str, str]], config: dict
) -> list[str]:
    """Replace the ``metrics`` and ``quality`` schemas of the working DuckDB file with the
    tables of ``version``, each column cast to its contract's type (Spark has no
    timestamp-with-time-zone / local-timestamp pair: its instants are read back in UTC).
    The DuckDB publish then copies them into the published file as on DuckDB."""
    con = duckdb.connect(str(working), config=config)
    loaded = []
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("begin")
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade")
            con.execute(f"create schema {schema}")
            folder = version / schema
            if not folder.is_dir():
                continue
            for table in sorted(path for path in folder.iterdir() if path.is_dir()):
                files = _literal((table / "*.parquet").as_posix())
                columns = [
                    row[0]
                    for row in con.execute(
                        f"describe select * from read_parquet({files})"
                    ).fetchall()
                ]
                declared = types.get((schema, table.name), {})
                select = ", ".join(
                    f"cast({_quote(c)} as {declared[c]}) as {_quote(c)}"
                    if c in declared
                    else _quote(c)
                    for c in columns
                )
                con.execute(
                    f"create table {schema}.{_quote(table.name)} as "
                    f"select {select} from read_parquet({files})"
                )
                loaded.append(f"{schema}.{table.name}")
        con.execute("commit")
    finally:
        con.close()
    return loaded
