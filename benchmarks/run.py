"""The nightly pipeline at 10x and 100x the demo data, beside DuckDB's own floor.

    make bench                                  # 10 and 100, then 10 on PostgreSQL and Spark
    .venv/bin/python benchmarks/run.py 10       # one scale
    .venv/bin/python benchmarks/run.py --help

For each scale, in ``var/bench/scale-<N>/`` (the generated landing folder is kept and
reused by later benchmarks at the same scale):

1. **full**: ``kpitree run`` on the generated year, from an empty warehouse;
2. **F1**: the models' compiled SQL of that run replayed in one DuckDB connection on a
   copy of its working database, in dependency order, with the same DuckDB settings --
   what the models cost without Dagster, dbt, tests, checks or publishing;
3. **F0**: every landing file read once by DuckDB, every column parsed;
4. **nothing new**: ``kpitree run`` again on the same folder;
5. **one day**: the generator writes the next day's drop (new records and updates,
   sample_data.drops), then ``kpitree run``.

With ``--postgres N`` and ``--spark N`` (``make bench`` passes 10 to both) the full,
nothing-new and one-day runs are timed again at scale N with ``--target postgres`` (a
throw-away local server) and ``--target spark`` (a local PySpark), beside DuckDB's.

Each ``kpitree run``, the replay and the read run as child processes; their peak memory
is the largest sum of the resident memory of the process and all its descendants
(sampled every 0.1 s from /proc: Linux only). Timings are printed, never asserted: they
depend on the machine. The figures committed in benchmarks/RESULTS.md come from here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_CLOCK = "2026-04-10T00:00:00+09:00"  # the runs' clock: after the year and its drops
PAGE = os.sysconf("SC_PAGE_SIZE")
GIB = 1024**3

# The targets of the 100x run (the table prints each figure beside its target).
TARGETS = {
    "peak_gib": 4.0,  # peak memory of any step, GiB
    "full_over_f1": 1.5,  # full run / F1
    "f1_over_f0": 15.0,  # F1 / F0
    "day_over_full": 0.05,  # one new day / full run
    "nothing_new_s": 30.0,  # a run with nothing new, seconds
}


# --- measuring a child process tree ---------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process descended from it."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
            with open(f"/proc/{entry.name}/statm", "rb") as handle:
                resident = int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        pid = int(entry.name)
        parents[pid], rss[pid] = ppid, resident
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in members:
                members.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in members)


@dataclass
class Measured:
    seconds: float
    peak_bytes: int
    output: str = ""


def measure(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run ``command``; its wall time and the peak memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{output[-3000:]}")
    return Measured(seconds, peak, output[-2000:])


# --- F0 and F1 --------------------------------------------------------------------------------


def landing_files(landing: Path) -> list[Path]:
    return sorted(p for p in landing.rglob("*.csv") if not p.name.startswith((".", "_")))


def read_floor(landing: Path, settings: dict[str, str]) -> None:
    """F0: DuckDB reads every landing file once and parses every column (as text)."""
    import duckdb

    con = duckdb.connect(config=settings)
    for path in landing_files(landing):
        source = f"read_csv('{path.as_posix()}', header = true, all_varchar = true)"
        con.execute(f"select count(*), count(columns(*)) from {source}").fetchall()
    con.close()


def replay_models(manifest_path: Path, database: Path, settings: dict[str, str]) -> int:
    """F1: every model's compiled SQL, in dependency order, in one DuckDB connection."""
    import duckdb

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    models = {
        uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"
    }
    order: list[str] = []
    seen: set[str] = set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in models:
            return
        seen.add(uid)
        for upstream in models[uid]["depends_on"]["nodes"]:
            visit(upstream)
        order.append(uid)

    for uid in sorted(models):
        visit(uid)
    timezone = settings.pop("TimeZone")
    con = duckdb.connect(str(database), config=settings)
    con.execute(f"set TimeZone = '{timezone}'")
    for uid in order:
        node = models[uid]
        relation = f'"{node["database"]}"."{node["schema"]}"."{node["alias"]}"'
        materialized = node["config"]["materialized"]
        if materialized == "ephemeral":
            continue  # inlined into the models that use it
        kind = "view" if materialized == "view" else "table"
        existing = con.execute(
            "select table_type from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [node["schema"], node["alias"]],
        ).fetchall()
        if existing:
            con.execute(f"drop {'view' if existing[0][0] == 'VIEW' else 'table'} {relation}")
        con.execute(f"create {kind} {relation} as {node['compiled_code']}")
    con.close()
    return len(order)


# --- one scale ----------------------------------------------------------------------------------


@dataclass
class ScaleResult:
    scale: int
    landing_rows: int = 0
    landing_mb: float = 0.0
    full: Measured | None = None
    f1: Measured | None = None
    f0: Measured | None = None
    nothing_new: Measured | None = None
    one_day: Measured | None = None
    day_rows: int = 0
    published_mb: float = 0.0
    work_mb: float = 0.0

    @property
    def peak_bytes(self) -> int:
        steps = (self.full, self.nothing_new, self.one_day)
        return max(step.peak_bytes for step in steps if step)


def _kpitree(*args: str) -> list[str]:
    return [sys.executable, "-m", "orchestration.cli", *args]


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _say(text: str) -> None:
    print(text, flush=True)


def base_landing(root: Path, scale: int) -> tuple[Path, int]:
    """The generated year at ``scale``: written once, reused while its marker says so."""
    landing = root / "base"
    marker = root / "base.json"
    if marker.exists():
        rows = json.loads(marker.read_text())["rows"]
        _say(f"  generated landing reused: {landing} ({rows:,} rows)")
        return landing, rows
    shutil.rmtree(landing, ignore_errors=True)
    from sample_data.generate import generate

    started = time.perf_counter()
    counts = generate(landing, scale=scale)
    rows = sum(counts.values())
    marker.write_text(json.dumps({"scale": scale, "rows": rows}))
    _say(f"  generated {rows:,} rows in {time.perf_counter() - started:.0f} s")
    return landing, rows


def _later_nights(result, run: list[str], env: dict[str, str], landing: Path) -> None:
    """After the full run: a night with nothing new, then one with the next day's drop
    (written into ``landing``); their figures go into ``result``."""
    from sample_data.drops import write_next_day

    result.nothing_new = measure(run, env)
    _say(f"  nothing new         {result.nothing_new.seconds:8.1f} s")
    day = write_next_day(landing)
    result.day_rows = sum(day.rows.values())
    result.one_day = measure(run, env)
    _say(
        f"  one day ({day.day}, {result.day_rows:,} rows) "
        f"{result.one_day.seconds:8.1f} s  peak {_gib(result.one_day)}"
    )


def bench(scale: int, root: Path) -> ScaleResult:
    from orchestration.settings import WarehousePaths, duckdb_settings, reporting_timezone

    _say(f"scale {scale}")
    folder = root / f"scale-{scale}"
    folder.mkdir(parents=True, exist_ok=True)
    base, rows = base_landing(folder, scale)
    result = ScaleResult(scale=scale, landing_rows=rows)
    result.landing_mb = _folder_bytes(base) / 1e6
    # Each benchmark lands in a fresh folder of hard links to the generated files, so the
    # day's drop is written beside them without touching the base.
    landing, runs = folder / "landing", folder / "run"
    for stale in (landing, runs):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.copytree(base, landing, copy_function=os.link)
    paths = WarehousePaths(runs / "kpitree.duckdb")
    env = {"KPITREE_NOW": BENCH_CLOCK}
    run = _kpitree("run", "--landing", str(landing), "--warehouse", str(paths.published))

    result.full = measure(run, env)
    _say(f"  full run            {result.full.seconds:8.1f} s  peak {_gib(result.full)}")

    replica = runs / "replay" / "working.duckdb"  # same file name: same catalog name
    replica.parent.mkdir(parents=True)
    shutil.copyfile(paths.working, replica)
    settings = {**duckdb_settings(paths), "TimeZone": reporting_timezone()}
    settings["temp_directory"] = str(replica.parent / "spill")
    manifest = paths.dbt_target / "manifest.json"
    result.f1 = measure(
        [sys.executable, __file__, "--replay", str(manifest), str(replica), json.dumps(settings)]
    )
    shutil.rmtree(replica.parent)
    _say(f"  F1 model SQL        {result.f1.seconds:8.1f} s  peak {_gib(result.f1)}")

    settings.pop("TimeZone")
    settings["temp_directory"] = str(runs / "f0-spill")
    result.f0 = measure([sys.executable, __file__, "--read", str(landing), json.dumps(settings)])
    _say(f"  F0 read files       {result.f0.seconds:8.1f} s  peak {_gib(result.f0)}")

    _later_nights(result, run, env, landing)
    result.published_mb = paths.published.stat().st_size / 1e6
    result.work_mb = _folder_bytes(paths.workdir) / 1e6
    return result


ENGINE_LABELS = {"postgres": "PostgreSQL (local server)", "spark": "Spark (local session)"}


@dataclass
class EngineResult:
    """The same nights with ``--target postgres`` on a throw-away local server (the
    server's own memory is not in the peak: it is not in the run's process tree) or with
    ``--target spark`` on a local PySpark (its JVMs are in the tree)."""

    target: str
    scale: int
    full: Measured | None = None
    nothing_new: Measured | None = None
    one_day: Measured | None = None
    day_rows: int = 0


def bench_target(target: str, scale: int, root: Path) -> EngineResult:
    _say(f"scale {scale} on {ENGINE_LABELS[target]}")
    folder = root / f"scale-{scale}"
    folder.mkdir(parents=True, exist_ok=True)
    base, _ = base_landing(folder, scale)
    landing, runs = folder / f"landing-{target}", folder / f"run-{target}"
    for stale in (landing, runs):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.copytree(base, landing, copy_function=os.link)
    env = {"KPITREE_NOW": BENCH_CLOCK, "KPITREE_TARGET": target}
    run = _kpitree("run", "--landing", str(landing), "--warehouse", str(runs / "kpitree.duckdb"))
    result = EngineResult(target=target, scale=scale)
    with ExitStack() as stack:
        if target == "postgres":
            sys.path.insert(0, str(REPO))  # the throw-away server the tests use
            from tests.postgres_server import start_temporary

            server = start_temporary()
            stack.callback(server.stop)
            env.update(server.env())
        result.full = measure(run, env)
        _say(f"  full run            {result.full.seconds:8.1f} s  peak {_gib(result.full)}")
        _later_nights(result, run, env, landing)
    return result


def engines_table(results: list[ScaleResult], engines: list[EngineResult]) -> str:
    """DuckDB beside the other targets, one table per scale."""
    tables = []
    for scale in sorted({engine.scale for engine in engines}):
        duck = next((r for r in results if r.scale == scale), None)
        others = [engine for engine in engines if engine.scale == scale]

        def seconds(step: Measured | None) -> str:
            return f"{step.seconds:.1f} s" if step else "-"

        header = " | ".join(ENGINE_LABELS[engine.target] for engine in others)
        lines = [f"| scale {scale} | DuckDB (embedded) | {header} |"]
        lines.append("|---" * (2 + len(others)) + "|")
        for label, attribute in (
            ("full run", "full"),
            ("run with nothing new", "nothing_new"),
            ("one more day: run", "one_day"),
        ):
            duck_step = getattr(duck, attribute) if duck else None
            cells = " | ".join(seconds(getattr(engine, attribute)) for engine in others)
            lines.append(f"| {label} | {seconds(duck_step)} | {cells} |")
        peaks = []
        for engine in others:
            steps = [s.peak_bytes for s in (engine.full, engine.one_day) if s]
            note = " (without the server)" if engine.target == "postgres" else ""
            peaks.append(f"{max(steps) / GIB:.2f} GiB{note}" if steps else "-")
        duck_peak = f"{duck.peak_bytes / GIB:.2f} GiB" if duck else "-"
        lines.append(f"| peak memory (run's process tree) | {duck_peak} | {' | '.join(peaks)} |")
        tables.append("\n".join(lines))
    return "\n\n".join(tables)


def _gib(step: Measured | None) -> str:
    return f"{step.peak_bytes / GIB:.2f} GiB" if step else "-"


# --- the report --------------------------------------------------------------------------------


def machine() -> str:
    import duckdb

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) * 1024
    except OSError:
        memory = 0
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory / GIB:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )


def table(results: list[ScaleResult]) -> str:
    """The Markdown table benchmarks/RESULTS.md holds."""
    header = "| | " + " | ".join(f"scale {r.scale}" for r in results) + " | target (100x) |"
    lines = [header, "|---" * (len(results) + 2) + "|"]

    def row(label: str, cells: list[str], target: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    def seconds(step: Measured | None) -> str:
        return f"{step.seconds:.1f} s" if step else "-"

    def ratio(a: Measured | None, b: Measured | None, percent: bool = False) -> str:
        if not a or not b or not b.seconds:
            return "-"
        value = a.seconds / b.seconds
        return f"{100 * value:.1f} %" if percent else f"{value:.2f}x"

    row("landing rows", [f"{r.landing_rows:,}" for r in results])
    row("landing files", [f"{r.landing_mb:,.0f} MB" for r in results])
    row("full run", [seconds(r.full) for r in results])
    row("F1: model SQL in one DuckDB connection", [seconds(r.f1) for r in results])
    row("F0: every landing file read once", [seconds(r.f0) for r in results])
    row("full run / F1", [ratio(r.full, r.f1) for r in results], f"≤ {TARGETS['full_over_f1']}x")
    row("F1 / F0", [ratio(r.f1, r.f0) for r in results], f"≤ {TARGETS['f1_over_f0']:.0f}x")
    row(
        "run with nothing new",
        [seconds(r.nothing_new) for r in results],
        f"≤ {TARGETS['nothing_new_s']:.0f} s",
    )
    row("one more day: rows in the drop", [f"{r.day_rows:,}" for r in results])
    row("one more day: run", [seconds(r.one_day) for r in results])
    row(
        "one more day / full run",
        [ratio(r.one_day, r.full, percent=True) for r in results],
        f"≤ {100 * TARGETS['day_over_full']:.0f} %",
    )
    row(
        "peak memory (process tree, any run)",
        [f"{r.peak_bytes / GIB:.2f} GiB" for r in results],
        f"≤ {TARGETS['peak_gib']:.0f} GiB",
    )
    row("peak memory of F1", [_gib(r.f1) for r in results])
    row("published file", [f"{r.published_mb:,.0f} MB" for r in results])
    row("work folder", [f"{r.work_mb:,.0f} MB" for r in results])
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--replay"]:
        replay_models(Path(argv[1]), Path(argv[2]), json.loads(argv[3]))
        return 0
    if argv[:1] == ["--read"]:
        read_floor(Path(argv[1]), json.loads(argv[2]))
        return 0
    parser = argparse.ArgumentParser(
        description="Time the nightly pipeline at the given scales (default 10 and 100) "
        "beside DuckDB's floor, and print a table of the figures and their targets.",
        epilog="Needs about 3 GB of disk per 10x (landing, working database, spill) and, at "
        "100x, about an hour. Results also go to <folder>/results.json.",
    )
    parser.add_argument("scales", nargs="*", type=int, default=[10, 100])
    parser.add_argument(
        "--postgres",
        type=int,
        metavar="SCALE",
        help="also time the nights at this scale with --target postgres on a throw-away "
        "local PostgreSQL server (needs the postgresql package; `make bench` uses 10)",
    )
    parser.add_argument(
        "--spark",
        type=int,
        metavar="SCALE",
        help="also time the nights at this scale with --target spark on a local PySpark "
        "(needs Java 17+; `make bench` uses 10)",
    )
    parser.add_argument(
        "--folder",
        type=Path,
        default=REPO / "var" / "bench",
        help="where landing folders and warehouses go (default: var/bench)",
    )
    args = parser.parse_args(argv)
    results = []
    for scale in args.scales:
        try:
            results.append(bench(scale, args.folder.resolve()))
        except RuntimeError as error:
            _say(f"scale {scale} FAILED: {error}")
            return 1
    engines = []
    for target, scale in (("postgres", args.postgres), ("spark", args.spark)):
        if not scale:
            continue
        try:
            engines.append(bench_target(target, scale, args.folder.resolve()))
        except (RuntimeError, subprocess.CalledProcessError) as error:
            _say(f"scale {scale} on {ENGINE_LABELS[target]} FAILED: {error}")
            return 1
    print()
    print(f"machine: {machine()}")
    print()
    print(table(results))
    if engines:
        print()
        print(engines_table(results, engines))
    out = args.folder / "results.json"
    report = {"machine": machine(), "results": [asdict(r) for r in results]}
    report["engines"] = [asdict(engine) for engine in engines]
    out.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
