"""robots.txt rules, read from bytes the fetcher got itself (through its SSRF guard), as RFC 9309 reads them:
groups by user agent, "*" and "$" in paths, the longest matching rule deciding.

RFC 9309 decides what an unreadable file means: a 4xx answer (404 above all) allows everything, a 5xx
answer or no answer at all disallows everything, here for the rest of this run only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

# RFC 9309 2.5: crawlers must parse at least 500 KiB; anything longer is cut there.
MAX_ROBOTS_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class _Group:
    """One group of a robots.txt: the user agents it names, its rules and its Crawl-delay (if any)."""

    agents: tuple[str, ...]
    rules: tuple[tuple[bool, str], ...]  # (allow, path pattern), in file order
    delay: float | None = None


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one host's robots.txt allows, read as RFC 9309 says; ``verdict`` is set when the file could not be
    read."""

    verdict: bool | None = None  # True: allow all, False: disallow all, None: ask the groups
    note: str = ""  # why a verdict was reached, for error messages
    groups: tuple[_Group, ...] = field(default=(), compare=False)

    def allows(self, url: str, user_agent: str) -> bool:
        """True when ``user_agent`` may fetch ``url`` under these rules: the longest matching path pattern
        decides, an Allow winning a tie; /robots.txt itself is always allowed (RFC 9309 2.2.2, 2.5)."""
        if self.verdict is not None:
            return self.verdict
        parts = urlsplit(url)
        path = _normal_path((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        # In a pattern "*" and "$" are special and "%2A"/"%24" stand for the characters (RFC 9309 2.2.3)
        path = path.replace("*", "%2A").replace("$", "%24")
        if path == "/robots.txt":
            return True
        best: tuple[int, bool] = (-1, True)
        for allow, pattern in self._rules_for(user_agent):
            if pattern and _path_matches(pattern, path):
                best = max(best, (len(pattern), allow))
        return best[1]

    def crawl_delay(self, user_agent: str) -> float:
        """The Crawl-delay asked of ``user_agent`` in seconds, 0 when none (not in RFC 9309; widely used)."""
        delays = [g.delay for g in self._groups_for(user_agent) if g.delay is not None]
        return max(delays, default=0.0)

    def _groups_for(self, user_agent: str) -> list[_Group]:
        token = _product_token(user_agent)
        mine = [g for g in self.groups if token in g.agents]
        return mine or [g for g in self.groups if "*" in g.agents]

    def _rules_for(self, user_agent: str) -> list[tuple[bool, str]]:
        return [rule for group in self._groups_for(user_agent) for rule in group.rules]


def _product_token(user_agent: str) -> str:
    """ "defense-watch/1.0 (+https://...)" -> "defense-watch": what a group's user-agent line names."""
    return (user_agent.split() or [""])[0].split("/")[0].lower()


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _normal_path(path: str) -> str:
    """Escapes in one form (RFC 3986 6.2.2): an unreserved character unescaped ("%7E" is "~"), any other escape in
    capitals, any other unsafe character escaped; so a path and a pattern written either way compare equal."""

    def one(match: re.Match[str]) -> str:
        char = chr(int(match[1], 16))
        return char if char in _UNRESERVED else match[0].upper()

    return re.sub(r"%([0-9a-fA-F]{2})", one, quote(path, safe="/?&=%:@!$'()*+,;~-._"))


def _path_matches(pattern: str, path: str) -> bool:
    """Whether ``path`` starts with ``pattern``, "*" matching any characters and a final "$" the end (RFC 9309
    2.2.3). Each literal piece is found left to right, the first place it fits being the best: linear, where a
    regular expression of many "*" backtracks for minutes on a path that almost matches."""
    anchored = pattern.endswith("$")
    pieces = (pattern[:-1] if anchored else pattern).split("*")
    if not path.startswith(pieces[0]):
        return False
    if len(pieces) == 1:
        return not anchored or path == pieces[0]
    at = len(pieces[0])
    for piece in pieces[1:-1]:
        found = path.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    last = pieces[-1]
    if anchored:
        return len(path) - len(last) >= at and path.endswith(last)
    return path.find(last, at) >= 0


def robots_url(url: str) -> str:
    """The robots.txt URL that governs ``url`` (same scheme, host and port)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def parse_robots(body: bytes) -> RobotsRules:
    """Rules from a robots.txt body that was fetched with 2xx (and cut at MAX_ROBOTS_BYTES if longer).

    RFC 9309: a group is one or more user-agent lines and the rules after them, up to the next user-agent line
    that follows a rule (blank lines end nothing); lines it does not know are skipped; a byte order mark is
    no part of the first line."""
    if len(body) >= MAX_ROBOTS_BYTES:  # cut at the limit: a line cut short ("Disallow: /priv") is dropped
        body = body[:MAX_ROBOTS_BYTES].rpartition(b"\n")[0]
    text = body.decode("utf-8", errors="replace").removeprefix("\ufeff")
    groups: list[_Group] = []
    agents: list[str] = []
    rules: list[tuple[bool, str]] = []
    delay: float | None = None
    in_rules = False
    for raw in text.splitlines():
        key, sep, value = raw.split("#", 1)[0].partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key in ("user-agent", "useragent", "user agent"):
            if in_rules:  # a user-agent line after rules starts the next group
                groups.append(_Group(tuple(agents), tuple(rules), delay))
                agents, rules, delay, in_rules = [], [], None, False
            agents.append(value.split("/")[0].strip().lower() or "*")
        elif key in ("allow", "disallow") and agents:
            in_rules = True
            if value:  # "Disallow:" with no path disallows nothing
                rules.append((key == "allow", _normal_path(value)))
        elif key == "crawl-delay" and agents:
            in_rules = True
            try:
                delay = float(value)
            except ValueError:
                continue
            if not math.isfinite(delay) or delay < 0:
                delay = None
    if agents:
        groups.append(_Group(tuple(agents), tuple(rules), delay))
    return RobotsRules(groups=tuple(groups))


def rules_for_failure(status: int | None, reason: str) -> RobotsRules:
    """Rules when robots.txt was not readable: 4xx allows all, anything else disallows all."""
    if status is not None and 400 <= status < 500:
        return RobotsRules(verdict=True, note=f"robots.txt answered HTTP {status}: all allowed")
    return RobotsRules(verdict=False, note=f"robots.txt unreadable ({reason}): host skipped for this run")
