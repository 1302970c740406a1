"""Salesforce objects kpitree reads: connector tables and Data Loader / report exports.

Files land in ``<landing>/salesforce/<Object>/`` (``Opportunity`` from Data Loader,
``opportunity`` from a connector; both load into ``raw.salesforce__opportunity``) and,
for a connector's history-mode tables (one row per version, ``_fivetran_active`` /
``_fivetran_start`` / ``_fivetran_end``), in ``<landing>/salesforce_history/<object>/``.

Only the standard fields the staging models read are declared, so ingestion types and
checks them (a row with an unparseable date is quarantined, with its reason). Every other
column - the hundreds a connector syncs, custom fields such as ``MQL_Date__c`` - is kept
as JSON in ``_extra``; the user's field map (``seeds/salesforce/salesforce_field_map.csv``)
names which of them hold MQL/SQL dates, scores, segments or MRR. Only ``Id`` is required:
an export without some optional field still loads.

Data Loader writes its headers in upper case (``"STAGENAME"``, ``"ISWON"``), which
normalise to ``stagename`` / ``iswon``: the word boundaries are gone. So every declared
column with an underscore is declared a second time without underscores (``stagename``
beside ``stage_name``), and staging takes whichever the file had (``salesforce_rows``
in ``macros/salesforce/salesforce_rows.sql`` applies the same rule).

Date fields (``CloseDate``, ``StartDate``, ...) are declared as timestamps on purpose:
connectors write them as ``2018-12-19 00:00:00``, Data Loader as ``2018-12-19``; both are
ISO 8601 timestamps, and the mapping takes the local date. In dbt, one staging model
per object (``dbt_project/models/staging/salesforce/``) takes the current records, and
the mapping onto the canonical contract is ``dbt_project/models/intermediate/salesforce/``.

Each timestamp is an event (``time_kind`` EVENT, the default) unless declared otherwise:
dates set ahead (``CloseDate``, an Event's start, a Campaign's ``StartDate``, a Contract's
``EndDate``) are PLANNED, a Contract's ``StartDate`` is UPCOMING like
``subscriptions.start_date``, and ``_fivetran_end`` is a VALIDITY_END (9999-12-31 for the
current version). Ingestion bounds each kind differently (``settings.ACCEPTED_AHEAD``).
"""

from __future__ import annotations

from dataclasses import replace

from orchestration.contract import (
    BOOLEAN,
    INTEGER,
    NUMBER,
    PLANNED,
    TEXT,
    TIMESTAMP,
    UPCOMING,
    VALIDITY_END,
    Column,
    Table,
)


def _c(name: str, type_: str = TEXT, **kw) -> Column:
    return Column(name=name, type=type_, **kw)


# Every object: the record id, Salesforce's and the connector's delete flags, and the
# stamps that order versions of a record (SystemModstamp, else LastModifiedDate).
_COMMON = (
    _c("id", required=True),
    _c("is_deleted", BOOLEAN),
    _c("fivetran_deleted", BOOLEAN),
    _c("created_date", TIMESTAMP),
    _c("last_modified_date", TIMESTAMP),
    _c("system_modstamp", TIMESTAMP),
)

# Columns a connector adds to a history-mode table: the version's validity interval.
_HISTORY = (
    _c("fivetran_active", BOOLEAN),
    _c("fivetran_start", TIMESTAMP, required=True),
    _c("fivetran_end", TIMESTAMP, time_kind=VALIDITY_END),  # 9999-12-31: current
)


def upper_case_alias(column_name: str) -> str:
    """The name a Data Loader header (``STAGENAME``) normalises to: no underscores."""
    return column_name.replace("_", "")


def _with_aliases(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The columns, then an optional upper-case-export alias of each that needs one."""
    names = {c.name for c in columns}
    aliases = tuple(
        replace(c, name=upper_case_alias(c.name), required=False)
        for c in columns
        if upper_case_alias(c.name) not in names
    )
    return (*columns, *aliases)


def _object(name: str, description: str, *columns: Column) -> Table:
    return Table(
        name=name,
        primary_key=("id",),
        columns=_with_aliases((*_COMMON, *columns)),
        description=description,
        version_column="system_modstamp",
    )


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _object(
            "user",
            "Users: reps and staff; department from the department map.",
            _c("name"),
            _c("first_name"),
            _c("last_name"),
            _c("department"),
            _c("division"),
            _c("user_role_id"),
            _c("manager_id"),
            _c("email"),
            _c("is_active", BOOLEAN),
        ),
        _object(
            "user_role",
            "User roles: the role name is a user's team and a fallback for the department.",
            _c("name"),
        ),
        _object(
            "account",
            "Accounts: companies.",
            _c("name"),
            _c("industry"),
            _c("number_of_employees", INTEGER, min_value=0),
        ),
        _object(
            "lead",
            "Leads: people in the funnel before conversion.",
            _c("owner_id"),
            _c("email"),
            _c("phone"),
            _c("mobile_phone"),
            _c("lead_source"),
            _c("status"),
            _c("is_converted", BOOLEAN),
            _c("converted_date", TIMESTAMP),
            _c("converted_account_id"),
            _c("converted_contact_id"),
            _c("converted_opportunity_id"),
        ),
        _object(
            "lead_history",
            "LeadHistory: field changes of leads; Status changes date the lifecycle stages.",
            _c("lead_id"),
            _c("field"),
            _c("old_value"),
            _c("new_value"),
        ),
        _object(
            "contact",
            "Contacts: people at accounts (converted leads point to them).",
            _c("account_id"),
            _c("owner_id"),
            _c("email"),
            _c("phone"),
            _c("mobile_phone"),
            _c("lead_source"),
        ),
        _object(
            "opportunity",
            "Opportunities: deals.",
            _c("account_id"),
            _c("owner_id"),
            _c("created_by_id"),
            _c("type"),
            _c("stage_name"),
            _c("amount", NUMBER),
            _c("probability", NUMBER, min_value=0, max_value=100),
            _c("close_date", TIMESTAMP, time_kind=PLANNED),
            _c("is_closed", BOOLEAN),
            _c("is_won", BOOLEAN),
            _c("currency_iso_code"),
        ),
        _object(
            "opportunity_history",
            "OpportunityHistory: one row per stage / amount / probability / close date change.",
            _c("opportunity_id"),
            _c("stage_name"),
            _c("amount", NUMBER),
            _c("probability", NUMBER, min_value=0, max_value=100),
        ),
        _object(
            "opportunity_field_history",
            "OpportunityFieldHistory: tracked field changes (used when OpportunityHistory is "
            "missing).",
            _c("opportunity_id"),
            _c("field"),
            _c("old_value"),
            _c("new_value"),
        ),
        _object(
            "task",
            "Tasks: logged calls (TaskSubtype Call), emails and other to-dos.",
            _c("who_id"),
            _c("what_id"),
            _c("account_id"),
            _c("owner_id"),
            _c("type"),
            _c("task_subtype"),
            _c("call_type"),
            _c("call_disposition"),
            _c("call_duration_in_seconds", INTEGER, min_value=0),
            _c("status"),
            _c("is_closed", BOOLEAN),
            _c("completed_date_time", TIMESTAMP),
        ),
        _object(
            "event",
            "Events: calendar entries; meetings are the events that are not calls or emails.",
            _c("who_id"),
            _c("what_id"),
            _c("account_id"),
            _c("owner_id"),
            _c("created_by_id"),
            _c("type"),
            _c("start_date_time", TIMESTAMP, time_kind=PLANNED),
            _c("activity_date_time", TIMESTAMP, time_kind=PLANNED),
            _c("activity_date", TIMESTAMP, time_kind=PLANNED),
            _c("is_child", BOOLEAN),
            _c("is_recurrence", BOOLEAN),
        ),
        _object(
            "campaign",
            "Campaigns: marketing programmes.",
            _c("name"),
            _c("type"),
            _c("start_date", TIMESTAMP, time_kind=PLANNED),
        ),
        _object(
            "campaign_member",
            "CampaignMembers: a lead or contact in a campaign; responded members are responses.",
            _c("campaign_id"),
            _c("lead_id"),
            _c("contact_id"),
            _c("status"),
            _c("has_responded", BOOLEAN),
            _c("first_responded_date", TIMESTAMP),
        ),
        _object(
            "contract",
            "Contracts: subscriptions; MRR from the field map (an MRR field, or a contract "
            "value over ContractTerm months).",
            _c("account_id"),
            _c("status"),
            _c("status_code"),
            _c("start_date", TIMESTAMP, time_kind=UPCOMING),
            _c("end_date", TIMESTAMP, time_kind=PLANNED),
            _c("contract_term", INTEGER, min_value=0),
            _c("currency_iso_code"),
        ),
    )
}

# Objects whose connector table may be in history mode. The *History objects are
# change logs already and have no history-mode variant here.
_VERSIONED = (
    "user",
    "user_role",
    "account",
    "lead",
    "contact",
    "opportunity",
    "task",
    "event",
    "campaign",
    "campaign_member",
    "contract",
)


def _history_mode(table: Table) -> Table:
    """The history-mode variant of an object: one row per version of a record."""
    return Table(
        name=table.name,
        primary_key=("id", "fivetran_start"),
        columns=(*_HISTORY, *table.columns),
        description=f"{table.description} History mode: one row per version.",
        version_column="fivetran_start",
    )


HISTORY_TABLES: dict[str, Table] = {name: _history_mode(TABLES[name]) for name in _VERSIONED}
