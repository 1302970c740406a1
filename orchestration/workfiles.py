"""The working files of a run: private to the user running kpitree, replaced every run.

A run's files live in ``<stem>_work/`` beside the published file: the working
database, ``logs/run.log`` (the last run; ``run.log.1`` the one before), ``dbt/``
(dbt's target folder and its ``dbt.log``, emptied when a run starts) and
``data_docs/`` (the last run's), ``spill/`` (DuckDB's temporary files). Nothing there
accumulates from run to run.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.settings import WarehousePaths

PRIVATE_UMASK = 0o077  # new working files 0600, folders 0700
KEPT_RUN_LOGS = 2  # run.log and run.log.1


@contextmanager
def private_files() -> Iterator[None]:
    """Create files readable by this user only while the block runs (the process umask)."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def clear_run_leftovers(paths: WarehousePaths) -> None:
    """Remove what an earlier run wrote and no later run reads: dbt's target folder,
    the Data Docs (each run adds timestamped pages), DuckDB's spill files of a run that
    was killed, and a half-written publish (``FILE.tmp``). Call with the run lock held."""
    paths.ensure()
    shutil.rmtree(paths.dbt_target, ignore_errors=True)
    shutil.rmtree(paths.spill, ignore_errors=True)
    shutil.rmtree(paths.data_docs, ignore_errors=True)
    for leftover in (paths.staging, paths.staging.with_name(paths.staging.name + ".wal")):
        leftover.unlink(missing_ok=True)


def rotate_run_log(paths: WarehousePaths) -> None:
    """Keep the last ``KEPT_RUN_LOGS`` run logs: ``run.log`` becomes ``run.log.1``."""
    paths.logs.mkdir(mode=0o700, exist_ok=True)
    names = [paths.run_log] + [
        paths.run_log.with_name(f"{paths.run_log.name}.{n}") for n in range(1, KEPT_RUN_LOGS)
    ]
    for older, newer in zip(reversed(names[1:]), reversed(names[:-1]), strict=True):
        if newer.exists():
            os.replace(newer, older)


def make_private(folder: Path) -> None:
    """Take group and other permissions off everything under ``folder`` (for files a
    tool copied with their original mode)."""
    for path in [folder, *folder.rglob("*")] if folder.exists() else []:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077 and not path.is_symlink():
            path.chmod(mode & 0o700)


def write_json_atomically(path: Path, content: dict) -> None:
    """Write ``content`` as JSON to ``path`` so that a reader sees the old or the new
    file whole, never half of one (a sibling ``.tmp``, then a rename)."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)
