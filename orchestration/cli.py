"""The ``kpitree`` command line: the stable interface for people, schedulers and tests.

Exit codes: 0 published (or done); 1 the pipeline ran and a step failed, nothing
was published; 2 the command was used wrongly (a missing folder, a bad option).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from orchestration.settings import default_warehouse

app = typer.Typer(
    name="kpitree",
    help=(
        "kpitree turns SFA/CRM and MA exports into the sales KPI tree: lead counts, "
        "appointment and meeting conversion, win rate, deal size, pipeline, NRR, LTV and "
        "inside-sales activity, defined once as versioned SQL, checked, and published "
        "to a DuckDB file that BI tools read (schemas `metrics` and `quality`)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
console = Console(highlight=False, soft_wrap=True)
EXIT_FAILED = 1
EXIT_USAGE = 2


def _report_run(landing: Path, warehouse: Path) -> int:
    from orchestration.runner import run_pipeline

    console.print(f"[bold]kpitree run[/bold]  landing={landing}  warehouse={warehouse}")
    outcome = run_pipeline(landing, warehouse, say=lambda line: console.print(line, markup=False))
    if outcome.ingest_summary:
        console.print(outcome.ingest_summary, markup=False)
    if outcome.warnings:
        count = len(outcome.warnings)
        console.print(f"[yellow]{count} warning(s)[/yellow] (recorded and published):")
        for warning in outcome.warnings:
            console.print(f"  warn: {warning}", markup=False)
    if outcome.data_docs:
        console.print(f"Data Docs: {outcome.data_docs}")
    if not outcome.success:
        console.print(
            f"[bold red]FAILED at step {outcome.failed_step}[/bold red]: nothing was published; "
            f"{warehouse} is as it was.",
        )
        if outcome.error:
            console.print(outcome.error, markup=False)
        for failure in outcome.check_failures:
            console.print(f"  failed check: {failure}", markup=False)
        if outcome.check_failures:
            console.print(
                "  the violating leads: quality.lead_definition_violations in "
                f"{outcome.working} (the working database)",
                markup=False,
            )
        return EXIT_FAILED
    console.print(f"[bold green]published[/bold green] {outcome.published}")
    console.print(f"  working files: {outcome.working.parent}")
    return 0


@app.command()
def run(
    landing: Path = typer.Option(
        ...,
        "--landing",
        help="Landing folder: one sub-folder per table (`leads/`, `activities/`, ...) "
        "holding .csv, .csv.gz, .parquet or .jsonl files.",
    ),
    warehouse: Path = typer.Option(
        default_warehouse(),
        "--warehouse",
        help="The published DuckDB file BI tools open. Working files go beside it "
        "in `<name>_work/`.",
    ),
) -> None:
    """Run the pipeline once: ingest new files, dbt build, checks, publish.

    The same Dagster job the nightly schedule runs, executed in this process.
    Running again on the same folder ingests only files it has not seen.
    Exit 0 when published; 1 when a step failed (it is named, and the published
    file is left as it was).
    """
    if not landing.is_dir():
        console.print(f"[red]landing folder {landing} does not exist[/red]")
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(_report_run(landing, warehouse))


@app.command()
def ingest(
    landing: Path = typer.Option(..., "--landing", help="Landing folder, as for `run`."),
    warehouse: Path = typer.Option(
        default_warehouse(), "--warehouse", help="Published file; ingest writes beside it."
    ),
) -> None:
    """Load new landing files into the working warehouse only (no dbt, no publish).

    For analytics engineers iterating on models: ingest once, then run
    `dbt build` with KPITREE_DBT_DATABASE set to the printed working file.
    """
    import duckdb

    from orchestration.ingest import ingest_landing
    from orchestration.settings import WarehousePaths, reporting_timezone

    if not landing.is_dir():
        console.print(f"[red]landing folder {landing} does not exist[/red]")
        raise typer.Exit(EXIT_USAGE)
    paths = WarehousePaths(warehouse.resolve())
    paths.ensure()
    con = duckdb.connect(str(paths.working))
    try:
        report = ingest_landing(con, landing, reporting_timezone())
    finally:
        con.close()
    console.print(report.summary(), markup=False)
    console.print(f"working warehouse: {paths.working}")


def _generate_with_progress(out: Path, scale: int, seed: int) -> dict[str, int]:
    from orchestration.generate import generate

    with Progress(
        TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        tasks: dict[str, int] = {}

        def update(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = progress.add_task(table, total=max(total, 1))
            progress.update(tasks[table], completed=done, total=max(total, 1))

        return generate(out, scale=scale, seed=seed, progress=update)


@app.command()
def generate(
    out: Path = typer.Option(..., "--out", help="Folder to write the landing files into."),
    scale: int = typer.Option(
        1,
        "--scale",
        min=1,
        help="Linear size factor: 1 is ~30 reps for a year; 100 for load tests.",
    ),
    seed: int = typer.Option(20260401, "--seed", help="Random seed; same seed, same files."),
) -> None:
    """Write a deterministic sample SFA/MA data set in the canonical contract.

    One fiscal year (2025-04 to 2026-03) of a B2B company with marketing, inside
    sales, field sales and customer success, at rates near the source articles'
    benchmarks (34 calls per rep per day, 5.1 follow-ups per lead, ...).
    """
    counts = _generate_with_progress(out, scale, seed)
    for table, rows in counts.items():
        console.print(f"  {table:<28} {rows:>10,} rows")
    console.print(f"wrote {out}")


@app.command()
def demo(
    workdir: Path = typer.Option(
        Path("var/demo"), "--dir", help="Where to put the sample data and the warehouse."
    ),
    scale: int = typer.Option(1, "--scale", min=1, help="Size of the sample data."),
) -> None:
    """Generate the sample data, run the pipeline on it, and say where the results are."""
    landing = workdir / "landing"
    warehouse = workdir / "kpitree.duckdb"
    if not (landing / "leads").is_dir():
        console.print(f"[bold]generating sample data[/bold] into {landing}")
        _generate_with_progress(landing, scale, 20260401)
    code = _report_run(landing, warehouse)
    if code == 0:
        console.print(
            "\n[bold]Where everything is[/bold]\n"
            f"  warehouse (open it with DuckDB or a BI tool): {warehouse.resolve()}\n"
            f"  KPI values:      select * from metrics.kpi_values\n"
            f"  KPI definitions: select * from metrics.kpi_definitions\n"
            f"  ingest log:      select * from quality.ingest_log\n"
            f"  sample data:     {landing.resolve()}"
        )
    raise typer.Exit(code)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
