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
        note = "(warn severity: recorded, never block)"
        console.print(f"[yellow]{count} warning(s)[/yellow] {note}:")
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


_PLAN_RATE_OPTIONS = {
    "avg_deal_size": "--avg-deal-size",
    "meeting_win_rate": "--meeting-win-rate",
    "meeting_held_rate": "--meeting-held-rate",
    "appointment_rate": "--appointment-rate",
    "connect_rate": "--connect-rate",
}


def _plan_number(name: str, value: object) -> str:
    if name == "avg_deal_size":
        return f"¥{float(value):,.0f}"
    return f"{float(value):.2f}".rstrip("0").rstrip(".") + " %"


def _plan_period(value: str) -> str:
    if value not in ("month", "quarter", "fiscal_year"):
        raise typer.BadParameter(f"{value!r} is not one of month, quarter, fiscal_year")
    return value


def _plan_date(value: str | None) -> str | None:
    from datetime import date

    if value is not None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None
    return value


@app.command()
def plan(
    revenue: float = typer.Option(
        ..., "--revenue", help="The KGI: revenue target of the plan period, in JPY."
    ),
    avg_deal_size: float | None = typer.Option(
        None, "--avg-deal-size", help="平均受注単価, JPY (avg_deal_size)."
    ),
    meeting_win_rate: float | None = typer.Option(
        None, "--meeting-win-rate", help="受注率 (商談起点), percent: 25 means 25 %."
    ),
    meeting_held_rate: float | None = typer.Option(
        None, "--meeting-held-rate", help="商談化率 (アポ起点), percent."
    ),
    appointment_rate: float | None = typer.Option(
        None, "--appointment-rate", help="アポ獲得率, percent: plans contacted leads."
    ),
    connect_rate: float | None = typer.Option(
        None, "--connect-rate", help="コネクト率, percent: plans calls (with --appointment-rate)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help='Print only `[{"stage": ..., "required": ...}, ...]`.'
    ),
    warehouse: Path = typer.Option(
        default_warehouse(),
        "--warehouse",
        help="Published warehouse to take trailing actuals from (read-only) for every rate "
        "not given, and the number of reps.",
    ),
    trailing_months: int = typer.Option(
        3, "--trailing-months", min=1, help="Complete months the trailing actuals cover."
    ),
    reps: int | None = typer.Option(
        None,
        "--reps",
        min=1,
        help="Reps making the calls (default: distinct owners with calls in the trailing "
        "months of the warehouse).",
    ),
    working_days: int | None = typer.Option(
        None,
        "--working-days",
        min=1,
        help="Working days of the plan period (default: its weekdays; holidays not subtracted).",
    ),
    period: str = typer.Option(
        "month",
        "--period",
        callback=_plan_period,
        help="The period the revenue target is for: month, quarter or fiscal_year.",
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        callback=_plan_date,
        metavar="YYYY-MM-DD",
        help="Plan as of this date (default today): picks the plan period and which "
        "months are complete.",
    ),
) -> None:
    """KGIから逆算: from a revenue target to the won deals, meetings, appointments,
    contacted leads and calls it takes.

    Each stage is ceil(previous stage's rounded count ÷ rate). Every rate not given is
    taken from the warehouse's trailing actuals (Σ numerator ÷ Σ denominator over the last
    complete months); the output says which. Contacted leads and calls are planned when
    their rates are known; the calls are then spread over reps and working days and set
    beside the benchmark (34 calls per rep per day). Exit 0 done; 2 when a rate is missing
    or out of range.
    """
    import json
    from datetime import date

    from orchestration.plan import (
        REQUIRED_RATES,
        PlanError,
        resolve_rates,
        reverse_plan,
        spread_calls,
        today_in,
        working_days_in,
    )
    from orchestration.settings import fiscal_year_start_month, reporting_timezone

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    say = err if as_json else console
    day = date.fromisoformat(as_of) if as_of else today_in(reporting_timezone())
    given = {
        "avg_deal_size": avg_deal_size,
        "meeting_win_rate": meeting_win_rate,
        "meeting_held_rate": meeting_held_rate,
        "appointment_rate": appointment_rate,
        "connect_rate": connect_rate,
    }
    try:
        resolved = resolve_rates(
            given,
            warehouse,
            months=trailing_months,
            as_of=day,
            need_warehouse=reps is None and not as_json,
        )
    except PlanError as error:
        err.print(str(error), style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    if resolved.missing:
        for name in REQUIRED_RATES:
            if name in resolved.missing:
                err.print(
                    f"missing {_PLAN_RATE_OPTIONS[name]} ({name}): {resolved.missing[name]}",
                    style="red",
                    markup=False,
                )
        raise typer.Exit(EXIT_USAGE)
    values = resolved.values
    try:
        steps = reverse_plan(revenue, **values)
    except PlanError as error:
        err.print(str(error), style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from None

    trailing = resolved.trailing
    taken = [name for name, source in resolved.sources.items() if source == "trailing"]
    if taken and trailing is not None:
        listed = ", ".join(f"{name} {_plan_number(name, values[name])}" for name in taken)
        say.print(
            f"taken from trailing actuals of {warehouse} ({trailing.window}, "
            f"{len(trailing.months)} complete month(s)): {listed}",
            markup=False,
        )
    if as_json:
        typer.echo(json.dumps([step.as_json() for step in steps], ensure_ascii=False))
        raise typer.Exit(0)

    # The calls are spread over reps and working days: settle both before printing.
    calls = next((step.required for step in steps if step.stage == "calls"), None)
    rep_count, rep_source = reps, "--reps"
    if calls is not None and rep_count is None:
        if trailing is not None and trailing.reps:
            rep_count, rep_source = trailing.reps, f"distinct callers in {trailing.window}"
        else:
            why = resolved.unavailable or f"nobody made a call in {trailing.window}"
            err.print(
                f"missing --reps: the planned calls are spread over the reps, and {why}",
                style="red",
                markup=False,
            )
            raise typer.Exit(EXIT_USAGE)

    from rich.table import Table

    from orchestration.catalog import current_kpis

    kpis = current_kpis()
    table = Table(title=f"KGIから逆算  revenue ¥{revenue:,.0f} per {period}")
    table.add_column("stage")
    table.add_column("required", justify="right")
    table.add_column("rate used", justify="right")
    table.add_column("KPI")
    table.add_column("source")
    for step in steps:
        table.add_row(
            f"{step.label_ja} {step.stage}",
            f"{step.required:,}",
            f"÷ {_plan_number(step.rate_name, step.divisor)}",
            f"{kpis.get(step.rate_name, {}).get('label_ja', '')} {step.rate_name}",
            resolved.sources[step.rate_name],
        )
    console.print(table)

    if calls is None:
        console.print(
            "contacted leads and calls not planned: give --appointment-rate and "
            "--connect-rate (or a warehouse with their actuals)."
        )
        raise typer.Exit(0)
    days_source = "--working-days"
    if working_days is None:
        working_days = working_days_in(period, day, fiscal_year_start_month())
        days_source = f"weekdays of the {period} of {day}"
    spread = spread_calls(calls, rep_count, working_days)
    console.print(
        f"架電 calls per rep per day: {calls:,} ÷ {rep_count} reps ({rep_source}) "
        f"÷ {working_days} working days ({days_source}) = "
        f"[bold]{float(spread.per_rep_day):.1f}[/bold] — benchmark {spread.benchmark:g} "
        f"({spread.share_of_benchmark:.0f} % of it)"
    )


@app.command("lint-tree")
def lint_tree(
    file: Path = typer.Argument(..., help="The KPI tree YAML file (e.g. kpi_trees/demo.yml)."),
) -> None:
    """The SMART check of a KPI tree file (KGI → KSF → KPI).

    One line per problem: `node <id> (<name>): breaks <letter> (<word>): <reason>`
    (S, M: names a current catalog KPI; A: has a target; R: hangs under the KGI;
    T: has a grain the KPI is published at), plus structural problems. Exit 0 when
    clean; 1 when any problem; 2 when the file is missing or not valid YAML.
    """
    from orchestration.kpi_tree import TreeFileError, lint_file

    try:
        result = lint_file(file)
    except TreeFileError as error:
        console.print(str(error), style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    for problem in result.problems:
        console.print(str(problem), markup=False)
    if result.problems:
        console.print(
            f"{file}: {len(result.problems)} problem(s) ({result.summary()})", markup=False
        )
        raise typer.Exit(EXIT_FAILED)
    console.print(f"{file}: SMART check passed ({result.summary()})", markup=False)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
