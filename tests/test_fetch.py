"""HttpFetcher against real loopback servers: conditional GET, limits, retries, faults, concurrency, robots.

Faults the http.server-based loopback cannot produce (a reset, a trickle, a hang, non-HTTP bytes) come
from ``RawServer``, a plain socket server in this file.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import itertools
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import brotli
import pytest

from scraper.fetch import HTML_ACCEPT, FetchRequest, FetchResult, HttpFetcher
from scraper.inflate import Inflater
from scraper.robots import MAX_ROBOTS_BYTES, parse_robots
from tests.loopback import Loopback, Request, Route

UA = "defense-watch-test/1.0 (+https://example.org/contact)"
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>ok</title></channel></rss>'
RSS_HEADERS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def run_fetch(url: str, fetcher_kw: dict[str, Any] | None = None, **kw: Any) -> FetchResult:
    async def go() -> FetchResult:
        fetcher = HttpFetcher(user_agent=UA, allow_private=True, **(fetcher_kw or {}))
        try:
            return await fetcher.fetch(url, **kw)
        finally:
            await fetcher.aclose()

    return asyncio.run(go())


def run_many(
    requests: list[FetchRequest], deadline: float | None = None, **fetcher_kw: Any
) -> list[FetchResult]:
    async def go() -> list[FetchResult]:
        fetcher = HttpFetcher(user_agent=UA, allow_private=True, **fetcher_kw)
        try:
            return await fetcher.fetch_many(requests, deadline=deadline)
        finally:
            await fetcher.aclose()

    return asyncio.run(go())


class RawServer:
    """A socket server that misbehaves on purpose, one behaviour per connection."""

    def __init__(self, behaviour: Callable[[socket.socket, threading.Event], None]) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._stop = threading.Event()
        self.connections = 0
        self._behaviour = behaviour
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            with contextlib.suppress(OSError):
                self._behaviour(conn, self._stop)

    def close(self) -> None:
        self._stop.set()
        self._sock.close()


def _hang(conn: socket.socket, stop: threading.Event) -> None:
    stop.wait(10)


def _trickle(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n")
    while not stop.wait(0.05):
        conn.sendall(b"<")


def _reset(conn: socket.socket, stop: threading.Event) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<rss")


def _garbage(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"\x00\x01\x02 this is not HTTP at all\r\n\r\n")


@pytest.fixture
def raw() -> Iterator[Callable[[Callable[[socket.socket, threading.Event], None]], RawServer]]:
    servers: list[RawServer] = []

    def make(behaviour: Callable[[socket.socket, threading.Event], None]) -> RawServer:
        servers.append(RawServer(behaviour))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


# --- the ordinary path --------------------------------------------------------------------------------


def test_fetches_a_feed_with_validators_and_polite_headers(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(
        body=RSS, headers={**RSS_HEADERS, "ETag": '"v1"', "Last-Modified": "Fri, 07 Nov 2025 10:00:00 GMT"}
    )
    result = run_fetch(loopback.url + "/feed.xml")
    assert result.ok and result.status == 200 and result.body == RSS
    assert result.etag == '"v1"' and result.last_modified == "Fri, 07 Nov 2025 10:00:00 GMT"
    assert result.content_type.startswith("application/rss+xml")
    assert result.requests == 1 and result.bytes_read == len(RSS)
    (req,) = loopback.requests
    assert req.headers["user-agent"] == UA
    assert "br" in req.headers["accept-encoding"] and "gzip" in req.headers["accept-encoding"]
    assert "application/rss+xml" in req.headers["accept"]


def test_conditional_get_gives_304_with_empty_body(loopback: Loopback) -> None:
    def answer(req: Request) -> tuple[int, dict[str, str], bytes]:
        if req.headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {**RSS_HEADERS, "ETag": '"v1"'}, RSS

    loopback.routes["/feed.xml"] = Route(handler=answer)
    result = run_fetch(loopback.url + "/feed.xml", etag='"v1"', last_modified="Fri, 07 Nov 2025 10:00:00 GMT")
    assert result.status == 304 and result.body == b"" and result.error is None
    assert result.etag == '"v1"' and result.last_modified == "Fri, 07 Nov 2025 10:00:00 GMT"
    assert loopback.requests[0].headers["if-modified-since"] == "Fri, 07 Nov 2025 10:00:00 GMT"


def test_a_203_from_a_transforming_proxy_is_a_feed_to_read_with_its_validators(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(status=203, body=RSS, headers={**RSS_HEADERS, "ETag": '"p1"'})
    result = run_fetch(loopback.url + "/feed.xml")
    assert result.readable and result.status == 203 and result.body == RSS and result.etag == '"p1"'


def test_a_204_is_an_answer_with_nothing_to_read(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(status=204, headers=RSS_HEADERS)
    result = run_fetch(loopback.url + "/feed.xml")
    assert result.ok and not result.readable and result.status == 204


def test_a_206_to_a_request_without_a_range_is_an_error_not_half_a_feed(loopback: Loopback) -> None:
    # We never send Range: reading the part as the whole would lose the stories after the cut.
    loopback.routes["/feed.xml"] = Route(
        status=206, body=RSS[:40], headers={**RSS_HEADERS, "Content-Range": f"bytes 0-39/{len(RSS)}"}
    )
    result = run_fetch(loopback.url + "/feed.xml")
    assert result.status is None and result.body == b""
    assert result.error == "HTTP 206 Partial Content, though no range was asked for"
    assert not any("range" in name for name in loopback.requests[0].headers)


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("br", brotli.compress), ("deflate", zlib.compress), ("deflate", _raw_deflate)],
    ids=["gzip", "br", "deflate-zlib", "deflate-raw"],
)
def test_compressed_bodies_are_decoded(
    loopback: Loopback, encoding: str, compress: Callable[[bytes], bytes]
) -> None:
    body = RSS * 50
    loopback.routes["/feed.xml"] = Route(
        body=compress(body), headers={**RSS_HEADERS, "Content-Encoding": encoding}
    )
    result = run_fetch(loopback.url + "/feed.xml")
    assert result.body == body
    assert result.bytes_read < len(body)


def test_a_gzip_body_of_several_members_is_decoded_whole(loopback: Loopback) -> None:
    # RFC 1952 2.2: members are concatenated (log rotation, streaming compressors); padding after is ignored
    body = RSS * 50
    members = gzip.compress(body[:1000]) + gzip.compress(b"") + gzip.compress(body[1000:]) + b"\0" * 16
    loopback.routes["/feed.xml"] = Route(body=members, headers={**RSS_HEADERS, "Content-Encoding": "gzip"})
    result = run_fetch(loopback.url + "/feed.xml")
    assert result.error is None and result.body == body


def test_gzip_members_are_decoded_whole_however_the_bytes_arrive() -> None:
    body = RSS * 20
    members = gzip.compress(body[:700]) + gzip.compress(body[700:]) + b"junk after the last member"
    inflater = Inflater("gzip", 1_000_000)
    assert b"".join(piece for i in range(len(members)) for piece in inflater.feed(members[i : i + 1])) == body


def test_redirect_is_followed_and_reported(loopback: Loopback) -> None:
    loopback.routes["/old"] = Route(status=301, headers={"Location": "/new.xml"})
    loopback.routes["/new.xml"] = Route(body=RSS, headers=RSS_HEADERS)
    result = run_fetch(loopback.url + "/old")
    assert result.status == 200 and result.final_url == loopback.url + "/new.xml"
    assert result.requests == 2


# --- hostile servers ----------------------------------------------------------------------------------


def test_redirect_loop_is_an_error(loopback: Loopback) -> None:
    loopback.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    loopback.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    result = run_fetch(loopback.url + "/a")
    assert result.status is None and result.error is not None and "redirect loop" in result.error
    assert len(loopback.requests) == 2


def test_redirect_chain_is_capped(loopback: Loopback) -> None:
    for i in range(10):
        loopback.routes[f"/r{i}"] = Route(status=307, headers={"Location": f"/r{i + 1}"})
    result = run_fetch(loopback.url + "/r0", {"max_redirects": 3})
    assert result.error is not None and "too many redirects (more than 3)" in result.error
    assert len(loopback.requests) == 4


def test_redirect_to_an_invalid_url_is_reported_as_such_and_not_retried(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(status=302, headers={"Location": "http://[::1/x"})
    result = run_fetch(loopback.url + "/feed.xml")
    assert result.error is not None and result.error.startswith("redirect to an invalid URL (")
    assert result.requests == 1 and len(loopback.requests) == 1


def test_declared_oversize_body_is_refused_before_reading(loopback: Loopback) -> None:
    loopback.routes["/big.xml"] = Route(body=b"<" * 200_000, headers=RSS_HEADERS)
    result = run_fetch(loopback.url + "/big.xml", {"max_bytes": 100_000})
    assert result.error == "response too large: 200000 bytes declared, limit 100000"


@pytest.mark.parametrize(("encoding", "compress"), [("gzip", gzip.compress), ("br", brotli.compress)])
def test_compression_bomb_is_stopped_after_decompression(
    loopback: Loopback, encoding: str, compress: Callable[[bytes], bytes]
) -> None:
    bomb = compress(b"\0" * 50_000_000)  # 50 MB in under 100 KB on the wire
    loopback.routes["/bomb.xml"] = Route(body=bomb, headers={**RSS_HEADERS, "Content-Encoding": encoding})
    result = run_fetch(loopback.url + "/bomb.xml", {"max_bytes": 1_000_000})
    assert result.status is None and result.body == b""
    assert result.error == "response too large: more than 1000000 bytes after decompression"
    assert len(bomb) < 100_000


def test_compression_bomb_split_into_gzip_members_is_stopped_too(loopback: Loopback) -> None:
    bomb = gzip.compress(b"\0" * 1_000_000) * 50  # 50 MB in 50 members, about 50 KB on the wire
    loopback.routes["/bomb.xml"] = Route(body=bomb, headers={**RSS_HEADERS, "Content-Encoding": "gzip"})
    result = run_fetch(loopback.url + "/bomb.xml", {"max_bytes": 1_000_000})
    assert result.status is None and result.body == b""
    assert result.error == "response too large: more than 1000000 bytes after decompression"


def test_corrupt_compressed_body_is_an_error(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(
        body=b"not gzip at all", headers={**RSS_HEADERS, "Content-Encoding": "gzip"}
    )
    result = run_fetch(loopback.url + "/feed.xml")
    assert result.error is not None and result.error.startswith("could not decode the gzip body")


def test_chunked_oversize_body_without_length_is_stopped(raw: Callable[..., RawServer]) -> None:
    def endless(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"<" * 65536
        while not stop.is_set():
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    server = raw(endless)
    result = run_fetch(server.url + "/feed", {"max_bytes": 500_000})
    assert result.error is not None and "more than 500000 bytes" in result.error


def test_trickling_server_hits_the_total_time_cap(raw: Callable[..., RawServer]) -> None:
    server = raw(_trickle)
    started = time.monotonic()
    result = run_fetch(server.url + "/feed", {"timeout": 1.0})
    assert time.monotonic() - started < 3.0
    assert result.error == "took longer than 1.0 s (total time allowed per response)"
    assert server.connections == 1  # a trickle is not retried


@pytest.mark.parametrize(
    ("content_type", "body", "accept", "error"),
    [
        ("image/png", b"\x89PNG", None, "unexpected content type 'image/png'"),
        ("text/html; charset=utf-8", b"<!doctype html><html><body>Home</body></html>", None, "HTML page"),
        ("application/json", b"{}", None, "unexpected content type 'application/json'"),
        ("application/rss+xml", RSS, HTML_ACCEPT, "unexpected content type 'application/rss+xml'"),
    ],
    ids=["png", "html-for-feed", "json", "feed-for-html"],
)
def test_wrong_content_types_are_refused(
    loopback: Loopback, content_type: str, body: bytes, accept: str | None, error: str
) -> None:
    loopback.routes["/x"] = Route(body=body, headers={"Content-Type": content_type})
    result = run_fetch(loopback.url + "/x", **({"accept": accept} if accept else {}))
    assert result.status is None and result.error is not None and error in result.error


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", "application/octet-stream", ""])
def test_feeds_served_with_a_sloppy_content_type_still_arrive(loopback: Loopback, content_type: str) -> None:
    loopback.routes["/feed"] = Route(body=RSS, headers={"Content-Type": content_type} if content_type else {})
    result = run_fetch(loopback.url + "/feed")
    assert result.status == 200 and result.body == RSS


def test_html_page_is_fetched_when_asked_for(loopback: Loopback) -> None:
    page = b"<html><body><a href='/story'>Story</a></body></html>"
    loopback.routes["/news"] = Route(body=page, headers={"Content-Type": "text/html; charset=utf-8"})
    assert run_fetch(loopback.url + "/news", accept=HTML_ACCEPT).body == page


# --- retries --------------------------------------------------------------------------------------------


def test_500_is_retried_then_reported(loopback: Loopback) -> None:
    loopback.routes["/feed"] = Route(status=500, body=b"oops", headers={"Content-Type": "text/plain"})
    result = run_fetch(loopback.url + "/feed")
    assert result.error == "HTTP 500 Internal Server Error after 3 attempts"
    assert result.requests == 3 and len(loopback.requests) == 3


def test_transient_500_then_success(loopback: Loopback) -> None:
    answers = iter([(503, {}, b""), (200, RSS_HEADERS, RSS)])
    loopback.routes["/feed"] = Route(handler=lambda req: next(answers))
    result = run_fetch(loopback.url + "/feed")
    assert result.status == 200 and result.requests == 2


def test_404_is_not_retried(loopback: Loopback) -> None:
    result = run_fetch(loopback.url + "/missing")
    assert result.error == "HTTP 404 Not Found" and result.requests == 1


def test_429_waits_for_retry_after(loopback: Loopback) -> None:
    times: list[float] = []

    def answer(req: Request) -> tuple[int, dict[str, str], bytes]:
        times.append(time.monotonic())
        if len(times) == 1:
            return 429, {"Retry-After": "1"}, b""
        return 200, RSS_HEADERS, RSS

    loopback.routes["/feed"] = Route(handler=answer)
    result = run_fetch(loopback.url + "/feed")
    assert result.status == 200
    assert times[1] - times[0] >= 0.95


def test_429_asking_for_too_long_a_pause_is_left_for_the_next_run(loopback: Loopback) -> None:
    loopback.routes["/feed"] = Route(status=429, headers={"Retry-After": "3600"})
    started = time.monotonic()
    result = run_fetch(loopback.url + "/feed")
    assert time.monotonic() - started < 1.0
    assert result.error == "HTTP 429 Too Many Requests and asks us to wait 3600 s (more than 10 s)"
    assert result.requests == 1


def test_retries_never_wait_past_the_deadline(loopback: Loopback) -> None:
    loopback.routes["/feed"] = Route(status=503, headers={"Retry-After": "5"})
    started = time.monotonic()
    result = run_fetch(loopback.url + "/feed", deadline=time.monotonic() + 2.0)
    assert time.monotonic() - started < 1.5
    assert result.error is not None and "503" in result.error and result.requests == 1


@pytest.mark.parametrize(
    ("behaviour", "error"),
    [(_reset, "connection failed"), (_garbage, "connection failed"), (_hang, "timed out")],
    ids=["reset", "garbage", "hang"],
)
def test_network_faults_are_retried_then_reported(
    raw: Callable[..., RawServer], behaviour: Callable[..., None], error: str
) -> None:
    server = raw(behaviour)
    result = run_fetch(server.url + "/feed", {"timeout": 0.5})
    assert result.status is None and result.error is not None
    assert result.error.startswith(error) and result.error.endswith("after 3 attempts")
    assert result.requests == 3


def test_refused_connection_is_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    result = run_fetch(f"http://127.0.0.1:{port}/feed")
    assert result.error is not None and result.error.startswith("connection failed (ConnectError")


# --- many feeds --------------------------------------------------------------------------------------------


def _counting_route(states: list[dict[str, int]], lock: threading.Lock) -> Route:
    """Answers after 0.2 s, recording the most requests in flight at once in each of ``states``."""

    def answer(req: Request) -> tuple[int, dict[str, str], bytes]:
        with lock:
            for state in states:
                state["now"] += 1
                state["max"] = max(state["max"], state["now"])
        time.sleep(0.2)
        with lock:
            for state in states:
                state["now"] -= 1
        return 200, RSS_HEADERS, RSS

    return Route(handler=answer)


def test_per_host_and_global_caps_hold() -> None:
    lock = threading.Lock()
    servers = [Loopback().start() for _ in range(3)]  # three ports: three hosts to the fetcher
    per_server = [{"now": 0, "max": 0} for _ in servers]
    overall = {"now": 0, "max": 0}
    try:
        for server, state in zip(servers, per_server, strict=True):
            for i in range(4):
                server.routes[f"/f{i}"] = _counting_route([state, overall], lock)
        requests = [FetchRequest(f"{s.url}/f{i}") for s in servers for i in range(4)]
        results = run_many(requests, max_concurrency=4, per_host=2)
    finally:
        for server in servers:
            server.stop()
    assert all(r.status == 200 for r in results)
    assert max(state["max"] for state in per_server) == 2
    assert 2 < overall["max"] <= 4


def test_one_failure_never_stops_the_others(loopback: Loopback) -> None:
    loopback.routes["/good.xml"] = Route(body=RSS, headers=RSS_HEADERS)
    loopback.routes["/png"] = Route(body=b"\x89PNG", headers={"Content-Type": "image/png"})
    requests = [
        FetchRequest(loopback.url + "/missing"),
        FetchRequest("ftp://example.com/feed"),
        FetchRequest(loopback.url + "/png"),
        FetchRequest(loopback.url + "/good.xml"),
        FetchRequest("not a url at all"),
    ]
    results = run_many(requests)
    assert [r.url for r in results] == [r.url for r in requests]
    assert [r.status for r in results] == [None, None, None, 200, None]
    assert all(r.error for i, r in enumerate(results) if i != 3)


def test_requests_after_the_deadline_are_deferred(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(body=RSS, headers=RSS_HEADERS)
    results = run_many([FetchRequest(loopback.url + "/feed.xml")] * 3, deadline=time.monotonic() - 1)
    assert [r.error for r in results] == ["deferred: deadline"] * 3
    assert loopback.requests == []


def test_per_host_delay_spaces_requests(loopback: Loopback) -> None:
    arrivals: list[float] = []

    def answer(req: Request) -> tuple[int, dict[str, str], bytes]:
        arrivals.append(time.monotonic())
        return 200, RSS_HEADERS, RSS

    loopback.routes["/feed.xml"] = Route(handler=answer)
    run_many([FetchRequest(loopback.url + "/feed.xml")] * 3, per_host_delay=0.3)
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert len(gaps) == 2 and min(gaps) >= 0.28


# --- robots.txt ---------------------------------------------------------------------------------------


ROBOTS = (
    b"User-agent: defense-watch-test\nDisallow: /private/\nCrawl-delay: 1\n\nUser-agent: *\nDisallow: /\n"
)


AGENT = "defense-watch/1.0 (+https://example.org/contact)"


@pytest.mark.parametrize(
    ("robots", "path", "allowed"),
    [
        (b"User-agent: *\nDisallow: /*.html$\n", "/news/india.html", False),  # wildcard and end anchor
        (b"User-agent: *\nDisallow: /*.html$\n", "/news/india.html?p=2", True),
        (b"\xef\xbb\xbfUser-agent: *\nDisallow: /news\n", "/news/a", False),  # a byte order mark first
        (b"User-agent: *\nDisallow: /\nAllow: /news\n", "/news/a", True),  # the longest match wins
        (b"User-agent: *\nDisallow: /\nAllow: /news\n", "/about", False),
        (b"User-agent: *\nAllow: /news/\nDisallow: /news/\n", "/news/a", True),  # a tie: Allow
        (b"User-agent: *\n\nDisallow: /news/\n", "/news/a", False),  # a blank line ends no group
        (b"User-agent: other\nDisallow: /\n\nUser-agent: *\nDisallow: /private\n", "/news/a", True),
        (b"User-agent: Defense-Watch/2\nDisallow: /news\nUser-agent: *\nDisallow: /\n", "/news/a", False),
        (b"User-agent: defense-watch\nAllow: /\nUser-agent: *\nDisallow: /\n", "/news/a", True),  # ours wins
        (b"User-agent: *\nDisallow: /a%2fb\n", "/a%2Fb/c", False),  # escapes compare in one form
        (b"User-agent: *\nDisallow:\n", "/anything", True),
        (b"User-agent: *\nDisallow: /\n", "/robots.txt", True),
        (b"User-agent: *\nDisallow: /~private\n", "/%7Eprivate/a", False),  # %7E is "~" (RFC 3986 6.2.2)
        (
            b"User-agent: *\nDisallow: /" + b"*a" * 12 + b"*b\n",
            "/" + "a" * 40,
            True,
        ),  # no backtracking for minutes
        (b"User-agent: *\nDisallow: /*a*b$\n", "/xxaxxb", False),
        (b"User-agent: *\nDisallow: /file-with-a-%2A.html\n", "/file-with-a-*.html", False),  # RFC 9309 2.2.3
        (b"User-agent: *\nDisallow: /foo-%24\n", "/foo-$", False),
    ],
)
def test_robots_rules_are_read_as_rfc_9309_says(robots: bytes, path: str, allowed: bool) -> None:
    assert parse_robots(robots).allows("https://site.example" + path, AGENT) is allowed


def test_robots_disallow_is_obeyed_and_fetched_once(loopback: Loopback) -> None:
    loopback.routes["/robots.txt"] = Route(body=ROBOTS, headers={"Content-Type": "text/plain"})
    loopback.routes["/news/a"] = Route(body=b"<html>a</html>", headers={"Content-Type": "text/html"})
    loopback.routes["/private/b"] = Route(body=b"<html>b</html>", headers={"Content-Type": "text/html"})
    requests = [
        FetchRequest(loopback.url + "/news/a", accept=HTML_ACCEPT, obey_robots=True),
        FetchRequest(loopback.url + "/private/b", accept=HTML_ACCEPT, obey_robots=True),
    ]
    results = run_many(requests)
    assert results[0].status == 200
    assert results[1].error is not None and results[1].error.startswith("disallowed by robots.txt")
    assert len(loopback.hits("/robots.txt")) == 1
    assert loopback.hits("/private/b") == []


def test_robots_crawl_delay_spaces_requests(loopback: Loopback) -> None:
    arrivals: list[float] = []

    def answer(req: Request) -> tuple[int, dict[str, str], bytes]:
        arrivals.append(time.monotonic())
        return 200, {"Content-Type": "text/html"}, b"<html>a</html>"

    loopback.routes["/robots.txt"] = Route(body=ROBOTS, headers={"Content-Type": "text/plain"})
    loopback.routes["/news/a"] = Route(handler=answer)
    run_many([FetchRequest(loopback.url + "/news/a", accept=HTML_ACCEPT, obey_robots=True)] * 2)
    assert len(arrivals) == 2 and arrivals[1] - arrivals[0] >= 0.95  # Crawl-delay: 1


def test_robots_404_allows_everything(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(body=RSS, headers=RSS_HEADERS)
    result = run_fetch(loopback.url + "/feed.xml", obey_robots=True)
    assert result.status == 200
    assert len(loopback.hits("/robots.txt")) == 1


def test_robots_txt_answered_with_203_is_obeyed_like_a_200(loopback: Loopback) -> None:
    loopback.routes["/robots.txt"] = Route(status=203, body=ROBOTS, headers={"Content-Type": "text/plain"})
    loopback.routes["/private/b"] = Route(body=b"<html>b</html>", headers={"Content-Type": "text/html"})
    result = run_fetch(loopback.url + "/private/b", accept=HTML_ACCEPT, obey_robots=True)
    assert result.error is not None and result.error.startswith("disallowed by robots.txt")
    assert loopback.hits("/private/b") == []


def test_robots_500_disallows_the_host_for_this_run(loopback: Loopback) -> None:
    loopback.routes["/robots.txt"] = Route(status=500)
    loopback.routes["/feed.xml"] = Route(body=RSS, headers=RSS_HEADERS)
    result = run_fetch(loopback.url + "/feed.xml", obey_robots=True)
    assert result.error is not None and "robots.txt unreadable" in result.error
    assert "disallowed" not in result.error  # it could not be read: nothing disallowed the page
    assert loopback.hits("/feed.xml") == []


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_robots_txt_longer_than_512_kib_is_read_up_to_there_not_refused(
    loopback: Loopback, encoding: str
) -> None:
    # RFC 9309 2.5: a crawler reads at least 500 KiB of the file; the rest is ignored, the host not skipped
    padding = b"# a comment line that pads the file\n" * 20_000  # ~740 KB
    rules = b"User-agent: *\nDisallow: /private/\n" + padding + b"Disallow: /news/\n"
    body = gzip.compress(rules) if encoding == "gzip" else rules
    loopback.routes["/robots.txt"] = Route(
        body=body, headers={"Content-Type": "text/plain", "Content-Encoding": encoding}
    )
    loopback.routes["/news/a"] = Route(body=b"<html>a</html>", headers={"Content-Type": "text/html"})
    requests = [
        FetchRequest(loopback.url + "/news/a", accept=HTML_ACCEPT, obey_robots=True),
        FetchRequest(loopback.url + "/private/b", accept=HTML_ACCEPT, obey_robots=True),
    ]
    results = run_many(requests)
    assert results[0].error is None and results[0].status == 200  # the rule past 512 KiB is not read
    assert results[1].error is not None and results[1].error.startswith("disallowed by robots.txt")


def test_robots_txt_cut_at_512_kib_drops_the_line_cut_in_half() -> None:
    head = b"User-agent: *\nDisallow: /private/\n"
    padding = b"#" * (MAX_ROBOTS_BYTES - len(head) - len(b"\nDisallow: /")) + b"\n"
    rules = parse_robots(head + padding + b"Disallow: /news/a-story-cut-at-the-limit\n")

    assert rules.allows("https://x.example/news/b", UA)  # not "Disallow: /": the cut line is gone
    assert not rules.allows("https://x.example/private/b", UA)


def test_robots_is_not_consulted_unless_asked(loopback: Loopback) -> None:
    loopback.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /\n")
    loopback.routes["/feed.xml"] = Route(body=RSS, headers=RSS_HEADERS)
    assert run_fetch(loopback.url + "/feed.xml").status == 200
    assert loopback.hits("/robots.txt") == []
