"""Names dbt turns into relations fit PostgreSQL's identifiers (63 bytes; longer ones are
refused or cut): a unit test becomes a relation of its own name, a model also gets
suffixes (`__dbt_tmp`, `__dbt_backup`) and an ephemeral one the prefix `__dbt__cte__`."""

from __future__ import annotations

import json

from orchestration.project import dbt_project

LIMIT = 63
LONGEST_SUFFIX = len("__dbt__cte__")  # longer than __dbt_tmp and __dbt_backup


def test_every_unit_test_model_and_seed_name_fits_a_postgresql_identifier() -> None:
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    too_long = [
        f"unit test {test['name']} ({len(test['name'])} > {LIMIT})"
        for test in manifest["unit_tests"].values()
        if len(test["name"].encode()) > LIMIT
    ]
    too_long += [
        f"{node['resource_type']} {node['name']} ({len(node['name'])} > {LIMIT - LONGEST_SUFFIX})"
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed", "snapshot")
        and len(node["name"].encode()) > LIMIT - LONGEST_SUFFIX
    ]
    assert too_long == []
