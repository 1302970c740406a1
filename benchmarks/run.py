"""Benchmarks: wall time of the sample-data generator and of a full pipeline run.

    make bench                       # scales 1 and 3
    python benchmarks/run.py 1 10    # any scales

Timings are printed, never asserted: they depend on the machine. Each scale runs
in a fresh temporary folder: generate -> `kpitree run` (ingest, dbt build, checks,
publish) -> a second run on the same folder (nothing new to ingest).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from orchestration.runner import run_pipeline
from sample_data.generate import generate


def _timed(label: str, action):
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"  {label:<34} {seconds:8.1f} s", flush=True)
    return result, seconds


def bench(scale: int) -> None:
    print(f"scale {scale}")
    with tempfile.TemporaryDirectory(prefix=f"kpitree-bench-{scale}-") as tmp:
        landing, warehouse = Path(tmp) / "landing", Path(tmp) / "kpitree.duckdb"
        counts, _ = _timed("generate", lambda: generate(landing, scale=scale))
        rows = sum(counts.values())
        outcome, seconds = _timed(
            "run (first: ingest everything)", lambda: run_pipeline(landing, warehouse, say=_quiet)
        )
        if not outcome.success:
            print(f"  FAILED at {outcome.failed_step}: {outcome.error}")
            return
        print(f"  {'rows landed':<34} {rows:>10,}  ({rows / seconds:,.0f} rows/s end to end)")
        _timed("run (again: nothing new)", lambda: run_pipeline(landing, warehouse, say=_quiet))
        size = warehouse.stat().st_size / 1e6
        print(f"  {'published file':<34} {size:8.1f} MB")


def _quiet(_line: str) -> None:
    pass


def main(argv: list[str]) -> int:
    scales = [int(a) for a in argv] or [1, 3]
    for scale in scales:
        bench(scale)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
