"""kpitree: SFA/MA exports -> DuckDB -> dbt KPI tree -> checked, published metric tables."""
