"""robots.txt rules, read from bytes the fetcher got itself (through its SSRF guard).

RFC 9309 decides what an unreadable file means: a 4xx answer (404 above all) allows everything, a 5xx
answer or no answer at all disallows everything, here for the rest of this run only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

# RFC 9309 2.5: crawlers must parse at least 500 KiB; anything longer is cut there.
MAX_ROBOTS_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one host's robots.txt allows; ``verdict`` is set when the file could not be read."""

    verdict: bool | None = None  # True: allow all, False: disallow all, None: ask the parser
    note: str = ""  # why a verdict was reached, for error messages
    parser: RobotFileParser | None = field(default=None, compare=False)

    def allows(self, url: str, user_agent: str) -> bool:
        """True when ``user_agent`` may fetch ``url`` under these rules."""
        if self.verdict is not None or self.parser is None:
            return bool(self.verdict)
        return self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float:
        """The Crawl-delay asked of ``user_agent`` in seconds, 0 when none."""
        if self.parser is None:
            return 0.0
        try:
            delay = self.parser.crawl_delay(user_agent)
        except (TypeError, ValueError):
            return 0.0
        return float(delay) if delay else 0.0


def robots_url(url: str) -> str:
    """The robots.txt URL that governs ``url`` (same scheme, host and port)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def parse_robots(body: bytes) -> RobotsRules:
    """Rules from a robots.txt body that was fetched with 2xx (and cut at MAX_ROBOTS_BYTES if longer)."""
    parser = RobotFileParser()
    if len(body) >= MAX_ROBOTS_BYTES:  # cut at the limit: a line cut short ("Disallow: /priv") is dropped
        body = body[:MAX_ROBOTS_BYTES].rpartition(b"\n")[0]
    text = body.decode("utf-8", errors="replace")
    parser.parse(text.splitlines())
    return RobotsRules(parser=parser)


def rules_for_failure(status: int | None, reason: str) -> RobotsRules:
    """Rules when robots.txt was not readable: 4xx allows all, anything else disallows all."""
    if status is not None and 400 <= status < 500:
        return RobotsRules(verdict=True, note=f"robots.txt answered HTTP {status}: all allowed")
    return RobotsRules(verdict=False, note=f"robots.txt unreadable ({reason}): host skipped for this run")
