"""What a channel receives: one notice per run with the alerts that are new to it and the
ones that recovered since it was told, in Japanese, in each channel's format. Pure
functions; sending is in channels.py."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

# A chat message lists this many alerts; the rest are counted and left to the dashboard.
SHOWN_IN_CHAT = 20
ALERTS_PAGE = "alerts.html"


@dataclass(frozen=True)
class Notice:
    """What one channel is told in one run."""

    run_date: date
    new: tuple[dict, ...] = ()  # rows of metrics.kpi_alerts
    recovered: tuple[dict, ...] = ()  # what was announced: key, subject, message
    dashboard_url: str | None = None

    @property
    def empty(self) -> bool:
        return not self.new and not self.recovered

    @property
    def title(self) -> str:
        parts = []
        if self.new:
            parts.append(f"未達アラート {len(self.new)} 件")
        if self.recovered:
            parts.append(f"回復 {len(self.recovered)} 件")
        return f"[kpitree] {self.run_date.isoformat()} " + " / ".join(parts)

    @property
    def link(self) -> str | None:
        return f"{self.dashboard_url}/{ALERTS_PAGE}" if self.dashboard_url else None


def recovery_line(announced: dict) -> str:
    return f"回復: {announced['subject']} は未達ではなくなりました"


def text_lines(notice: Notice, limit: int | None = SHOWN_IN_CHAT) -> list[str]:
    """The notice as plain lines: new alerts first, then recoveries, at most ``limit``."""
    lines = [f"● {alert['message']}" for alert in notice.new]
    lines += [f"○ {recovery_line(item)}" for item in notice.recovered]
    if limit is not None and len(lines) > limit:
        lines = [*lines[:limit], f"…ほか {len(lines) - limit} 件"]
    return lines


def slack_payload(notice: Notice) -> dict:
    """A Slack incoming-webhook message (mrkdwn text)."""
    body = "\n".join(text_lines(notice))
    link = f"\n<{notice.link}|ダッシュボードで見る>" if notice.link else ""
    return {"text": f"*{notice.title}*\n{body}{link}"}


def teams_payload(notice: Notice) -> dict:
    """A Microsoft Teams incoming webhook (Workflows) message: one Adaptive Card."""
    blocks = [{"type": "TextBlock", "text": notice.title, "weight": "Bolder", "wrap": True}]
    blocks += [{"type": "TextBlock", "text": line, "wrap": True} for line in text_lines(notice)]
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": blocks,
    }
    if notice.link:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": "ダッシュボードで見る", "url": notice.link}
        ]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }


def webhook_payload(notice: Notice) -> dict:
    """A generic JSON webhook: every new alert with its fields, every recovery."""
    return {
        "source": "kpitree",
        "run_date": notice.run_date.isoformat(),
        "title": notice.title,
        "dashboard_url": notice.link,
        "alerts": [
            {
                key: value.isoformat() if isinstance(value, date) else value
                for key, value in alert.items()
            }
            for alert in notice.new
        ],
        "recovered": [
            {"key": item["key"], "subject": item["subject"], "message": recovery_line(item)}
            for item in notice.recovered
        ],
    }


def email_bodies(notice: Notice) -> tuple[str, str]:
    """The mail's plain-text and HTML bodies (every alert, no limit)."""
    link = notice.link
    lines = text_lines(notice, limit=None)
    text = "\n".join([notice.title, "", *lines, *([f"\nダッシュボード: {link}"] if link else [])])
    sections = []
    for heading, items in (
        ("未達アラート", [alert["message"] for alert in notice.new]),
        ("回復", [recovery_line(item) for item in notice.recovered]),
    ):
        if items:
            listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
            sections.append(f"<h2>{heading}</h2><ul>{listed}</ul>")
    if link:
        sections.append(f'<p><a href="{html.escape(link)}">ダッシュボードで見る</a></p>')
    page = (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{html.escape(notice.title)}</title></head>"
        f"<body><h1>{html.escape(notice.title)}</h1>{''.join(sections)}</body></html>"
    )
    return text, page
