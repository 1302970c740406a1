"""Assets in data-flow order: ingest -> dbt -> publish."""
