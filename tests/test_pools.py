"""One connection pool per origin (scraper.pools), against real loopback servers.

What a user would notice if it broke: connections not reused (one TCP handshake per request), sockets
piling up over a run that touches many sites, a pool closed under a request still reading its body,
or a CA bundle loaded for runs that never speak TLS.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Iterator

import httpx
import pytest

from scraper.fetch import FetchRequest, HttpFetcher
from scraper.pools import PerOriginTransport
from tests.loopback import QuietHandler, ThreadedServer

UA = "defense-watch-test/1.0 (+https://example.org/contact)"


class PeerServer(ThreadedServer):
    """Answers every GET with a small feed and records the client's (host, port): one port per connection."""

    def __init__(self) -> None:
        self.peers: list[tuple[str, int]] = []
        lock = threading.Lock()
        outer = self

        class _Handler(QuietHandler):
            def do_GET(self) -> None:
                with lock:
                    outer.peers.append(self.client_address[:2])
                body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._bind(_Handler)

    @property
    def connections(self) -> int:
        return len(set(self.peers))


@pytest.fixture
def servers() -> Iterator[list[PeerServer]]:
    started = [PeerServer().start() for _ in range(3)]
    yield started
    for server in started:
        server.stop()


def _get_all(transport: PerOriginTransport, urls: list[str]) -> tuple[list[int], int]:
    """GET each URL in turn (a connection is free again for the next request): the statuses, and how
    many pools were open at the end (the transport is then closed)."""

    async def go() -> tuple[list[int], int]:
        async with httpx.AsyncClient(transport=transport) as client:
            return [(await client.get(url)).status_code for url in urls], transport.origins

    return asyncio.run(go())


def test_each_origin_reuses_its_own_connection(servers: list[PeerServer]) -> None:
    a, b, _ = servers
    transport = PerOriginTransport()
    urls = [f"{a.url}/feed/{n}.xml" for n in range(4)] + [f"{b.url}/feed/{n}.xml" for n in range(3)]
    assert _get_all(transport, urls) == ([200] * 7, 2)
    assert (len(a.peers), a.connections) == (4, 1)
    assert (len(b.peers), b.connections) == (3, 1)


def test_the_fetcher_reuses_connections_per_host(servers: list[PeerServer]) -> None:
    a, b, _ = servers
    requests = [FetchRequest(url=f"{s.url}/feed/{n}.xml") for s in (a, b) for n in range(4)]

    async def go() -> list[int | None]:
        fetcher = HttpFetcher(user_agent=UA, allow_private=True, per_host=1)
        try:
            return [r.status for r in await fetcher.fetch_many(requests)]
        finally:
            await fetcher.aclose()

    assert asyncio.run(go()) == [200] * 8
    assert (a.connections, b.connections) == (1, 1)  # per_host=1: one connection per site, kept alive


def test_pools_past_the_cap_are_closed_least_recently_used_first(servers: list[PeerServer]) -> None:
    a, b, c = servers
    urls = [f"{a.url}/1", f"{b.url}/1", f"{a.url}/2", f"{c.url}/1", f"{a.url}/3", f"{b.url}/2"]
    # b was least recently used when c came, so b's pool (and its connection) was closed: b needed a
    # second connection; a was kept and reused throughout.
    assert _get_all(PerOriginTransport(max_pools=2), urls) == ([200] * 6, 2)
    assert a.connections == 1
    assert b.connections == 2
    assert c.connections == 1


def test_a_pool_reading_a_body_is_not_closed_by_the_cap(servers: list[PeerServer]) -> None:
    a, b, c = servers

    async def go() -> tuple[bytes, int, int]:
        transport = PerOriginTransport(max_pools=1)
        async with httpx.AsyncClient(transport=transport) as client:
            async with client.stream("GET", f"{a.url}/slow") as response:
                # two more origins arrive while a's body is still unread: a is in use and stays,
                # b (done) makes way for c
                await client.get(f"{b.url}/1")
                await client.get(f"{c.url}/1")
                body = await response.aread()
                during = transport.origins
            await client.get(f"{b.url}/2")  # a is free now: a and c make way for b
            return body, during, transport.origins

    body, during, after = asyncio.run(go())
    assert body.startswith(b"<?xml")
    assert (during, after) == (2, 1)
    assert (a.connections, b.connections, c.connections) == (1, 2, 1)


def test_tls_context_only_for_https_and_made_once(servers: list[PeerServer]) -> None:
    a, b, _ = servers
    made: list[ssl.SSLContext] = []

    def make() -> ssl.SSLContext:
        made.append(ssl.create_default_context())
        return made[-1]

    async def go() -> int:
        async with httpx.AsyncClient(transport=PerOriginTransport(make_context=make)) as client:
            for server in (a, b):
                await client.get(f"{server.url}/1")
            before = len(made)  # plain http: no CA bundle loaded
            for server in (a, b):
                with pytest.raises(httpx.ConnectError):  # the loopback server does not speak TLS
                    await client.get(server.url.replace("http://", "https://"))
            return before

    assert asyncio.run(go()) == 0
    assert len(made) == 1  # two https origins, one context


def test_a_closed_transport_refuses_requests(servers: list[PeerServer]) -> None:
    async def go() -> int:
        transport = PerOriginTransport()
        client = httpx.AsyncClient(transport=transport)
        await client.get(f"{servers[0].url}/1")
        await client.aclose()  # closes the transport and every pool with it
        with pytest.raises(RuntimeError, match="closed"):
            await transport.handle_async_request(httpx.Request("GET", f"{servers[0].url}/2"))
        return transport.origins

    assert asyncio.run(go()) == 0
