"""The docs match the code: the README's KPI table is the catalog's."""

from __future__ import annotations

from orchestration.catalog import (
    DBT_DOCS,
    README,
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


def test_catalog_has_both_article_definitions_under_distinct_names() -> None:
    kpis = current_kpis()
    assert kpis["lead_to_meeting_rate"]["label_ja"].startswith("商談化率")
    assert kpis["meeting_held_rate"]["label_ja"].startswith("商談化率")
    assert kpis["win_rate"]["denominator"] == "closed_deals"
    assert kpis["meeting_win_rate"]["denominator"] == "meetings_held"
    versions = sorted(e["version"] for e in load_catalog() if e["name"] == "win_rate")
    assert versions == [1, 2]
