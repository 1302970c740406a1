"""The alert channels file (``KPITREE_ALERTS``; docs/alerts.md): which channels get which
alerts. Secrets (webhook URLs, SMTP passwords) are named by environment variable, never
written in the file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from orchestration.alerts.digest import DIGESTS
from orchestration.dashboard.data import ROLES

CHANNEL_TYPES = ("slack", "teams", "webhook", "email")
# Which alerts a channel gets: each key filters the column of metrics.kpi_alerts it names.
FILTERS = {
    "departments": "owner_department",
    "kpis": "kpi_name",
    "grains": "grain",
    "dimensions": "dimension",
}
_HTTP_KEYS = {"url_env"}
_EMAIL_KEYS = {
    "role",
    "digests",
    "to",
    "sender",
    "smtp_host",
    "smtp_port",
    "starttls",
    "username_env",
    "password_env",
}
_COMMON_KEYS = {"name", "type", *FILTERS}


class AlertConfigError(ValueError):
    """The channels file is wrong; the message names the file, the channel and the key."""


@dataclass(frozen=True)
class Channel:
    name: str
    type: str
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    url_env: str | None = None
    to: tuple[str, ...] = ()
    sender: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    starttls: bool = False
    username_env: str | None = None
    password_env: str | None = None
    role: str | None = None  # rep | manager | exec: whose digests (digest.py)
    digests: tuple[str, ...] = ()  # weekly, monthly

    def wants(self, alert: dict) -> bool:
        """Whether this channel gets ``alert`` (a row of metrics.kpi_alerts)."""
        return all(alert.get(FILTERS[key]) in allowed for key, allowed in self.filters.items())

    def secret(self, env_name: str | None) -> str | None:
        return os.environ.get(env_name) if env_name else None

    def url(self) -> str:
        """The webhook URL from its environment variable; an error naming it if unset."""
        value = self.secret(self.url_env)
        if not value:
            raise AlertConfigError(
                f"channel {self.name}: environment variable {self.url_env} (url_env) is not set"
            )
        return value


@dataclass(frozen=True)
class AlertConfig:
    source: Path
    dashboard_url: str | None
    channels: tuple[Channel, ...]


def load_config(path: Path) -> AlertConfig:
    """Read and check the channels file; AlertConfigError says what is wrong where."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise AlertConfigError(f"{path}: cannot read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise AlertConfigError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise AlertConfigError(f"{path}: expected a mapping with `channels:`")
    unknown = set(data) - {"dashboard_url", "channels"}
    if unknown:
        raise AlertConfigError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))} (known: dashboard_url, channels)"
        )
    entries = data.get("channels") or []
    if not isinstance(entries, list):
        raise AlertConfigError(f"{path}: `channels` must be a list")
    channels = [_channel(path, index, entry) for index, entry in enumerate(entries, 1)]
    names = [channel.name for channel in channels]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise AlertConfigError(f"{path}: channel name(s) used twice: {', '.join(duplicates)}")
    dashboard = data.get("dashboard_url")
    return AlertConfig(path, str(dashboard).rstrip("/") if dashboard else None, tuple(channels))


def _channel(path: Path, index: int, entry: object) -> Channel:
    where = f"{path}: channel {index}"
    if not isinstance(entry, dict):
        raise AlertConfigError(f"{where}: expected a mapping")
    name = entry.get("name")
    if not name:
        raise AlertConfigError(f"{where}: `name` is required")
    where = f"{path}: channel {name}"
    kind = entry.get("type")
    if kind not in CHANNEL_TYPES:
        raise AlertConfigError(f"{where}: type {kind!r} is not one of {', '.join(CHANNEL_TYPES)}")
    allowed = _COMMON_KEYS | (_EMAIL_KEYS if kind == "email" else _HTTP_KEYS)
    unknown = set(entry) - allowed
    if unknown:
        raise AlertConfigError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))} for type {kind} "
            f"(known: {', '.join(sorted(allowed))})"
        )
    filters = {}
    for key in FILTERS:
        if key in entry:
            values = entry[key]
            if isinstance(values, str) or not isinstance(values, list) or not values:
                raise AlertConfigError(f"{where}: `{key}` must be a non-empty list")
            filters[key] = tuple(str(value) for value in values)
    if kind == "email":
        for key in ("to", "sender", "smtp_host"):
            if not entry.get(key):
                raise AlertConfigError(f"{where}: `{key}` is required for type email")
        to = entry["to"]
        role, digests = entry.get("role"), entry.get("digests") or []
        if role is not None and role not in ROLES:
            raise AlertConfigError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
        if not isinstance(digests, list) or any(d not in DIGESTS for d in digests):
            raise AlertConfigError(f"{where}: `digests` must be a list of {', '.join(DIGESTS)}")
        if digests and role is None:
            raise AlertConfigError(f"{where}: `digests` needs a `role` ({', '.join(ROLES)})")
        return Channel(
            name=str(name),
            type=kind,
            filters=filters,
            to=tuple(to) if isinstance(to, list) else (str(to),),
            sender=str(entry["sender"]),
            smtp_host=str(entry["smtp_host"]),
            smtp_port=int(entry.get("smtp_port", 25)),
            starttls=bool(entry.get("starttls", False)),
            username_env=entry.get("username_env"),
            password_env=entry.get("password_env"),
            role=role,
            digests=tuple(digests),
        )
    if not entry.get("url_env"):
        raise AlertConfigError(
            f"{where}: `url_env` is required for type {kind} (the name of the environment "
            "variable holding the webhook URL)"
        )
    return Channel(name=str(name), type=kind, filters=filters, url_env=str(entry["url_env"]))
