"""The one dbt project, found relative to this file (no relative imports here, so
``dagster-dbt project prepare-and-package --file orchestration/project.py`` works)."""

from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
