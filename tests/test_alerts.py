"""Alert delivery (docs/alerts.md) against real receivers started here: an HTTP server that
records what Slack, Teams and a JSON webhook would receive, and an SMTP server (aiosmtpd)
that records the mail. Each off-track alert reaches a channel once, a recovery once, a
failing channel is retried and never stops the others or the run."""

from __future__ import annotations

import json
import socket
import threading
from datetime import date
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

from orchestration.alerts.config import AlertConfigError, Channel, load_config
from orchestration.alerts.delivery import alert_key, deliver, load_state, plan
from orchestration.alerts.messages import Notice, slack_payload, text_lines
from tests.conftest import REPO, query

RUN_DATE = date(2026, 4, 10)


def _alert(kpi, grain, period, dimension, value, department, subject) -> dict:
    return {
        "kpi_name": kpi,
        "grain": grain,
        "period_start": date.fromisoformat(period),
        "dimension": dimension,
        "dimension_value": value,
        "status": "off_track",
        "owner_department": department,
        "subject": subject,
        "message": f"{subject}: 実績 … — 未達",
    }


CALLS = _alert(
    "call_count",
    "month",
    "2026-03-01",
    "all",
    "all",
    "inside_sales",
    "架電数 (call_count) 2026年3月",
)
CALLS_U1 = _alert(
    "call_count",
    "week",
    "2026-03-09",
    "owner",
    "u1",
    "inside_sales",
    "架電数 (call_count) 2026年 第11週 [担当者: u1]",
)
LEADS = _alert(
    "lead_count",
    "month",
    "2026-03-01",
    "all",
    "all",
    "marketing",
    "リード数 (lead_count) 2026年3月",
)
WON = _alert(
    "won_amount",
    "fiscal_year",
    "2025-04-01",
    "all",
    "all",
    "field_sales",
    "受注金額 (won_amount) 2025年度",
)


# --- receivers ---------------------------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, dict]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/fail":
            self.send_response(500)
            self.end_headers()
            return
        self.server.received.append((self.path, json.loads(body.decode("utf-8"))))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


# --- a published file and a channels file ------------------------------------------------


def _published(path: Path, alerts: list[dict]) -> Path:
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("create schema metrics")
    con.execute(
        "create table metrics.kpi_alerts (kpi_name varchar, grain varchar, period_start date, "
        "dimension varchar, dimension_value varchar, status varchar, owner_department varchar, "
        "subject varchar, message varchar)"
    )
    for alert in alerts:
        con.execute("insert into metrics.kpi_alerts values (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            alert[c] for c in ("kpi_name", "grain", "period_start", "dimension",
                               "dimension_value", "status", "owner_department", "subject",
                               "message")
        ])  # fmt: skip
    con.close()
    return path


def _channels(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "alerts.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _all_channels(tmp_path: Path, smtp_port: int) -> Path:
    return _channels(
        tmp_path,
        f"""
dashboard_url: https://kpi.example.jp/kpitree/
channels:
  - name: is-slack
    type: slack
    url_env: TEST_SLACK_URL
    departments: [inside_sales]
  - name: teams
    type: teams
    url_env: TEST_TEAMS_URL
  - name: hook
    type: webhook
    url_env: TEST_HOOK_URL
  - name: mail
    type: email
    to: [manager@example.jp]
    sender: kpitree@example.jp
    smtp_host: 127.0.0.1
    smtp_port: {smtp_port}
""",
    )


@pytest.fixture
def env(monkeypatch, http_receiver):
    base = f"http://127.0.0.1:{http_receiver.server_address[1]}"
    monkeypatch.setenv("TEST_SLACK_URL", f"{base}/slack")
    monkeypatch.setenv("TEST_TEAMS_URL", f"{base}/teams")
    monkeypatch.setenv("TEST_HOOK_URL", f"{base}/hook")
    return base


def _posts(receiver, path: str) -> list[dict]:
    return [body for where, body in receiver.received if where == path]


# --- the pure parts ----------------------------------------------------------------------


def test_a_channel_gets_what_its_filters_name_and_only_what_it_was_not_told() -> None:
    channel = Channel(name="is", type="slack", filters={"departments": ("inside_sales",)})
    told = {alert_key(CALLS): {"subject": CALLS["subject"], "message": CALLS["message"]}}
    gone = _alert("connect_rate", "month", "2026-02-01", "all", "all", "inside_sales", "コネクト率")
    told[alert_key(gone)] = {"subject": gone["subject"], "message": gone["message"]}
    new, recovered = plan(channel, [CALLS, CALLS_U1, LEADS, WON], told)
    assert new == [CALLS_U1]  # CALLS was told; LEADS and WON belong to other departments
    assert [item["key"] for item in recovered] == [alert_key(gone)]
    assert alert_key(CALLS) == "call_count|month|2026-03-01|all|all"


def test_a_chat_message_lists_twenty_alerts_and_counts_the_rest() -> None:
    many = tuple(
        _alert("calls", "day", f"2026-03-{day:02d}", "all", "all", "is", f"架電数 3月{day}日")
        for day in range(1, 26)
    )
    lines = text_lines(Notice(RUN_DATE, new=many))
    assert len(lines) == 21 and lines[-1] == "…ほか 5 件"
    text = slack_payload(Notice(RUN_DATE, new=many[:1], dashboard_url="https://x.jp/d"))["text"]
    assert text.startswith("*[kpitree] 2026-04-10 未達アラート 1 件*\n● 架電数 3月1日: 実績")
    assert text.endswith("<https://x.jp/d/alerts.html|ダッシュボードで見る>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("channels:\n  - {name: a, type: sms, url_env: X}\n",
         "channel a: type 'sms' is not one of"),
        ("channels:\n  - {name: a, type: slack}\n",
         "channel a: `url_env` is required for type slack"),
        ("channels:\n  - {name: a, type: slack, url: 'https://hooks', url_env: X}\n",
         "channel a: unknown key(s) url for type slack"),
        ("channels:\n  - {name: m, type: email, to: [a@b.jp], sender: k@b.jp}\n",
         "channel m: `smtp_host` is required for type email"),
        ("channels:\n  - {name: a, type: slack, url_env: X, grains: month}\n",
         "channel a: `grains` must be a non-empty list"),
        ("channels:\n  - {name: a, type: slack, url_env: X}\n"
         "  - {name: a, type: teams, url_env: Y}\n",
         "channel name(s) used twice: a"),
    ],
)  # fmt: skip
def test_a_wrong_channels_file_is_refused_naming_the_channel_and_key(tmp_path, text, expected):
    with pytest.raises(AlertConfigError) as refused:
        load_config(_channels(tmp_path, text))
    assert expected in str(refused.value)
    assert str(tmp_path / "alerts.yml") in str(refused.value)


# --- delivered to real receivers -----------------------------------------------------------


def test_each_alert_is_sent_once_and_each_recovery_once(
    tmp_path, env, http_receiver, smtp_server
) -> None:
    controller, mailbox = smtp_server
    config = load_config(_all_channels(tmp_path, controller.port))
    state = tmp_path / "alerts_sent.json"
    published = _published(tmp_path / "kpitree.duckdb", [CALLS, LEADS])

    outcomes = deliver(config, published, state, RUN_DATE, log=lambda _: None)
    assert [(o.channel, o.new, o.recovered, o.error) for o in outcomes] == [
        ("is-slack", 1, 0, None),
        ("teams", 2, 0, None),
        ("hook", 2, 0, None),
        ("mail", 2, 0, None),
    ]
    (slack,) = _posts(http_receiver, "/slack")
    assert CALLS["message"] in slack["text"] and LEADS["message"] not in slack["text"]
    (teams,) = _posts(http_receiver, "/teams")
    card = teams["attachments"][0]["content"]
    assert teams["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert [block["text"] for block in card["body"]][1:] == [
        f"● {CALLS['message']}",
        f"● {LEADS['message']}",
    ]
    assert card["actions"][0]["url"] == "https://kpi.example.jp/kpitree/alerts.html"
    (hook,) = _posts(http_receiver, "/hook")
    assert [a["kpi_name"] for a in hook["alerts"]] == ["call_count", "lead_count"]
    assert hook["alerts"][0]["period_start"] == "2026-03-01" and hook["recovered"] == []
    (recipients, mail) = mailbox.messages[0]
    assert recipients == ["manager@example.jp"]
    assert mail["Subject"] == "[kpitree] 2026-04-10 未達アラート 2 件"
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "<h2>未達アラート</h2>" in html and "リード数 (lead_count) 2026年3月" in html
    assert CALLS["message"] in mail.get_body(preferencelist=("plain",)).get_content()

    # The same alerts again: nobody is told anything.
    again = deliver(config, published, state, RUN_DATE, log=lambda _: None)
    assert [(o.new, o.recovered) for o in again] == [(0, 0)] * 4
    assert len(http_receiver.received) == 3 and len(mailbox.messages) == 1

    # CALLS recovered, WON is new: one notice each, with both.
    _published(published, [LEADS, WON])
    deliver(config, published, state, RUN_DATE, log=lambda _: None)
    slack = _posts(http_receiver, "/slack")[-1]["text"]
    assert slack == (
        "*[kpitree] 2026-04-10 回復 1 件*\n"
        "○ 回復: 架電数 (call_count) 2026年3月 は未達ではなくなりました\n"
        "<https://kpi.example.jp/kpitree/alerts.html|ダッシュボードで見る>"
    )
    hook = _posts(http_receiver, "/hook")[-1]
    assert [a["kpi_name"] for a in hook["alerts"]] == ["won_amount"]
    assert [r["key"] for r in hook["recovered"]] == [alert_key(CALLS)]
    assert (
        mailbox.messages[-1][1]["Subject"] == "[kpitree] 2026-04-10 未達アラート 1 件 / 回復 1 件"
    )
    assert sorted(load_state(state)["hook"]) == sorted([alert_key(LEADS), alert_key(WON)])


def test_a_failing_channel_is_retried_and_does_not_stop_the_others(
    tmp_path, env, http_receiver, monkeypatch
) -> None:
    config = load_config(
        _channels(
            tmp_path,
            "channels:\n"
            "  - {name: down, type: webhook, url_env: TEST_DOWN_URL}\n"
            "  - {name: unset, type: slack, url_env: TEST_NEVER_SET}\n"
            "  - {name: hook, type: webhook, url_env: TEST_HOOK_URL}\n",
        )
    )
    monkeypatch.setenv("TEST_DOWN_URL", f"{env}/fail")
    monkeypatch.delenv("TEST_NEVER_SET", raising=False)
    state = tmp_path / "alerts_sent.json"
    published = _published(tmp_path / "kpitree.duckdb", [CALLS])
    logged: list[str] = []

    first = deliver(config, published, state, RUN_DATE, log=logged.append)
    errors = {o.channel: o.error for o in first}
    assert errors["down"] == "channel down: the webhook answered HTTP 500 Internal Server Error"
    assert errors["unset"] == (
        "channel unset: environment variable TEST_NEVER_SET (url_env) is not set"
    )
    assert errors["hook"] is None
    assert "down: not delivered (" in logged[0] and "retried on the next run" in logged[0]
    assert set(load_state(state)) == {"hook"}

    monkeypatch.setenv("TEST_DOWN_URL", f"{env}/down-is-up")
    second = deliver(config, published, state, RUN_DATE, log=lambda _: None)
    assert [(o.channel, o.new, o.error is None) for o in second] == [
        ("down", 1, True),
        ("unset", 1, False),
        ("hook", 0, True),
    ]
    assert [a["kpi_name"] for a in _posts(http_receiver, "/down-is-up")[0]["alerts"]] == [
        "call_count"
    ]


@pytest.mark.pipeline
def test_delivery_runs_after_publishing_and_a_failing_channel_fails_nothing(
    tmp_path, pipeline_runs, http_receiver, env, monkeypatch
) -> None:
    """In the Dagster graph alert_deliveries comes after the dashboard, which comes after
    publish; materialized on a published file it sends every off-track alert of the file,
    and a channel that cannot be reached is reported while the run still succeeds."""
    from dagster import AssetKey, materialize

    from orchestration.assets.alerts import alert_deliveries
    from orchestration.assets.dashboard import dashboard_site
    from orchestration.definitions import build_definitions
    from orchestration.resources import KpitreeResource
    from orchestration.settings import WarehousePaths

    landing = REPO / "tests" / "e2e" / "handbuilt" / "landing"
    warehouse = pipeline_runs.copy(landing, tmp_path / "run")
    graph = build_definitions(landing, warehouse).resolve_asset_graph()
    assert graph.get(AssetKey("alert_deliveries")).parent_keys == {AssetKey("dashboard_site")}
    assert graph.get(AssetKey("dashboard_site")).parent_keys == {AssetKey("published_warehouse")}

    channels = _channels(
        tmp_path,
        "channels:\n"
        "  - {name: hook, type: webhook, url_env: TEST_HOOK_URL}\n"
        "  - {name: down, type: webhook, url_env: TEST_DOWN_URL}\n",
    )
    monkeypatch.setenv("TEST_DOWN_URL", f"{env}/fail")
    monkeypatch.setenv("KPITREE_ALERTS", str(channels))
    kpitree = KpitreeResource(landing_dir=str(landing), warehouse=str(warehouse))
    result = materialize([dashboard_site, alert_deliveries], resources={"kpitree": kpitree})
    assert result.success
    (delivery,) = [
        event.materialization.metadata
        for event in result.get_asset_materialization_events()
        if event.asset_key == AssetKey("alert_deliveries")
    ]
    assert delivery["channels failed"].value == "down"
    published = query(
        warehouse,
        "select kpi_name, grain, cast(period_start as varchar), dimension, dimension_value "
        "from metrics.kpi_alerts order by all",
    )
    assert published, "the hand-built set has off-track KPIs"
    (hook,) = _posts(http_receiver, "/hook")
    sent = sorted(
        (a["kpi_name"], a["grain"], a["period_start"], a["dimension"], a["dimension_value"])
        for a in hook["alerts"]
    )
    assert sent == published
    assert set(load_state(WarehousePaths(warehouse).alerts_state)) == {"hook"}


def test_kpitree_alerts_sends_now_and_exits_1_while_a_channel_fails(
    tmp_path, env, http_receiver, monkeypatch
) -> None:
    from typer.testing import CliRunner

    from orchestration.cli import app

    runner = CliRunner()
    published = _published(tmp_path / "kpitree.duckdb", [CALLS])
    monkeypatch.delenv("KPITREE_ALERTS", raising=False)
    missing = runner.invoke(app, ["alerts", "--warehouse", str(published)])
    assert missing.exit_code == 2
    assert "no alert channels file: pass --config FILE or set KPITREE_ALERTS" in missing.output

    monkeypatch.setenv("TEST_DOWN_URL", f"{env}/fail")
    channels = _channels(
        tmp_path,
        "channels:\n"
        "  - {name: hook, type: webhook, url_env: TEST_HOOK_URL}\n"
        "  - {name: down, type: webhook, url_env: TEST_DOWN_URL}\n",
    )
    args = ["alerts", "--warehouse", str(published), "--config", str(channels)]
    first = runner.invoke(app, args)
    assert first.exit_code == 1, first.output
    assert "hook: 1 new alert(s), 0 recovered" in first.output
    assert "down: not delivered (channel down: the webhook answered HTTP 500" in first.output
    monkeypatch.setenv("TEST_DOWN_URL", f"{env}/down")
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "hook: nothing new" in second.output and "down: 1 new alert(s)" in second.output
    assert len(_posts(http_receiver, "/hook")) == 1 and len(_posts(http_receiver, "/down")) == 1


@pytest.mark.pipeline
def test_digests_are_mailed_once_per_period_per_role(tmp_path, pipeline_runs, smtp_server) -> None:
    """An e-mail channel with a role gets the last complete month (or week) once: exec the
    company's KPIs with target and status, manager its department's teams."""
    controller, mailbox = smtp_server
    published = pipeline_runs.published(REPO / "tests" / "e2e" / "handbuilt" / "landing")
    config = load_config(
        _channels(
            tmp_path,
            f"""
dashboard_url: https://kpi.example.jp
channels:
  - {{name: board, type: email, to: [ceo@example.jp], sender: k@example.jp,
      smtp_host: 127.0.0.1, smtp_port: {controller.port}, role: exec, digests: [monthly],
      kpis: [no_alert_matches_this]}}
  - {{name: fs-managers, type: email, to: [fs@example.jp], sender: k@example.jp,
      smtp_host: 127.0.0.1, smtp_port: {controller.port}, role: manager,
      digests: [weekly, monthly], departments: [field_sales], kpis: [no_alert_matches_this]}}
""",
        )
    )
    state = tmp_path / "alerts_sent.json"
    first = deliver(config, published, state, date(2026, 5, 10), log=lambda _: None)
    assert [o.digests for o in first] == [
        ("monthly 2026-04-01",),
        ("weekly 2026-04-27", "monthly 2026-04-01"),
    ]
    subjects = [mail["Subject"] for _, mail in mailbox.messages]
    assert subjects == [
        "[kpitree] 月次ダイジェスト (経営) 2026年4月",
        "[kpitree] 週次ダイジェスト (マネージャー) 2026年 第18週",
        "[kpitree] 月次ダイジェスト (マネージャー) 2026年4月",
    ]
    board = mailbox.messages[0][1].get_body(preferencelist=("html",)).get_content()
    ((won,),) = query(
        published,
        "select display_text from metrics.kpi_report where kpi_name = 'won_amount' "
        "and grain = 'month' and period_start = date '2026-04-01' and dimension = 'all'",
    )
    assert f"<td>受注金額</td><td>{won}</td>" in board
    assert "https://kpi.example.jp/exec_monthly.html" in board
    teams = mailbox.messages[2][1].get_body(preferencelist=("plain",)).get_content()
    shown = {
        line.split(" / ")[0].removeprefix("チーム ")
        for line in teams.splitlines()
        if line.startswith("チーム ")
    }
    assert shown and shown <= {"east", "west"}  # the hand-built set's field_sales teams

    again = deliver(config, published, state, date(2026, 5, 10), log=lambda _: None)
    assert [o.digests for o in again] == [(), ()] and len(mailbox.messages) == 3
    later = deliver(config, published, state, date(2026, 6, 2), log=lambda _: None)
    assert [o.digests for o in later] == [
        ("monthly 2026-05-01",),
        ("weekly 2026-05-25", "monthly 2026-05-01"),
    ]
