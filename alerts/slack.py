"""Slack senders: an incoming webhook, and chat.postMessage with a bot token (for threads).

Both only classify failures for the outbox: 429 -> ``NotifyError(retry_after=...)`` from
Retry-After; 5xx, refused connections and timeouts -> transient; other 4xx and Slack's
permanent error codes -> ``permanent=True``. The webhook URL and the bot token are secrets:
neither ever appears in an exception message (httpx's own messages are not passed on).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import httpx

from alerts.model import Alert
from alerts.render import render_slack, render_slack_digest, render_slack_reply, slack_digest_parts
from scraper.errors import NotifyError

CHANNEL = "slack"
# Slack Web API error codes that a retry may fix; every other ``ok: false`` is permanent.
_TRANSIENT_ERRORS = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "team_added_to_org",
    }
)
# Errors that every message will meet until the set-up is fixed: the alerts wait for it.
_BLOCKING_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "restricted_action",
        "team_access_not_granted",
        "ekm_access_denied",
    }
)
_NO_UNFURL = {"unfurl_links": False, "unfurl_media": False}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _post(
    client: httpx.Client, url: str, payload: dict[str, Any], headers: dict[str, str], what: str
) -> httpx.Response:
    """POST JSON, turning transport failures into a transient NotifyError without the URL."""
    try:
        return client.post(url, json=payload, headers=headers)
    except httpx.ReadTimeout as exc:  # sent, no answer: Slack may have posted it (no idempotency key)
        raise NotifyError(
            CHANNEL, f"{what} timed out waiting for an answer (it may have arrived; it is sent again)"
        ) from exc
    except httpx.TimeoutException as exc:
        raise NotifyError(CHANNEL, f"{what} timed out ({type(exc).__name__})") from exc
    # InvalidURL is no HTTPError; a host the resolver cannot encode ("hooks.slack..com") raises UnicodeError
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError) as exc:
        # the configured URL itself is wrong: every message meets it until it is fixed, so the alerts wait
        raise NotifyError(CHANNEL, f"{what} URL is not usable ({type(exc).__name__})", blocked=True) from exc
    except httpx.TransportError as exc:
        raise NotifyError(CHANNEL, f"{what} unreachable ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:  # e.g. a broken compressed body: still this channel's failure
        raise NotifyError(CHANNEL, f"{what} failed ({type(exc).__name__})") from exc


# Slack answers a refusal with a short error code ("invalid_payload", "no_service"); any other body (a proxy's
# error page) may echo the request URL, whose path is the webhook's secret, so it is never quoted.
_ERROR_CODE = re.compile(r"[a-z0-9_]{1,60}")


def _check_status(response: httpx.Response, what: str) -> None:
    status = response.status_code
    if status == 429:
        raise NotifyError(
            CHANNEL, f"{what} rate limited (429)", retry_after=_retry_after(response), rate_limited=True
        )
    if status >= 500:
        raise NotifyError(CHANNEL, f"{what} answered {status}", retry_after=_retry_after(response))
    if 300 <= status < 400:
        # Slack's endpoints do not redirect, and a redirect is not followed (the SSRF guard's rule): the URL is
        # wrong or moved, and every message would meet it until it is fixed. Never "sent".
        raise NotifyError(CHANNEL, f"{what} answered a redirect ({status}): check the URL", blocked=True)
    if status >= 400 or status < 200:
        # 400 invalid_payload / invalid_blocks: this message. 401/403 invalid_token or
        # action_prohibited, 404 no_service, 410 channel_is_archived: every message, until fixed.
        body = response.text.strip()
        answer = f"{status} {body}" if _ERROR_CODE.fullmatch(body) else str(status)
        if status in (401, 403, 404, 410):
            raise NotifyError(CHANNEL, f"{what} refuses every message ({answer})", blocked=True)
        raise NotifyError(CHANNEL, f"{what} refused the message ({answer})", permanent=True)


class SlackWebhook:
    """Posts Block Kit messages to an incoming webhook. Webhooks cannot thread: ``reply`` raises
    ``NotImplementedError`` and follow-ups belong in the next digest."""

    channel = CHANNEL
    threads = False

    def __init__(self, url: str, http_client: httpx.Client) -> None:
        self._url = url
        self._client = http_client

    def __repr__(self) -> str:
        return "SlackWebhook(url=<secret>)"

    def _deliver(self, payload: dict[str, Any]) -> str:
        response = _post(self._client, self._url, {**payload, **_NO_UNFURL}, {}, "Slack webhook")
        _check_status(response, "Slack webhook")
        return ""

    def send(self, alert: Alert) -> str:
        return self._deliver(render_slack(alert))

    def send_digest(self, alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> str:
        return self._deliver(render_slack_digest(alerts, also_reported))

    digest_parts = staticmethod(slack_digest_parts)

    def reply(self, ref: str, alert: Alert) -> str:
        raise NotImplementedError("an incoming webhook cannot post into a thread")


class SlackBot:
    """Posts with ``chat.postMessage`` and a bot token; returns the message ``ts`` so later
    sources of the same event can reply in its thread."""

    channel = CHANNEL
    threads = True

    def __init__(
        self, token: str, channel: str, http_client: httpx.Client, base_url: str = "https://slack.com/api"
    ) -> None:
        self._token = token
        self._channel = channel
        self._client = http_client
        self._base_url = base_url.rstrip("/")

    def __repr__(self) -> str:
        return f"SlackBot(channel={self._channel!r}, token=<secret>)"

    def _post_message(self, payload: dict[str, Any], thread_ts: str = "") -> str:
        body = {**payload, **_NO_UNFURL, "channel": self._channel}
        if thread_ts:
            body["thread_ts"] = thread_ts
        headers = {"Authorization": f"Bearer {self._token}"}
        what = "Slack chat.postMessage"
        response = _post(self._client, f"{self._base_url}/chat.postMessage", body, headers, what)
        _check_status(response, what)
        try:
            answer = response.json()
        except ValueError as exc:
            raise NotifyError(CHANNEL, f"{what} answered with something other than JSON") from exc
        if not isinstance(answer, dict):
            raise NotifyError(CHANNEL, f"{what} answered with unexpected JSON")
        if not answer.get("ok"):
            error = str(answer.get("error") or "unknown_error")[:100]
            if error in _TRANSIENT_ERRORS:
                raise NotifyError(
                    CHANNEL,
                    f"{what} failed: {error}",
                    retry_after=_retry_after(response),
                    rate_limited=error in ("ratelimited", "rate_limited"),
                )
            if error in _BLOCKING_ERRORS:
                raise NotifyError(CHANNEL, f"{what} refuses every message: {error}", blocked=True)
            raise NotifyError(CHANNEL, f"{what} failed: {error}", permanent=True)
        return str(answer.get("ts") or "")

    def send(self, alert: Alert) -> str:
        return self._post_message(render_slack(alert))

    def send_digest(self, alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> str:
        return self._post_message(render_slack_digest(alerts, also_reported))

    digest_parts = staticmethod(slack_digest_parts)

    def reply(self, ref: str, alert: Alert) -> str:
        return self._post_message(render_slack_reply(alert), thread_ts=ref)
