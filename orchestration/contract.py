"""The canonical SFA/MA input contract (docs/input-contract.md), as data.

This module is the single place that names the landing tables, their columns,
types, primary keys and allowed values. Ingestion validates against it, the
sample-data generator writes it, and the dbt sources list the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass

# Logical column types. Ingestion maps each onto a DuckDB type and a check.
TEXT = "text"
INTEGER = "integer"
NUMBER = "number"
BOOLEAN = "boolean"
TIMESTAMP = "timestamp"
DATE = "date"

# What a timestamp / date column records, which sets how far from the run's clock its
# values may lie (the bounds themselves are in ``settings.py``; ingestion quarantines a
# value outside them). Only events define the data span, the calendar every KPI is
# reported over, so they get the tightest bound.
EVENT = "event"  # something that happened: not before the floor, at most a day ahead
UPCOMING = "upcoming"  # a start that may be set ahead and still opens the span
PLANNED = "planned"  # a date set for the future that does not extend the span
VALIDITY_END = "validity_end"  # end of a version's validity: 9999-12-31 means current
TIME_KINDS = (EVENT, UPCOMING, PLANNED, VALIDITY_END)

DEPARTMENTS = ("marketing", "inside_sales", "field_sales", "customer_success")
SEGMENTS = ("smb", "mid", "enterprise")
LEAD_SOURCES = (
    "web",
    "document_request",
    "seminar",
    "referral",
    "outbound",
    "ads",
    "event",
    "partner",
    "other",
)
ACTIVITY_TYPES = ("call", "email", "meeting", "other")
DIRECTIONS = ("outbound", "inbound")
OUTCOMES = (
    "connected",
    "no_answer",
    "voicemail",
    "busy",
    "wrong_number",
    "replied",
    "bounced",
    "other",
)
MEETING_STATUSES = ("scheduled", "held", "no_show", "cancelled")
OPPORTUNITY_TYPES = ("new_business", "upsell", "renewal")
CLOSED_STAGES = ("closed_won", "closed_lost")
CAMPAIGN_TYPES = ("seminar", "webinar", "document_request", "email", "ads", "event")
RESPONSE_TYPES = (
    "document_request",
    "seminar_registration",
    "seminar_attended",
    "form",
)
EMAIL_EVENT_TYPES = ("sent", "delivered", "bounced", "opened", "clicked", "unsubscribed")


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    required: bool = False
    allowed: tuple[str, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None
    # timestamp and date columns only: what the value records (EVENT, UPCOMING, ...)
    time_kind: str = EVENT

    def __post_init__(self) -> None:
        if self.time_kind not in TIME_KINDS:
            raise ValueError(f"{self.name}: time_kind must be one of {', '.join(TIME_KINDS)}")


@dataclass(frozen=True)
class Table:
    name: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str = ""
    version_column: str | None = "updated_at"
    # Vendor exports: normalise header names (CamelCase / API names -> snake_case).
    normalize_headers: bool = False
    # The raw table name, when it differs from ``name`` (adapters: <system>__<object>).
    raw_name: str | None = None
    # The zone of timestamps written without an offset: None = the reporting timezone
    # (the contract's rule); "UTC" for connectors that write UTC without saying so.
    naive_timezone: str | None = None

    @property
    def raw_table(self) -> str:
        return self.raw_name or self.name

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, type_: str = TEXT, required: bool = False, **kw) -> Column:
    return Column(name=name, type=type_, required=required, **kw)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "users",
            ("user_id",),
            (
                _c("user_id", required=True),
                _c("user_name", required=True),
                _c("department", required=True, allowed=DEPARTMENTS),
                _c("team"),
                _c("manager_id"),
                _c("email"),
                _c("is_active", BOOLEAN),
                _c("updated_at", TIMESTAMP),
            ),
            "Reps and staff (SFA).",
        ),
        Table(
            "accounts",
            ("account_id",),
            (
                _c("account_id", required=True),
                _c("account_name", required=True),
                _c("industry"),
                _c("employee_count", INTEGER, min_value=0),
                _c("segment", allowed=SEGMENTS),
                _c("created_at", TIMESTAMP, required=True),
                _c("updated_at", TIMESTAMP),
            ),
            "Companies (SFA).",
        ),
        Table(
            "leads",
            ("lead_id",),
            (
                _c("lead_id", required=True),
                _c("account_id"),
                _c("email"),
                _c("phone"),
                _c("lead_source", required=True, allowed=LEAD_SOURCES),
                _c("owner_id"),
                _c("lead_score", INTEGER),
                _c("status"),
                _c("created_at", TIMESTAMP, required=True),
                _c("mql_at", TIMESTAMP),
                _c("sql_at", TIMESTAMP),
                _c("recycled_at", TIMESTAMP),
                _c("recycle_reason"),
                _c("converted_opportunity_id"),
                _c("updated_at", TIMESTAMP),
            ),
            "People in the funnel (MA + SFA).",
        ),
        Table(
            "activities",
            ("activity_id",),
            (
                _c("activity_id", required=True),
                _c("lead_id"),
                _c("account_id"),
                _c("owner_id", required=True),
                _c("activity_type", required=True, allowed=ACTIVITY_TYPES),
                _c("direction", required=True, allowed=DIRECTIONS),
                _c("outcome", allowed=OUTCOMES),
                _c("duration_seconds", INTEGER, min_value=0),
                _c("occurred_at", TIMESTAMP, required=True),
            ),
            "Calls, emails and other touches (SFA).",
            version_column=None,
        ),
        Table(
            "meetings",
            ("meeting_id",),
            (
                _c("meeting_id", required=True),
                _c("lead_id"),
                _c("account_id"),
                _c("opportunity_id"),
                _c("owner_id", required=True),
                _c("set_by_id"),
                _c("created_at", TIMESTAMP, required=True),
                _c("scheduled_at", TIMESTAMP, required=True, time_kind=PLANNED),
                _c("status", required=True, allowed=MEETING_STATUSES),
                _c("is_first_meeting", BOOLEAN),
                _c("updated_at", TIMESTAMP),
            ),
            "Appointments set and meetings held (SFA).",
        ),
        Table(
            "opportunities",
            ("opportunity_id",),
            (
                _c("opportunity_id", required=True),
                _c("account_id", required=True),
                _c("lead_id"),
                _c("owner_id", required=True),
                _c("created_by_id"),
                _c("opportunity_type", required=True, allowed=OPPORTUNITY_TYPES),
                _c("stage", required=True),
                _c("amount", NUMBER),
                _c("currency"),
                _c("probability", NUMBER, min_value=0, max_value=100),
                _c("created_at", TIMESTAMP, required=True),
                _c("close_date", DATE, time_kind=PLANNED),
                _c("is_closed", BOOLEAN, required=True),
                _c("is_won", BOOLEAN, required=True),
                _c("updated_at", TIMESTAMP),
            ),
            "Deals (SFA).",
        ),
        Table(
            "opportunity_stage_history",
            ("opportunity_id", "changed_at"),
            (
                _c("opportunity_id", required=True),
                _c("stage", required=True),
                _c("amount", NUMBER),
                _c("probability", NUMBER, min_value=0, max_value=100),
                _c("changed_at", TIMESTAMP, required=True),
            ),
            "Every stage / amount / probability change (SFA).",
            version_column=None,
        ),
        Table(
            "subscriptions",
            ("subscription_id",),
            (
                _c("subscription_id", required=True),
                _c("account_id", required=True),
                _c("opportunity_id"),
                _c("start_date", DATE, required=True, time_kind=UPCOMING),
                _c("end_date", DATE, time_kind=PLANNED),
                _c("mrr", NUMBER, required=True),
                _c("currency"),
                _c("renewed_from_subscription_id"),
                _c("updated_at", TIMESTAMP),
            ),
            "Contracts and recurring revenue (SFA or billing).",
        ),
        Table(
            "campaigns",
            ("campaign_id",),
            (
                _c("campaign_id", required=True),
                _c("campaign_name", required=True),
                _c("campaign_type", required=True, allowed=CAMPAIGN_TYPES),
                _c("started_at", TIMESTAMP, time_kind=PLANNED),
            ),
            "Marketing programmes (MA).",
            version_column=None,
        ),
        Table(
            "campaign_responses",
            ("response_id",),
            (
                _c("response_id", required=True),
                _c("campaign_id", required=True),
                _c("lead_id", required=True),
                _c("response_type", required=True, allowed=RESPONSE_TYPES),
                _c("responded_at", TIMESTAMP, required=True),
            ),
            "Form fills, downloads, registrations (MA).",
            version_column=None,
        ),
        Table(
            "email_events",
            ("event_id",),
            (
                _c("event_id", required=True),
                _c("email_id", required=True),
                _c("lead_id", required=True),
                _c("campaign_id"),
                _c("event_type", required=True, allowed=EMAIL_EVENT_TYPES),
                _c("occurred_at", TIMESTAMP, required=True),
            ),
            "Marketing email events (MA).",
            version_column=None,
        ),
    )
}
