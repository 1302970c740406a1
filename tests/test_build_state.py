"""When a run skips the build, builds incrementally or rebuilds in full
(orchestration/build_state.py, orchestration/assets/dbt.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration import build_state
from orchestration.assets.dbt import _full_refresh_reason
from orchestration.build_state import BuildInputs
from orchestration.settings import WarehousePaths

PUBLISHED = BuildInputs(code="c1", data="d1")


@pytest.mark.parametrize(
    ("forced", "published", "now", "reason"),
    [
        (False, PUBLISHED, BuildInputs("c1", "d2"), None),  # new files only: incremental
        (False, PUBLISHED, BuildInputs("c2", "d1"), "models, definitions"),
        (False, None, BuildInputs("c1", "d1"), "no published build"),
        (True, PUBLISHED, BuildInputs("c1", "d2"), "asked for"),
    ],
)
def test_full_refresh_only_when_code_changed_asked_or_nothing_to_continue_from(
    forced, published, now, reason
) -> None:
    found = _full_refresh_reason(forced, published, now)
    assert (found is None) if reason is None else (reason in found)


def test_the_code_fingerprint_follows_every_file_dbt_reads(tmp_path: Path, monkeypatch) -> None:
    model = tmp_path / "model.sql"
    seed = tmp_path / "seed.csv"
    model.write_text("select 1")
    seed.write_text("a\n1\n")
    monkeypatch.setattr(build_state, "dbt_input_files", lambda: [model, seed])
    before = build_state.code_fingerprint()
    assert build_state.code_fingerprint() == before
    seed.write_text("a\n2\n")
    assert build_state.code_fingerprint() != before
    seed.write_text("a\n1\n")
    assert build_state.code_fingerprint() == before
    monkeypatch.setenv("KPITREE_FISCAL_YEAR_START_MONTH", "1")
    assert build_state.code_fingerprint() != before


def test_the_run_date_alone_changes_no_fingerprint(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(build_state, "dbt_input_files", lambda: [])
    monkeypatch.setenv("KPITREE_NOW", "2026-06-01T12:00:00+09:00")
    first = build_state.code_fingerprint()
    monkeypatch.setenv("KPITREE_NOW", "2026-06-02T12:00:00+09:00")
    assert build_state.code_fingerprint() == first


def test_a_build_is_published_only_after_publish_and_forgotten_when_one_starts(
    tmp_path: Path,
) -> None:
    paths = WarehousePaths(tmp_path / "kpitree.duckdb")
    paths.ensure()
    duckdb.connect(str(paths.working)).close()
    paths.published.write_bytes(b"")
    inputs = build_state.current_inputs(paths)
    assert inputs.data == "no ingest log"
    build_state.record_pending(paths, inputs)
    assert build_state.last_published(paths) is None  # built, not yet published
    build_state.record_published(paths)
    assert build_state.last_published(paths) == inputs
    build_state.forget_published(paths)  # the next build started
    assert build_state.last_published(paths) is None
