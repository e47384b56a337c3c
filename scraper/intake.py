"""What one source's answer becomes before the run uses it: parsed stories, or why there are none.

``parse_answer`` is called by ``scraper.run`` as each answer arrives (``HttpFetcher.fetch_many``'s
``on_result``), while other requests are still in flight, so it only decides and parses: the report,
the feed states and the health alerts are built afterwards, in source order. ``warm_up`` loads what
the run needs after fetching while the first requests are in flight.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from alerts.model import FeedState
from scraper.errors import ParseError
from scraper.fetch import FetchResult, HttpFetcher
from scraper.model import Source, Story

if TYPE_CHECKING:
    from scraper.aliases import AliasIndex

log = logging.getLogger("watch.run")  # the run's logger: its redaction and format apply


def body_hash(data: bytes) -> str:
    """The hash a feed state keeps of the last body, so an unchanged body of a seeded feed is skipped."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Parsed:
    """What the parse step decided for one source's answer (before any report or state is touched)."""

    status: str  # "new", "unchanged", "not_modified", "deferred" or "error"
    stories: tuple[Story, ...] = ()
    error: str | None = None
    left_out: tuple[str, ...] = ()  # ids of a long listing page's links beyond MAX_ITEMS
    note: str = ""  # what was wrong with a feed that could still be read (a cut-short document)
    cut: bool = False  # the document was cut short: its last item was kept back, so it must be read again


def parse_answer(
    source: Source, state: FeedState, result: FetchResult, has_time: Callable[[], bool]
) -> Parsed:
    """Parse one source's answer: skip an unchanged body of a seeded feed, defer when out of time.

    Called as each answer arrives, while other requests are still in flight; never raises for a
    bad body (the error is in the result)."""
    if result.error and result.error.startswith("deferred"):
        return Parsed("deferred")
    if result.error:
        return Parsed("error", error=result.error)
    if result.status == 304:
        return Parsed("not_modified")
    if not result.readable:  # 204 No Content and the like: an answer with nothing to read
        return Parsed("new")
    if state.content_hash == body_hash(result.body) and state.seeded:
        return Parsed("unchanged")
    if not has_time():
        return Parsed("deferred")
    if source.kind == "html":
        from scraper.listing import read_listing  # bs4: loaded only by a run that has HTML sources
    else:
        from scraper.parse import read_feed
    left_out: tuple[str, ...] = ()
    note, cut = "", False
    try:
        if source.kind == "html":
            listing = read_listing(
                result.body,
                url=result.final_url or source.url,
                source=source,
                content_type=result.content_type,
                # which links are new to the page, once its state remembers every link it showed
                listed=frozenset(state.listed) if state.left_out_listed else None,
            )
            stories, left_out = listing.stories, listing.left_out
        else:
            # Relative links resolve against where the document was found (RFC 3986 5.1.3): after
            # a redirect that is the final URL, not the one in the watchlist.
            feed = read_feed(
                result.body,
                url=result.final_url or source.url,
                feed_name=source.name,
                content_type=result.content_type,
            )
            stories = feed.stories
            cut = feed.cut_short  # feedparser's other notes are tolerated quirks, not reported
            if cut:
                note = "the feed ends before its closing tag (cut short?): its last item is read next run"
    except ParseError as exc:
        return Parsed("error", error=exc.reason)
    except Exception as exc:  # a parser bug on hostile input fails this source, not the run
        log.exception("parsing %s failed", source.url)
        return Parsed("error", error=f"could not be parsed ({type(exc).__name__}: {exc})")
    stories = tuple(replace(s, feed=source.name) if s.feed != source.name else s for s in stories)
    return Parsed("new", stories, left_out=left_out, note=note, cut=cut)


async def warm_up(
    fetcher: HttpFetcher, stages: tuple[tuple[str, tuple[str, ...]], ...], index: AliasIndex | None = None
) -> None:
    """Load, while the first requests are in flight, what the run needs after fetching anyway.

    Imports, the cached cue lexicon and the watchlist's alias alternation only: nothing here changes
    a result. Each step waits until no request is being set up, so it fills time the run would spend
    waiting for answers."""
    import importlib

    for name in ("scraper.parse", "scraper.dedupe", "scraper.match"):
        await fetcher.until_sent()
        importlib.import_module(name)
    await fetcher.until_sent()
    from scraper.lexicon import compile_lexicon

    compile_lexicon(stages)
    if index is not None:
        await fetcher.until_sent()
        index.compile()
