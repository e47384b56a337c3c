"""Slack senders against real HTTP servers on loopback: a webhook sink and a fake Web API."""

from __future__ import annotations

import dataclasses
import json
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from alerts.model import Alert
from alerts.slack import SlackBot, SlackWebhook
from scraper.errors import NotifyError
from tests.loopback import Loopback, Request, Route

HOOK = "/services/T000/B000/sekr1tWebhookPart"
TOKEN = "xoxb-1111-2222-sekr1tTokenValue"
ALERT = Alert(
    id="c" * 64,
    kind="stage",
    system="S-400",
    country="Turkey",
    old_stage="deal",
    new_stage="delivery",
    title="First S-400 battery reaches Ankara",
    url="https://news.example/a",
    source="Wire Feed",
    published=datetime(2024, 6, 2, 14, 30, tzinfo=UTC),
    evidence="The first S-400 battery reached Ankara.",
    names=("S-400", "Ankara"),
    sources=("news.example",),
)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=httpx.Timeout(2.0)) as http:
        yield http


def posted(server: Loopback, path: str) -> list[dict]:
    return [json.loads(r.body) for r in server.hits(path)]


def test_webhook_posts_block_kit_json(loopback: Loopback, client: httpx.Client) -> None:
    loopback.routes[HOOK] = Route(body=b"ok")
    hook = SlackWebhook(loopback.url + HOOK, client)
    assert hook.send(ALERT) == ""
    (body,) = posted(loopback, HOOK)
    assert body["blocks"][0]["text"]["text"] == "S-400 x Turkey: deal -> delivery"
    assert body["unfurl_links"] is False
    assert loopback.hits(HOOK)[0].headers["content-type"].startswith("application/json")


def test_webhook_sends_a_digest_as_one_message(loopback: Loopback, client: httpx.Client) -> None:
    loopback.routes[HOOK] = Route(body=b"ok")
    alerts = [dataclasses.replace(ALERT, id=str(n), title=f"Story {n}") for n in range(12)]
    SlackWebhook(loopback.url + HOOK, client).send_digest(alerts)
    (body,) = posted(loopback, HOOK)
    assert "12 alerts" in body["blocks"][0]["text"]["text"]
    assert all(f"Story {n}" in json.dumps(body) for n in range(12))


def test_webhook_429_carries_retry_after(loopback: Loopback, client: httpx.Client) -> None:
    loopback.routes[HOOK] = Route(status=429, headers={"Retry-After": "7"}, body=b"rate_limited")
    with pytest.raises(NotifyError) as caught:
        SlackWebhook(loopback.url + HOOK, client).send(ALERT)
    assert caught.value.retry_after == 7.0 and not caught.value.permanent
    assert caught.value.channel == "slack"


def test_webhook_500_is_transient(loopback: Loopback, client: httpx.Client) -> None:
    loopback.routes[HOOK] = Route(status=500, body=b"oops")
    with pytest.raises(NotifyError) as caught:
        SlackWebhook(loopback.url + HOOK, client).send(ALERT)
    assert not caught.value.permanent and caught.value.retry_after is None


@pytest.mark.parametrize(
    ("status", "body", "blocked"),
    [
        (400, b"invalid_payload", False),  # this message: given up
        (403, b"action_prohibited", True),  # every message until the set-up is fixed: they wait
        (404, b"no_service", True),
        (410, b"channel_is_archived", True),
    ],
)
def test_webhook_client_errors_give_up_the_message_or_block_the_channel(
    loopback: Loopback, client: httpx.Client, status: int, body: bytes, blocked: bool
) -> None:
    loopback.routes[HOOK] = Route(status=status, body=body)
    with pytest.raises(NotifyError) as caught:
        SlackWebhook(loopback.url + HOOK, client).send(ALERT)
    assert (caught.value.permanent, caught.value.blocked) == (not blocked, blocked)
    assert body.decode() in str(caught.value)


def test_webhook_refused_connection_is_transient_and_hides_the_url(client: httpx.Client) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hook = SlackWebhook(f"http://127.0.0.1:{port}{HOOK}", client)
    with pytest.raises(NotifyError) as caught:
        hook.send(ALERT)
    assert not caught.value.permanent
    assert "sekr1t" not in str(caught.value) and "sekr1t" not in repr(hook)


def test_webhook_429_is_rate_limited_and_500_is_not(loopback: Loopback, client: httpx.Client) -> None:
    # a rate limit never counts towards giving an alert up (the outbox's rule); a server error does
    loopback.routes[HOOK] = Route(status=429, headers={"Retry-After": "3600"}, body=b"rate_limited")
    with pytest.raises(NotifyError) as limited:
        SlackWebhook(loopback.url + HOOK, client).send(ALERT)
    loopback.routes[HOOK] = Route(status=500, body=b"oops")
    with pytest.raises(NotifyError) as failed:
        SlackWebhook(loopback.url + HOOK, client).send(ALERT)
    assert limited.value.rate_limited and not failed.value.rate_limited


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_webhook_redirect_is_no_delivery(loopback: Loopback, client: httpx.Client, status: int) -> None:
    # a redirect is not followed, so the message went nowhere: the channel is held until the URL is fixed
    loopback.routes[HOOK] = Route(
        status=status, headers={"Location": "https://elsewhere.example/x"}, body=b""
    )
    with pytest.raises(NotifyError) as caught:
        SlackWebhook(loopback.url + HOOK, client).send(ALERT)
    assert caught.value.blocked and not caught.value.permanent
    assert "redirect" in str(caught.value)


def test_webhook_error_page_echoing_the_url_is_not_quoted(loopback: Loopback, client: httpx.Client) -> None:
    # a proxy's error page may echo the request path, which is the webhook's secret
    loopback.routes[HOOK] = Route(status=400, body=f"Access denied for {HOOK}".encode())
    with pytest.raises(NotifyError) as caught:
        SlackWebhook(loopback.url + HOOK, client).send(ALERT)
    assert caught.value.permanent and "400" in str(caught.value)
    assert "sekr1t" not in str(caught.value)


@pytest.mark.parametrize("host", ["hooks.slack.example:abc", "hooks.slack..example", "xn--a.example"])
def test_webhook_url_no_client_can_use_holds_the_alerts(client: httpx.Client, host: str) -> None:
    # the configuration check refuses it at start; a sender given one anyway holds the alerts, never gives up
    # (a host with an empty label raised UnicodeError out of the run, past the other channels)
    with pytest.raises(NotifyError) as caught:
        SlackWebhook(f"https://{host}{HOOK}", client).send(ALERT)
    assert caught.value.blocked and "sekr1t" not in str(caught.value)


def test_webhook_timeout_is_transient(loopback: Loopback) -> None:
    def slow(_: Request) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.0)
        return 200, {}, b"ok"

    loopback.routes[HOOK] = Route(handler=slow)
    with httpx.Client(timeout=0.2) as http, pytest.raises(NotifyError) as caught:
        SlackWebhook(loopback.url + HOOK, http).send(ALERT)
    assert not caught.value.permanent and "timed out" in str(caught.value)
    # Slack got the request and may have posted it: the report says the retry may repeat it.
    assert "it may have arrived" in str(caught.value)


def test_webhook_cannot_thread(loopback: Loopback, client: httpx.Client) -> None:
    hook = SlackWebhook(loopback.url + HOOK, client)
    assert hook.threads is False
    with pytest.raises(NotImplementedError):
        hook.reply("1.2", ALERT)


class FakeSlackApi:
    """chat.postMessage as Slack answers it: checks the token, hands out increasing ts values."""

    def __init__(self, server: Loopback) -> None:
        self.messages: list[dict] = []
        self.fail_with: tuple[int, dict[str, str], dict] | None = None
        server.routes["/api/chat.postMessage"] = Route(handler=self.post_message)

    def post_message(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        json_type = {"Content-Type": "application/json"}
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return 200, json_type, b'{"ok": false, "error": "invalid_auth"}'
        if self.fail_with is not None:
            status, headers, answer = self.fail_with
            return status, {**json_type, **headers}, json.dumps(answer).encode()
        body = json.loads(request.body)
        self.messages.append(body)
        ts = f"1717000000.{len(self.messages):06d}"
        return 200, json_type, json.dumps({"ok": True, "channel": body["channel"], "ts": ts}).encode()


def bot(server: Loopback, http: httpx.Client, token: str = TOKEN) -> SlackBot:
    return SlackBot(token, "C0ALERTS", http, base_url=server.url + "/api")


def test_bot_posts_and_replies_in_the_thread(loopback: Loopback, client: httpx.Client) -> None:
    api = FakeSlackApi(loopback)
    sender = bot(loopback, client)
    ts = sender.send(ALERT)
    assert ts == "1717000000.000001"
    later = dataclasses.replace(
        ALERT,
        kind="also_reported",
        source="Second Wire",
        url="https://two.example/b",
        title="Turkey receives S-400s",
    )
    reply_ts = sender.reply(ts, later)
    assert reply_ts == "1717000000.000002"
    first, reply = api.messages
    assert first["channel"] == "C0ALERTS" and "thread_ts" not in first
    assert reply["thread_ts"] == ts
    assert reply["text"].startswith("Also reported by *Second Wire* (delivery): <https://two.example/b|")


def test_bot_digest_returns_its_ts(loopback: Loopback, client: httpx.Client) -> None:
    api = FakeSlackApi(loopback)
    assert bot(loopback, client).send_digest([ALERT, ALERT]) == "1717000000.000001"
    assert "2 alerts" in api.messages[0]["blocks"][0]["text"]["text"]


def test_bot_ratelimited_carries_retry_after(loopback: Loopback, client: httpx.Client) -> None:
    api = FakeSlackApi(loopback)
    api.fail_with = (429, {"Retry-After": "30"}, {"ok": False, "error": "ratelimited"})
    with pytest.raises(NotifyError) as caught:
        bot(loopback, client).send(ALERT)
    assert caught.value.retry_after == 30.0 and not caught.value.permanent


@pytest.mark.parametrize(
    ("error", "permanent", "blocked"),
    [
        ("channel_not_found", False, True),
        ("not_in_channel", False, True),
        ("token_revoked", False, True),
        ("invalid_blocks", True, False),
        ("internal_error", False, False),
    ],
)
def test_bot_slack_errors_are_classified(
    loopback: Loopback, client: httpx.Client, error: str, permanent: bool, blocked: bool
) -> None:
    api = FakeSlackApi(loopback)
    api.fail_with = (200, {}, {"ok": False, "error": error})
    with pytest.raises(NotifyError) as caught:
        bot(loopback, client).send(ALERT)
    assert (caught.value.permanent, caught.value.blocked) == (permanent, blocked)
    assert error in str(caught.value)


def test_bot_token_never_appears_in_errors(loopback: Loopback, client: httpx.Client) -> None:
    FakeSlackApi(loopback)
    wrong = "xoxb-9999-sekr1tWrongToken"
    sender = bot(loopback, client, token=wrong)
    with pytest.raises(NotifyError) as caught:
        sender.send(ALERT)
    assert "invalid_auth" in str(caught.value) and caught.value.blocked
    assert "sekr1t" not in str(caught.value) and "sekr1t" not in repr(sender)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = SlackBot(wrong, "C0ALERTS", client, base_url=f"http://127.0.0.1:{port}/api")
    with pytest.raises(NotifyError) as caught:
        refused.send(ALERT)
    assert "sekr1t" not in str(caught.value) and not caught.value.permanent


def test_one_slack_client_per_container_and_none_without_slack(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warm runs reuse the Slack client (no new connection pool, no leaked one per run); a run that
    alerts on the console or by email makes none."""
    from scraper import runtime
    from scraper.config import read_config

    monkeypatch.setattr(runtime, "_CACHE", {})
    made: list[object] = []
    real = httpx.Client

    def counting(*args: object, **kwargs: object) -> httpx.Client:
        made.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return made[-1]  # type: ignore[return-value]

    monkeypatch.setattr(httpx, "Client", counting)
    console = runtime.build_notifiers(read_config({}))
    assert list(console) == ["console"] and made == []
    env = {"SLACK_WEBHOOK_URL": "https://hooks.slack.example/services/T/B/x"}
    first = runtime.build_notifiers(read_config(env))["slack"]
    second = runtime.build_notifiers(read_config(env))["slack"]
    assert len(made) == 1
    assert first._client is second._client is made[0]
