"""Seeds and YAML written from the project's YAML files (the shared MQL/SQL definition, the KPI
trees, the semantic layer) before dbt parses or builds."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    """Write ``path`` only when its content changes, and atomically: a dbt run reading
    the seeds at that moment sees the old file or the new one, never a half-written one."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_text(path, buffer.getvalue())


def write_text(path: Path, text: str) -> None:
    """Write ``path`` only when its content changes, and atomically (as :func:`write_csv`)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
