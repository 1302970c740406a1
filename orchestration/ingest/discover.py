"""Find the landing files and the canonical table each one belongs to.

Only what lies inside the landing folder is read. A symbolic link (to a file or a
folder) is followed when its target is inside the landing folder too; one that points
outside it, one whose target is missing, and anything that is not a regular file (a
named pipe, a socket, a device) is listed with a ``problem`` instead, so the loader
rejects it by name without opening it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from orchestration.adapters import SYSTEMS, normalize_name
from orchestration.contract import TABLES, Table
from orchestration.ingest.encoding import describe_mode
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
    problem: str | None = None  # why it cannot be read at all (found by discovery)

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
    root = landing.resolve()
    files: list[LandingFile] = []
    ignored: list[str] = []
    for folder, problem in _subfolders(root, landing):
        if folder.name in TABLES:
            spec = TABLES[folder.name]
            files += _files(root, landing, folder, folder.name, spec, problem)
        elif problem is not None:  # a system or source folder that cannot be read
            ignored.append(f"{folder.name} ({problem})")
        elif folder.name in SYSTEMS:
            objects = SYSTEMS[folder.name]
            for object_folder, object_problem in _subfolders(root, folder):
                key = normalize_name(object_folder.name)
                if key not in objects:
                    ignored.append(f"{folder.name}/{object_folder.name}")
                    continue
                table = objects[key]
                files += _files(
                    root, landing, object_folder, table.raw_table, table, object_problem
                )
        elif (folder / MAPPING_FILE).is_file():
            mapping = load_mapping(folder)
            for export_folder, export_problem in _subfolders(root, folder):
                table_mapping = mapping.for_folder(export_folder.name)
                if table_mapping is None:
                    ignored.append(f"{folder.name}/{export_folder.name}")
                    continue
                table = TABLES[table_mapping.table]
                files += [
                    replace(f, mapping=table_mapping, encoding=mapping.encoding)
                    for f in _files(root, landing, export_folder, table.name, table, export_problem)
                ]
        else:
            ignored.append(folder.name)
    return Discovery(files=files, ignored_folders=ignored)


def _inside(root: Path, path: Path) -> bool:
    return path == root or root in path.parents


def _entry_problem(root: Path, path: Path) -> tuple[str, str | None]:
    """("dir" | "file" | "other", problem) for one folder entry, links resolved."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return "other", "file disappeared before it could be read"
    if stat.S_ISLNK(st.st_mode):
        target = Path(os.path.realpath(path))
        if not _inside(root, target):
            return "other", "symbolic link to a location outside the landing folder (not read)"
        try:
            st = target.stat()
        except OSError:
            return "other", "broken symbolic link (its target does not exist)"
    if stat.S_ISDIR(st.st_mode):
        return "dir", None
    if stat.S_ISREG(st.st_mode):
        return "file", None
    return "other", f"not a regular file ({describe_mode(st.st_mode)})"


def _subfolders(root: Path, folder: Path) -> list[tuple[Path, str | None]]:
    """Visible sub-folders, each with the reason it cannot be read (or None)."""
    found = []
    for path in sorted(folder.iterdir()):
        if _is_hidden(path):
            continue
        kind, problem = _entry_problem(root, path)
        if kind == "dir" or (problem and path.is_symlink() and _points_to_dir(path)):
            found.append((path, problem))
    return found


def _points_to_dir(path: Path) -> bool:
    try:
        return os.path.isdir(os.path.realpath(path))
    except OSError:
        return False


def _files(
    root: Path, landing: Path, folder: Path, table: str, spec: Table, problem: str | None
) -> list[LandingFile]:
    def entry(path: Path, why: str | None) -> LandingFile:
        return LandingFile(
            path=path,
            table=table,
            rel_path=path.relative_to(landing).as_posix(),
            format=file_format(path.name),
            spec=spec,
            problem=why,
        )

    if problem is not None:  # the folder itself cannot be read: one rejection for it
        return [entry(folder, problem)]
    found: list[LandingFile] = []
    seen = {Path(os.path.realpath(folder))}
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            children = sorted(current.iterdir())
        except OSError as exc:
            found.append(entry(current, f"cannot list folder ({exc.strerror})"))
            continue
        for path in children:
            if _is_hidden(path):
                continue
            kind, why = _entry_problem(root, path)
            if kind == "dir":
                real = Path(os.path.realpath(path))
                if real not in seen:  # a link back into a folder already read: skip
                    seen.add(real)
                    pending.append(path)
            else:
                found.append(entry(path, why))
    return sorted(found, key=lambda f: f.rel_path.split("/"))
