"""Concurrent, polite, guarded HTTP fetching of feeds and pages (httpx, asyncio).

``HttpFetcher.fetch`` never raises for network or HTTP trouble: every outcome, good or bad, comes back as
a ``FetchResult`` whose ``error`` is a full sentence. What it guards against: hosts inside the network
(every redirect hop goes through ``scraper.guard``), oversized and decompression-bomb bodies (counted
while streaming the decoded bytes), slow trickles (a total time per response), redirect loops, content
that is not what was asked for, and servers that want us to slow down (429, Retry-After, robots.txt).

Make one fetcher per run, inside the running event loop: its semaphores and client belong to that loop.
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib.util
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import brotli
import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type
from tenacity.stop import stop_after_attempt, stop_base, stop_before_delay
from tenacity.wait import wait_exponential_jitter

from scraper.errors import FetchError
from scraper.guard import CheckedUrl, Resolver, check_url, pinned_url, system_resolver
from scraper.inflate import Inflater, TooLarge
from scraper.pools import PerOriginTransport
from scraper.robots import MAX_ROBOTS_BYTES, RobotsRules, parse_robots, robots_url, rules_for_failure

# httpcore runs `import sniffio` inside a function on every request; when sniffio is not installed,
# each failed import searches all of sys.path again (~30 stat calls: a sixth of the CPU of a 304,
# bench/run.py). Recording its absence once makes the answer free (httpcore and anyio both treat
# it as "not installed": asyncio).
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, "
    "text/xml;q=0.9"
)
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9"
ANY_ACCEPT = "*/*"
ACCEPT_ENCODING = "gzip, deflate, br"  # decoded here by Inflater, within the size cap

# Retry policy (HOUSE_STYLE 6): transient failures only, bounded in attempts AND time, jittered backoff.
MAX_ATTEMPTS = 3
RETRY_TIME_CAP = 30.0  # seconds from the first attempt; no retry starts after this
RETRY_AFTER_CAP = 10.0  # a server asking for a longer pause is left for the next run
MAX_CRAWL_DELAY = 10.0  # robots.txt Crawl-delay is honoured up to this
_BACKOFF = wait_exponential_jitter(multiplier=0.5, max=8.0, jitter=0.5)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Answers that carry the whole document: 200, and 203 Non-Authoritative Information, a 200 that a
# transforming proxy modified on the way (RFC 9110 15.3.4). Any other 2xx has nothing to read
# (204, 205), or not yet (202); 206 is refused in _read.
READABLE = frozenset({200, 203})
# Served for feeds often enough that refusing them would lose real feeds; the parser decides.
_GENERIC_TYPES = frozenset({"", "text/plain", "application/octet-stream", "binary/octet-stream"})
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf", b"<?xml")
_BAD_LOCATION = "Invalid URL in location header"  # httpx 0.28 _redirect_url's RemoteProtocolError


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one fetch: a document (200, 203), not modified (304), an answer without one
    (another 2xx), or an error sentence."""

    url: str
    status: int | None  # 2xx or 304; None on error
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    final_url: str = ""
    error: str | None = None
    bytes_read: int = 0  # bytes on the wire (before decompression), every hop and retry
    requests: int = 0  # HTTP requests made, including redirects and retries (not robots.txt)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """True for a usable answer (a body or a 304)."""
        return self.error is None

    @property
    def readable(self) -> bool:
        """True when the answer carries the whole document to read (``READABLE``)."""
        return self.error is None and self.status in READABLE


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """One URL to fetch, with the validators stored from its last fetch."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    accept: str = FEED_ACCEPT
    obey_robots: bool = False


class _StatusError(FetchError):
    """A final HTTP answer that is an error; robots.txt needs the status to decide."""

    def __init__(self, url: str, status: int, message: str) -> None:
        super().__init__(url, message)
        self.status = status


class _Transient(Exception):
    """A failure worth another attempt: timeout, connection trouble, 429 or 5xx."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


class _Deferred(Exception):
    """The request would start after the run's deadline."""


@dataclass(slots=True)
class _Progress:
    requests: int = 0
    bytes_read: int = 0
    sending: bool = False  # counted in HttpFetcher._sending: holds its slots, not on the wire yet


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    url: str
    headers: httpx.Headers
    body: bytes = b""
    location: str | None = None


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, _Transient) and exc.retry_after is not None:
        return exc.retry_after
    return _BACKOFF(state)


class _stop_retry_after_too_long(stop_base):
    def __call__(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        return isinstance(exc, _Transient) and (exc.retry_after or 0.0) > RETRY_AFTER_CAP


class _stop_at_deadline(stop_base):
    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline

    def __call__(self, state: RetryCallState) -> bool:
        return self.deadline is not None and time.monotonic() + state.upcoming_sleep >= self.deadline


_STOP = stop_after_attempt(MAX_ATTEMPTS) | stop_before_delay(RETRY_TIME_CAP) | _stop_retry_after_too_long()
RETRY_POLICY = AsyncRetrying(
    stop=_STOP,
    wait=_wait,
    retry=retry_if_exception_type(_Transient),
    reraise=True,
)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _accepts(media_type: str, accept: str) -> bool:
    """True when the Accept header lists the media type (type/* and */* ranges count; q=0 does not)."""
    for item in accept.split(","):
        rng, *params = (p.strip() for p in item.split(";"))
        if any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params):
            continue
        rng = rng.lower()
        if rng in ("*/*", media_type) or (rng.endswith("/*") and media_type.startswith(rng[:-1])):
            return True
    return False


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or ''}"


def _phrase(status: int) -> str:
    phrase = httpx.codes.get_reason_phrase(status)
    return f"HTTP {status} {phrase}" if phrase else f"HTTP {status}"


class HttpFetcher:
    """Guarded, bounded, concurrent GETs over one httpx.AsyncClient."""

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        user_agent: str,
        allow_private: bool = False,
        max_bytes: int = 5_000_000,
        timeout: float = 20.0,
        connect_timeout: float = 5.0,
        max_redirects: int = 5,
        # 64, not 20: a run's wall time is rounds of round trips. 100 feeds over 25+ hosts at 300 ms
        # each took 5 rounds (1.5 s) at 20 and takes 2 at 64 (bench/run.py); per_host keeps one site
        # at 2, and 64 idle sockets cost well under 1 MB.
        max_concurrency: int = 64,
        per_host: int = 2,
        per_host_delay: float = 0.0,
        resolver: Resolver | None = None,
    ) -> None:
        self._timeouts = httpx.Timeout(timeout, connect=connect_timeout)
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(
            timeout=self._timeouts,
            transport=PerOriginTransport(
                max_pools=max_concurrency, keepalive=per_host, max_connections=max_concurrency
            ),
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment: it would bypass the pinned address
        )
        self.user_agent = user_agent
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.per_host = per_host
        self.per_host_delay = per_host_delay
        self._resolver: Resolver = resolver or system_resolver
        self._global = asyncio.Semaphore(max_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._robots: dict[str, asyncio.Task[RobotsRules]] = {}
        # Requests that hold their slots but are not on the wire yet (address lookup, connect,
        # writing the request): CPU work waits for them (``until_sent``), or it would delay them.
        self._sending = 0
        self._sent = asyncio.Event()
        self._sent.set()

    async def aclose(self) -> None:
        """Close the client if this fetcher made it; cancel robots.txt fetches still running."""
        for task in self._robots.values():
            task.cancel()
        if self._owns_client:
            await self._client.aclose()

    async def fetch_many(
        self,
        requests: Sequence[FetchRequest],
        deadline: float | None = None,
        on_result: Callable[[int, FetchResult], None] | None = None,
    ) -> list[FetchResult]:
        """Fetch all concurrently under the global and per-host caps; results in request order.

        ``on_result(index, result)``, when given, is called once per request as soon as its answer is
        in, while the others are still in flight, so that CPU work on one answer (parsing a feed)
        overlaps the network waits of the rest instead of starting after the slowest one. Calls
        come one at a time, each after ``until_sent``: the request that was waiting for the slot
        this one gave back is on the wire before the work starts, so the work never delays a send.
        They run in the event loop: keep each call short, and do not raise (an exception propagates
        out of ``fetch_many`` and cancels the requests still running).
        """

        async def one(index: int, req: FetchRequest) -> FetchResult:
            try:
                result = await self.fetch(
                    req.url,
                    etag=req.etag,
                    last_modified=req.last_modified,
                    accept=req.accept,
                    obey_robots=req.obey_robots,
                    deadline=deadline,
                )
            except Exception as exc:  # one feed's bug must not sink the others (HOUSE_STYLE 7)
                result = FetchResult(
                    url=req.url, status=None, error=f"unexpected {type(exc).__name__}: {exc}"
                )
            if on_result is not None:
                async with in_turn:  # one call at a time, each after the requests waiting to go out
                    await self.until_sent()
                    on_result(index, result)
            return result

        in_turn = asyncio.Lock()
        tasks = [asyncio.ensure_future(one(i, r)) for i, r in enumerate(requests)]
        try:
            return list(await asyncio.gather(*tasks))
        finally:
            for task in tasks:  # only those still running: after a callback raised, or on cancel
                task.cancel()

    async def until_sent(self) -> None:
        """Return once every request that holds its slots is on the wire (or finished).

        CPU work in the event loop (parsing an answer, warming a cache) awaits this first: run
        while a request is still being set up, it would hold that request back by its own length.
        One turn of the loop comes first, so a request just given a freed slot is counted."""
        await asyncio.sleep(0)
        while self._sending:
            await self._sent.wait()

    def _begin_send(self, progress: _Progress) -> None:
        progress.sending = True
        self._sending += 1
        self._sent.clear()

    def _end_send(self, progress: _Progress) -> None:
        if progress.sending:
            progress.sending = False
            self._sending -= 1
            if not self._sending:
                self._sent.set()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
        obey_robots: bool = False,
        deadline: float | None = None,
    ) -> FetchResult:
        """GET ``url`` conditionally; never raises for network or HTTP problems."""
        started = time.monotonic()
        progress = _Progress()
        headers = {"User-Agent": self.user_agent, "Accept": accept, "Accept-Encoding": ACCEPT_ENCODING}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = _host_key(url)

        def failed(message: str) -> FetchResult:
            return FetchResult(
                url=url,
                status=None,
                error=message,
                final_url=url,
                bytes_read=progress.bytes_read,
                requests=progress.requests,
                elapsed=time.monotonic() - started,
            )

        try:
            async with self._hosts.setdefault(host, asyncio.Semaphore(self.per_host)):
                delay = self.per_host_delay
                if obey_robots:
                    rules = await self._robots_rules(url, deadline)
                    if not rules.allows(url, self.user_agent):
                        # not read (5xx, no answer, refused): nothing disallowed it
                        if rules.verdict is False:
                            return failed(rules.note)
                        return failed(f"disallowed by robots.txt for {self.user_agent!r}")
                    delay = max(delay, min(rules.crawl_delay(self.user_agent), MAX_CRAWL_DELAY))
                await self._wait_turn(host, delay, deadline)
                async with self._global:
                    if deadline is not None and time.monotonic() >= deadline:
                        raise _Deferred
                    self._begin_send(progress)
                    try:
                        answer = await self._follow(url, headers, accept, deadline, progress)
                    finally:
                        self._end_send(progress)
        except _Deferred:
            return failed("deferred: deadline")
        except FetchError as exc:
            return failed(exc.reason)
        return FetchResult(
            url=url,
            status=answer.status,
            body=answer.body,
            etag=answer.headers.get("etag") or (etag if answer.status == 304 else None),
            last_modified=answer.headers.get("last-modified")
            or (last_modified if answer.status == 304 else None),
            content_type=answer.headers.get("content-type", ""),
            final_url=answer.url,
            bytes_read=progress.bytes_read,
            requests=progress.requests,
            elapsed=time.monotonic() - started,
        )

    async def _wait_turn(self, host: str, delay: float, deadline: float | None) -> None:
        """Space requests to one host by ``delay`` seconds; defer when the turn comes after the deadline."""
        now = time.monotonic()
        start = max(now, self._next_start.get(host, now))
        if deadline is not None and start >= deadline:
            raise _Deferred
        self._next_start[host] = start + delay
        if start > now:
            await asyncio.sleep(start - now)

    async def _robots_rules(self, url: str, deadline: float | None) -> RobotsRules:
        """One robots.txt fetch per host per fetcher, shared by concurrent callers."""
        key = _host_key(url)
        task = self._robots.get(key)
        if task is None:
            task = asyncio.ensure_future(self._load_robots(robots_url(url), deadline))
            self._robots[key] = task
        return await asyncio.shield(task)

    async def _load_robots(self, url: str, deadline: float | None) -> RobotsRules:
        headers = {"User-Agent": self.user_agent, "Accept": "text/plain", "Accept-Encoding": ACCEPT_ENCODING}
        try:
            async with self._global:
                # RFC 9309 2.5: a longer file is read up to the limit, not refused
                answer = await self._follow(
                    url, headers, ANY_ACCEPT, deadline, _Progress(), max_bytes=MAX_ROBOTS_BYTES, cut=True
                )
        except _StatusError as exc:
            return rules_for_failure(exc.status, exc.reason)
        except FetchError as exc:
            return rules_for_failure(None, exc.reason)
        return parse_robots(answer.body)

    async def _follow(
        self,
        url: str,
        headers: dict[str, str],
        accept: str,
        deadline: float | None,
        progress: _Progress,
        max_bytes: int | None = None,
        cut: bool = False,
    ) -> _Answer:
        """Follow redirects ourselves so that every hop passes the SSRF guard.

        ``cut``: a body longer than ``max_bytes`` is cut there instead of refused (robots.txt).
        """
        seen = {url}
        current = url
        for _ in range(self.max_redirects + 1):
            checked = await check_url(current, allow_private=self.allow_private, resolver=self._resolver)
            answer = await self._with_retries(checked, headers, accept, deadline, progress, max_bytes, cut)
            if answer.location is None:
                return answer
            try:
                nxt = str(httpx.URL(current).join(answer.location))
            except (httpx.InvalidURL, ValueError) as exc:
                raise FetchError(url, f"redirect to an invalid URL {answer.location!r}") from exc
            if nxt in seen:
                raise FetchError(url, f"redirect loop: {current} sends us back to {nxt}")
            seen.add(nxt)
            current = nxt
        raise FetchError(url, f"too many redirects (more than {self.max_redirects}), last at {current}")

    async def _with_retries(
        self,
        checked: CheckedUrl,
        headers: dict[str, str],
        accept: str,
        deadline: float | None,
        progress: _Progress,
        max_bytes: int | None,
        cut: bool,
    ) -> _Answer:
        retrying = RETRY_POLICY.copy(stop=_STOP | _stop_at_deadline(deadline))
        attempts = 0
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    return await self._once(checked, headers, accept, deadline, progress, max_bytes, cut)
        except _Transient as exc:
            tries = f"after {attempts} attempt{'s' if attempts > 1 else ''}"
            if exc.retry_after is not None and exc.retry_after > RETRY_AFTER_CAP:
                tries = f"and asks us to wait {exc.retry_after:.0f} s (more than {RETRY_AFTER_CAP:.0f} s)"
            if exc.status is not None:
                raise _StatusError(checked.url, exc.status, f"{exc.message} {tries}") from exc
            raise FetchError(checked.url, f"{exc.message} {tries}") from exc
        raise AssertionError("unreachable: tenacity either returns or reraises")

    async def _once(
        self,
        checked: CheckedUrl,
        headers: dict[str, str],
        accept: str,
        deadline: float | None,
        progress: _Progress,
        max_bytes: int | None,
        cut: bool,
    ) -> _Answer:
        """One HTTP request and its body, within the total time allowed per response."""
        budget = self.timeout
        cut_by_deadline = False
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Deferred  # not the feed's fault: the run has no time left
            cut_by_deadline = left < budget
            budget = min(budget, left)
        target, extra = pinned_url(checked)

        async def trace(event: str, info: dict[str, Any]) -> None:
            if event.endswith("receive_response_headers.started"):  # the request is on the wire
                self._end_send(progress)

        request = self._client.build_request(
            "GET", target, headers={**headers, **extra}, timeout=self._timeouts, extensions={"trace": trace}
        )
        url = checked.url
        answered = False
        try:
            async with asyncio.timeout(budget):
                progress.requests += 1
                response = await self._client.send(request, stream=True, follow_redirects=False)
                answered = True
                try:
                    return await self._read(url, response, accept, max_bytes or self.max_bytes, cut)
                finally:
                    progress.bytes_read += response.num_bytes_downloaded
                    await response.aclose()
        except TimeoutError as exc:
            if cut_by_deadline:  # the run ran out of time, not the feed: try again next run
                raise _Deferred from exc
            if not answered:  # no answer at all: a timeout like any other, worth another attempt
                raise _Transient(f"timed out: no answer within {budget:.1f} s") from exc
            # an answer that trickles in: trying again would only waste the run's time
            raise FetchError(
                url, f"took longer than {budget:.1f} s (total time allowed per response)"
            ) from exc
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out ({type(exc).__name__})") from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            detail = str(exc)
            if isinstance(exc, httpx.RemoteProtocolError) and detail.startswith(_BAD_LOCATION):
                # httpx reads the Location of every redirect even when not following it, and reports
                # one it cannot parse as a protocol error: the server's answer, no connection trouble
                reason = detail.removeprefix(_BAD_LOCATION).strip(" :.")
                raise FetchError(url, f"redirect to an invalid URL ({reason})") from exc
            raise _Transient(f"connection failed ({type(exc).__name__}: {detail or 'no detail'})") from exc
        except httpx.DecodingError as exc:
            raise FetchError(url, f"could not decode the compressed body: {exc}") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"request failed ({type(exc).__name__}: {exc})") from exc
        finally:
            # answered or failed, it is no longer being set up (a retry after a backoff is not counted)
            self._end_send(progress)

    async def _read(
        self, url: str, response: httpx.Response, accept: str, max_bytes: int, cut: bool
    ) -> _Answer:
        status = response.status_code
        if status in _REDIRECTS and response.headers.get("location"):
            return _Answer(status, url, response.headers, location=response.headers["location"])
        if status == 304:
            return _Answer(304, url, response.headers)
        if status == 429 or status >= 500:
            raise _Transient(_phrase(status), status, _retry_after(response.headers.get("retry-after")))
        if not 200 <= status < 300:
            raise _StatusError(url, status, _phrase(status))
        if status == 206:
            # We never send Range: a part of a document is a server's mistake, and reading it as the
            # whole would lose what it left out (the stories after the cut, the rules of a robots.txt).
            raise _StatusError(url, status, f"{_phrase(status)}, though no range was asked for")
        media = _media_type(response.headers.get("content-type", ""))
        html_for_feed = media in ("text/html", "application/xhtml+xml") and not _accepts(media, accept)
        if not (_accepts(media, accept) or media in _GENERIC_TYPES or html_for_feed):
            raise FetchError(url, f"unexpected content type {media!r} (asked for {accept.split(',')[0]})")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes and not cut:
            raise FetchError(url, f"response too large: {declared} bytes declared, limit {max_bytes}")
        encoding = response.headers.get("content-encoding", "")
        try:
            inflater = Inflater(encoding, max_bytes, cut=cut)
        except ValueError as exc:
            raise FetchError(url, str(exc)) from exc
        chunks: list[bytes] = []
        try:
            async for raw in response.aiter_raw():
                chunks.extend(inflater.feed(raw))
                if inflater.full:  # cut at the limit: the rest is never read
                    break
        except TooLarge as exc:
            raise FetchError(
                url, f"response too large: more than {max_bytes} bytes after decompression"
            ) from exc
        except (zlib.error, brotli.error) as exc:
            raise FetchError(url, f"could not decode the {encoding} body: {exc}") from exc
        body = b"".join(chunks)
        if html_for_feed and not any(m in body[:1024].lstrip().lower() for m in _FEED_MARKERS):
            raise FetchError(url, f"server sent an HTML page ({media}), not a feed")
        return _Answer(status, url, response.headers, body)
