"""One run at a time per warehouse.

A run holds an exclusive ``flock`` on ``<stem>_work/run.lock`` beside the published file
for as long as it works. The kernel releases the lock when the holding process ends, in
whatever way (an exception, Ctrl-C, SIGKILL, a reboot), so a dead run never blocks the
next one; the file itself stays and only says who held it last.

The lock is re-entrant within a process: the command line takes it before any work, and
the Dagster job takes it again when it starts (so runs launched by the schedule or the
sensor hold it too); the inner acquisition of the same process is a no-op.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from orchestration.settings import WarehousePaths


class WarehouseBusy(RuntimeError):
    """Another process holds the run lock of this warehouse."""


_held: dict[Path, int] = {}  # lock file -> how many times this process holds it
_guard = threading.Lock()


def holder(lock_file: Path) -> str:
    """Who holds (or last held) ``lock_file``: ``pid N, since T``; ``pid unknown`` when
    the holder has not written its line yet."""
    try:
        text = lock_file.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    pid, _, since = text.partition(" ")
    if not pid.isdigit():
        return "pid unknown"
    return f"pid {pid}, since {since}" if since else f"pid {pid}"


def _busy_message(paths: WarehousePaths) -> str:
    return f"another run ({holder(paths.lock)}) holds {paths.published}"


@contextmanager
def warehouse_lock(
    published: Path, *, wait: bool = False, on_wait: Callable[[str], None] | None = None
) -> Iterator[Path]:
    """Hold the run lock of ``published`` for the ``with`` block; yields the lock file.

    Raises :class:`WarehouseBusy` at once when another process holds it, unless ``wait``:
    then ``on_wait`` is told who holds it and the call blocks until the lock is free.
    """
    paths = WarehousePaths(published.resolve())
    key = paths.lock
    with _guard:
        if _held.get(key):
            _held[key] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield key
        finally:
            with _guard:
                _held[key] -= 1
        return

    paths.ensure()
    fd = os.open(key, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise WarehouseBusy(_busy_message(paths)) from None
            if on_wait is not None:
                on_wait(f"waiting: {_busy_message(paths)}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        since = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {since}\n".encode(), 0)
        with _guard:
            _held[key] = 1
        try:
            yield key
        finally:
            with _guard:
                _held.pop(key, None)
    finally:
        os.close(fd)  # closing the only descriptor releases the flock
