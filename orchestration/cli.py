"""The ``kpitree`` command line: the stable interface for people, schedulers and tests.

Exit codes: 0 published (or done); 1 the pipeline ran and a step failed, nothing
was published; 2 the command was used wrongly (a missing folder, a bad option),
found before any work; 3 another run holds the warehouse.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from orchestration.settings import TARGETS, default_landing, default_warehouse, warehouse_target

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
EXIT_BUSY = 3

VERBOSE_HELP = (
    "Print every Dagster and dbt log line (they always go to `<name>_work/logs/run.log`)."
)
WAIT_HELP = "When another run holds the warehouse, wait for it instead of exiting with code 3."


def _usage_error(message: str) -> NoReturn:
    """One line on stderr, exit 2."""
    Console(stderr=True, highlight=False, soft_wrap=True).print(message, style="red", markup=False)
    raise typer.Exit(EXIT_USAGE)


def _known_folders() -> list[str]:
    from orchestration.adapters import SYSTEMS
    from orchestration.contract import TABLES

    return [*TABLES, *SYSTEMS]


def check_landing(landing: Path) -> None:
    """Exit 2 unless ``landing`` is a folder with at least one table, adapter or
    generic-source folder in it (the shapes ``orchestration.ingest.discover`` reads)."""
    import difflib

    from orchestration.ingest.mapping import MAPPING_FILE, MappingError, load_mapping

    if not landing.exists():
        _usage_error(f"landing folder {landing} does not exist")
    if not landing.is_dir():
        _usage_error(f"landing {landing} is a file, not a folder of table folders")
    known = _known_folders()
    folders = sorted(
        p.name for p in landing.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )
    sources = [name for name in folders if (landing / name / MAPPING_FILE).is_file()]
    for name in sources:
        try:
            load_mapping(landing / name)
        except MappingError as error:
            _usage_error(str(error))
    if sources or any(name in known for name in folders):
        return
    for name in folders:
        close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
        if close:
            _usage_error(
                f"no table folders found in {landing}; did you mean {close[0]}/ (not {name}/)?"
            )
    found = f" (found {', '.join(f + '/' for f in folders[:5])})" if folders else ""
    _usage_error(
        f"no table folders found in {landing}{found}; expected leads/, activities/, ... "
        f"(`kpitree run --help`), salesforce/ or hubspot/, or a folder with {MAPPING_FILE}"
    )


def check_settings() -> None:
    """Exit 2 when a setting from the environment cannot be used (e.g. KPITREE_NOW)."""
    from orchestration.settings import time_bounds
    from orchestration.spark import SparkUnavailable, check_available

    try:
        time_bounds()
        if warehouse_target() == "spark":
            check_available()
    except (ValueError, SparkUnavailable) as error:
        _usage_error(str(error))


def check_warehouse(warehouse: Path) -> None:
    """Exit 2 unless ``warehouse`` can be written: not a folder, its folder creatable
    and writable."""
    import os

    if warehouse.is_dir():
        _usage_error(
            f"warehouse {warehouse} is a folder; give a file, e.g. {warehouse / 'kpitree.duckdb'}"
        )
    folder = warehouse.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        _usage_error(f"cannot create the warehouse {warehouse}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        _usage_error(f"cannot write the warehouse {warehouse}: folder {folder} is not writable")


def _say(line: str) -> None:
    console.print(line, markup=False)


def check_published(warehouse: Path) -> None:
    """Exit 2 unless ``warehouse`` is a published file to read."""
    if not warehouse.is_file():
        _usage_error(f"{warehouse}: no published file (run `kpitree run` first)")


def _busy(error: Exception) -> NoReturn:
    Console(stderr=True, highlight=False, soft_wrap=True).print(str(error), markup=False)
    raise typer.Exit(EXIT_BUSY)


def _report_run(
    landing: Path,
    warehouse: Path,
    verbose: bool = False,
    wait: bool = False,
    full_refresh: bool = False,
) -> int:
    from orchestration.lock import WarehouseBusy, warehouse_lock

    try:
        with warehouse_lock(warehouse, wait=wait, on_wait=_say):
            from orchestration.runner import run_pipeline

            console.print(f"[bold]kpitree run[/bold]  landing={landing}  warehouse={warehouse}")
            outcome = run_pipeline(
                landing, warehouse, say=_say, verbose=verbose, full_refresh=full_refresh
            )
    except WarehouseBusy as error:
        _busy(error)
    if outcome.ingest_summary:
        console.print(outcome.ingest_summary, markup=False)
    if outcome.warnings:
        count = len(outcome.warnings)
        note = "(warn severity: recorded, never block)"
        console.print(f"[yellow]{count} warning(s)[/yellow] {note}:")
        for warning in outcome.warnings:
            console.print(f"  warn: {warning}", markup=False)
    if outcome.data_docs:
        console.print(f"Data Docs: {outcome.data_docs}", markup=False)
    if not outcome.success:
        published = (
            "the published schemas on PostgreSQL are"
            if warehouse_target() == "postgres"
            else f"{warehouse} is"
        )
        console.print(
            f"[bold red]FAILED at step {outcome.failed_step}[/bold red]: nothing was published; "
            f"{published} as it was.",
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
        console.print(f"full log: {outcome.run_log}", markup=False)
        return EXIT_FAILED
    where = str(outcome.published)
    if warehouse_target() == "postgres":
        from orchestration.postgres import describe_server

        where = f"PostgreSQL {describe_server()} (schemas metrics, quality)"
    if outcome.was_published:
        console.print(
            f"[bold green]published[/bold green] {where} in {outcome.seconds:.0f} s",
        )
    else:
        console.print(
            f"[bold green]up to date[/bold green] {where}: nothing new to build "
            f"(checked in {outcome.seconds:.0f} s)",
        )
    console.print(f"  working files: {outcome.working.parent} (log: logs/run.log)", markup=False)
    return 0


@app.command()
def run(
    landing: Path = typer.Option(
        default_landing(),
        "--landing",
        help="Landing folder (default: KPITREE_LANDING or var/landing): one sub-folder per "
        "table (`leads/`, `activities/`, ...) holding .csv, .csv.gz, .parquet or .jsonl files, "
        "`salesforce/`, `hubspot/`, or a generic source folder with `_mapping.yml`.",
    ),
    warehouse: Path = typer.Option(
        default_warehouse(),
        "--warehouse",
        help="The published DuckDB file BI tools open (default: KPITREE_WAREHOUSE or "
        "var/kpitree.duckdb). Working files go beside it in `<name>_work/`, private to you.",
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=VERBOSE_HELP),
    wait: bool = typer.Option(False, "--wait", help=WAIT_HELP),
    full_refresh: bool = typer.Option(
        False,
        "--full-refresh",
        help="Rebuild every model from all the data, even when nothing changed. Not needed "
        "after editing a model, the KPI catalog or the shared definitions: a run sees the "
        "change and rebuilds in full by itself.",
    ),
    target: str = typer.Option(
        None,
        "--target",
        help="Where the models build and the metrics are published: `duckdb` (default: "
        "KPITREE_TARGET or duckdb; the published file), `postgres` (the server libpq's "
        "PGHOST, PGPORT, PGUSER, PGDATABASE and ~/.pgpass name: metrics and quality swapped "
        "in atomically; docs/postgres.md) or `spark` (dbt-spark on a local PySpark, Java 17+: "
        "published as a Parquet version behind `<name>_parquet/CURRENT` and as the DuckDB "
        "file; docs/spark.md). The landing files are always checked in the working DuckDB "
        "file.",
    ),
) -> None:
    """Run the pipeline once: ingest new files, dbt build, checks, publish.

    The same Dagster job the nightly schedule runs, executed in this process and
    recorded in the Dagster instance (DAGSTER_HOME, default var/dagster_home) that
    `make dev` shows. Running again on the same folder ingests only files it has not
    seen; when there is none and no model or definition changed, the build is skipped
    and the published file stays as it is. One run at a time per warehouse. Prints one
    line per step; the full log is `<name>_work/logs/run.log`. Exit 0 when published or
    up to date; 1 when a step failed (it is named, and the published file is left as it
    was); 2 on a usage error; 3 when another run holds the warehouse.
    """
    if target is not None:
        import os

        if target.strip().lower() not in TARGETS:
            _usage_error(f"--target {target}: use one of {', '.join(TARGETS)}")
        os.environ["KPITREE_TARGET"] = target.strip().lower()
    check_settings()
    check_landing(landing)
    check_warehouse(warehouse)
    raise typer.Exit(
        _report_run(landing, warehouse, verbose=verbose, wait=wait, full_refresh=full_refresh)
    )


@app.command()
def ingest(
    landing: Path = typer.Option(
        default_landing(), "--landing", help="Landing folder, as for `run`."
    ),
    warehouse: Path = typer.Option(
        default_warehouse(), "--warehouse", help="Published file; ingest writes beside it."
    ),
    wait: bool = typer.Option(False, "--wait", help=WAIT_HELP),
) -> None:
    """Load new landing files into the working warehouse only (no dbt, no publish).

    For analytics engineers iterating on models: ingest once, then run
    `dbt build` with KPITREE_DBT_DATABASE set to the printed working file.
    Holds the warehouse's run lock like `run` (exit 3 when another run holds it).
    """

    from orchestration.ingest import ingest_landing
    from orchestration.lock import WarehouseBusy, warehouse_lock
    from orchestration.settings import WarehousePaths, reporting_timezone
    from orchestration.workfiles import private_files

    check_settings()
    check_landing(landing)
    check_warehouse(warehouse)
    paths = WarehousePaths(warehouse.resolve())
    try:
        with (
            warehouse_lock(paths.published, wait=wait, on_wait=_say),
            private_files(),
        ):
            con = paths.connect_working()
            try:
                report = ingest_landing(con, landing, reporting_timezone())
            finally:
                con.close()
    except WarehouseBusy as error:
        _busy(error)
    console.print(report.summary(), markup=False)
    console.print(f"working warehouse: {paths.working}", markup=False)


def _generate_with_progress(out: Path, scale: int, seed: int) -> dict[str, int]:
    from sample_data.generate import generate

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
    next_day: int = typer.Option(
        0,
        "--next-day",
        min=0,
        help="Instead of a new year: add this many nights of drops to the sample folder OUT, "
        "one <table>/<YYYY-MM-DD>.csv per table and day (new records, status changes, stage "
        "moves, a backdated stage change, corrected amounts), as a nightly export brings.",
    ),
) -> None:
    """Write a deterministic sample SFA/MA data set in the canonical contract.

    One fiscal year (2025-04 to 2026-03) of a B2B company with marketing, inside
    sales, field sales and customer success, at rates near the source articles'
    benchmarks (34 calls per rep per day, 5.1 follow-ups per lead, ...).
    With --next-day N, the N days after the folder's last one, as daily delta
    exports: `kpitree generate --out var/landing --next-day 1` then `kpitree run`
    is one more night. Run the pipeline with KPITREE_NOW at or after the last day.
    """
    if next_day:
        _write_drops(out, next_day, seed)
        return
    counts = _generate_with_progress(out, scale, seed)
    for table, rows in counts.items():
        console.print(f"  {table:<28} {rows:>10,} rows")
    console.print(f"wrote {out}")


def _write_drops(out: Path, nights: int, seed: int) -> None:
    from sample_data.drops import write_next_day

    if not (out / "leads").is_dir():
        _usage_error(f"{out} holds no sample data: write a year first (kpitree generate --out)")
    for _ in range(nights):
        day = write_next_day(out, seed=seed)
        rows = sum(day.rows.values())
        console.print(
            f"  {day.day}  {rows:>9,} rows: {day.new_records:,} new, "
            f"{day.status_changes:,} status changes, {day.stage_moves:,} stage moves, "
            f"{day.backdated_stage_changes} backdated, {day.amount_corrections} amount and "
            f"{day.other_corrections} other corrections"
        )
    console.print(f"wrote {nights} night(s) of drops into {out}")


DEMO_SEED = 20260401
DEMO_MARKER = ".kpitree-sample.json"  # in the landing folder: scale and seed it was made with
# The sample data's fiscal year (sample_data.timeline); its subscriptions start up to a
# year earlier, so the published calendar begins then, with no leads or calls yet.
DEMO_YEAR = ("2025-04-01", "2026-03-31")
DEMO_PLAN_AS_OF = "2026-04-01"  # plans from the sample's last three complete months


def _demo_data(landing: Path, warehouse: Path, scale: int) -> None:
    """Make ``landing`` hold the sample data at ``scale`` (with the run lock held)."""
    import json
    import shutil

    from orchestration.settings import WarehousePaths

    marker = landing / DEMO_MARKER
    wanted = {"scale": scale, "seed": DEMO_SEED}
    if marker.is_file():
        made = json.loads(marker.read_text(encoding="utf-8"))
        if made == wanted:
            console.print(f"sample data (scale {scale}) already in {landing}", markup=False)
            return
        console.print(
            f"[bold]regenerating sample data[/bold] at scale {scale} (was {made.get('scale')}): "
            f"replacing {landing} and the warehouse {warehouse}",
        )
        shutil.rmtree(landing)
        paths = WarehousePaths(warehouse.resolve())
        for path in (paths.working, paths.working.with_name(paths.working.name + ".wal")):
            path.unlink(missing_ok=True)
        shutil.rmtree(paths.data_docs, ignore_errors=True)
        warehouse.unlink(missing_ok=True)
    elif landing.is_dir() and any(not p.name.startswith(".") for p in landing.iterdir()):
        _usage_error(
            f"{landing} holds files that are not kpitree's sample data; the demo does not mix "
            "into them: give --landing and --warehouse elsewhere (e.g. --landing "
            "var/demo/landing --warehouse var/demo/kpitree.duckdb)"
        )
    else:
        console.print(f"[bold]generating sample data[/bold] (scale {scale}) into {landing}")
    _generate_with_progress(landing, scale, DEMO_SEED)
    marker.write_text(json.dumps(wanted) + "\n", encoding="utf-8")


def _demo_preview(warehouse: Path) -> None:
    """The last months of the sample's fiscal year (deals won by then), as BI tools see them."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            """
            select strftime(period_start, '%Y-%m') as month,
                max(value) filter (where kpi_name = 'lead_count') as leads,
                max(value) filter (where kpi_name = 'connect_rate') as connect_rate,
                max(value) filter (where kpi_name = 'meeting_win_rate') as win_rate,
                max(value) filter (where kpi_name = 'won_amount') as won_amount
            from metrics.kpi_values_current
            where grain = 'month' and dimension = 'all'
                and period_start between cast(? as date) and cast(? as date)
            group by period_start order by period_start desc limit 3
            """,
            list(DEMO_YEAR),
        ).fetchall()[::-1]
    finally:
        con.close()

    def number(value, pattern: str) -> str:
        return "-" if value is None else format(value, pattern)

    console.print(
        "\n[bold]The sample's last months[/bold] (metrics.kpi_values_current, grain month, all)"
    )
    console.print(f"  {'month':<8} {'leads':>7} {'connect %':>10} {'win %':>7} {'won ¥':>14}")
    for month, leads, connect, win, won in rows:
        console.print(
            f"  {month:<8} {number(leads, ',.0f'):>7} {number(connect, '.1f'):>10} "
            f"{number(win, '.1f'):>7} {number(won, ',.0f'):>14}",
            markup=False,
        )


def _env_prefix(landing: Path, warehouse: Path) -> str:
    from orchestration.settings import default_landing

    parts = []
    if landing.resolve() != default_landing():
        parts.append(f"KPITREE_LANDING={landing.resolve()}")
    if warehouse.resolve() != default_warehouse():
        parts.append(f"KPITREE_WAREHOUSE={warehouse.resolve()}")
    return " ".join(parts) + (" " if parts else "")


@app.command()
def demo(
    scale: int = typer.Option(1, "--scale", min=1, help="Size of the sample data."),
    landing: Path = typer.Option(
        default_landing(),
        "--landing",
        help="Where to write the sample data (default: KPITREE_LANDING or var/landing, the "
        "folder `make dev`'s sensor and schedule read).",
    ),
    warehouse: Path = typer.Option(
        default_warehouse(),
        "--warehouse",
        help="The warehouse to publish (default: KPITREE_WAREHOUSE or var/kpitree.duckdb, the "
        "one `make dev` and `kpitree plan` use).",
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=VERBOSE_HELP),
    wait: bool = typer.Option(False, "--wait", help=WAIT_HELP),
) -> None:
    """Generate the sample data, run the pipeline on it, and say where the results are.

    By default the demo uses the same landing folder and warehouse as `make dev`,
    `kpitree run` and `kpitree plan`, so every later command sees it. The sample
    data is written once per scale; another --scale regenerates it and replaces
    the warehouse. A landing folder holding other files is left alone (exit 2).
    """
    from orchestration.lock import WarehouseBusy, warehouse_lock

    check_settings()
    check_warehouse(warehouse)
    if landing.exists() and not landing.is_dir():
        _usage_error(f"landing {landing} is a file, not a folder")
    try:
        with warehouse_lock(warehouse, wait=wait, on_wait=_say):
            _demo_data(landing, warehouse, scale)
            code = _report_run(landing, warehouse, verbose=verbose)
    except WarehouseBusy as error:
        _busy(error)
    if code == 0:
        env = _env_prefix(landing, warehouse)
        _demo_preview(warehouse)
        console.print("\n[bold]Where everything is[/bold]")
        console.print(
            f"  warehouse (open it with DuckDB or a BI tool): {warehouse.resolve()}\n"
            f"  KPI values:      select * from metrics.kpi_values_current\n"
            f"  KPI definitions: select * from metrics.kpi_definitions\n"
            f"  ingest log:      select * from quality.ingest_log\n"
            f"  sample data:     {landing.resolve()} (fiscal year {DEMO_YEAR[0]}..{DEMO_YEAR[1]})",
            markup=False,
            highlight=False,
        )
        console.print("\n[bold]Next[/bold]")
        console.print(
            f"  {env}make dev    # Dagster UI on http://localhost:3000: this run, the schedule, "
            "the sensor\n"
            f"  {env}.venv/bin/kpitree plan --revenue 100000000 --as-of {DEMO_PLAN_AS_OF}",
            markup=False,
            highlight=False,
        )
        from orchestration.settings import WarehousePaths

        _print_dashboard(WarehousePaths(warehouse.resolve()).dashboard)
    raise typer.Exit(code)


def _print_dashboard(site: Path) -> None:
    """Where the dashboard is and how to open it."""
    console.print("\n[bold]Dashboard[/bold] (全社 and one folder per department)")
    console.print(
        f"  {site / 'company' / 'index.html'}\n"
        f"  open it in a browser as a file ({(site / 'company' / 'index.html').as_uri()}), or\n"
        f"  serve the folder: python3 -m http.server 8000 -d {site}  ->  "
        "http://localhost:8000/company/",
        markup=False,
        highlight=False,
    )


def _plan_percent(
    ctx: typer.Context, param: typer.CallbackParam, value: str | None
) -> float | None:
    """A rate in percent: `25` or `25%`. A bare number below 1 is almost always a
    fraction typed by mistake (0.25 for 25 %): refused unless written `0.25%`."""
    if value is None:
        return None
    text = value.strip()
    explicit = text.endswith("%")
    try:
        number = float(text.removesuffix("%").strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a percentage (25 or 25%)", ctx, param) from None
    if not explicit and 0 < number < 1:
        name = param.opts[0]
        raise typer.BadParameter(
            f"{value} looks like a fraction; rates are percent: give {name} {number * 100:g} "
            f"for {number * 100:g} %, or {name} {value}% if you mean {value} %",
            ctx,
            param,
        )
    return number


def _plan_period(value: str) -> str:
    from orchestration.plan import PERIODS

    if value not in PERIODS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(PERIODS)}")
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
def alerts(
    warehouse: Path = typer.Option(
        default_warehouse(),
        "--warehouse",
        help="The published DuckDB file whose metrics.kpi_alerts are sent (default: "
        "KPITREE_WAREHOUSE or var/kpitree.duckdb).",
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        help="The alert channels file (default: KPITREE_ALERTS). Its format, with a Slack, "
        "Teams, JSON-webhook and e-mail channel: docs/alerts.md.",
    ),
    wait: bool = typer.Option(False, "--wait", help=WAIT_HELP),
) -> None:
    """Send the published off-track alerts to the alert channels now.

    What every run does after it publishes: each channel gets, in one Japanese message,
    the alerts it has not been told yet and the ones that recovered since; an alert
    reaches a channel once. Use it to retry a channel that failed (runs retry it too), or
    to try a new channels file. What each channel was told is kept in
    `<name>_work/alerts_sent.json`. Exit 0 when every channel was told, 1 when one could
    not be (it is named, and told next time), 2 on a usage error, 3 when a run holds the
    warehouse.
    """
    from orchestration.alerts.config import AlertConfigError, load_config
    from orchestration.alerts.delivery import deliver
    from orchestration.lock import WarehouseBusy, warehouse_lock
    from orchestration.settings import WarehousePaths, default_alerts_file, run_date

    source = config or default_alerts_file()
    if source is None:
        _usage_error("no alert channels file: pass --config FILE or set KPITREE_ALERTS")
    check_published(warehouse)
    try:
        channels = load_config(source.resolve())
    except AlertConfigError as error:
        _usage_error(str(error))
    import duckdb

    paths = WarehousePaths(warehouse.resolve())
    try:
        with warehouse_lock(paths.published, wait=wait, on_wait=_say):
            outcomes = deliver(
                channels, paths.published, paths.alerts_state, run_date(), log=lambda _: None
            )
    except WarehouseBusy as error:
        _busy(error)
    except duckdb.Error as error:
        _usage_error(f"{warehouse}: cannot read metrics.kpi_alerts: {error}")
    for outcome in outcomes:
        style = "red" if outcome.error else None
        console.print(f"  {outcome.line}", style=style, markup=False)
    raise typer.Exit(EXIT_FAILED if any(o.error for o in outcomes) else 0)


@app.command()
def dashboard(
    warehouse: Path = typer.Option(
        default_warehouse(),
        "--warehouse",
        help="The published DuckDB file to draw (default: KPITREE_WAREHOUSE or "
        "var/kpitree.duckdb).",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="The folder to write the site into, replaced whole (default: "
        "<name>_dashboard/ beside the warehouse, where every run writes it).",
    ),
) -> None:
    """Write the dashboard site of a published file: static HTML, Japanese first.

    Pages: 担当者・日次 (calls, connects, connect rate, appointments per rep per day,
    against the 34 calls/day benchmark), マネージャー・週次 (per team), 経営・月次
    (against target, with trend), ファネル (the drop-off stage marked) and
    アラートと定義違反. One folder for the whole company
    (`company/`) and one per department, each self-contained (the chart library is
    shipped in it): grant access per folder. Every run that publishes writes it too.
    """
    from orchestration.dashboard.site import build_site
    from orchestration.settings import WarehousePaths

    check_published(warehouse)
    site = out.resolve() if out else WarehousePaths(warehouse.resolve()).dashboard
    folders = build_site(warehouse.resolve(), site)
    console.print(f"wrote {len(folders)} folders", markup=False)
    _print_dashboard(site)


@app.command()
def plan(
    revenue: float = typer.Option(
        ..., "--revenue", help="The KGI: revenue target of the plan period, in JPY."
    ),
    avg_deal_size: float | None = typer.Option(
        None, "--avg-deal-size", help="平均受注単価, JPY (avg_deal_size)."
    ),
    meeting_win_rate: str | None = typer.Option(
        None,
        "--meeting-win-rate",
        help="受注率 (商談起点), percent: 25 means 25 %.",
        callback=_plan_percent,
        metavar="PERCENT",
    ),
    meeting_held_rate: str | None = typer.Option(
        None,
        "--meeting-held-rate",
        help="商談化率 (アポ起点), percent.",
        callback=_plan_percent,
        metavar="PERCENT",
    ),
    appointment_rate: str | None = typer.Option(
        None,
        "--appointment-rate",
        help="アポ獲得率, percent: plans contacted leads.",
        callback=_plan_percent,
        metavar="PERCENT",
    ),
    connect_rate: str | None = typer.Option(
        None,
        "--connect-rate",
        help="コネクト率, percent: plans calls (with --appointment-rate).",
        callback=_plan_percent,
        metavar="PERCENT",
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

    from orchestration.catalog import current_kpis
    from orchestration.plan import (
        PlanError,
        plan_as_json,
        resolve_rates,
        reverse_plan,
        spread_calls,
        today_in,
    )
    from orchestration.plan_report import (
        choose_reps,
        choose_working_days,
        missing_rate_messages,
        plan_rows,
        planned_calls,
        trailing_note,
    )
    from orchestration.settings import fiscal_year_start_month, reporting_timezone

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    say = err if as_json else console

    def refuse(message: str) -> NoReturn:
        err.print(message, style="red", markup=False)
        raise typer.Exit(EXIT_USAGE)

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
            # The table spreads the calls over reps: without --reps, the warehouse counts them.
            need_warehouse=reps is None and not as_json,
        )
    except PlanError as error:
        refuse(str(error))
    missing = missing_rate_messages(resolved.missing)
    if missing:
        refuse("\n".join(missing))
    try:
        steps = reverse_plan(revenue, **resolved.values)
    except PlanError as error:
        refuse(str(error))

    note = trailing_note(resolved, warehouse)
    if note:
        say.print(note, markup=False)
    if as_json:
        typer.echo(json.dumps(plan_as_json(steps), ensure_ascii=False))
        raise typer.Exit(0)

    # The calls are spread over reps and working days: settle both before printing.
    calls = planned_calls(steps)
    spread_line = (
        "contacted leads and calls not planned: give --appointment-rate and "
        "--connect-rate (or a warehouse with their actuals)."
    )
    if calls is not None:
        try:
            rep_count = choose_reps(reps, resolved.trailing, resolved.unavailable)
            days = choose_working_days(working_days, period, day, fiscal_year_start_month())
            spread = spread_calls(calls, rep_count.value, days.value)
        except PlanError as error:
            refuse(str(error))
        spread_line = (
            f"架電 calls per rep per day: {calls:,} ÷ {rep_count.value} reps ({rep_count.source}) "
            f"÷ {days.value} working days ({days.source}) = "
            f"[bold]{float(spread.per_rep_day):.1f}[/bold] — benchmark {spread.benchmark:g} "
            f"({spread.share_of_benchmark:.0f} % of it)"
        )

    from rich.table import Table

    table = Table(title=f"KGIから逆算  revenue ¥{revenue:,.0f} per {period}")
    for column, justify in (
        ("stage", "left"),
        ("required", "right"),
        ("rate used", "right"),
        ("KPI", "left"),
        ("source", "left"),
    ):
        table.add_column(column, justify=justify)
    for row in plan_rows(steps, resolved.sources, current_kpis()):
        table.add_row(*row.cells())
    console.print(table)
    console.print(spread_line)


@app.command("tree")
def tree(
    file: Path = typer.Argument(
        None,
        help="The KPI tree file (default: the one file in kpi_trees/, or KPITREE_TREES).",
        show_default=False,
    ),
    warehouse: Path = typer.Option(
        default_warehouse(), "--warehouse", help="The published file to read the actuals from."
    ),
    grain: str = typer.Option(
        None, "--grain", help="month, quarter or fiscal_year (default: the KGI's grain)."
    ),
    period: str = typer.Option(
        None,
        "--period",
        help="The period's first day, YYYY-MM-DD (a fiscal year: its April 1st). Default: "
        "the latest period of the grain.",
    ),
    department: str = typer.Option(
        None,
        "--department",
        help="One department's numbers (marketing, inside_sales, field_sales, "
        "customer_success); its nodes are measured against their catalog benchmarks, and "
        "the KGI target must be given.",
    ),
    kgi_target: float = typer.Option(
        None, "--kgi-target", help="The KGI's target in its unit, instead of the tree's."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the analysis as JSON."),
) -> None:
    """Which lever moves the KGI most: the KPI tree's arithmetic on the published numbers.

    The tree file's formulas (`formula: {op: product, of: [...]}`) say how the KGI is
    formed from the KPIs under it: 受注金額 = 受注件数 × 平均受注単価, 受注件数 = 商談数 ×
    受注率 (商談起点), ... For one period (and department), with exact fractions:

    \b
    - elasticity: +1 % on a lever, the others held, moves the KGI by x %;
    - ボトルネック: the node whose gap to its target (else its catalog benchmark) costs the
      KGI most (★);
    - goal seek: the value each lever alone must take to reach the KGI target, and the one
      change in % that reaches it with every lever moving together ("balanced");
    - identities: whether each formula holds on the actuals, within the tree's
      identity_tolerance_pct.

    Targets set per month count 12 times in a fiscal year (a rate's, an average's once).
    Exit 0 with the analysis; 1 when the warehouse cannot give it; 2 on a usage error.
    docs/outputs.md ("kpitree tree") explains every number.
    """
    import json
    from datetime import date

    from orchestration.kpi_tree import TreeFileError, trees_dir
    from orchestration.plan import WarehouseUnavailable
    from orchestration.tree_analysis import (
        TABLE_COLUMNS,
        TABLE_NOTE,
        TreeAnalysisError,
        analyse_tree,
        connect_published,
        rows_from_file,
        summary_lines,
        table_rows,
    )

    if file is None:
        folder = trees_dir()
        found = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]) if folder.is_dir() else []
        if len(found) != 1:
            _usage_error(
                f"give the tree file: {folder} holds {len(found)} tree files"
                + (f" ({', '.join(p.name for p in found)})" if found else "")
            )
        file = found[0]
    start = None
    if period is not None:
        try:
            start = date.fromisoformat(period)
        except ValueError:
            _usage_error(f"--period {period}: give the period's first day as YYYY-MM-DD")
    try:
        rows = rows_from_file(file)
    except TreeFileError as error:
        _usage_error(str(error))
    try:
        with connect_published(warehouse.resolve()) as con:
            report = analyse_tree(
                rows,
                con,
                grain=grain,
                period_start=start,
                department=department,
                kgi_target=None if kgi_target is None else _exact_option(kgi_target),
            )
    except WarehouseUnavailable as error:
        console.print(str(error), style="red", markup=False)
        raise typer.Exit(EXIT_FAILED) from None
    except TreeAnalysisError as error:
        _usage_error(str(error))
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    lines = summary_lines(report)
    for line in lines[:2]:
        console.print(line, markup=False)
    table = Table(show_lines=False)
    for index, column in enumerate(TABLE_COLUMNS):
        table.add_column(column, justify="left" if index == 0 else "right")
    for row in table_rows(report):
        table.add_row(*row)
    console.print(table)
    console.print(TABLE_NOTE, markup=False)
    for line in lines[2:]:
        console.print(line, markup=False)


def _exact_option(value: float):
    from orchestration.plan import exact

    return exact(value, "--kgi-target")


MF_HELP = """Query the semantic layer with MetricFlow: any KPI by any dimension combination.

Usage: kpitree mf [--warehouse FILE] [--wait] MF-COMMAND [MF-ARGS...]

Runs MetricFlow's `mf` on the working warehouse of the published file (default:
KPITREE_WAREHOUSE or var/kpitree.duckdb; run `kpitree run` first). Its semantic model and
metrics are generated from the KPI catalog: one metric per KPI (retired versions as
<kpi>_v<N>), dimensions kpi_event__department, __team, __owner, __lead_source,
__segment and metric_time (day, week, month, quarter, year). KPIs that are levels at a
period's end (pipeline, MRR, NRR, ...) are not in it: docs/semantic-layer.md says why.
Holds the warehouse's run lock while MetricFlow runs (exit 3 when a run holds it;
--wait waits for it).

Examples:
  kpitree mf list metrics
  kpitree mf list dimensions --metrics win_rate
  kpitree mf query --metrics win_rate,won_count \\
      --group-by metric_time__quarter,kpi_event__lead_source,kpi_event__segment
  kpitree mf query --metrics lead_count --group-by metric_time__month --csv leads.csv
  kpitree mf query --help        (MetricFlow's own help)
"""


@app.command(
    "mf",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
    help=MF_HELP.split("\n", 1)[0],
)
def metricflow(ctx: typer.Context) -> None:
    from orchestration.lock import WarehouseBusy, warehouse_lock
    from orchestration.semantic_layer import SemanticLayerUnavailable, run_metricflow
    from orchestration.settings import WarehousePaths

    arguments = list(ctx.args)
    warehouse = default_warehouse()
    wait = False
    while arguments and arguments[0] in ("--warehouse", "--wait"):
        option = arguments.pop(0)
        if option == "--wait":
            wait = True
        elif not arguments:
            _usage_error("--warehouse needs a file")
        else:
            warehouse = Path(arguments.pop(0)).resolve()
    if not arguments or arguments[0] in ("-h", "--help", "help"):
        console.print(MF_HELP, markup=False)
        raise typer.Exit(0 if arguments else EXIT_USAGE)
    check_warehouse(warehouse)
    paths = WarehousePaths(warehouse)
    try:
        with warehouse_lock(paths.published, wait=wait, on_wait=_say):
            status = run_metricflow(paths, arguments)
    except WarehouseBusy as error:
        _busy(error)
    except SemanticLayerUnavailable as error:
        console.print(str(error), style="red", markup=False)
        raise typer.Exit(EXIT_FAILED) from None
    raise typer.Exit(status)


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


@app.command("grants")
def grants(
    role: str = typer.Option(
        "kpitree_bi", "--role", help="The BI role to create or update (NOLOGIN when created)."
    ),
) -> None:
    """Let a BI role read the published metrics on a PostgreSQL server, and nothing else.

    Connects with libpq's variables (PGHOST, PGPORT, PGUSER, PGDATABASE; the password
    from PGPASSWORD or ~/.pgpass) as a user that owns kpitree's schemas. Creates ROLE
    when missing, grants it USAGE and SELECT on `metrics` and `quality`, and revokes
    everything on raw, ingest, staging, intermediate (where personal data lives) and on
    the build schemas; it may write or CREATE nowhere. Every publish grants the same on
    the schemas it swaps in. Give the role to the BI tool's login:
    `GRANT kpitree_bi TO metabase;` (or `ALTER ROLE kpitree_bi LOGIN PASSWORD '...'`).
    Exit 1 when the server refuses.
    """
    from orchestration.postgres import PostgresError, grant_bi_role

    try:
        grant_bi_role(role)
    except PostgresError as error:
        console.print(str(error), style="red", markup=False)
        raise typer.Exit(EXIT_FAILED) from None
    except Exception as error:  # psycopg2's errors: the server's own message
        console.print(f"grants: {type(error).__name__}: {error}".strip(), style="red",
                      markup=False)  # fmt: skip
        raise typer.Exit(EXIT_FAILED) from None
    console.print(
        f"{role} may read metrics and quality; raw, ingest, staging, intermediate and the "
        "build schemas are closed to it",
        markup=False,
    )


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
