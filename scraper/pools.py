"""One small connection pool per origin, instead of one pool for every connection of a run.

httpcore's pool re-examines all of its connections whenever a request is added or a response closed,
and for each idle one it counts the idle ones again: with the connections of 25 hosts in one pool, a
100-feed run spent ~0.1 s of CPU in that bookkeeping (bench/run.py). The fetcher's semaphores already
cap requests globally and per host, so a pool per origin (scheme, host and port of the URL connected
to, the key httpcore reuses connections by) holds one or two connections and that cost disappears.
Connections are still reused within an origin.

Sockets stay bounded: at most ``max_pools`` pools are kept, each keeping at most ``keepalive`` idle
connections; past that, the least recently used pool with nothing in flight is closed.

The TLS context is made once, when the first https origin is seen, and shared by every pool: making
one loads the CA bundle (~25 ms), which a run over plain-http sources never needs.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable

import httpx

_Origin = tuple[bytes, bytes, int | None]


class _Pool:
    """One origin's connections, and how many of its responses are still open."""

    __slots__ = ("in_flight", "transport")

    def __init__(self, transport: httpx.AsyncHTTPTransport) -> None:
        self.transport = transport
        self.in_flight = 0


class _Tracked(httpx.AsyncByteStream):
    """A response body that tells its pool when it is closed (the connection is free again)."""

    def __init__(self, stream: httpx.AsyncByteStream, pool: _Pool) -> None:
        self._stream = stream
        self._pool: _Pool | None = pool

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._pool is not None:
                self._pool.in_flight -= 1
                self._pool = None


class PerOriginTransport(httpx.AsyncBaseTransport):
    """Routes each request to the connection pool of its origin, made on first use."""

    def __init__(
        self,
        *,
        max_pools: int = 64,
        keepalive: int = 2,
        max_connections: int = 64,
        make_context: Callable[[], ssl.SSLContext] | None = None,
    ) -> None:
        self._limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=keepalive)
        self._max_pools = max_pools
        self._make_context = make_context or _verifying_context
        self._contexts: dict[bool, ssl.SSLContext] = {}
        self._pools: OrderedDict[_Origin, _Pool] = OrderedDict()  # least recently used first
        self._closing: set[asyncio.Task[None]] = set()  # evicted pools being closed
        self._closed = False

    @property
    def origins(self) -> int:
        """How many pools are open."""
        return len(self._pools)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._closed:
            raise RuntimeError("the transport is closed")
        url = request.url
        key = (url.raw_scheme, url.raw_host, url.port)
        pool = self._pools.get(key)
        if pool is None:
            transport = httpx.AsyncHTTPTransport(
                verify=self._context(url.scheme == "https"), limits=self._limits
            )
            pool = self._pools[key] = _Pool(transport)
        else:
            self._pools.move_to_end(key)
        pool.in_flight += 1  # before any await: a pool in use is never closed under a request
        self._evict()
        try:
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.in_flight -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_Tracked(response.stream, pool),
            extensions=response.extensions,
        )

    def _evict(self) -> None:
        """Keep at most ``max_pools``: close the least recently used ones with nothing in flight.

        Each close is a task of its own, so a request that is cancelled (a deadline) cannot leave a
        pool half closed, and a close that fails cannot fail the request that made room."""
        idle = [key for key, pool in self._pools.items() if pool.in_flight == 0]
        for key in idle[: max(0, len(self._pools) - self._max_pools)]:
            task = asyncio.ensure_future(self._pools.pop(key).transport.aclose())
            self._closing.add(task)
            task.add_done_callback(self._closed_one)

    def _closed_one(self, task: asyncio.Task[None]) -> None:
        self._closing.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: a socket that failed to close is gone either way

    def _context(self, tls: bool) -> ssl.SSLContext:
        context = self._contexts.get(tls)
        if context is None:
            # A plain-http pool never starts TLS, but httpx gives every pool a context: those get one
            # that trusts nothing instead of loading the CA bundle.
            context = self._contexts[tls] = (
                self._make_context() if tls else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            )
        return context

    async def aclose(self) -> None:
        self._closed = True
        await asyncio.gather(*self._closing, return_exceptions=True)
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.transport.aclose()


def _verifying_context() -> ssl.SSLContext:
    """What httpx verifies with by default (certifi's CA bundle), never a bundle named by the environment."""
    return httpx.create_ssl_context(trust_env=False)
