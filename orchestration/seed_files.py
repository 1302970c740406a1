"""Seeds written from the project's YAML files (the shared MQL/SQL definition, the KPI
trees) before dbt parses or builds."""

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
    text = buffer.getvalue()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
