"""The funnel and the role views (rep_daily, manager_weekly, exec_monthly) end to end.

The t1 example's landing files go through the real pipeline (ingest -> dbt build ->
checks -> publish); the published warehouse is then read as a BI tool would, and the
values are compared with ones worked out by hand from the landing files. The t1 users
have no team, so the copy used here gives each one a team: otherwise manager_weekly
(one row per team) would have nothing to check. Teams only add rows at dimension team.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.pipeline  # runs the real pipeline (see pyproject.toml)

STAGES = ["lead", "mql", "sql", "appointment", "meeting", "opportunity", "won"]

USERS_WITH_TEAMS = """user_id,user_name,department,team
u1,高橋 一,inside_sales,IS-1
u2,山本 二,field_sales,FS-1
u3,佐藤 三,marketing,MKT-1
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from orchestration.runner import run_pipeline

    root = tmp_path_factory.mktemp("funnel-and-roles")
    landing = root / "landing"
    shutil.copytree(EXAMPLES / "t1-reading-and-funnel" / "landing", landing)
    (landing / "users" / "users.csv").write_text(USERS_WITH_TEAMS, encoding="utf-8")
    outcome = run_pipeline(landing, root / "kpitree.duckdb", say=lambda _: None)
    assert outcome.success, f"{outcome.failed_step}: {outcome.error}"
    return outcome.published


@pytest.fixture
def con(published: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(published), read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def _funnel(
    con: duckdb.DuckDBPyConnection,
    method: str,
    grain: str,
    period_start: str,
    dimension: str = "all",
    dimension_value: str = "all",
) -> list[tuple]:
    return con.execute(
        """
        select stage, entered, converted_to_next, conversion_rate
        from metrics.funnel
        where method = ? and grain = ? and period_start = cast(? as date)
            and dimension = ? and dimension_value = ?
        order by stage_order
        """,
        [method, grain, period_start, dimension, dimension_value],
    ).fetchall()


def _assert_rows(actual: list[tuple], expected: list[tuple]) -> None:
    """Equal row by row; floats compared with a tolerance, None only with None."""
    assert len(actual) == len(expected), f"{actual} != {expected}"
    for got, want in zip(actual, expected, strict=True):
        assert len(got) == len(want), f"{got} != {want}"
        for a, b in zip(got, want, strict=True):
            if isinstance(b, float) and a is not None:
                assert math.isclose(a, b, rel_tol=1e-12), f"{got} != {want}"
            else:
                assert a == b, f"{got} != {want}"


def test_funnel_period_method_april_2026(con: duckdb.DuckDBPyConnection) -> None:
    """April 2026 (JST): 1 lead (L3, created 03-31T15:00Z), 0 MQL, 1 SQL (L1),
    2 appointments (m1, m2 set), 1 meeting held (m1), 2 new-business opportunities
    (O1, O3), 0 won (O1 closes in May). Each stage converts to the next stage's count."""
    _assert_rows(
        _funnel(con, "period", "month", "2026-04-01"),
        [
            ("lead", 1, 0, 0.0),
            ("mql", 0, 1, None),
            ("sql", 1, 2, 200.0),
            ("appointment", 2, 1, 50.0),
            ("meeting", 1, 2, 200.0),
            ("opportunity", 2, 0, 0.0),
            ("won", 0, None, None),
        ],
    )


def test_funnel_period_rates_are_the_catalog_rates(con: duckdb.DuckDBPyConnection) -> None:
    """Wherever the catalog has a stage-to-stage rate, the period funnel's conversion
    rate is exactly that KPI's value (NULL included), at every grain and dimension."""
    pairs = {"mql": "mql_to_sql_rate", "appointment": "meeting_held_rate"}
    pairs["meeting"] = "opportunity_rate"
    for stage, kpi_name in pairs.items():
        compared, mismatches = con.execute(
            """
            select
                count(*),
                count(*) filter (where f.conversion_rate is distinct from v.value)
            from metrics.funnel as f
            inner join metrics.kpi_values_current as v
                on f.grain = v.grain and f.period_start = v.period_start
                and f.dimension = v.dimension and f.dimension_value = v.dimension_value
            where f.method = 'period' and f.stage = ? and v.kpi_name = ?
            """,
            [stage, kpi_name],
        ).fetchone()
        assert compared > 0, f"no {stage} rows to compare with {kpi_name}"
        assert mismatches == 0, f"{stage} vs {kpi_name}: {mismatches} of {compared} differ"


def test_kpi_values_current_is_published_with_the_current_versions_only(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The published kpi_values_current holds exactly the kpi_values rows of the versions
    kpi_definitions marks current (win_rate: v2 only), each with its definition's labels."""
    key = "kpi_name, kpi_version, grain, period_start, dimension, dimension_value, value"
    only_in_one = con.execute(
        f"""
        with expected as (
            select v.*
            from metrics.kpi_values as v
            inner join metrics.kpi_definitions as d using (kpi_name, kpi_version)
            where d.is_current
        )
        select count(*) from (
            (select {key} from metrics.kpi_values_current except all select {key} from expected)
            union all
            (select {key} from expected except all select {key} from metrics.kpi_values_current)
        )
        """
    ).fetchone()[0]
    assert only_in_one == 0
    versions = con.execute(
        "select distinct kpi_version, label_ja from metrics.kpi_values_current "
        "where kpi_name = 'win_rate'"
    ).fetchall()
    assert versions == [(2, "受注率")]


def test_funnel_cohort_method_march_2026(con: duckdb.DuckDBPyConnection) -> None:
    """Leads created in March 2026: L1 (web; MQL 03-25, SQL 04-01, appointment m1,
    meeting m1 held 04-09) and L2 (referral; appointment m2 set, then cancelled).
    No opportunity names a lead, so the funnel stops at the meeting."""
    _assert_rows(
        _funnel(con, "cohort", "month", "2026-03-01"),
        [
            ("lead", 2, 1, 50.0),
            ("mql", 1, 1, 100.0),
            ("sql", 1, 1, 100.0),
            ("appointment", 2, 1, 50.0),
            ("meeting", 1, 0, 0.0),
            ("opportunity", 0, 0, None),
            ("won", 0, None, None),
        ],
    )
    web = _funnel(con, "cohort", "month", "2026-03-01", "lead_source", "web")
    referral = _funnel(con, "cohort", "month", "2026-03-01", "lead_source", "referral")
    assert web[0] == ("lead", 1, 1, 100.0)
    assert referral[0] == ("lead", 1, 0, 0.0)
    assert referral[3] == ("appointment", 1, 0, 0.0)
    window, complete = con.execute(
        """
        select distinct cohort_window_days, is_window_complete
        from metrics.funnel
        where method = 'cohort' and grain = 'month' and period_start = '2026-03-01'
        """
    ).fetchall()[0]
    # The data ends on 2026-05-20, before 03-31 + 90 days: the cohort is still young.
    assert (window, complete) == (90, False)


def test_funnel_has_every_stage_of_every_period_at_all(con: duckdb.DuckDBPyConnection) -> None:
    """Both methods: seven stages for each of the five months of the span (January,
    from the first subscription, to May), empty months included."""
    rows = con.execute(
        """
        select method, period_start, list(stage order by stage_order)
        from metrics.funnel
        where grain = 'month' and dimension = 'all'
        group by method, period_start
        order by method, period_start
        """
    ).fetchall()
    months = [date(2026, month, 1) for month in range(1, 6)]
    assert rows == [(m, p, STAGES) for m in ["cohort", "period"] for p in months]


def test_rep_daily(con: duckdb.DuckDBPyConnection) -> None:
    """One row per rep and day with activity. u1 on 04-01 (JST): calls a1 (16:30Z on
    03-31, connected, L1) and a7 (busy, L3); u2 on 04-03 only set meeting m2."""
    keys = con.execute(
        "select period_start, user_id from metrics.rep_daily order by all"
    ).fetchall()
    assert keys == [
        (date(2026, 3, 31), "u1"),
        (date(2026, 4, 1), "u1"),
        (date(2026, 4, 2), "u2"),
        (date(2026, 4, 3), "u1"),
        (date(2026, 4, 3), "u2"),
        (date(2026, 4, 9), "u2"),
    ]
    columns = """
        user_name, department, team, call_count, calls_benchmark, connected_call_count,
        connect_rate, follow_up_count, follow_ups_per_lead, contacted_lead_count,
        appointment_count, meeting_count
    """
    one = f"select {columns} from metrics.rep_daily where period_start = ? and user_id = ?"
    _assert_rows(
        con.execute(one, ["2026-04-01", "u1"]).fetchall(),
        [("高橋 一", "inside_sales", "IS-1", 2, 34.0, 1, 50.0, 2, 1.0, 1, 0, 0)],
    )
    _assert_rows(
        con.execute(one, ["2026-04-03", "u2"]).fetchall(),
        [("山本 二", "field_sales", "FS-1", 0, 34.0, 0, None, 0, None, 0, 1, 0)],
    )


def test_manager_weekly(con: duckdb.DuckDBPyConnection) -> None:
    """FS-1 (u2) owns every meeting and opportunity. Week 03-30: m1 and m2 set. Week
    04-06: m1 held; O1 open at the week's end at its first stage (1,000,000 x 10 %).
    Week 04-27: O3 lost (win rate 0/1); open O1 1,500,000 x 50 % + O2 500,000 x 80 %
    (O3 closed at 05-01 00:00 JST). Week 05-18: O1 won, 1,200,000; O2 still open."""
    assert con.execute("select distinct team from metrics.manager_weekly").fetchall() == [("FS-1",)]
    rows = con.execute(
        """
        select
            period_start, appointment_count, meeting_count, won_count, win_rate,
            meeting_win_rate, won_amount, open_pipeline_amount, weighted_pipeline_amount
        from metrics.manager_weekly
        where period_start in ('2026-03-30', '2026-04-06', '2026-04-27', '2026-05-18')
        order by period_start
        """
    ).fetchall()
    _assert_rows(
        rows,
        [
            (date(2026, 3, 30), 2, 0, 0, None, None, 0.0, 0.0, 0.0),
            (date(2026, 4, 6), 0, 1, 0, None, 0.0, 0.0, 1_000_000.0, 100_000.0),
            (date(2026, 4, 27), 0, 0, 0, 0.0, None, 0.0, 2_000_000.0, 1_150_000.0),
            (date(2026, 5, 18), 0, 0, 1, 100.0, None, 1_200_000.0, 500_000.0, 400_000.0),
        ],
    )


def test_exec_monthly(con: duckdb.DuckDBPyConnection) -> None:
    """The company's month: April has no win (revenue 0), 1,500,000 of pipeline created,
    2,300,000 open at the end (1,210,000 weighted), MRR 350,000, NRR 270/410, GRR
    190/410, churn 1 of 4 accounts; May has O1's 1,200,000."""
    months = con.execute("select period_start from metrics.exec_monthly order by 1").fetchall()
    assert months == [(date(2026, month, 1),) for month in range(1, 6)]
    rows = con.execute(
        """
        select
            won_amount, pipeline_created_amount, open_pipeline_amount,
            weighted_pipeline_amount, mrr, nrr, grr, customer_churn_rate
        from metrics.exec_monthly
        where period_start in ('2026-04-01', '2026-05-01')
        order by period_start
        """
    ).fetchall()
    _assert_rows(
        rows,
        [
            (
                0.0,
                1_500_000.0,
                2_300_000.0,
                1_210_000.0,
                350_000.0,
                100 * 270 / 410,
                100 * 190 / 410,
                25.0,
            ),
            (1_200_000.0, 0.0, 500_000.0, 400_000.0, 350_000.0, 100.0, 100.0, 0.0),
        ],
    )


@pytest.mark.parametrize(
    "kpi_name",
    [
        "won_amount",
        "pipeline_created_amount",
        "open_pipeline_amount",
        "weighted_pipeline_amount",
        "mrr",
        "nrr",
        "grr",
        "customer_churn_rate",
    ],
)
def test_exec_monthly_targets_are_the_seeded_ones(
    con: duckdb.DuckDBPyConnection, kpi_name: str
) -> None:
    """Each <kpi>_target is the kpi_targets row for that KPI, month and dimension all,
    and NULL for a month without one."""
    mismatches = con.execute(
        f"""
        select e.period_start, e.{kpi_name}_target, t.target_value
        from metrics.exec_monthly as e
        left join metrics.kpi_targets as t
            on t.kpi_name = ? and t.grain = 'month' and t.dimension = 'all'
            and t.dimension_value = 'all' and t.period_start = e.period_start
        where e.{kpi_name}_target is distinct from t.target_value
        """,
        [kpi_name],
    ).fetchall()
    assert mismatches == []
