"""HubSpot tables kpitree reads: connector tables and CRM (UI) exports.

Files land in ``<landing>/hubspot/<table>/``. ``<table>`` is either a connector table
name as Fivetran / Airbyte-style connectors write it (``contact``, ``deal``,
``engagement_call``, ``email_event``, ...) or the object name of a CRM export from the
HubSpot UI (``contacts``, ``companies``, ``deals``). Header names are normalised before
validation (``_fivetran_deleted`` -> ``fivetran_deleted``, ``Record ID`` -> ``record_id``,
``HubSpot Score`` -> ``hub_spot_score``, ``Associated Company IDs`` ->
``associated_company_i_ds``), so the names below are the normalised ones.

Only the columns the dbt staging (``models/staging/hubspot/``) reads are declared; every
other column of these very wide tables lands in ``_extra``. Apart from primary keys and
the few values a CRM export always carries, every column is optional: a file without
it loads with NULLs.

Timestamps of connector tables are declared as text on purpose. Connectors write UTC
without an offset (``2021-04-01 17:32:47``, sometimes ``3:15:52`` with a one-digit hour,
``... UTC`` or epoch milliseconds), while ingestion reads offset-less timestamps in the
reporting timezone; staging parses them as UTC instants instead (macro
``hubspot_instant``; dbt var ``hubspot_connector_timezone``). CRM exports are written in
the HubSpot account's local time (``2026-04-01 09:00``), which is exactly what ingestion
assumes, so their timestamps are typed and validated here like canonical ones: each is
an event (``time_kind`` EVENT) except a deal's close date, which is PLANNED.
"""

from __future__ import annotations

from orchestration.contract import BOOLEAN, EVENT, NUMBER, PLANNED, TEXT, TIMESTAMP, Column, Table


def _c(name: str, type_: str = TEXT, required: bool = False, time_kind: str = EVENT) -> Column:
    return Column(name=name, type=type_, required=required, time_kind=time_kind)


def _key(*names: str) -> tuple[Column, ...]:
    return tuple(_c(name, required=True) for name in names)


# Soft-delete flags and the sync time every connector table may carry.
_CONNECTOR = (
    _c("is_deleted", BOOLEAN),
    _c("fivetran_deleted", BOOLEAN),
    _c("fivetran_synced"),
)


def _connector(name: str, key: tuple[str, ...], *columns: Column, description: str) -> Table:
    return Table(
        name,
        key,
        (*_key(*key), *columns, *_CONNECTOR),
        description,
        version_column=None,  # staging picks the current version (last modified, then sync)
    )


def _export(name: str, *columns: Column, description: str) -> Table:
    return Table(
        name,
        ("record_id",),
        (_c("record_id", required=True), *columns),
        description,
        version_column="last_modified_date",
    )


_CONNECTOR_TABLES = (
    _connector(
        "contact",
        ("id",),
        _c("property_email"),
        _c("property_phone"),
        _c("property_mobilephone"),
        _c("property_createdate"),
        _c("property_lastmodifieddate"),
        _c("property_hs_lifecyclestage_marketingqualifiedlead_date"),
        _c("property_hs_lifecyclestage_salesqualifiedlead_date"),
        _c("property_lifecyclestage"),
        _c("property_hs_lead_status"),
        _c("property_hubspot_owner_id"),
        _c("property_hs_analytics_source"),
        _c("property_hubspotscore", NUMBER),
        _c("property_associatedcompanyid"),
        description="Contacts -> leads (lifecycle-stage dates give mql_at / sql_at).",
    ),
    _connector(
        "company",
        ("id",),
        _c("property_name"),
        _c("property_domain"),
        _c("property_industry"),
        _c("property_numberofemployees", NUMBER),
        _c("property_createdate"),
        _c("property_hs_lastmodifieddate"),
        description="Companies -> accounts.",
    ),
    _connector(
        "deal",
        ("deal_id",),
        _c("deal_pipeline_id"),
        _c("deal_pipeline_stage_id"),
        _c("owner_id"),
        _c("property_dealname"),
        _c("property_dealstage"),
        _c("property_pipeline"),
        _c("property_hubspot_owner_id"),
        _c("property_dealtype"),
        _c("property_amount", NUMBER),
        _c("property_deal_currency_code"),
        _c("property_hs_deal_stage_probability", NUMBER),
        _c("property_closedate"),
        _c("property_createdate"),
        _c("property_hs_lastmodifieddate"),
        description="Deals -> opportunities.",
    ),
    _connector(
        "deal_stage",
        ("deal_id", "date_entered", "value"),
        _c("fivetran_start"),
        description="Deal stage history: one row per stage a deal entered.",
    ),
    _connector(
        "deal_property_history",
        ("deal_id", "name", "timestamp"),
        _c("value"),
        description="Every deal property change; the amount history is read.",
    ),
    _connector(
        "deal_pipeline_stage",
        ("stage_id",),
        _c("pipeline_id"),
        _c("label"),
        _c("probability", NUMBER),
        _c("is_closed", BOOLEAN),
        _c("closed_won", BOOLEAN),
        _c("updated_at"),
        description="Pipeline stages: label, probability, closed / won flags.",
    ),
    _connector(
        "deal_contact",
        ("deal_id", "contact_id"),
        description="Deal-to-contact associations (the deal's lead).",
    ),
    _connector(
        "deal_company",
        ("deal_id", "company_id"),
        description="Deal-to-company associations (the deal's account).",
    ),
    _connector(
        "owner",
        ("owner_id",),
        _c("email"),
        _c("first_name"),
        _c("last_name"),
        _c("is_active", BOOLEAN),
        _c("updated_at"),
        description="Owners (the people records are assigned to) -> users.",
    ),
    _connector(
        "owner_team",
        ("owner_id", "team_id"),
        _c("is_team_primary", BOOLEAN),
        description="Owner-to-team memberships.",
    ),
    _connector(
        "team",
        ("id",),
        _c("name"),
        description="Teams; their names map owners onto departments.",
    ),
    _connector(
        "engagement",
        ("id",),
        _c("type"),
        _c("owner_id"),
        _c("timestamp"),
        _c("created_at"),
        _c("last_updated"),
        _c("active", BOOLEAN),
        description="Engagements of every type (owner and time where the typed table lacks them).",
    ),
    _connector(
        "engagement_call",
        ("engagement_id",),
        _c("property_hubspot_owner_id"),
        _c("property_hs_timestamp"),
        _c("property_hs_createdate"),
        _c("property_hs_lastmodifieddate"),
        _c("property_hs_call_direction"),
        _c("property_hs_call_disposition"),
        _c("property_hs_call_status"),
        _c("property_hs_call_duration", NUMBER),
        description="Calls -> activities.",
    ),
    _connector(
        "engagement_email",
        ("engagement_id",),
        _c("property_hubspot_owner_id"),
        _c("property_hs_timestamp"),
        _c("property_hs_createdate"),
        _c("property_hs_lastmodifieddate"),
        _c("property_hs_email_direction"),
        _c("property_hs_email_status"),
        description="One-to-one sales emails -> activities.",
    ),
    _connector(
        "engagement_meeting",
        ("engagement_id",),
        _c("property_hubspot_owner_id"),
        _c("property_hs_timestamp"),
        _c("property_hs_createdate"),
        _c("property_hs_lastmodifieddate"),
        _c("property_hs_meeting_start_time"),
        _c("property_hs_meeting_outcome"),
        # The older connector schema.
        _c("start_time"),
        _c("meeting_outcome"),
        description="Meetings -> meetings.",
    ),
    _connector(
        "engagement_contact",
        ("engagement_id", "contact_id"),
        description="Engagement-to-contact associations.",
    ),
    _connector(
        "engagement_company",
        ("engagement_id", "company_id"),
        description="Engagement-to-company associations.",
    ),
    _connector(
        "engagement_deal",
        ("engagement_id", "deal_id"),
        description="Engagement-to-deal associations.",
    ),
    _connector(
        "email_event",
        ("id",),
        _c("type"),
        _c("recipient"),
        _c("email_campaign_id"),
        _c("sent_by_id"),
        _c("created"),
        _c("filtered_event", BOOLEAN),
        description="Marketing email events of every type -> email_events.",
    ),
    _connector(
        "email_campaign",
        ("id",),
        _c("name"),
        _c("subject"),
        _c("type"),
        description="Marketing emails -> campaigns of type email.",
    ),
    _connector(
        "form",
        ("guid",),
        _c("name"),
        _c("form_type"),
        _c("created_at"),
        description="Forms -> campaigns.",
    ),
    _connector(
        "contact_form_submission",
        ("conversion_id",),
        _c("contact_id"),
        _c("form_id"),
        _c("timestamp"),
        description="Form submissions -> campaign_responses.",
    ),
)

_ASSOCIATED_COMPANY = (
    _c("associated_company_id"),
    _c("associated_company_i_ds_primary"),
    _c("associated_company_i_ds"),
)

_EXPORT_TABLES = (
    _export(
        "contacts",
        _c("email"),
        _c("phone_number"),
        _c("contact_owner"),
        _c("original_source"),
        _c("original_traffic_source"),
        _c("hub_spot_score", NUMBER),
        _c("lead_status"),
        _c("create_date", TIMESTAMP, required=True),
        _c("became_a_marketing_qualified_lead_date", TIMESTAMP),
        _c("became_a_sales_qualified_lead_date", TIMESTAMP),
        _c("last_modified_date", TIMESTAMP),
        *_ASSOCIATED_COMPANY,
        description="CRM export of contacts -> leads.",
    ),
    _export(
        "companies",
        _c("company_name"),
        _c("company_domain_name"),
        _c("industry"),
        _c("number_of_employees", NUMBER),
        _c("create_date", TIMESTAMP, required=True),
        _c("last_modified_date", TIMESTAMP),
        description="CRM export of companies -> accounts.",
    ),
    _export(
        "deals",
        _c("deal_name"),
        _c("deal_stage", required=True),
        _c("pipeline"),
        _c("deal_owner"),
        _c("deal_type"),
        _c("amount", NUMBER),
        _c("currency"),
        _c("deal_probability", NUMBER),
        _c("create_date", TIMESTAMP, required=True),
        _c("close_date", TIMESTAMP, time_kind=PLANNED),
        _c("last_modified_date", TIMESTAMP),
        *_ASSOCIATED_COMPANY,
        _c("associated_contact_i_ds"),
        description="CRM export of deals -> opportunities.",
    ),
)

# normalised folder name -> table (the raw table is ``raw.hubspot__<name>``)
TABLES: dict[str, Table] = {t.name: t for t in (*_CONNECTOR_TABLES, *_EXPORT_TABLES)}
