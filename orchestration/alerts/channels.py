"""Sending a notice: HTTP POST of JSON for Slack, Teams and generic webhooks, SMTP for
e-mail. Each send either completes or raises DeliveryError saying why."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage

from orchestration.alerts.config import AlertConfigError, Channel
from orchestration.alerts.messages import (
    Notice,
    email_bodies,
    slack_payload,
    teams_payload,
    webhook_payload,
)

TIMEOUT_SECONDS = 15
PAYLOADS = {"slack": slack_payload, "teams": teams_payload, "webhook": webhook_payload}


class DeliveryError(RuntimeError):
    """A channel could not be told; the message says why (never the secret URL)."""


def send(channel: Channel, notice: Notice) -> None:
    try:
        if channel.type == "email":
            _send_mail(channel, notice)
        else:
            _post_json(channel, PAYLOADS[channel.type](notice))
    except AlertConfigError as error:
        raise DeliveryError(str(error)) from error


def _post_json(channel: Channel, payload: dict) -> None:
    request = urllib.request.Request(
        channel.url(),
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "kpitree"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise DeliveryError(
            f"channel {channel.name}: the webhook answered HTTP {error.code} {error.reason}"
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(
            f"channel {channel.name}: cannot reach the webhook: {reason}"
        ) from error


def send_mail(channel: Channel, subject: str, text: str, page: str) -> None:
    """One multipart mail (plain text and HTML) to the channel's addresses."""
    try:
        _smtp(channel, subject, text, page)
    except AlertConfigError as error:
        raise DeliveryError(str(error)) from error


def _send_mail(channel: Channel, notice: Notice) -> None:
    text, page = email_bodies(notice)
    _smtp(channel, notice.title, text, page)


def _smtp(channel: Channel, subject: str, text: str, page: str) -> None:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.to)
    message.set_content(text)
    message.add_alternative(page, subtype="html")
    user, password = channel.secret(channel.username_env), channel.secret(channel.password_env)
    if channel.username_env and not user:
        raise DeliveryError(
            f"channel {channel.name}: environment variable {channel.username_env} "
            "(username_env) is not set"
        )
    try:
        with smtplib.SMTP(channel.smtp_host, channel.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            if channel.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if user:
                smtp.login(user, password or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(
            f"channel {channel.name}: SMTP {channel.smtp_host}:{channel.smtp_port}: {error}"
        ) from error
