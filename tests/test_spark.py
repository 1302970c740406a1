"""Apache Spark as the engine (docs/spark.md). The same numbers: the worked examples,
landed and checked as always, written as Parquet, built with the same dbt models on a local
Spark (dbt-spark's session method) and published, give the rows DuckDB publishes in
metrics.kpi_values, metrics.funnel, metrics.kpi_attainment and
quality.lead_definition_violations -- in the DuckDB file and in the Parquet version the
pointer file names. A drop that breaks the shared definition fails the Great Expectations
check on Spark's rows and publishes nothing. (The hand-built set and the nightly drops:
tests/test_spark_nightly.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, add_drifting_lead, assert_same_rows, query
from tests.spark_runs import COMPARED, columns, run_on_spark, skip_without_java

pytestmark = pytest.mark.pipeline

skip_without_java()

LANDINGS = {
    "t1": EXAMPLES / "t1-reading-and-funnel" / "landing",
    "t3": EXAMPLES / "t3-span-retention-pipeline" / "landing",
}


@pytest.fixture(scope="module")
def built(pipeline_runs, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Per worked example: DuckDB's published file, and the file a `--target spark` run
    (ingest, Parquet, dbt on Spark, checks, publish) published from the same files."""
    runs = {}
    for name, landing in LANDINGS.items():
        warehouse = tmp_path_factory.mktemp(f"spark-{name}") / "kpitree.duckdb"
        outcome = run_on_spark(landing, warehouse)
        assert outcome.success and outcome.was_published, f"{outcome.failed_step}: {outcome.error}"
        runs[name] = (pipeline_runs.published(landing), outcome.published)
    return runs


@pytest.mark.parametrize("name", list(LANDINGS))
@pytest.mark.parametrize("table", list(COMPARED))
def test_spark_publishes_the_rows_duckdb_publishes(built, name, table) -> None:
    duck, spark = built[name]
    listed = ", ".join(columns(duck, table))
    expected = query(duck, f"select {listed} from {table}")
    if table != "quality.lead_definition_violations":
        assert expected, f"{name}: {table} has rows to compare"
    actual = query(spark, f"select {listed} from {table}")
    assert_same_rows(expected, actual, f"{name} {table} on Spark")


def test_the_published_tables_and_columns_are_duckdbs(built) -> None:
    """Spark's types (one timestamp type, int for bigint...) are cast back to the contract's
    on publishing, and every table is there: a BI tool sees the same columns whichever
    engine built them."""
    duck, spark = built["t1"]
    listing = (
        "select table_schema, table_name, column_name, data_type "
        "from information_schema.columns where table_schema in ('metrics', 'quality') "
        "order by all"
    )
    assert query(spark, listing) == query(duck, listing)


def test_the_parquet_version_the_pointer_names_holds_the_published_rows(built) -> None:
    from orchestration.spark import POINTER, current_version, parquet_folder

    _, spark = built["t3"]
    root = parquet_folder(spark)
    version = current_version(root)
    assert version is not None and version.is_dir()
    assert (root / POINTER).read_text(encoding="utf-8") == version.name + "\n"
    for table in COMPARED:
        schema, name = table.split(".")
        files = (version / schema / name).as_posix() + "/*.parquet"
        listed = ", ".join(columns(spark, table))
        assert_same_rows(
            query(spark, f"select {listed} from {table}"),
            query(spark, f"select {listed} from read_parquet('{files}')"),
            f"Parquet {table}",
        )
    # BI readers open the version folders: published, not private like the working files.
    assert oct(version.stat().st_mode & 0o777) == "0o755"


def test_a_new_version_replaces_the_pointer_and_keeps_the_one_before(tmp_path) -> None:
    """The pointer file is replaced in one rename; the version it named stays for readers
    still on it, older ones go."""
    from orchestration.spark import current_version, switch_pointer

    root = tmp_path / "kpitree_parquet"
    root.mkdir()
    for number in range(3):
        version = root / f"v{number}"
        (version / "metrics" / "kpi_values").mkdir(parents=True)
        switch_pointer(root, version)
        assert current_version(root) == version
    assert sorted(p.name for p in root.iterdir()) == ["CURRENT", "v1", "v2"]


def test_the_definition_drift_blocks_publishing_on_spark(built, tmp_path) -> None:
    """A drop that breaks the shared MQL definition (the only MQL re-flagged with a score
    of 10), the next night on the t1 warehouse: the Great Expectations check on Spark's
    rule results fails, and the published file and Parquet version stay exactly as they
    were. (Last in this module: the tests above read what t1 published.)"""
    from orchestration.spark import current_version, parquet_folder

    _, published = built["t1"]
    before = published.read_bytes()
    version = current_version(parquet_folder(published))
    landing = tmp_path / "landing"
    shutil.copytree(LANDINGS["t1"], landing)
    add_drifting_lead(landing)
    lines: list[str] = []
    outcome = run_on_spark(landing, published, lines)
    assert not outcome.success
    assert outcome.failed_step == "great_expectations_checks"
    assert "mql_definition_drift" in outcome.check_failures[0]
    assert not any("--full-refresh" in line for line in lines)  # built incrementally
    assert published.read_bytes() == before
    assert current_version(parquet_folder(published)) == version
