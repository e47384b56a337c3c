"""SSRF guard: refuse URLs that would make the job reach inside the network.

A feed is written by a stranger, and so is every redirect it answers with. Before each request (and each
redirect hop) the fetcher asks ``check_url``: the scheme must be http(s) and every address the host
resolves to must be public. ``allow_private`` lifts the address check for tests and the offline demo.

DNS rebinding: a name could resolve to a public address here and to a private one when the HTTP client
looks it up again. For plain http the fetcher closes that gap by connecting to the address checked here
(``pinned_url``: the URL carries the IP, the Host header keeps the name). For https it does not pin (the
certificate must match the name, and a connection pool keyed by IP could reuse one name's TLS session for
another); an internal host cannot present a valid certificate for the attacker's name, so the TLS
handshake fails instead.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from scraper.config import usable_url
from scraper.errors import FetchError

# host, port -> the IP addresses it resolves to (strings)
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

ALLOWED_SCHEMES = frozenset({"http", "https"})

# IPv4 space that `ipaddress` does not flag as private/reserved but that no feed lives in.
_EXTRA_BLOCKED = (
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT (RFC 6598)
    ipaddress.ip_network("192.0.0.0/24"),  # IETF protocol assignments (RFC 6890)
    ipaddress.ip_network("198.18.0.0/15"),  # benchmarking (RFC 2544)
)


@dataclass(frozen=True, slots=True)
class CheckedUrl:
    """A URL that passed the guard, with the addresses its host resolved to."""

    url: str
    host: str
    port: int
    addresses: tuple[str, ...]


async def system_resolver(host: str, port: int) -> Sequence[str]:
    """Resolve through the event loop's getaddrinfo (a thread), every address family."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def blocked_reason(address: str) -> str | None:
    """Why an IP address must not be fetched, or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        # The IPv4 forms hidden inside IPv6 reach the same hosts: ::ffff:a.b.c.d, 6to4, Teredo.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            reason = blocked_reason(str(embedded))
            if reason:
                return f"{ip}, which embeds {reason}"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("shared or special-purpose", any(ip in net for net in _EXTRA_BLOCKED if ip.version == 4)),
        ("not globally routable", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"{ip} ({name})"
    return None


async def check_url(url: str, *, allow_private: bool, resolver: Resolver) -> CheckedUrl:
    """Check scheme and resolved addresses; raise FetchError with the reason when refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(url, f"refused: not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(url, f"refused: scheme {scheme or '(none)'!r} is not http or https")
    host = parts.hostname
    if not host:
        raise FetchError(url, "refused: the URL has no host")
    if not usable_url(url, host):  # a later run will not fix it (``run._PERMANENT``)
        raise FetchError(
            url, "refused: not a usable URL (a control character in it, or an invalid host name)"
        )
    port = port or (443 if scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        literal = None
    try:
        found = [str(literal)] if literal is not None else await resolver(host, port)
        addresses = tuple(dict.fromkeys(found))
    except (OSError, UnicodeError) as exc:
        raise FetchError(url, f"could not resolve host {host!r}: {exc}") from exc
    if not addresses:
        raise FetchError(url, f"could not resolve host {host!r}: no addresses")
    if not allow_private:
        for address in addresses:
            try:
                reason = blocked_reason(address)
            except ValueError as exc:
                raise FetchError(url, f"refused: host {host!r} gave an unreadable address") from exc
            if reason:
                raise FetchError(url, f"refused: host {host!r} resolves to {reason} (SSRF guard)")
    return CheckedUrl(url=url, host=host, port=port, addresses=addresses)


def pinned_url(checked: CheckedUrl) -> tuple[httpx.URL, dict[str, str]]:
    """The URL to connect to and extra headers, so an http request goes to the checked address."""
    url = httpx.URL(checked.url)
    if url.scheme != "http":
        return url, {}
    # IPv4 first: a Lambda has no IPv6 egress unless its VPC is set up for it.
    first = sorted(checked.addresses, key=lambda a: ":" in a)[0]
    ip = ipaddress.ip_address(first.split("%", 1)[0])
    host_header = url.netloc.decode("ascii").rsplit("@", 1)[-1]
    return url.copy_with(host=str(ip)), {"Host": host_header}
