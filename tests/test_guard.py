"""SSRF guard: no feed, and no redirect hop, may make the job reach inside the network.

Public addresses cannot be reached from the test machine, so a test resolver maps made-up names to public
addresses and a forwarding transport (httpx's own seam) carries the pinned request to the loopback server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx
import pytest

from scraper.errors import FetchError
from scraper.fetch import FetchResult, HttpFetcher
from scraper.guard import blocked_reason, check_url, system_resolver
from tests.loopback import Loopback, Route

UA = "defense-watch-test/1.0 (+https://example.org/contact)"
PUBLIC = "93.184.215.14"


class ForwardToLoopback(httpx.AsyncBaseTransport):
    """Sends every request to the loopback server, recording which address and Host it was meant for."""

    def __init__(self, port: int) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._port = port
        self.seen: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.url.host, request.headers.get("host", "")))
        request.url = request.url.copy_with(host="127.0.0.1", port=self._port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class TableResolver:
    """DNS answers from a table; each name can answer differently on later lookups (rebinding)."""

    def __init__(self, table: dict[str, list[list[str]]]) -> None:
        self._table = table
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.calls.append(host)
        answers = self._table.get(host)
        if not answers:
            raise OSError(f"no such host {host}")
        return answers[0] if len(answers) == 1 else answers.pop(0)


def _fetch_public(
    loopback: Loopback, url: str, resolver: TableResolver
) -> tuple[FetchResult, ForwardToLoopback]:
    transport = ForwardToLoopback(int(loopback.url.rsplit(":", 1)[1]))

    async def go() -> FetchResult:
        async with httpx.AsyncClient(transport=transport) as client:
            fetcher = HttpFetcher(client, user_agent=UA, resolver=resolver)
            return await fetcher.fetch(url)

    return asyncio.run(go()), transport


RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>ok</title></channel></rss>'
RSS_HEADERS = {"Content-Type": "application/rss+xml"}


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("fd00::1", "private"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", ""),
        ("100.64.0.1", "shared"),
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:a9fe:a9fe::1", "link-local"),  # 6to4 wrapping 169.254.169.254
    ],
)
def test_internal_addresses_are_blocked(address: str, kind: str) -> None:
    reason = blocked_reason(address)
    assert reason is not None
    assert kind in reason


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(address) is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("ftp://ftp.example.com/feed.xml", "scheme 'ftp'"),
        ("gopher://127.0.0.1:70/", "scheme 'gopher'"),
        ("http:///no-host", "no host"),
        ("http://localhost/feed", "loopback"),
        ("http://127.0.0.1:8080/feed", "loopback"),
        ("http://[::ffff:127.0.0.1]/feed", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://2130706433/", "loopback"),  # 127.0.0.1 written as one decimal number
        ("http://0x7f.1/", "loopback"),  # and in hex shorthand
    ],
)
def test_check_url_refuses_with_a_reason(url: str, message: str) -> None:
    with pytest.raises(FetchError) as info:
        asyncio.run(check_url(url, allow_private=False, resolver=system_resolver))
    assert message in info.value.reason
    assert info.value.reason.startswith(("refused", "could not resolve"))


def test_a_host_with_any_private_address_is_refused() -> None:
    resolver = TableResolver({"mixed.test": [[PUBLIC, "10.1.2.3"]]})
    with pytest.raises(FetchError, match=r"10\.1\.2\.3 \(private\)"):
        asyncio.run(check_url("https://mixed.test/feed", allow_private=False, resolver=resolver))


def test_allow_private_lets_loopback_through() -> None:
    checked = asyncio.run(check_url("http://127.0.0.1:9/feed", allow_private=True, resolver=system_resolver))
    assert checked.addresses == ("127.0.0.1",)


def test_fetching_loopback_without_allow_private_never_connects(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(body=RSS, headers=RSS_HEADERS)

    async def go() -> FetchResult:
        fetcher = HttpFetcher(user_agent=UA)
        try:
            return await fetcher.fetch(loopback.url + "/feed.xml")
        finally:
            await fetcher.aclose()

    result = asyncio.run(go())
    assert result.status is None
    assert result.error is not None and "SSRF guard" in result.error
    assert loopback.requests == []


def test_public_feed_is_fetched_from_the_checked_address(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(body=RSS, headers=RSS_HEADERS)
    resolver = TableResolver({"feeds.public.test": [[PUBLIC]]})
    result, transport = _fetch_public(loopback, "http://feeds.public.test/feed.xml", resolver)
    assert result.status == 200 and result.body == RSS
    assert result.final_url == "http://feeds.public.test/feed.xml"
    # Pinned: the connection goes to the address the guard checked, the Host header keeps the name.
    assert transport.seen == [(PUBLIC, "feeds.public.test")]


def test_dns_rebinding_cannot_swap_the_address_after_the_check(loopback: Loopback) -> None:
    loopback.routes["/feed.xml"] = Route(body=RSS, headers=RSS_HEADERS)
    resolver = TableResolver({"rebind.test": [[PUBLIC], ["127.0.0.1"]]})
    result, transport = _fetch_public(loopback, "http://rebind.test/feed.xml", resolver)
    assert result.status == 200
    assert resolver.calls == ["rebind.test"]  # one lookup, and the request went to its answer
    assert transport.seen[0][0] == PUBLIC


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254 (link-local)"),
        ("http://internal.test:8080/admin", "10.0.0.7 (private)"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("file:///etc/passwd", "scheme 'file'"),
    ],
)
def test_redirect_hops_pass_the_guard(loopback: Loopback, location: str, message: str) -> None:
    loopback.routes["/feed.xml"] = Route(status=302, headers={"Location": location})
    resolver = TableResolver({"feeds.public.test": [[PUBLIC]], "internal.test": [["10.0.0.7"]]})
    result, transport = _fetch_public(loopback, "http://feeds.public.test/feed.xml", resolver)
    assert result.status is None
    assert result.error is not None and message in result.error
    assert len(transport.seen) == 1  # the refused hop was never requested
    assert result.requests == 1
