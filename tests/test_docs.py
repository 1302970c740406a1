"""The docs match the code: the README's KPI table and docs/kpi-catalog.md are the
catalog's."""

from __future__ import annotations

import re
from pathlib import Path

from orchestration import contract_docs
from orchestration.catalog import (
    CATALOG_DOC,
    DBT_DOCS,
    README,
    catalog_doc_with_reference,
    current_kpis,
    dbt_docs,
    load_catalog,
    readme_with_table,
)


def test_readme_kpi_table_is_generated_from_the_catalog() -> None:
    text = README.read_text(encoding="utf-8")
    assert readme_with_table(text) == text, "run `python -m orchestration.catalog`"


def test_dbt_docs_kpi_table_is_generated_from_the_catalog() -> None:
    assert DBT_DOCS.read_text(encoding="utf-8") == dbt_docs(), (
        "run `python -m orchestration.catalog`"
    )


def test_kpi_catalog_doc_is_generated_from_the_catalog() -> None:
    text = CATALOG_DOC.read_text(encoding="utf-8")
    assert catalog_doc_with_reference(text) == text, "run `python -m orchestration.catalog`"


def test_catalog_has_both_article_definitions_under_distinct_names() -> None:
    kpis = current_kpis()
    assert kpis["lead_to_meeting_rate"]["label_ja"].startswith("商談化率")
    assert kpis["meeting_held_rate"]["label_ja"].startswith("商談化率")
    assert kpis["win_rate"]["denominator"] == "closed_deals"
    assert kpis["meeting_win_rate"]["denominator"] == "meetings_held"
    versions = sorted(e["version"] for e in load_catalog() if e["name"] == "win_rate")
    assert versions == [1, 2]


# --- the contract docs (docs/README.md) ----------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
# Where the project's own text lives: code, models, configuration, docs.
TEXT_SUFFIXES = (".py", ".sql", ".yml", ".yaml", ".md", ".toml", ".csv")
NOT_THE_PROJECTS = {".git", ".venv", "var", "target", "logs", "dbt_packages", "__pycache__"}


def _project_files() -> list[Path]:
    found = []
    for path in REPO.rglob("*"):
        parts = path.relative_to(REPO).parts
        if set(parts) & NOT_THE_PROJECTS or any(p.endswith(".egg-info") for p in parts):
            continue
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name == "Makefile"):
            found.append(path)
    return found


def test_contract_docs_are_generated_from_the_code() -> None:
    stale = [p.relative_to(REPO).as_posix() for p in contract_docs.stale_files()]
    assert not stale, f"{stale}: run `python -m orchestration.contract_docs`"


def test_every_cited_doc_exists() -> None:
    cited = re.compile(r"\bdocs/([\w.-]+\.md)")
    missing = {
        f"{path.relative_to(REPO).as_posix()}: docs/{name}"
        for path in _project_files()
        for name in cited.findall(path.read_text(encoding="utf-8", errors="replace"))
        if not (REPO / "docs" / name).is_file()
    }
    assert not missing, sorted(missing)


def test_markdown_links_resolve() -> None:
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    broken = [
        f"{page.relative_to(REPO).as_posix()}: {target}"
        for page in pages
        for target in link.findall(page.read_text(encoding="utf-8"))
        if "://" not in target and not (page.parent / target).exists()
    ]
    assert not broken, broken


def test_the_project_cites_no_files_outside_itself() -> None:
    outside = re.compile("/" + "work/|shared/" + "spec|shared/" + "fixtures")
    found = [
        path.relative_to(REPO).as_posix()
        for path in _project_files()
        if outside.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not found, found


def _readme_tree() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Where things are", 1)[1]
    return section.split("```", 2)[1]


def test_readme_tree_lists_every_folder() -> None:
    tree = _readme_tree()
    top = {line.split()[0] for line in tree.splitlines() if line and not line[0].isspace()}
    folders = [
        p
        for p in REPO.iterdir()
        if p.is_dir()
        and not p.name.startswith((".", "_", "tmp"))
        and p.name not in NOT_THE_PROJECTS | {"build"}
        and not p.name.endswith(".egg-info")
    ]
    missing = [p.name for p in folders if f"{p.name}/" not in top]
    for parent in (
        "dbt_project/models/staging",
        "dbt_project/models/intermediate",
        "dbt_project/macros",
        "orchestration",
    ):
        missing += [
            f"{parent}/{p.name}"
            for p in (REPO / parent).iterdir()
            if p.is_dir() and not p.name.startswith(("_", ".")) and f"{p.name}/" not in tree
        ]
    assert not missing, f"add to the README's 'Where things are': {missing}"


def test_readme_first_screen_shows_the_commands_and_the_data_flow() -> None:
    first_screen = "\n".join((REPO / "README.md").read_text(encoding="utf-8").splitlines()[:45])
    assert "make demo" in first_screen and "make test" in first_screen
    stages = ["landing", "raw", "staging", "intermediate", "metrics", "checks", "publish"]
    starts = [
        line.split()[0]
        for line in first_screen.split("## How data flows", 1)[1].splitlines()
        if line.split() and line.split()[0] in stages
    ]
    assert starts == stages
