"""Shared by the ingest tests: a working database of their own per test."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


@pytest.fixture
def con(tmp_path: Path):
    """A fresh working DuckDB file, closed after the test."""
    connection = duckdb.connect(str(tmp_path / "working.duckdb"))
    yield connection
    connection.close()
