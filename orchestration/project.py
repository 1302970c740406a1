"""The one dbt project, found relative to this file (no relative imports here, so
``dagster-dbt project prepare-and-package --file orchestration/project.py`` works)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt installed beside this Python (the venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def prepare_manifest() -> Path:
    """Write ``target/manifest.json`` from the models as they are now.

    Dagster reads the manifest when the dbt assets are defined, so it must match the
    models dbt will build; a fresh clone has none, and an edited model makes it stale.
    Parsing takes a few seconds and needs no database.
    """
    from orchestration.lead_definitions import write_seeds

    # Runs keep dbt's per-run artifacts in the warehouse's work folder; older versions
    # left one target folder per run here (kpi_dbt_assets-<run>-<id>, ~30 MB each).
    for stale in dbt_project.project_dir.joinpath("target").glob("kpi_dbt_assets-*"):
        shutil.rmtree(stale, ignore_errors=True)
    write_seeds()  # the seeds dbt reads the shared MQL/SQL definition from
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
    return dbt_project.manifest_path


if __name__ == "__main__":
    print(prepare_manifest())
