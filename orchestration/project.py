"""The one dbt project, found relative to this file (no relative imports here, so
``dagster-dbt project prepare-and-package --file orchestration/project.py`` works)."""

import fcntl
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR.parent / "seeds"  # dbt_project.yml: seed-paths ../seeds

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt installed beside this Python (the venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


@functools.cache
def prepared_manifest() -> Path:
    """``target/manifest.json`` written from the models as they are when first asked for.

    Dagster reads the manifest when the dbt assets are defined, so it must match the
    models dbt will build; a fresh clone has none, and an edited model makes it stale.
    The first call in a process writes the seeds of the shared MQL/SQL definition and
    parses the project when the manifest is older than a file dbt reads (a few seconds, no
    database); later calls return the same path without looking again, so whichever module
    needs the manifest first prepares it and the others reuse it. A model edited while a
    process runs is seen by the next process.
    """
    target = dbt_project.project_dir / "target"
    target.mkdir(exist_ok=True)
    # Processes started together from one checkout (the test suite's workers, `dagster
    # dev` and a command-line run) take turns; the second finds the manifest current.
    with (target / ".prepare.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _prepare(target)
    return dbt_project.manifest_path


def dbt_input_files() -> list[Path]:
    """Every file dbt parses, in a stable order: models, macros (the KPI catalog among
    them), tests, seeds, the project and profile files."""
    project = dbt_project.project_dir
    folders = [project / "models", project / "macros", project / "tests", SEEDS_DIR]
    files = [project / "dbt_project.yml", project / "profiles.yml"]
    files += sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*"))
    return [path for path in files if path.is_file()]


def _newest_input() -> float:
    """When the newest file dbt parses was last changed."""
    return max(path.stat().st_mtime for path in dbt_input_files())


def write_generated_seeds() -> list[str]:
    """Write the seeds and YAML generated from the project's YAML (the shared MQL/SQL
    definition, the KPI trees, the semantic layer from the KPI catalog) where they changed;
    returns a message per tree file left out."""
    from orchestration.kpi_tree import write_seed as write_tree_seed
    from orchestration.lead_definitions import write_seeds
    from orchestration.semantic_layer import write_layer

    write_seeds()
    write_layer()
    return write_tree_seed()


def _prepare(target: Path) -> None:
    # Runs keep dbt's per-run artifacts in the warehouse's work folder; older versions
    # left one target folder per run here (kpi_dbt_assets-<run>-<id>, ~30 MB each).
    for stale in target.glob("kpi_dbt_assets-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for message in write_generated_seeds():
        print(message, file=sys.stderr)
    manifest = dbt_project.manifest_path
    if manifest.exists() and manifest.stat().st_mtime >= _newest_input():
        return
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("KPITREE_DBT_DATABASE", None)
    # No log file: a parse every run would grow logs/dbt.log; errors still reach stdout.
    subprocess.run(
        [
            dbt_executable(),
            "parse",
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--quiet",
            "--log-level-file",
            "none",
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        check=True,
    )


if __name__ == "__main__":
    print(prepared_manifest())
