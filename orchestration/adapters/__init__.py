"""Source-system adapters: vendor-shaped exports (Salesforce, HubSpot) landed in
``<landing>/<system>/<object>/`` and loaded into ``raw.<system>__<object>``.

Each adapter module declares the objects it reads as contract ``Table``s (the columns
the dbt staging of that system uses, with their types, so ingestion validates and
quarantines vendor rows exactly like canonical ones). Column names in the files are
normalised first (``CreatedDate`` / ``created_date`` -> ``created_date``;
``MQL_Date__c`` -> ``mql_date_c``), so both the report/Data Loader spelling and the
connector spelling load into the same raw table. Mapping vendor values onto the
canonical contract happens in dbt (``models/staging/<system>/``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from orchestration.adapters import hubspot, salesforce
from orchestration.contract import Table

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def normalize_name(name: str) -> str:
    """Vendor field or object name -> snake_case (``IsWon`` -> ``is_won``)."""
    text = name.strip().replace("__c", "_c").replace("__", "_")
    text = _CAMEL.sub("_", text)
    text = re.sub(r"[^0-9A-Za-z_]+", "_", text)
    return re.sub(r"_+", "_", text).strip("_").lower()


def _system(
    name: str, objects: dict[str, Table], naive_timezone: str | None = None
) -> dict[str, Table]:
    return {
        key: replace(
            table,
            raw_name=f"{name}__{key}",
            normalize_headers=True,
            naive_timezone=table.naive_timezone or naive_timezone,
        )
        for key, table in objects.items()
    }


# system folder name -> {normalised object folder name -> Table}
SYSTEMS: dict[str, dict[str, Table]] = {
    # Salesforce connectors write UTC without an offset; Data Loader writes Z / +0000.
    "salesforce": _system("salesforce", salesforce.TABLES, naive_timezone="UTC"),
    "salesforce_history": _system(
        "salesforce_history", salesforce.HISTORY_TABLES, naive_timezone="UTC"
    ),
    "hubspot": _system("hubspot", hubspot.TABLES),
}


def adapter_tables() -> dict[str, Table]:
    """Every adapter table by its raw table name (``<system>__<object>``)."""
    tables: dict[str, Table] = {}
    for objects in SYSTEMS.values():
        for table in objects.values():
            tables[table.raw_table] = table
    return tables
