"""Landing files -> DuckDB schema `raw`, with an ingest log and a quarantine.

Modules, in the order data flows through them:

- ``discover``: which files in the landing folder belong to which table (canonical
  folders, adapter folders ``<system>/<object>``, generic sources with a mapping).
- ``encoding``: detect UTF-8 / UTF-8 with BOM / CP932 and hand DuckDB clean UTF-8.
- ``readers``: read one file with DuckDB's own reader into a staging table of text.
- ``mapping``: a generic source's ``_mapping.yml``: rename and convert onto the contract.
- ``validate``: the contract checks, as one SQL expression per table.
- ``loader``: apply a file: append valid rows to ``raw``, bad rows to the quarantine,
  and write the ingest log, in one transaction per file.
- ``sql``: quoting of values and identifiers that come from files.
"""

from orchestration.ingest.loader import IngestReport, ingest_landing

__all__ = ["IngestReport", "ingest_landing"]
