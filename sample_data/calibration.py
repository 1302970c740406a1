"""What the sample company looks like and the rates its funnel is tuned to.

Every figure the generator draws with lives here, so tuning the sample is editing this file:
the organisation per unit of scale, the funnel's conversion probabilities (set so that the
published KPIs land near the source articles' benchmarks: 34 calls per rep per day, 5.1
follow-ups per lead, ~20 % lead-to-meeting, ~50 % opportunity rate, ~25 % win rate), the
marketing email rates, the deliberate breaks of the shared MQL/SQL definition (each well
under its 5 % drift threshold), retention, and the names and industries rows are made of.
A probability is per draw of the event its comment names; a pair ``(low, high)`` is a range.

The value lists the contract defines (lead sources, departments, segments) are checked at
import: a contract change that the weights here do not follow fails loudly, not silently.
"""

from __future__ import annotations

from orchestration.contract import DEPARTMENTS, LEAD_SOURCES, SEGMENTS
from orchestration.lead_definitions import DEFINITIONS_FILE
from orchestration.lead_definitions import load as load_lead_definitions

# --- organisation (per unit of scale) ---------------------------------------------------------

TEAMS: dict[str, tuple[tuple[str, int], ...]] = {
    "marketing": (("MKT-Demand", 3), ("MKT-Content", 2)),
    "inside_sales": (("IS-East", 5), ("IS-West", 5)),
    "field_sales": (("FS-Enterprise", 5), ("FS-SMB", 5)),
    "customer_success": (("CS-Onboarding", 2), ("CS-Retention", 3)),
}
CUSTOMERS_PER_UNIT = 600  # accounts already paying before the year: the retention base
PROSPECTS_PER_LEAD = 0.45  # about two leads per prospect account

# --- funnel calibration -----------------------------------------------------------------------

CALLS_PER_REP_DAY = 34
# Outbound calls that one created lead brings, given the shares below; measured on a large
# run. Sizing the lead volume with it makes the calls per rep and day land on the benchmark.
CALLS_PER_LEAD = 3.83
CALL_SHARE = 0.85  # of IS follow-ups; the rest are outbound emails
# Follow-ups per worked lead: triangular(low, high, mode), rounded; the year-end cut of the
# last leads' cadences brings the mean from ~5.2 down to the article's 5.1.
TOUCHES = (1, 10, 4.7)
NURTURE_WORK = 0.55  # leads neither MQL nor direct that IS still calls
APPOINTMENT = 0.265  # per connected call of a lead IS may qualify; gives ~20 % of all leads
SQL_ONLY = 0.04  # qualified on the call, no meeting booked
CALL_BACK = 0.04  # worked leads that ring the rep back once
HELD, NO_SHOW = 0.82, 0.07  # the rest of past meetings were cancelled
OPPORTUNITY = 0.54  # held first meeting -> deal; above 0.5 as follow-up meetings count as held
FOLLOW_UP_MEETING = 0.2
WIN = 0.27  # above 0.25: lost deals close sooner, so the closed ones at year end lean lost
LOST_AFTER = (0.25, 0.55, 0.85, 1.0)  # cumulative: stage index a lost deal dies after
STAGES = (("prospecting", 10), ("qualification", 20), ("proposal", 50), ("negotiation", 75))
STAGE_DAYS = ((3, 10), (5, 20), (7, 25), (7, 30))

# Lead sources over all contract values, and the default direct-SQL sources of
# docs/lead-lifecycle.md (a lead from them may become SQL without being MQL first).
SOURCE_WEIGHTS = {
    "web": 22,
    "document_request": 18,
    "seminar": 12,
    "referral": 6,
    "outbound": 16,
    "ads": 12,
    "event": 6,
    "partner": 4,
    "other": 4,
}
# The shared MQL/SQL definition the sample data is generated to (mostly) meet.
_DEFINITIONS = load_lead_definitions(DEFINITIONS_FILE)
SQL_DIRECT_SOURCES = _DEFINITIONS.sql_direct_sources
MQL_SCORE_THRESHOLD = _DEFINITIONS.mql_score_threshold
LATER_RESPONSE = 0.08
SEMINAR_ATTENDED = 0.6

CALL_OUTCOMES = (  # cumulative probability, outcome, duration range in seconds
    (0.25, "connected", 60, 1_200),
    (0.65, "no_answer", 15, 45),
    (0.85, "voicemail", 20, 60),
    (0.95, "busy", 0, 5),
    (1.0, "wrong_number", 10, 40),
)

# Marketing email: a lead present all year receives about this many of the year's sends.
EMAILS_PER_CAMPAIGN = 2
SENDS_PER_LEAD_YEAR = 4.0
DELIVERED, OPENED, CLICKED, UNSUBSCRIBE_AFTER_OPEN = 0.96, 0.20, 0.25, 0.05

# Deliberate breaks of the shared definition: each well under the 5 % drift thresholds.
MQL_LOW_SCORE = 0.015  # of MQL leads: flagged with a score under the threshold
MQL_NO_ENGAGEMENT = 0.03  # of unengaged leads scoring >= threshold: flagged anyway
APPOINTMENT_WITHOUT_MQL = 0.012  # per connected call of a lead that is neither MQL nor direct
SQL_BEFORE_CALL = 0.01  # SQL stamped minutes before the qualifying call
SQL_OWNER_MARKETING = 0.006  # SQL lead left with a marketing owner
CREATED_RESTAMPED = 0.003  # MQL lead whose created_at a later sync moved past mql_at
RECYCLE_NO_REASON = 0.03

# Retention: existing customers renew yearly, a few churn, some buy more.
OPEN_ENDED = 0.1
CHURN = 0.09
OPEN_ENDED_CHURN = 0.12
UPSELL = 0.2
UPSELL_WIN = 0.55
RENEWAL_UPLIFT = (0.98, 1.15)
MRR = {"smb": (85_000, 200_000), "mid": (150_000, 450_000), "enterprise": (400_000, 700_000)}
AMOUNT = {"smb": (100, 300), "mid": (250, 600), "enterprise": (500, 1_000)}  # x 10,000 JPY
MIN_AMOUNT, MAX_AMOUNT = 1_000_000, 10_000_000

SEGMENT_WEIGHTS = {"prospect": (0.6, 0.27, 0.13), "customer": (0.5, 0.35, 0.15)}
EMPLOYEES = {"smb": (10, 99), "mid": (100, 999), "enterprise": (1_000, 30_000)}
INDUSTRIES = (
    ("manufacturing", "製作所"),
    ("it_services", "システムズ"),
    ("retail", "商事"),
    ("finance", "ファイナンス"),
    ("healthcare", "メディカル"),
    ("logistics", "ロジスティクス"),
    ("construction", "建設"),
    ("real_estate", "不動産"),
    ("education", "エデュケーション"),
    ("professional_services", "コンサルティング"),
)
NAME_STEMS = ("あおぞら", "さくら", "富士", "みどり", "ひかり", "大和", "ミライ", "東邦", "北斗")
NAME_STEMS += ("朝日", "星野", "川崎", "日の出", "青葉", "若葉", "光洋", "新星", "中央")
FAMILY = (
    ("佐藤", "sato"),
    ("鈴木", "suzuki"),
    ("高橋", "takahashi"),
    ("田中", "tanaka"),
    ("渡辺", "watanabe"),
    ("伊藤", "ito"),
    ("山本", "yamamoto"),
    ("中村", "nakamura"),
    ("小林", "kobayashi"),
    ("加藤", "kato"),
    ("吉田", "yoshida"),
    ("山田", "yamada"),
)
GIVEN = (
    ("陽翔", "haruto"),
    ("結衣", "yui"),
    ("蒼", "aoi"),
    ("陽菜", "hina"),
    ("蓮", "ren"),
    ("芽依", "mei"),
    ("悠真", "yuma"),
    ("凛", "rin"),
    ("湊", "minato"),
    ("咲良", "sakura"),
)
RECYCLE_REASONS = {
    "lost": ("lost_to_competitor", "no_budget", "bad_timing"),
    "no_opportunity": ("not_a_fit", "no_budget", "bad_timing"),
    "missed": ("no_show", "unresponsive"),
    "stalled": ("unresponsive", "no_decision_maker"),
}


def _check_against_contract() -> None:
    """Fail at import when the contract's value lists move away from what is drawn here."""
    if set(SOURCE_WEIGHTS) != set(LEAD_SOURCES) or set(TEAMS) != set(DEPARTMENTS):
        raise RuntimeError("sample_data.calibration is out of step with orchestration.contract")
    if set(MRR) != set(SEGMENTS) or not set(SQL_DIRECT_SOURCES) <= set(LEAD_SOURCES):
        raise RuntimeError("sample_data.calibration is out of step with orchestration.contract")


_check_against_contract()
