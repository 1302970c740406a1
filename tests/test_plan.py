"""KGIから逆算 (docs/outputs.md, `kpitree plan`): the reverse plan, its exact
rounding, trailing actuals from a hand-built warehouse, and `kpitree plan`."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from orchestration.catalog import current_kpis
from orchestration.cli import app
from orchestration.plan import (
    RATE_NAMES,
    PlanError,
    ResolvedRates,
    TrailingRates,
    calls_per_rep_day_benchmark,
    period_bounds,
    reverse_plan,
    spread_calls,
    trailing_rates,
    weekdays,
    working_days_in,
)
from orchestration.plan_report import (
    Chosen,
    PlanRow,
    choose_reps,
    choose_working_days,
    format_rate,
    missing_rate_messages,
    plan_rows,
    planned_calls,
    rate_option,
    trailing_note,
)

runner = CliRunner()
ARTICLE = ["--revenue", "100000000", "--avg-deal-size", "5000000"]
ARTICLE += ["--meeting-win-rate", "25", "--meeting-held-rate", "50"]


def counts(steps) -> list[tuple[str, int]]:
    return [(step.stage, step.required) for step in steps]


# --- the reverse plan ------------------------------------------------------------------


def test_the_articles_example_gives_20_won_80_meetings_160_appointments() -> None:
    """1億円 / 500万円 / 受注率 25 % / 商談化率 50 % (the sales-KPI article)."""
    steps = reverse_plan(100_000_000, 5_000_000, 25, 50)
    assert counts(steps) == [("won", 20), ("meetings", 80), ("appointments", 160)]
    assert [step.label_ja for step in steps] == ["受注", "商談", "アポ"]


def test_contacted_leads_and_calls_when_their_rates_are_given() -> None:
    # by hand: ceil(160 / 0.40) = 400 contacted leads; ceil(400 / 0.25) = 1600 calls
    steps = reverse_plan(100_000_000, 5_000_000, 25, 50, appointment_rate=40, connect_rate=25)
    assert counts(steps)[3:] == [("contacted_leads", 400), ("calls", 1600)]


def test_floats_as_inputs_give_the_same_exact_plan() -> None:
    steps = reverse_plan(1e8, 5e6, 25.0, 50.0, 40.0, 25.0)
    assert [step.required for step in steps] == [20, 80, 160, 400, 1600]


def test_division_is_exact_not_binary_floating_point() -> None:
    """21 won at a 35 % meeting win rate is exactly 60 meetings; in floats
    21 / 0.35 is 60.00000000000001, which would round up to 61."""
    assert math.ceil(21 / 0.35) == 61  # the trap
    steps = reverse_plan(21_000_000, 1_000_000, 35, 100)
    assert counts(steps)[:2] == [("won", 21), ("meetings", 60)]
    # decimal inputs with no exact binary form: 0.3 / 0.1 is 3, not 2.9999999999999996
    assert reverse_plan(0.3, 0.1, 100, 100)[0].required == 3


def test_each_step_starts_from_the_previous_rounded_count() -> None:
    """10,000,000 ÷ 3,000,000 = 3.33 → 4 won. From the rounded 4: ceil(4 ÷ 0.30) = 14
    meetings, ceil(14 ÷ 0.50) = 28 appointments. Carrying 3.33 unrounded would give
    ceil(11.11) = 12 meetings and ceil(22.2) = 23 appointments instead."""
    steps = reverse_plan(10_000_000, 3_000_000, 30, 50)
    assert counts(steps) == [("won", 4), ("meetings", 14), ("appointments", 28)]


def test_the_divisors_are_kept_on_each_step() -> None:
    steps = reverse_plan(100_000_000, 5_000_000, 25, 50)
    assert [(s.rate_name, s.divisor) for s in steps] == [
        ("avg_deal_size", Fraction(5_000_000)),
        ("meeting_win_rate", Fraction(25)),
        ("meeting_held_rate", Fraction(50)),
    ]
    assert steps[0].as_json() == {"stage": "won", "required": 20}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((0, 5_000_000, 25, 50), "revenue must be greater than 0"),
        ((100, 0, 25, 50), "avg_deal_size must be greater than 0"),
        ((100, -5, 25, 50), "avg_deal_size must be greater than 0"),
        ((100, 5, 0, 50), "meeting_win_rate must be a percentage in (0, 100]"),
        ((100, 5, 100.5, 50), "meeting_win_rate must be a percentage in (0, 100]"),
        ((100, 5, 25, -1), "meeting_held_rate must be a percentage in (0, 100]"),
        ((100, 5, 25, float("nan")), "meeting_held_rate must be a finite number"),
        ((100, 5, 25, "abc"), "meeting_held_rate must be a number"),
        ((100, 5, True, 50), "meeting_win_rate must be a number"),
    ],
)
def test_invalid_inputs_are_refused_with_the_name(args: tuple, says: str) -> None:
    with pytest.raises(PlanError) as error:
        reverse_plan(*args)
    assert says in str(error.value)


def test_a_rate_of_100_percent_is_allowed_and_bad_optional_rates_are_refused() -> None:
    assert [s.required for s in reverse_plan(10, 10, 100, 100, 100, 100)] == [1, 1, 1, 1, 1]
    with pytest.raises(PlanError, match="appointment_rate must be a percentage"):
        reverse_plan(100, 5, 25, 50, appointment_rate=0)
    with pytest.raises(PlanError, match="give appointment_rate too"):
        reverse_plan(100, 5, 25, 50, connect_rate=25)


def test_the_rates_are_catalog_kpis() -> None:
    """One definition, one place: every rate of the chain is a current catalog KPI."""
    kpis = current_kpis()
    for name in RATE_NAMES:
        assert name in kpis, name
    assert kpis["meeting_win_rate"]["denominator"] == "meetings_held"
    assert kpis["meeting_held_rate"]["denominator"] == "appointments"


# --- calls per rep per day and working days --------------------------------------------


def test_calls_are_spread_over_reps_and_working_days_beside_the_benchmark() -> None:
    spread = spread_calls(1600, 10, 20)
    assert spread.per_rep_day == 8
    assert spread.benchmark == calls_per_rep_day_benchmark()
    assert spread.share_of_benchmark == pytest.approx(800 / spread.benchmark)
    assert spread_calls(680, 1, 20, benchmark=34).share_of_benchmark == pytest.approx(100)
    with pytest.raises(PlanError, match="reps"):
        spread_calls(100, 0, 20)
    with pytest.raises(PlanError, match="working_days"):
        spread_calls(100, 3, 0)


def test_the_benchmark_is_the_catalogs_when_it_has_one_else_34() -> None:
    entry = current_kpis()["calls_per_rep_day"]
    assert calls_per_rep_day_benchmark() == entry["benchmark"] == 34


def brute_weekdays(start: date, end: date) -> int:
    days = (end - start).days
    return sum(1 for i in range(days) if (start + timedelta(i)).weekday() < 5)


def test_working_days_are_the_weekdays_of_the_plan_period() -> None:
    assert period_bounds("month", date(2026, 4, 15)) == (date(2026, 4, 1), date(2026, 5, 1))
    assert period_bounds("quarter", date(2026, 11, 22)) == (date(2026, 10, 1), date(2027, 1, 1))
    assert period_bounds("fiscal_year", date(2026, 2, 1)) == (date(2025, 4, 1), date(2026, 4, 1))
    assert period_bounds("fiscal_year", date(2026, 2, 1), 1) == (date(2026, 1, 1), date(2027, 1, 1))
    assert working_days_in("month", date(2026, 4, 15)) == 22
    assert working_days_in("month", date(2026, 2, 3)) == 20
    for start in (date(2025, 4, 1), date(2026, 2, 1), date(2026, 11, 30)):
        for length in range(0, 400, 13):
            end = start + timedelta(length)
            assert weekdays(start, end) == brute_weekdays(start, end)
    with pytest.raises(PlanError, match="period"):
        period_bounds("week", date(2026, 4, 1))


# --- trailing actuals from a hand-built warehouse ---------------------------------------

# month -> {kpi: (numerator, denominator)}; as of 2026-04-20 the complete months are
# 2025-12 .. 2026-03; the last three are 2026-01 .. 2026-03. April is in progress.
MONTHS = {
    date(2025, 12, 1): {  # outside the 3-month window: must not count
        "avg_deal_size": (900_000_000, 3),
        "meeting_win_rate": (90, 100),
        "meeting_held_rate": (100, 100),
        "appointment_rate": (100, 100),
        "connect_rate": (900, 1000),
    },
    date(2026, 1, 1): {
        "avg_deal_size": (10_000_000, 2),
        "meeting_win_rate": (2, 10),
        "meeting_held_rate": (10, 20),
        "appointment_rate": (20, 50),
        "connect_rate": (50, 200),
    },
    date(2026, 2, 1): {
        "avg_deal_size": (30_000_000, 3),
        "meeting_win_rate": (3, 20),
        "meeting_held_rate": (20, 25),
        "appointment_rate": (25, 100),
        "connect_rate": (100, 400),
    },
    date(2026, 3, 1): {
        "avg_deal_size": (0, 0),  # nothing won in March: NULL value, counts 0 / 0
        "meeting_win_rate": (0, 10),
        "meeting_held_rate": (10, 15),
        "appointment_rate": (15, 50),
        "connect_rate": (50, 400),
    },
    date(2026, 4, 1): {  # in progress on 2026-04-20: must not count
        "avg_deal_size": (1, 1),
        "meeting_win_rate": (1, 1),
        "meeting_held_rate": (1, 1),
        "appointment_rate": (1, 1),
        "connect_rate": (1, 1),
    },
}
# Σ numerator ÷ Σ denominator over 2026-01..2026-03, by hand (an average of the monthly
# rates would differ: e.g. meeting_win_rate (20 + 15 + 0) / 3 = 11.67, avg_deal_size 7.5M)
EXPECTED = {
    "avg_deal_size": Fraction(40_000_000, 5),  # 8,000,000
    "meeting_win_rate": Fraction(100 * 5, 40),  # 12.5 %
    "meeting_held_rate": Fraction(100 * 40, 60),  # 66.67 %
    "appointment_rate": Fraction(100 * 60, 200),  # 30 %
    "connect_rate": Fraction(100 * 200, 1000),  # 20 %
}
# call_count by owner: U1, U2 in January, U2, U3 in February, U4 with 0 calls in March,
# U5 only in December (outside) -> 3 reps
CALLERS = [
    (date(2026, 1, 1), "U1", 120),
    (date(2026, 1, 1), "U2", 80),
    (date(2026, 2, 1), "U2", 200),
    (date(2026, 2, 1), "U3", 200),
    (date(2026, 3, 1), "U4", 0),
    (date(2025, 12, 1), "U5", 1000),
]


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def build_warehouse(path: Path) -> Path:
    """A published warehouse's metrics.kpi_values_current (current versions only)."""
    con = duckdb.connect(str(path))
    con.execute("create schema metrics")
    con.execute(
        """
        create table metrics.kpi_values_current (
            kpi_name varchar, kpi_version integer, grain varchar, period_start date,
            period_end date, dimension varchar, dimension_value varchar,
            numerator double, denominator double, value double, unit varchar)
        """
    )
    rows = []
    for first, kpis in MONTHS.items():
        end = next_month(first)
        for name, (numerator, denominator) in kpis.items():
            value = None if not denominator else numerator / denominator
            rows.append((name, 1, "month", first, end, "all", "all", numerator, denominator))
            # rows the window must ignore: another dimension, another grain
            rows.append((name, 1, "month", first, end, "department", "x", 1e9, 1))
            rows.append((name, 1, "quarter", first, end, "all", "all", 1e9, 1))
            assert value is None or value >= 0
    for first, owner, calls in CALLERS:
        end = next_month(first)
        rows.append(("call_count", 1, "month", first, end, "owner", owner, calls, None))
    con.executemany(
        "insert into metrics.kpi_values_current values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, null)",
        rows,
    )
    con.close()
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return build_warehouse(tmp_path / "kpitree.duckdb")


def test_trailing_rates_are_sums_over_the_last_complete_months(warehouse: Path) -> None:
    trailing = trailing_rates(warehouse, months=3, as_of=date(2026, 4, 20))
    assert trailing.months == (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
    assert trailing.window == "2026-01..2026-03"
    assert trailing.rates == EXPECTED
    assert trailing.sums["connect_rate"] == (200, 1000)
    assert trailing.reps == 3


def test_the_window_moves_with_as_of_and_months(warehouse: Path) -> None:
    # on 2026-05-01 April is complete too
    assert trailing_rates(warehouse, 1, as_of=date(2026, 5, 1)).months == (date(2026, 4, 1),)
    one = trailing_rates(warehouse, months=1, as_of=date(2026, 4, 20))
    assert one.months == (date(2026, 3, 1),)
    assert one.rates["avg_deal_size"] is None  # nothing won in March
    assert one.rates["meeting_win_rate"] == 0
    assert one.reps == 0  # U4 made no call
    # more months asked than the warehouse has: what it has
    assert len(trailing_rates(warehouse, 12, as_of=date(2026, 4, 20)).months) == 4
    assert trailing_rates(warehouse, 3, as_of=date(2025, 12, 31)).months == ()


def test_the_warehouse_is_opened_read_only(warehouse: Path) -> None:
    before = warehouse.read_bytes()
    trailing_rates(warehouse, as_of=date(2026, 4, 20))
    assert warehouse.read_bytes() == before


# --- what kpitree plan settles around the chain -----------------------------------------

Q1 = (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))


def test_the_rep_count_is_given_else_the_trailing_callers_else_an_error_naming_reps() -> None:
    callers = TrailingRates(months=Q1, reps=3)
    assert choose_reps(5, callers) == Chosen(5, "--reps")  # given wins over the warehouse
    assert choose_reps(None, callers) == Chosen(3, "distinct callers in 2026-01..2026-03")
    with pytest.raises(PlanError, match="missing --reps") as error:
        choose_reps(None, TrailingRates(months=(date(2026, 3, 1),), reps=0))
    assert "nobody made a call in 2026-03" in str(error.value)
    with pytest.raises(PlanError, match="missing --reps") as error:
        choose_reps(None, None, "no warehouse at /x/kpitree.duckdb")
    assert str(error.value).endswith("no warehouse at /x/kpitree.duckdb")
    with pytest.raises(PlanError, match="missing --reps"):
        choose_reps(None, None)


def test_working_days_are_given_else_the_weekdays_of_the_period() -> None:
    assert choose_working_days(18, "month", date(2026, 4, 15)) == Chosen(18, "--working-days")
    # April 2026 starts on a Wednesday: 4 weeks (20 weekdays) + Wed 29, Thu 30 = 22
    assert choose_working_days(None, "month", date(2026, 4, 15)) == Chosen(
        22, "weekdays of the month of 2026-04-15"
    )
    # April 22 + May 21 (Fri 1st: 20 + Fri 29) + June 22 (Mon 1st: 20 + Mon 29, Tue 30) = 65
    assert choose_working_days(None, "quarter", date(2026, 4, 15)).value == 65
    # 2025-04-01 (a Tuesday) .. 2026-03-31: 52 weeks (260 weekdays) + Tuesday 2026-03-31
    assert choose_working_days(None, "fiscal_year", date(2026, 2, 1)) == Chosen(
        261, "weekdays of the fiscal_year of 2026-02-01"
    )
    # a fiscal year from January is the calendar year 2026: 52 weeks + Thursday 2026-12-31
    assert choose_working_days(None, "fiscal_year", date(2026, 2, 1), 1).value == 261
    with pytest.raises(PlanError, match="period"):
        choose_working_days(None, "week", date(2026, 4, 15))


def test_every_rate_has_the_option_named_after_it() -> None:
    assert rate_option("meeting_win_rate") == "--meeting-win-rate"
    plan_command = typer.main.get_command(app).commands["plan"]
    options = {opt for param in plan_command.params for opt in param.opts}
    assert {rate_option(name) for name in RATE_NAMES} <= options


def test_rates_are_shown_in_yen_or_percent() -> None:
    assert format_rate("avg_deal_size", Fraction(40_000_000, 5)) == "¥8,000,000"
    assert format_rate("meeting_win_rate", Fraction(25, 2)) == "12.5 %"
    assert format_rate("meeting_held_rate", Fraction(200, 3)) == "66.67 %"
    assert format_rate("connect_rate", 25) == "25 %"


def test_missing_required_rates_name_their_options_in_chain_order() -> None:
    missing = {"meeting_held_rate": "not given, and x", "avg_deal_size": "not given, and y"}
    assert missing_rate_messages(missing) == [
        "missing --avg-deal-size (avg_deal_size): not given, and y",
        "missing --meeting-held-rate (meeting_held_rate): not given, and x",
    ]
    assert missing_rate_messages({}) == []


def test_calls_are_planned_only_when_the_chain_reaches_them() -> None:
    assert planned_calls(reverse_plan(100_000_000, 5_000_000, 25, 50, 40, 25)) == 1600
    assert planned_calls(reverse_plan(100_000_000, 5_000_000, 25, 50, 40)) is None


def test_the_table_rows_show_each_stage_its_rate_kpi_and_source() -> None:
    steps = reverse_plan(100_000_000, 5_000_000, 25, 50)
    sources = {
        "avg_deal_size": "given",
        "meeting_win_rate": "trailing",
        "meeting_held_rate": "given",
    }
    # meeting_held_rate has no label here: the row shows its name alone
    kpis = {
        "avg_deal_size": {"label_ja": "平均受注単価"},
        "meeting_win_rate": {"label_ja": "受注率"},
    }
    assert plan_rows(steps, sources, kpis) == [
        PlanRow("受注 won", "20", "÷ ¥5,000,000", "平均受注単価 avg_deal_size", "given"),
        PlanRow("商談 meetings", "80", "÷ 25 %", "受注率 meeting_win_rate", "trailing"),
        PlanRow("アポ appointments", "160", "÷ 50 %", "meeting_held_rate", "given"),
    ]
    label = current_kpis()["meeting_held_rate"]["label_ja"]
    assert plan_rows(steps, sources, current_kpis())[2].kpi == f"{label} meeting_held_rate"


def test_the_trailing_note_lists_the_rates_taken_from_actuals() -> None:
    values = {
        "avg_deal_size": Fraction(8_000_000),
        "meeting_win_rate": Fraction(25, 2),
        "meeting_held_rate": Fraction(50),
    }
    sources = {
        "avg_deal_size": "trailing",
        "meeting_win_rate": "trailing",
        "meeting_held_rate": "given",
    }
    trailing = TrailingRates(months=Q1)
    resolved = ResolvedRates(values, sources, {}, trailing, None)
    assert trailing_note(resolved, Path("w.duckdb")) == (
        "taken from trailing actuals of w.duckdb (2026-01..2026-03, 3 complete month(s)): "
        "avg_deal_size ¥8,000,000, meeting_win_rate 12.5 %"
    )
    all_given = ResolvedRates(values, dict.fromkeys(values, "given"), {}, trailing, None)
    assert trailing_note(all_given, Path("w.duckdb")) is None


# --- kpitree plan ----------------------------------------------------------------------


def test_plan_json_prints_exactly_the_list(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "plan",
            *ARTICLE,
            "--appointment-rate",
            "40",
            "--connect-rate",
            "25",
            "--warehouse",
            str(tmp_path / "none.duckdb"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"stage": "won", "required": 20},
        {"stage": "meetings", "required": 80},
        {"stage": "appointments", "required": 160},
        {"stage": "contacted_leads", "required": 400},
        {"stage": "calls", "required": 1600},
    ]


def test_plan_json_of_the_article_without_a_warehouse(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["plan", *ARTICLE, "--warehouse", str(tmp_path / "none.duckdb"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"stage": "won", "required": 20},
        {"stage": "meetings", "required": 80},
        {"stage": "appointments", "required": 160},
    ]


def test_plan_prints_a_table_and_the_calls_per_rep_day(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "plan",
            *ARTICLE,
            "--appointment-rate",
            "40",
            "--connect-rate",
            "25",
            "--warehouse",
            str(tmp_path / "none.duckdb"),
            "--reps",
            "10",
            "--working-days",
            "20",
        ],
    )
    assert result.exit_code == 0, result.output
    for text in ("受注 won", "商談 meetings", "アポ appointments", "1,600", "given"):
        assert text in result.stdout
    # 1600 calls / 10 reps / 20 days = 8.0, beside the benchmark
    assert "= 8.0" in result.stdout
    assert f"benchmark {calls_per_rep_day_benchmark():g}" in result.stdout


def test_plan_takes_missing_rates_from_trailing_actuals(warehouse: Path) -> None:
    # by hand: 16,000,000 / 8,000,000 = 2 won; ceil(2 / 0.125) = 16 meetings;
    # ceil(16 / (2/3)) = 24 appointments; ceil(24 / 0.30) = 80 contacted; ceil(80 / 0.2) = 400
    args = ["plan", "--revenue", "16000000", "--warehouse", str(warehouse)]
    args += ["--as-of", "2026-04-20"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    assert [row["required"] for row in json.loads(result.stdout)] == [2, 16, 24, 80, 400]
    assert "taken from trailing actuals" in result.stderr
    assert "2026-01..2026-03" in result.stderr
    assert "meeting_win_rate 12.5 %" in result.stderr

    human = runner.invoke(app, args)
    assert human.exit_code == 0, human.output
    assert "trailing" in human.stdout
    # 400 calls / 3 reps (distinct callers) / 22 weekdays of April 2026 = 6.06
    assert "3 reps" in human.stdout
    assert "22 working days" in human.stdout
    assert "= 6.1" in human.stdout


def test_given_rates_win_over_trailing_actuals(warehouse: Path) -> None:
    result = runner.invoke(
        app,
        [
            "plan",
            *ARTICLE,
            "--warehouse",
            str(warehouse),
            "--as-of",
            "2026-04-20",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    # the article's rates as given; appointment and connect rates from the actuals
    # (30 %, 20 %): ceil(160 / 0.3) = 534, ceil(534 / 0.2) = 2670
    assert [row["required"] for row in json.loads(result.stdout)] == [20, 80, 160, 534, 2670]
    assert "appointment_rate 30 %" in result.stderr
    assert "meeting_win_rate" not in result.stderr


def test_a_missing_rate_without_actuals_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "plan",
            "--revenue",
            "100000000",
            "--avg-deal-size",
            "5000000",
            "--meeting-held-rate",
            "50",
            "--warehouse",
            str(tmp_path / "none.duckdb"),
        ],
    )
    assert result.exit_code == 2
    assert "missing --meeting-win-rate" in result.output
    assert "no warehouse" in result.output


def test_a_warehouse_without_a_complete_month_names_the_missing_rates(warehouse: Path) -> None:
    args = ["plan", "--revenue", "1000", "--warehouse", str(warehouse)]
    result = runner.invoke(app, [*args, "--as-of", "2025-12-15"])
    assert result.exit_code == 2
    for option in ("--avg-deal-size", "--meeting-win-rate", "--meeting-held-rate"):
        assert f"missing {option}" in result.output
    assert "no complete month" in result.output


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--meeting-win-rate", "0"),
        ("--meeting-win-rate", "125"),
        ("--meeting-held-rate", "-3"),
        ("--avg-deal-size", "0"),
        ("--revenue", "-1"),
    ],
)
def test_invalid_rates_and_amounts_exit_2(tmp_path: Path, option: str, value: str) -> None:
    args = ["plan", *ARTICLE, "--warehouse", str(tmp_path / "none.duckdb")]
    index = args.index(option)
    args[index + 1] = value
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert option.lstrip("-").replace("-", "_") in result.output


def test_calls_without_reps_or_a_warehouse_is_a_usage_error(tmp_path: Path) -> None:
    args = ["plan", *ARTICLE, "--appointment-rate", "40", "--connect-rate", "25"]
    result = runner.invoke(app, [*args, "--warehouse", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "missing --reps" in result.output


def test_plan_bad_period_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", *ARTICLE, "--period", "week"])
    assert result.exit_code == 2
