"""Fault injection on loopback: a fault proxy in front of moto, a feed server that misbehaves
on demand, and a Slack webhook sink with scripted answers.

Everything here is a real server on 127.0.0.1; the code under test talks to it over HTTP
exactly as it would talk to AWS, a publisher or Slack.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.loopback import QuietHandler, ThreadedServer

# --------------------------------------------------------------------------- AWS fault proxy

_DYNAMO_ERRORS = {
    "throttle": (400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
    "error500": (500, "InternalServerError", "Internal server error"),
}


@dataclass(frozen=True)
class AwsRequest:
    """What the proxy knows about one AWS call."""

    service: str  # dynamodb | sesv2 | ssm | other
    operation: str  # DynamoDB's X-Amz-Target operation, or the REST path
    body: bytes


def _service(headers: dict[str, str], path: str) -> tuple[str, str]:
    target = headers.get("x-amz-target", "")
    if target.startswith("DynamoDB_"):
        return "dynamodb", target.split(".", 1)[-1]
    if target.startswith("AmazonSSM."):
        return "ssm", target.split(".", 1)[-1]
    if path.startswith("/v2/email"):
        return "sesv2", path
    return "other", path


class AwsFaultProxy(ThreadedServer):
    """Forwards AWS calls to ``upstream`` (moto) unless ``rule`` names a fault for the call.

    Faults: ``throttle`` (DynamoDB ThrottlingException, nothing applied), ``error500``
    (InternalServerError, nothing applied), ``lost`` (the call IS applied upstream, then the
    answer is replaced by a 500, as when a response is lost), ``ses429`` (SES v2
    TooManyRequestsException). ``injected`` counts what was done, per fault."""

    def __init__(self, upstream: str, rule: Callable[[AwsRequest], str | None] | None = None) -> None:
        self.upstream = urlsplit(upstream)
        self.rule = rule or (lambda request: None)
        self.injected: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()
        outer = self

        class _Handler(QuietHandler):
            def _serve(self) -> None:
                body = self.read_body()
                headers = {k.lower(): v for k, v in self.headers.items()}
                service, operation = _service(headers, self.path)
                request = AwsRequest(service, operation, body)
                fault = outer.rule(request)
                with outer._lock:
                    outer.calls[f"{service}:{operation}"] += 1
                    if fault:
                        outer.injected[fault] += 1
                if fault in _DYNAMO_ERRORS:
                    status, code, message = _DYNAMO_ERRORS[fault]
                    payload = json.dumps(
                        {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}
                    ).encode()
                    self._answer(status, {"Content-Type": "application/x-amz-json-1.0"}, payload)
                    return
                if fault == "ses429":
                    payload = json.dumps({"message": "Maximum sending rate exceeded."}).encode()
                    self._answer(
                        429,
                        {"Content-Type": "application/json", "x-amzn-ErrorType": "TooManyRequestsException"},
                        payload,
                    )
                    return
                status, answer_headers, payload = outer._forward(self.command, self.path, headers, body)
                if fault == "lost":
                    payload = json.dumps(
                        {"__type": "com.amazonaws.dynamodb.v20120810#InternalServerError", "message": "lost"}
                    ).encode()
                    self._answer(500, {"Content-Type": "application/x-amz-json-1.0"}, payload)
                    return
                self._answer(status, answer_headers, payload)

            def _answer(self, status: int, headers: dict[str, str], payload: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in (
                        "content-length",
                        "transfer-encoding",
                        "connection",
                        "date",
                        "server",
                    ):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        self._bind(_Handler)

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
        try:
            sent = {k: v for k, v in headers.items() if k not in ("connection", "content-length")}
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


@contextlib.contextmanager
def dynamo_behind_faults(
    upstream: str, rule: Callable[[AwsRequest], str | None], **store_options: Any
) -> Iterator[tuple[AwsFaultProxy, Any]]:
    """(the proxy, a DynamoStore on a new table reached through it): an ``AwsFaultProxy`` with
    ``rule`` and no botocore retries, so each injected fault reaches the store's own handling."""
    import uuid

    import boto3
    from botocore.config import Config as BotoConfig

    from alerts.store_dynamo import DynamoStore, create_table

    proxy = AwsFaultProxy(upstream, rule).start()
    try:
        client = boto3.client(
            "dynamodb",
            endpoint_url=proxy.url,
            config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 1}),
        )
        table = f"watch-{uuid.uuid4().hex[:12]}"
        create_table(client, table)
        yield proxy, DynamoStore(table, client, **store_options)
    finally:
        proxy.stop()


def random_rule(
    rng: random.Random, rates: dict[str, float], service: str = "dynamodb"
) -> Callable[[AwsRequest], str | None]:
    """A rule that injects each fault with its rate (a fraction of ``service``'s calls)."""
    lock = threading.Lock()

    def rule(request: AwsRequest) -> str | None:
        if request.service != service:
            return None
        with lock:
            draw = rng.random()
        for fault, rate in rates.items():
            if draw < rate:
                return fault
            draw -= rate
        return None

    return rule


# --------------------------------------------------------------------------- feed server


@dataclass
class FeedRoute:
    """One path of the feed server: its body, and the fault to play instead (if any)."""

    body: bytes = b""
    content_type: str = "application/rss+xml"
    fault: str = ""  # "" | "500" | "garbage" | "reset" | "slow" | "trickle" | "404"
    delay: float = 2.0  # for slow and trickle
    etag: str = ""  # sent with the body; a request naming it in If-None-Match gets 304


class FeedServer(ThreadedServer):
    """Serves feeds on loopback; ``routes[path].fault`` makes a path misbehave.

    ``reset`` closes the connection without an answer; ``slow`` waits ``delay`` before the
    headers; ``trickle`` sends the headers, then one byte at a time over ``delay`` seconds."""

    def __init__(self) -> None:
        self.routes: dict[str, FeedRoute] = {}
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        outer = self

        class _Handler(QuietHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with outer._lock:
                    outer.requests[path] += 1
                    route = outer.routes.get(path)
                if route is None:
                    self._plain(404, b"not found")
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._serve(route)

            def _serve(self, route: FeedRoute) -> None:
                if route.fault == "reset":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.close_connection = True
                    self.connection.close()
                    return
                if route.fault in ("500", "404"):
                    self._plain(int(route.fault), b"server trouble")
                    return
                if route.fault == "garbage":
                    self._plain(200, b"\x00\x01<<<not a feed at all", "application/xml")
                    return
                if route.fault == "slow":
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                body = route.body
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if route.fault == "trickle":
                    step = route.delay / max(1, min(len(body), 50))
                    for index in range(min(len(body), 50)):
                        self.wfile.write(body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(step)
                    self.wfile.write(body[50:])
                    return
                self.wfile.write(body)

            def _plain(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._bind(_Handler)


def rss(items: list[tuple[str, str, str, datetime]], base: str = "https://news.example") -> bytes:
    """An RSS 2.0 feed from (guid, title, text, published)."""
    body = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title>"
        f"<link>{base}/{guid}</link><pubDate>{format_datetime(published)}</pubDate>"
        f"<description>{text}</description></item>"
        for guid, title, text, published in items
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Test feed</title>"
        f"<link>{base}/</link><description>t</description>{body}</channel></rss>"
    ).encode()


# --------------------------------------------------------------------------- Slack sink

Action = str | tuple[int, dict[str, str]]  # "ok" | "reset" | "block" | (status, headers)


@dataclass
class SlackSink:
    """A Slack incoming webhook on loopback whose answers follow a script.

    Each POST takes the next action from ``script`` (then ``default``, which may be a
    callable): ``"ok"`` accepts it (200, recorded in ``accepted``), ``(status, headers)``
    refuses it, ``"reset"`` drops the connection, ``"block"`` holds the request until
    ``release()`` and then drops it (the test kills the sender meanwhile; ``blocked`` is set
    when a request is held). ``down()`` closes the port (connection refused), ``up()`` opens
    it again on the same port. Only ``accepted`` counts as delivered."""

    script: list[Action] = field(default_factory=list)
    default: Action | Callable[[], Action] = "ok"
    accepted: list[dict[str, Any]] = field(default_factory=list)
    refused: int = 0
    blocked: threading.Event = field(default_factory=threading.Event)
    path: str = "/services/T0AB12/B0CD34/s3cr3t-webhook-path"
    delay: float = 0.0  # seconds before each answer (a slow Slack)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._port = 0

    # ---- control
    def start(self) -> SlackSink:
        self.up()
        return self

    def up(self) -> None:
        outer = self

        class _Handler(QuietHandler):
            def do_POST(self) -> None:
                body = self.read_body()
                action = outer._next()
                if outer.delay:
                    time.sleep(outer.delay)
                if action == "block":
                    outer.blocked.set()
                    outer._release.wait(60)
                    action = "reset"
                if action == "reset":
                    self.close_connection = True
                    self.connection.close()
                    with outer._lock:
                        outer.refused += 1
                    return
                if action == "ok":
                    with outer._lock:
                        outer.accepted.append(json.loads(body))
                    self._reply(200, {}, b"ok")
                    return
                assert isinstance(action, tuple)
                status, headers = action
                with outer._lock:
                    outer.refused += 1
                self._reply(status, headers, b"rate_limited" if status == 429 else b"internal_error")

            def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), _Handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def stop(self) -> None:
        self.release()
        self.down()

    def release(self) -> None:
        self._release.set()

    def rearm(self) -> None:
        """After a release: the next ``"block"`` holds its request again."""
        self._release = threading.Event()
        self.blocked.clear()

    def _next(self) -> Action:
        with self._lock:
            if self.script:
                return self.script.pop(0)
        return self.default() if callable(self.default) else self.default

    # ---- what arrived
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}{self.path}"

    def accepted_text(self) -> list[str]:
        """Each accepted message as one string (for looking up story links in it)."""
        with self._lock:
            return [json.dumps(message) for message in self.accepted]

    def count(self, needle: str) -> int:
        """How many accepted messages mention ``needle`` (a story URL, a pair)."""
        return sum(needle in text for text in self.accepted_text())


# --------------------------------------------------------------------------- a whole job on loopback
# ``run_job`` called the way ``scraper.runtime.execute`` calls it, over a FeedServer, a store
# and a SlackSink, with watched pairs whose stage each generated story sets.

SYSTEMS = ("S-400", "Patriot", "NASAMS", "IRIS-T")
COUNTRIES = ("Turkey", "Poland", "Egypt", "Norway")
# One sentence per stage that the matcher reads as an operator assertion of that stage.
STAGE_TEXT = {
    "talks": "{c} is in talks to buy the {s} air defence system, officials said on {d}.",
    "deal": "{c} signed a contract for the {s} air defence system on {d}, the ministry said.",
    "delivery": "{c} received the first {s} battery on {d}, the defence ministry said.",
    "deployment": "{c} deployed its {s} batteries near the border on {d}, the army said.",
}
STAGES = tuple(STAGE_TEXT)


def watchlist_yaml(feed_urls: dict[str, str], alerts: str = "") -> str:
    feeds = "".join(f"  - name: {name}\n    url: {url}\n" for name, url in feed_urls.items())
    systems = "".join(f"  - name: {s}\n    aliases: [{s}]\n" for s in SYSTEMS)
    countries = "".join(f"  - name: {c}\n    aliases: [{c}]\n" for c in COUNTRIES)
    return (
        f"feeds:\n{feeds}systems:\n{systems}countries:\n{countries}"
        "watches:\n  - systems: [" + ", ".join(SYSTEMS) + "]\n    countries: [" + ", ".join(COUNTRIES) + "]\n"
        "    alert_on: [new, stage]\n    notify: [slack, email]\n" + (f"alerts:\n{alerts}" if alerts else "")
    )


def story(
    guid: str, system: str, country: str, stage: str, published: datetime
) -> tuple[str, str, str, datetime]:
    """A feed item that puts (system, country) at ``stage``."""
    text = STAGE_TEXT[stage].format(c=country, s=system, d=published.strftime("%A %d %B"))
    return guid, f"{country} and the {system}: {stage} ({guid})", text, published


@dataclass
class Job:
    """Feeds on a FeedServer, a Slack sink, one store; ``run`` is one run of the job."""

    tmp_path: Path
    store: Any
    feeds: FeedServer
    sink: SlackSink
    names: tuple[str, ...] = ("Wire", "Desk")
    alerts: str = "  digest_after: 1000\n"
    items: dict[str, list[tuple[str, str, str, datetime]]] = field(default_factory=dict)
    fetch_timeout: float = 2.0

    def __post_init__(self) -> None:
        urls = {name: f"{self.feeds.url}/{name.lower()}.xml" for name in self.names}
        for name in self.names:
            self.items.setdefault(name, [])
            self.publish(name)
        path = self.tmp_path / "watchlist.yaml"
        from scraper.watchlist import load_watchlist

        path.write_text(watchlist_yaml(urls, self.alerts), encoding="utf-8")
        self.watchlist = load_watchlist(str(path))

    def route(self, name: str) -> FeedRoute:
        return self.feeds.routes[f"/{name.lower()}.xml"]

    def publish(self, name: str, *new: tuple[str, str, str, datetime]) -> None:
        self.items[name].extend(new)
        route = self.feeds.routes.setdefault(f"/{name.lower()}.xml", FeedRoute())
        route.body = rss(self.items[name])

    def run(
        self, now: datetime, *, deadline_in: float | None = None, margin: float = 0.5, **options: Any
    ) -> Any:
        from alerts.slack import SlackWebhook
        from scraper.fetch import HttpFetcher
        from scraper.run import RunOptions, run_job

        deadline = None if deadline_in is None else time.monotonic() + deadline_in

        async def go() -> Any:
            fetcher = HttpFetcher(
                user_agent="defense-watch-tests",
                allow_private=True,
                timeout=self.fetch_timeout,
                connect_timeout=1.0,
            )
            try:
                with httpx.Client(timeout=httpx.Timeout(3.0, connect=1.0)) as http:
                    return await run_job(
                        self.watchlist,
                        self.store,
                        fetcher,
                        {"slack": SlackWebhook(self.sink.url, http)},
                        now=now,
                        options=RunOptions(deadline=deadline, margin_seconds=margin, **options),
                    )
            finally:
                await fetcher.aclose()

        return asyncio.run(go())


def later(start: datetime, runs: int, minutes: int = 15) -> datetime:
    return start + timedelta(minutes=minutes * runs)
