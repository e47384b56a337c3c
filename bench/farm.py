"""A loopback feed farm: N RSS feeds of M items each, served slowly and politely like real sites.

Every response waits ``latency`` seconds before it is sent (the round trip of a distant server), the
feeds carry ETag and Last-Modified and answer a matching conditional GET with 304, and bodies are
gzipped for clients that accept it. Items are about 1.4 KB of generated defence-news text; roughly one
in five names a watched (system, country) pair with a deal-stage verb, the rest are the budget, exercise
and industry news that makes up most of a real feed.

Feeds are spread over several host names (127.0.0.1 ... 127.0.0.H, which all reach loopback on Linux) so
that a fetcher's per-host cap limits each "site" and not the whole farm. The server is asyncio in a
background thread: a hundred sleeping requests cost it nothing. Run it in a different process from the
code under measurement, or its CPU is counted with the job's.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

# Watched names from the default watchlist, and stage phrases the matcher knows, so that some stories hit.
_SYSTEMS = (
    "S-400",
    "Patriot",
    "IRIS-T",
    "NASAMS",
    "F-35",
    "F-16",
    "Rafale",
    "Gripen",
    "HIMARS",
    "Leopard 2",
    "K9 Thunder",
    "CAESAR howitzer",
    "Bayraktar TB2",
    "Iron Dome",
    "SAMP/T",
)
_COUNTRIES = (
    "Poland",
    "Romania",
    "India",
    "Turkey",
    "Greece",
    "Egypt",
    "Indonesia",
    "Philippines",
    "Norway",
    "Estonia",
    "Morocco",
    "Brazil",
    "Japan",
    "Taiwan",
    "Lithuania",
)
_STAGE_SENTENCES = (
    "{country} signed a contract for {system} batteries worth {money} on {weekday}, the ministry said.",
    "The first {system} units were delivered to {country} this week, officials confirmed.",
    "{country} is in talks to buy the {system}, according to two people familiar with the negotiations.",
    "{country} has deployed its {system} near the border, the armed forces command announced.",
    "The State Department approved a possible sale of {system} equipment to {country} valued at {money}.",
    "{country} received a second batch of {system} systems under a deal signed last year.",
)
_COMPANIES = (
    "Northbridge Dynamics",
    "Halvorsen Aerospace",
    "Kestrel Systems",
    "Meridian Ordnance",
    "Vantor Marine",
    "Ostrava Defence Works",
    "Caldera Electronics",
    "Pelion Shipyards",
)
_PLACES = (
    "the Baltic Sea",
    "the Black Sea",
    "the South China Sea",
    "the High North",
    "the Sahel",
    "the eastern Mediterranean",
    "the Indo-Pacific",
    "the Gulf of Aden",
)
_FILLER = (
    "{company} reported higher quarterly revenue on the back of ammunition orders and said its order "
    "backlog had reached a record.",
    "Lawmakers debated the defence budget for the next fiscal year, with procurement and readiness "
    "accounts drawing most of the attention.",
    "Naval units from several allies began a two-week exercise in {place}, practising air defence and "
    "anti-submarine warfare.",
    "The ministry published a new acquisition strategy that favours common standards, shorter "
    "programmes and more domestic production.",
    "Analysts at a research institute said supply chains for solid rocket motors remain the main "
    "bottleneck for munitions output.",
    "{company} opened a maintenance facility that will service radars and launchers for regional customers.",
    "A parliamentary committee asked for an audit of a delayed frigate programme that is now {years} "
    "years behind schedule.",
    "Officials said the training pipeline for pilots and technicians would grow by a third over the "
    "next {years} years.",
    "The army is testing counter-drone prototypes from {company} and two smaller firms at a range "
    "near the coast.",
    "Satellite imagery showed new hardened shelters under construction at an air base facing {place}.",
)
_SYLLABLES = (
    "var",
    "ko",
    "tel",
    "mir",
    "an",
    "sol",
    "dra",
    "ven",
    "ka",
    "lis",
    "tor",
    "ban",
    "ul",
    "zer",
    "mo",
    "rin",
    "ost",
    "ha",
    "pel",
    "dun",
    "cas",
    "vi",
    "gor",
    "ne",
)
_TOPICS = (
    "plan advances",
    "order takes shape",
    "upgrade slips",
    "trials begin",
    "budget fight grows",
    "contract talks resume",
    "deliveries questioned",
    "test campaign ends",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# Word-level variety, so that bodies compress like real prose (about 3-4x) rather than like a template.
_WHO = (
    "A senior procurement official",
    "The chief of the general staff",
    "A spokesperson for the navy",
    "An industry executive",
    "The deputy defence minister",
    "A retired air force general",
    "The head of the armaments agency",
    "A budget analyst",
    "The programme manager",
    "A union leader",
)
_SAID = (
    "told reporters",
    "wrote in a statement",
    "said at a conference",
    "told a hearing",
    "said in an interview",
    "noted in a briefing",
    "argued in a report",
    "said on the sidelines",
)
_WHAT = (
    "that spare parts were arriving faster",
    "that the schedule depended on engine deliveries",
    "that costs had risen by {pct} percent",
    "that crews needed {years} more months of training",
    "that the tender would be reopened",
    "that a second production line was under study",
    "that the fleet's availability rate stood at {pct} percent",
    "that offsets were still being negotiated",
    "that the radar upgrade passed its acceptance tests",
    "that the base would host {years} new squadrons",
)
_FIRST = (
    "Anna",
    "Marek",
    "Ioana",
    "Kenji",
    "Leila",
    "Tomas",
    "Priya",
    "Omar",
    "Sofia",
    "Lars",
    "Elena",
    "Daniel",
    "Mei",
    "Yusuf",
    "Clara",
    "Piotr",
    "Aisha",
    "Jonas",
    "Rui",
    "Hana",
)
_LAST = (
    "Novak",
    "Lindqvist",
    "Okafor",
    "Tanaka",
    "Haddad",
    "Moreau",
    "Kowalski",
    "Rossi",
    "Silva",
    "Petrov",
    "Nguyen",
    "Castillo",
    "Berg",
    "Demir",
    "Walsh",
    "Iyer",
    "Horvat",
    "Sato",
    "Costa",
    "Ruiz",
)
_WHEN = (
    "on {weekday}",
    "earlier this month",
    "late last year",
    "in {place}",
    "during the {weekday} session",
    "after a visit to {place}",
    "before the summer recess",
    "at the start of the fiscal year",
)


@dataclass(slots=True)
class _Feed:
    index: int
    items: list[str]  # rendered <item> elements, newest first
    serial: int  # next item number
    version: int = 0
    modified: datetime = field(default_factory=lambda: datetime(2025, 1, 6, 8, 0, tzinfo=UTC))
    body: bytes = b""
    gzipped: bytes = b""
    etag: str = ""


@dataclass(slots=True)
class FarmStats:
    """What the farm served since the last ``reset_stats``."""

    requests: int = 0
    ok: int = 0
    not_modified: int = 0
    bytes_sent: int = 0  # body bytes on the wire (gzipped when the client asked for it)


class FeedFarm:
    """``FeedFarm(feeds=100, items=50, latency=0.3).start()``; ``farm.sources`` lists (name, url)."""

    def __init__(
        self,
        feeds: int = 100,
        items: int = 50,
        latency: float = 0.3,
        hosts: int = 25,
        seed: int = 5,
        pair_share: float = 0.2,
    ) -> None:
        self.latency = latency
        self.hosts = max(1, min(hosts, feeds, 250))
        self.items_per_feed = items
        self.pair_share = pair_share
        self.stats = FarmStats()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._feeds = [_Feed(index=i, items=[], serial=0) for i in range(feeds)]
        for feed in self._feeds:
            feed.items = [self._item(feed) for _ in range(items)][::-1]
            self._render(feed)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._servers: list[asyncio.base_events.Server] = []
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- content -----------------------------------------------------------------------------------
    def _coin(self) -> str:
        """A made-up proper name (a base, a programme, a town): what makes two real stories differ."""
        return "".join(self._rng.choice(_SYLLABLES) for _ in range(self._rng.randint(2, 3))).capitalize()

    def _story(self) -> tuple[str, str]:
        rng = self._rng
        base, town, programme = self._coin(), self._coin(), self._coin()
        fill = {
            "company": rng.choice(_COMPANIES),
            "place": rng.choice(_PLACES),
            "years": rng.randint(2, 9),
            "weekday": rng.choice(_WEEKDAYS),
            "money": f"${rng.randint(2, 90) / 10:.1f} billion",
            "pct": rng.randint(3, 95),
        }
        where = (f"at {base} air base", f"near {town}", f"under the {programme} programme", f"in {town}")
        sentences = [
            rng.choice(_FILLER).format(**fill).rstrip(".") + f" {rng.choice(where)}."
            if i % 2
            else f"{rng.choice(_WHO)} {rng.choice(_FIRST)} {rng.choice(_LAST)} {rng.choice(_SAID)} "
            f"{rng.choice(_WHEN)} {rng.choice(_WHAT)} {rng.choice(where)}.".format(**fill)
            for i in range(8)
        ]
        if rng.random() < self.pair_share:
            fill.update(system=rng.choice(_SYSTEMS), country=rng.choice(_COUNTRIES))
            sentences[0] = rng.choice(_STAGE_SENTENCES).format(**fill).rstrip(".") + f", {rng.choice(where)}."
            title = f"{fill['country']}: {fill['system']} {rng.choice(_TOPICS)} {rng.choice(where)}"
        else:
            topic = f"{programme} {rng.choice(_TOPICS)} {rng.choice(where)}"
            title = f"{topic} as {fill['company']} {rng.choice(_SAID)}"
        return title, " ".join(sentences)

    def _item(self, feed: _Feed) -> str:
        n = feed.serial
        feed.serial += 1
        title, text = self._story()
        paragraphs = "".join(f"<p>{escape(p.rstrip('.'))}.</p>" for p in text.split(". ") if p)
        link = f"https://news{feed.index:03d}.example/articles/{n:06d}-{hashlib.sha1(title.encode()).hexdigest()[:8]}"
        when = feed.modified - timedelta(minutes=37 * (self.items_per_feed - n % self.items_per_feed))
        return (
            f"<item><title>{escape(title)}</title><link>{link}</link>"
            f'<guid isPermaLink="false">feed{feed.index:03d}-item{n:06d}</guid>'
            f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
            f"<description>{escape(paragraphs)}</description></item>\n"
        )

    def _render(self, feed: _Feed) -> None:
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Bench Defence Wire {feed.index:03d}</title><link>https://news{feed.index:03d}.example/</link>"
            "<description>Generated defence news for the benchmark</description>\n"
        )
        feed.body = (head + "".join(feed.items) + "</channel></rss>\n").encode("utf-8")
        feed.gzipped = gzip.compress(feed.body, compresslevel=6, mtime=0)
        feed.etag = f'"{hashlib.sha1(feed.body).hexdigest()[:16]}"'

    def add_items(self, feed_index: int, count: int) -> None:
        """Publish ``count`` new items on one feed (the oldest drop off): a new ETag and Last-Modified."""
        with self._lock:
            feed = self._feeds[feed_index]
            feed.modified += timedelta(minutes=15)
            feed.items = [self._item(feed) for _ in range(count)][::-1] + feed.items
            del feed.items[self.items_per_feed :]
            feed.version += 1
            self._render(feed)

    def body(self, feed_index: int) -> bytes:
        return self._feeds[feed_index].body

    @property
    def sources(self) -> list[tuple[str, str]]:
        """(name, url) per feed; feed i lives on host 127.0.0.(1 + i % hosts)."""
        return [
            (
                f"Bench Wire {f.index:03d}",
                f"http://127.0.0.{1 + f.index % self.hosts}:{self.port}/feed/{f.index}.xml",
            )
            for f in self._feeds
        ]

    def reset_stats(self) -> FarmStats:
        with self._lock:
            old, self.stats = self.stats, FarmStats()
        return old

    # --- serving -----------------------------------------------------------------------------------
    def start(self) -> FeedFarm:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True, name="feed-farm")
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the feed farm did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FeedFarm:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop

        async def listen() -> None:
            first = await asyncio.start_server(self._client, "127.0.0.1", 0, backlog=512)
            self.port = first.sockets[0].getsockname()[1]
            self._servers = [first]
            for n in range(2, self.hosts + 1):
                self._servers.append(
                    await asyncio.start_server(self._client, f"127.0.0.{n}", self.port, backlog=512)
                )

        loop.run_until_complete(listen())
        ready.set()
        try:
            loop.run_forever()
        finally:
            for server in self._servers:
                server.close()
            loop.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, path, *_ = [*lines[0].split(" "), "", ""]
                headers = {}
                for line in lines[1:]:
                    key, _, value = line.partition(":")
                    if key:
                        headers[key.strip().lower()] = value.strip()
                await asyncio.sleep(self.latency)
                status, extra, payload = self._answer(method, path, headers)
                reply = [f"HTTP/1.1 {status}", f"Content-Length: {len(payload)}", *extra]
                close = headers.get("connection", "").lower() == "close"
                if close:
                    reply.append("Connection: close")
                writer.write(("\r\n".join(reply) + "\r\n\r\n").encode("latin-1") + payload)
                await writer.drain()
                if close:
                    return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    def _answer(self, method: str, path: str, headers: dict[str, str]) -> tuple[str, list[str], bytes]:
        name = path.split("?")[0].rsplit("/", 1)[-1]
        with self._lock:
            self.stats.requests += 1
            if method != "GET" or not (name.endswith(".xml") and name[:-4].isdigit()):
                return "404 Not Found", ["Content-Type: text/plain"], b"not found"
            index = int(name[:-4])
            if index >= len(self._feeds):
                return "404 Not Found", ["Content-Type: text/plain"], b"not found"
            feed = self._feeds[index]
            modified = format_datetime(feed.modified, usegmt=True)
            validators = [f"ETag: {feed.etag}", f"Last-Modified: {modified}"]
            inm, ims = headers.get("if-none-match"), headers.get("if-modified-since")
            if (inm is not None and feed.etag in inm) or (inm is None and ims == modified):
                self.stats.not_modified += 1
                return "304 Not Modified", validators, b""
            self.stats.ok += 1
            extra = ["Content-Type: application/rss+xml; charset=utf-8", *validators]
            if "gzip" in headers.get("accept-encoding", ""):
                self.stats.bytes_sent += len(feed.gzipped)
                return "200 OK", [*extra, "Content-Encoding: gzip", "Vary: Accept-Encoding"], feed.gzipped
            self.stats.bytes_sent += len(feed.body)
            return "200 OK", extra, feed.body


def watchlist_yaml(sources: list[tuple[str, str]], base: str) -> str:
    """The default watchlist's systems, countries and settings with the farm's feeds instead of its own."""
    import yaml

    with open(base, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data["feeds"] = [{"name": name, "url": url} for name, url in sources]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
