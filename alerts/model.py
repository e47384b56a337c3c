"""Values that the store keeps and the alert path passes around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FeedState:
    """What we remember about one source between runs."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    seeded: bool = False  # its first run is done (the backlog was seeded or alerted)
    failures: int = 0  # consecutive failed runs
    failing_since: datetime | None = None
    last_error: str = ""
    failing_alerted: bool = False  # the "feed failing" alert went out for this outage
    updated: datetime | None = None
    # full_text: (story id, runs in a row its article page failed) of stories waiting for their page
    article_failures: tuple[tuple[str, int], ...] = ()
    backlog: tuple[str, ...] = ()  # first-run stories still waiting: they seed, not alert, when matched
    # Ids of the stories its last parsed answer carried that are recorded, then the id each would fall back
    # to (scraper.run._identities), in the source's order and bounded (LISTED_LIMIT, LISTED_BYTES): a story
    # the store has since forgotten (TTL) is not new while the source lists it.
    listed: tuple[str, ...] = ()
    listing: bool = False  # ``listed`` is kept (a state saved before it was is read in full once)
    # kind: html: ``listed`` also holds the links that a page longer than MAX_ITEMS left out of its last
    # read, so a link missing from it is new to the page (scraper.listing.read_listing reads those first)
    left_out_listed: bool = False
    # full_text: (story id, link, title) of new stories whose page was not read yet (a run's page budget, a
    # failing page): one the source stops listing before then is brought back from here, not lost
    waiting: tuple[tuple[str, str, str], ...] = ()
    # The rules of the build that wrote it (FEED_STATE_SCHEMA); 0: an older build, whose state is checked
    # once as it is read (scraper.run._upgraded). An older build rolled back to drops it, so it is checked again.
    schema: int = 0


FEED_STATE_SCHEMA = 1  # seeded only by a read; a listing page read once by a build that learns its links
LISTED_LIMIT = 1000  # ids: two per story for a feed's 500 stories (each story's own id is kept first)
LISTED_BYTES = 120_000  # UTF-8 bytes of ids at most (ids may be long links): well inside a DynamoDB item
WAITING_LIMIT = 200  # stories waiting for their page, at most
WAITING_BYTES = 80_000  # their UTF-8 bytes at most, beside ``listed``'s, inside a DynamoDB item


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """A story we have seen: identity and provenance, never the article itself."""

    id: str
    url: str  # canonical URL
    title: str
    feeds: tuple[str, ...]  # names of the sources that carried it
    first_seen: datetime
    published: datetime | None = None
    fingerprint: str = ""  # near-duplicate fingerprint (hex)
    cluster: str = ""  # id of the event this story reports (the first story's id)
    text_length: int = 0
    text_hash: str = ""
    # the headline (and a feed's summary) as its source listed them: another one later is an edit, read again
    listed_hash: str = ""


@dataclass(frozen=True, slots=True)
class StageChange:
    """One step in a pair's history."""

    stage: str
    at: datetime
    story_id: str
    cluster: str = ""  # the story's event when it is not the story itself (its cluster id)


@dataclass(frozen=True, slots=True)
class PairState:
    """The current stage of a watched (system, country) pair."""

    system: str
    country: str
    stage: str
    since: datetime
    story_id: str
    title: str = ""
    url: str = ""
    history: tuple[StageChange, ...] = ()
    sources: tuple[str, ...] = ()  # distinct sites reporting the current stage
    version: int = 0  # optimistic concurrency: bumped by every write
    published: datetime | None = None  # publication time of the story that set the stage
    alert_id: str = ""  # the alert that announced the current stage, if it was sent (threads hang off it)
    alert_cluster: str = ""  # the event that alert reported: only its later sources follow it up
    held: Alert | None = None  # a delivery/deployment alert waiting for min_sources sources
    story_published: datetime | None = None  # publication time of the latest story (``story_id``), if known


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert to deliver. ``id`` is deterministic, so two runs that decide the same
    alert produce the same id and the outbox sends it once."""

    id: str
    kind: str  # new | stage | every | also_reported | feed_failing | feed_recovered
    system: str
    country: str
    old_stage: str | None
    new_stage: str
    title: str
    url: str
    source: str  # feed name
    published: datetime | None
    evidence: str
    names: tuple[str, ...] = ()  # surface forms to mark in the evidence
    sources: tuple[str, ...] = ()  # independent sites that reported the event
    channels: tuple[str, ...] = ()
    created: datetime | None = None
    note: str = ""  # e.g. "second source arrived"
    story_id: str = ""
    parent_id: str = ""  # also_reported: the alert whose thread/digest line this joins
    cluster: str = ""  # the event (story cluster) the alert reports
    # every: a story that left the pair where it was; old_stage is the pair's stage, new_stage the story's
    repeat: bool = False


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One (alert, channel) delivery and where it stands."""

    alert: Alert
    channel: str
    status: str  # pending | sent | failed
    attempts: int = 0
    claimed_by: str = ""  # run id holding the lease
    lease_until: datetime | None = None
    last_error: str = ""
    sent_at: datetime | None = None
    ref: str = ""  # channel's message reference (Slack ts) for threads
