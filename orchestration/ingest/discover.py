"""Find the landing files and the canonical table each one belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration.contract import TABLES

# Suffix -> reader format. Longest suffixes first so `.csv.gz` wins over `.gz`.
FORMATS: dict[str, str] = {
    ".csv.gz": "csv",
    ".csv": "csv",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass(frozen=True)
class LandingFile:
    """One file in ``<landing>/<table>/``."""

    path: Path
    table: str
    rel_path: str  # e.g. "leads/leads_2026-04-01.csv": what the log and quarantine name
    format: str | None  # None: not a supported format

    @property
    def is_gzip(self) -> bool:
        return self.path.name.lower().endswith(".gz")


@dataclass(frozen=True)
class Discovery:
    files: list[LandingFile]
    ignored_folders: list[str]


def file_format(name: str) -> str | None:
    lower = name.lower()
    for suffix, fmt in FORMATS.items():
        if lower.endswith(suffix):
            return fmt
    return None


def _is_hidden(path: Path) -> bool:
    return path.name.startswith((".", "_", "~$"))


def discover(landing: Path) -> Discovery:
    """List canonical table files in table order, then name order within a table.

    Name order matters: on an ``updated_at`` tie the later file wins, so daily drops
    should be named to sort by date. Folders that are not canonical tables are
    reported (adapters own them), never fatal.
    """
    if not landing.is_dir():
        raise FileNotFoundError(f"landing folder {landing} does not exist")
    files: list[LandingFile] = []
    ignored: list[str] = []
    for folder in sorted(p for p in landing.iterdir() if p.is_dir() and not _is_hidden(p)):
        if folder.name not in TABLES:
            ignored.append(folder.name)
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not _is_hidden(p)):
            files.append(
                LandingFile(
                    path=path,
                    table=folder.name,
                    rel_path=path.relative_to(landing).as_posix(),
                    format=file_format(path.name),
                )
            )
    return Discovery(files=files, ignored_folders=ignored)
