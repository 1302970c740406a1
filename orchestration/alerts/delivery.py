"""Delivering the published alerts to the channels of the alerts file, each alert once.

For every channel the working folder keeps what it was told (``alerts_sent.json``): the
off-track alerts it announced, by key (KPI, grain, period, dimension value). A run tells
each channel the alerts it wants (config.py) that it has not been told yet, and the
announced ones that are no longer off track (a recovery, told once), in one notice. A
channel that cannot be reached is logged and keeps its state, so the next run tells it the
same again; it never stops the others, and publishing happened before."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from orchestration.alerts.channels import DeliveryError, send, send_mail
from orchestration.alerts.config import AlertConfig, Channel
from orchestration.alerts.digest import build_digest
from orchestration.alerts.messages import Notice
from orchestration.workfiles import write_json_atomically

KEY_COLUMNS = ("kpi_name", "grain", "period_start", "dimension", "dimension_value")


@dataclass(frozen=True)
class ChannelOutcome:
    channel: str
    new: int = 0
    recovered: int = 0
    error: str | None = None
    digests: tuple[str, ...] = ()  # the digests sent: "monthly 2026-03-01"

    @property
    def line(self) -> str:
        if self.error:
            return f"{self.channel}: not delivered ({self.error}); retried on the next run"
        sent = f"; digest {', '.join(self.digests)}" if self.digests else ""
        if not self.new and not self.recovered:
            return f"{self.channel}: nothing new{sent}"
        return f"{self.channel}: {self.new} new alert(s), {self.recovered} recovered{sent}"


def alert_key(alert: dict) -> str:
    return "|".join(str(alert[column]) for column in KEY_COLUMNS)


def read_alerts(published: Path) -> list[dict]:
    """The rows of metrics.kpi_alerts in the published file, in key order."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        cursor = con.execute(f"select * from metrics.kpi_alerts order by {', '.join(KEY_COLUMNS)}")
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def plan(
    channel: Channel, alerts: list[dict], announced: dict[str, dict]
) -> tuple[list[dict], list[dict]]:
    """What ``channel`` is to be told: the alerts it wants and was not told, and the
    announced ones (with their key) that are no longer among them."""
    wanted = {alert_key(alert): alert for alert in alerts if channel.wants(alert)}
    new = [alert for key, alert in wanted.items() if key not in announced]
    recovered = [
        {"key": key, **told} for key, told in sorted(announced.items()) if key not in wanted
    ]
    return new, recovered


def load_state(path: Path) -> dict[str, dict[str, dict]]:
    """Per channel, the alerts it was told (by key)."""
    return _load(path).get("channels", {})


def load_digests(path: Path) -> dict[str, dict[str, str]]:
    """Per channel, the period (first day) of the last digest of each kind it got."""
    return _load(path).get("digests", {})


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def deliver(
    config: AlertConfig,
    published: Path,
    state_path: Path,
    run_date: date,
    log: Callable[[str], None] = print,
) -> list[ChannelOutcome]:
    """Tell every channel of ``config`` what is new to it; returns one outcome each."""
    alerts = read_alerts(published)
    state, digests = load_state(state_path), load_digests(state_path)

    def save() -> None:
        write_json_atomically(state_path, {"channels": state, "digests": digests})

    outcomes = []
    for channel in config.channels:
        announced = dict(state.get(channel.name, {}))
        new, recovered = plan(channel, alerts, announced)
        try:
            if new or recovered:
                notice = Notice(run_date, tuple(new), tuple(recovered), config.dashboard_url)
                send(channel, notice)
                for alert in new:
                    announced[alert_key(alert)] = {
                        "subject": alert["subject"],
                        "message": alert["message"],
                        "announced_on": run_date.isoformat(),
                    }
                for item in recovered:
                    announced.pop(item["key"])
                state[channel.name] = announced
                save()
            sent = _send_digests(channel, config, published, run_date, digests, save)
        except DeliveryError as error:
            outcome = ChannelOutcome(channel.name, len(new), len(recovered), str(error))
        else:
            outcome = ChannelOutcome(channel.name, len(new), len(recovered), digests=sent)
        log(outcome.line)
        outcomes.append(outcome)
    return outcomes


def _send_digests(
    channel: Channel,
    config: AlertConfig,
    published: Path,
    run_date: date,
    digests: dict[str, dict[str, str]],
    save: Callable[[], None],
) -> tuple[str, ...]:
    """Each digest of the channel whose last complete period it has not had yet."""
    sent = []
    had = digests.setdefault(channel.name, {})
    departments = channel.filters.get("departments")
    for every in channel.digests:
        digest = build_digest(
            published, channel.role, every, run_date, departments, config.dashboard_url
        )
        if digest is None or had.get(every) == digest.period:
            continue
        send_mail(channel, digest.subject, digest.text, digest.html)
        had[every] = digest.period
        save()
        sent.append(f"{every} {digest.period}")
    return tuple(sent)
