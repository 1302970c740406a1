"""Find the landing files and the canonical table each one belongs to."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from orchestration.adapters import SYSTEMS, normalize_name
from orchestration.contract import TABLES, Table
from orchestration.ingest.mapping import MAPPING_FILE, TableMapping, load_mapping

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
    """One file in ``<landing>/<table>/`` or ``<landing>/<system>/<object>/``."""

    path: Path
    table: str  # the raw table it loads into: "leads", "salesforce__opportunity"
    rel_path: str  # e.g. "leads/leads_2026-04-01.csv": what the log and quarantine name
    format: str | None  # None: not a supported format
    spec: Table | None = None
    mapping: TableMapping | None = None  # generic source: how its columns become canonical
    encoding: str | None = None  # declared by the source's mapping; else detected

    @property
    def contract(self) -> Table:
        return self.spec or TABLES[self.table]

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
    for folder in _subfolders(landing):
        if folder.name in TABLES:
            files += _files(landing, folder, folder.name, TABLES[folder.name])
        elif folder.name in SYSTEMS:
            objects = SYSTEMS[folder.name]
            for object_folder in _subfolders(folder):
                key = normalize_name(object_folder.name)
                if key not in objects:
                    ignored.append(f"{folder.name}/{object_folder.name}")
                    continue
                table = objects[key]
                files += _files(landing, object_folder, table.raw_table, table)
        elif (folder / MAPPING_FILE).is_file():
            mapping = load_mapping(folder)
            for export_folder in _subfolders(folder):
                table_mapping = mapping.for_folder(export_folder.name)
                if table_mapping is None:
                    ignored.append(f"{folder.name}/{export_folder.name}")
                    continue
                table = TABLES[table_mapping.table]
                files += [
                    replace(f, mapping=table_mapping, encoding=mapping.encoding)
                    for f in _files(landing, export_folder, table.name, table)
                ]
        else:
            ignored.append(folder.name)
    return Discovery(files=files, ignored_folders=ignored)


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not _is_hidden(p))


def _files(landing: Path, folder: Path, table: str, spec: Table) -> list[LandingFile]:
    return [
        LandingFile(
            path=path,
            table=table,
            rel_path=path.relative_to(landing).as_posix(),
            format=file_format(path.name),
            spec=spec,
        )
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not _is_hidden(p))
    ]
