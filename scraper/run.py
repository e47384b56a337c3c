"""One run of the job: fetch, parse, dedupe, match, decide, record, deliver.

Adapters (store, fetcher, notifiers) and time come in from handler.py; nothing here
reads the environment. The order of writes is what makes a crash safe:
hits first, then each pair's new state together with its alerts (one atomic write),
then the stories as seen, then the feed's state. A run that dies anywhere is redone by
the next one from the last feed state, and the conditional writes stop it from alerting
twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from alerts.changes import Sighting, decide_alerts, feed_health_alert
from alerts.model import (
    FEED_STATE_SCHEMA,
    LISTED_BYTES,
    LISTED_LIMIT,
    WAITING_BYTES,
    WAITING_LIMIT,
    Alert,
    FeedState,
    PairState,
    StoryRecord,
)
from alerts.notify import Notifier
from alerts.outbox import alert_outcome, deliver_pending
from alerts.store import COMMIT_DELIVERIES, Store
from scraper.errors import StoreError
from scraper.fetch import FetchRequest, FetchResult, HttpFetcher
from scraper.intake import Parsed, body_hash, parse_answer, warm_up
from scraper.model import Hit, Source, Story, Watch, Watchlist
from scraper.report import FeedOutcome, RunReport, counted

if TYPE_CHECKING:
    from scraper.aliases import AliasIndex
    from scraper.dedupe import Fingerprint

log = logging.getLogger("watch.run")

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"


@dataclass(frozen=True, slots=True)
class RunOptions:
    alert_backlog: bool = False  # alert a feed's first-run backlog instead of seeding it
    dry_run: bool = False  # fetch and match; write and send nothing
    event_id: str | None = None  # the scheduled event's id: a second delivery of it does nothing
    deadline: float | None = None  # time.monotonic() value by which the run must be done
    margin_seconds: float = 10.0  # stop starting new work this long before the deadline
    lease_seconds: float = 300.0  # how long a claimed delivery is reserved for this run
    full_text_per_run: int = 40  # article pages fetched per run (the rest wait for the next)
    full_text_per_host: int = 8
    article_attempts: int = 3  # runs an article page may fail (5xx, timeout, DNS) before the summary is used
    recent_days: int = 3  # how far back near-duplicates are looked for


@dataclass(slots=True)
class _Collected:
    """One source's new stories after fetching and parsing."""

    source: Source
    state: FeedState
    result: FetchResult
    outcome: FeedOutcome
    stories: list[Story] = field(default_factory=list)
    new: list[Story] = field(default_factory=list)
    complete: bool = True  # False when some stories were deferred to the next run
    held: list[str] = field(default_factory=list)  # ids of new stories left for the next run
    left_out: tuple[str, ...] = ()  # ids of a long listing page's links beyond MAX_ITEMS
    article_failures: dict[str, int] = field(default_factory=dict)  # held id -> runs its page failed

    def seeds(self, story_id: str) -> bool:
        """Whether the story belongs to the source's first-run backlog (seeded, not alerted)."""
        return not self.state.seeded or _in_backlog(self.state, story_id)


_BACKLOG_ID_BYTES = 64  # a longer id (a long link) is kept in a feed state's backlog as a hash of itself


def _backlog_id(story_id: str) -> str:
    """How a first-run backlog keeps an id: as it is, or a long one as "#" and a hash of it, so that a listing
    of hundreds of long links keeps its state inside a DynamoDB item (400 KB)."""
    raw = story_id.encode("utf-8", "surrogatepass")
    return story_id if len(raw) <= _BACKLOG_ID_BYTES else "#" + hashlib.sha256(raw).hexdigest()[:32]


def _in_backlog(state: FeedState, story_id: str) -> bool:
    """Whether ``story_id`` is in the state's backlog, kept whole (as older builds did) or as its hash."""
    return story_id in state.backlog or _backlog_id(story_id) in state.backlog


def _run_clock(now: datetime) -> Callable[[], datetime]:
    """The run's clock: ``now`` at the start, then advancing with the monotonic clock.

    Leases are taken with it, so a claim made late in a long run reserves the delivery from
    the moment of the claim, not from the run's start (a stale start time would hand a
    concurrent run a lease that looks expired while the alert is being sent)."""
    start = time.monotonic()

    def clock() -> datetime:
        return now + timedelta(seconds=time.monotonic() - start)

    return clock


def _has_time(options: RunOptions) -> Callable[[], bool]:
    """Whether new work may start: the deadline is a margin away, and nobody pressed Ctrl-C. asyncio turns the
    first Ctrl-C into a cancellation that reaches the run only at its next await, and sending alerts awaits
    nothing: without this a run interrupted while sending went on to send every alert it had."""
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no event loop: nothing can cancel the caller
        task = None

    def check() -> bool:
        if task is not None and task.cancelling():
            return False
        return options.deadline is None or time.monotonic() < options.deadline - options.margin_seconds

    return check


def _fetch_deadline(options: RunOptions) -> float | None:
    """When fetching stops: two margins before the deadline, so what was fetched can still be
    parsed, matched, saved and sent in the last margin (one slow feed must not cost the
    feeds that answered their whole run)."""
    return None if options.deadline is None else options.deadline - 2 * options.margin_seconds


async def run_job(
    watchlist: Watchlist,
    store: Store,
    fetcher: HttpFetcher,
    notifiers: Mapping[str, Notifier],
    *,
    now: datetime,
    options: RunOptions = RunOptions(),
    run_id: str | None = None,
) -> RunReport:
    """One complete run; never raises for a single bad feed or alert (they are in the report)."""
    report = RunReport(run_id=run_id or uuid.uuid4().hex[:12], started=now, dry_run=options.dry_run)
    run_clock = _run_clock(now)  # ``now`` moved on by the time the run took: when it finished
    has_time = _has_time(options)
    if options.event_id and not options.dry_run and not store.claim_run(options.event_id, report.run_id, now):
        report.skipped = f"event {options.event_id} was claimed by another run (which runs it, or ran it)"
        report.finished = run_clock()
        return report

    claimed = options.event_id if options.event_id and not options.dry_run else None
    try:
        return await _run_claimed(
            watchlist, store, fetcher, notifiers, now, options, report, run_clock, has_time
        )
    except BaseException:
        # A run that failed part-way (the store unavailable, a bug) gives its claim back, so that a retry of
        # the event runs it: SQS redelivers a worker's batch, and after three failures parks it in the
        # dead-letter queue (its alarm). Everything the run did is safe to do again.
        if claimed is not None:
            try:
                store.release_run(claimed, report.run_id)
            except Exception:
                log.exception("could not give back the claim on event %s", options.event_id)
        raise


async def _run_claimed(
    watchlist: Watchlist,
    store: Store,
    fetcher: HttpFetcher,
    notifiers: Mapping[str, Notifier],
    now: datetime,
    options: RunOptions,
    report: RunReport,
    run_clock: Callable[[], datetime],
    has_time: Callable[[], bool],
) -> RunReport:
    """``run_job`` once its event is claimed."""
    sources = list(watchlist.feeds)
    kinds = {s.url: s.kind for s in sources}
    states = {url: _upgraded(st, kinds[url]) for url, st in store.get_feed_states(list(kinds)).items()}
    early_prints: dict[tuple[str, str], Fingerprint] = {}
    collected, health = await _fetch_sources(
        sources,
        states,
        fetcher,
        options,
        report,
        now,
        has_time,
        watchlist.alerts.failing_after,
        tuple(watchlist.stages),
        watchlist.index,
        early_prints,
    )

    for c in collected:
        _bring_back_waiting(c)
    # Which stories are new: one batch lookup for every story of every changed source.
    known = _known_stories(collected, store)
    seen_this_run: dict[str, str] = {}  # story id -> name of the first source carrying it
    extra_feeds: list[tuple[str, str]] = []  # (story id, another source that carried it)
    established: set[str] = set()  # story ids carried by a source as news, not first-run backlog
    for c in collected:
        still_listed = set(c.state.listed) - known  # recorded once; the store has forgotten them since
        for story in c.stories:
            if story.id in still_listed:
                continue  # not new: its alerts went out long ago, and its record is gone
            if not c.seeds(story.id):
                established.add(story.id)
            if story.id in known or story.id in seen_this_run:
                extra_feeds.append((story.id, c.source.name))
            else:
                seen_this_run[story.id] = c.source.name
                c.new.append(story)
        c.outcome.new_stories = len(c.new)
    edited = _edited_stories(collected, store, known, seen_this_run, report)
    _mark_first_runs(collected, store, now, options, report)

    await _fetch_full_text(collected, fetcher, options, report, has_time)

    new_stories = [story for c in collected for story in c.new if story.id not in edited]
    only_seeding = not options.alert_backlog and established.isdisjoint(story.id for story in new_stories)
    records, sites_by_cluster = _identify(
        new_stories, store, now, options, only_seeding, early_prints, watchlist.index, watchlist.feeds
    )
    edited_records = _edited_records(collected, edited, sites_by_cluster, watchlist.feeds)
    early_prints.clear()
    report.stories_new = len(new_stories)

    # Match every new story; keep the hits before anything can alert on them. (Imported here, not at
    # the top: its rules are compiled while the requests are in flight, by warm_up.) The alias
    # alternation is compiled here if warm_up did not get to it, outside the per-story guard: a
    # watchlist that cannot be compiled fails the run, it does not leave every story unmatched.
    from scraper.match import find_hits

    if watchlist.index is not None:
        watchlist.index.compile()

    hits_by_story: dict[str, tuple[Hit, ...]] = {}
    late: set[str] = set()  # stories left unmatched by the deadline: new again next run
    for c in collected:
        count = 0
        for story in c.new:
            if late or not has_time():
                late.add(story.id)
                continue
            try:
                hits = find_hits(story, watchlist)
            except Exception as exc:  # a matcher bug on one story must not stop every run after it
                log.exception("matching story %s failed", story.id)
                report.notes.append(
                    f"story {story.url or story.id} could not be matched: {type(exc).__name__}"
                )
                hits = ()
            hits_by_story[story.id] = hits
            count += len(hits)
            report.hits.extend(hit.to_json() for hit in hits)
        c.outcome.hits = count
    if late:
        # Matching stopped at the deadline (a run killed at its time limit saves nothing, and would stop at the
        # same stories every run): the stories left are not recorded and their sources are read again, as for
        # a pair that could not be saved below.
        for c in collected:
            left = [story.id for story in c.new if story.id in late]
            if left:
                c.complete = False
                c.held += left
                report.deferred.append(f"matching of {counted(len(left), 'story')} of {c.source.name}")
    all_hits = [hit for hits in hits_by_story.values() for hit in hits]
    if all_hits and not options.dry_run:
        store.put_hits(all_hits, now)

    # Decide and commit each pair's change together with its alerts.
    sightings = _sightings(
        collected,
        hits_by_story,
        records | edited_records,
        sites_by_cluster,
        established,
        options,
        watchlist.index,
        edited,
    )
    channels = tuple(notifiers)
    pending_alerts, unsaved = _commit_pairs(store, watchlist, sightings, channels, now, options, report)
    if late:  # not matched: not recorded either, so that the next run finds them new
        records = {story_id: record for story_id, record in records.items() if story_id not in late}
        edited_records = {k: record for k, record in edited_records.items() if k not in late}
    if unsaved:
        # A pair that could not be saved must be decided again: its stories stay "new" and
        # their sources are fetched again, so the next run sees the same sightings.
        for c in collected:
            if any(story.id in unsaved for story in c.new):
                c.complete = False
                c.held += [story.id for story in c.new if story.id in unsaved]
        records = {story_id: record for story_id, record in records.items() if story_id not in unsaved}
        # an edit not decided stays unrecorded: the next run reads the source again and finds it edited still
        edited_records = {k: record for k, record in edited_records.items() if k not in unsaved}
    for alert in health:
        pending_alerts += _enqueue(store, alert, channels, now, options, report)

    # Remember the stories and the sources' state, so the next run starts from here.
    final = dict(states)
    if not options.dry_run:
        added = store.add_stories(list(records.values())) if records else set()
        for story_id in records.keys() - added:
            log.info("story %s was recorded by a concurrent run", story_id)
        for story_id, feed in extra_feeds:
            store.add_story_feed(story_id, feed)
        if edited_records:
            # the feeds that began carrying an edited story in this run were added above: keep them
            added_feeds = defaultdict(list)
            for story_id, feed in extra_feeds:
                added_feeds[story_id].append(feed)
            store.update_stories(
                [
                    replace(r, feeds=tuple(dict.fromkeys((*r.feeds, *added_feeds.get(r.id, ())))))
                    for r in edited_records.values()
                ]
            )
        remembered = known | added | records.keys()  # records not added were recorded by a concurrent run
        for c in collected:
            settled = _settled_state(c, now, established, options.alert_backlog, remembered)
            # A steady tick (304, nothing new) changes nothing worth a write.
            before = states.get(c.source.url)
            if before is None or replace(settled, updated=None) != replace(before, updated=None):
                try:
                    store.put_feed_state(settled)
                except StoreError as exc:  # the next run fetches the source again; what was sent stays sent
                    report.notes.append(f"state of source {c.source.name} was not saved: {exc}")
                    continue
            final[c.source.url] = settled

    if options.dry_run:
        report.notes.append(
            f"dry run: the {pending_alerts} alerts decided in this run (listed as dry-run) would have been sent, "
            "with any still pending from earlier runs; nothing was stored"
        )
    else:
        deliver_pending(
            store,
            notifiers,
            watchlist.alerts,
            run_id=report.run_id,
            now=now,
            lease_seconds=options.lease_seconds,
            has_time=has_time,
            report=report,
            clock=run_clock,
        )
        # What DynamoDB's TTL does by itself, the embedded store does here (DynamoStore: a no-op), once
        # every source that has stories keeps its listed ids: a story forgotten before its source listed
        # it would be new again. Housekeeping: a failure waits for the next run and fails nothing done.
        # (A source failing since then lists nothing either way, and does not hold expiry back.)
        if all(st.listing or not st.seeded or st.failures for st in final.values()):
            try:
                removed = store.purge_expired(now)
            except StoreError as exc:
                report.notes.append(f"expired records were not removed: {exc}")
            else:
                if removed:
                    log.info("removed %d expired records", removed)
    report.finished = run_clock()
    return report


def _upgraded(state: FeedState, kind: str) -> FeedState:
    """A stored state as this build reads it: what an older build wrote (``schema`` below
    ``FEED_STATE_SCHEMA``, or dropped by a rollback) is checked once.

    A state saved before sources kept their listed ids is read in full once, to fill them in. One
    marked seeded by answers with nothing to read (a 203 before it was read, a 204 or 202) has no
    content hash, backlog or listed id, as no read leaves it: its first read seeds. A listing page
    is read once, changed or not, to learn its links: else the first read after the upgrade is the
    one that brings a new link, and a long page's links beyond the first 500 count as seen."""
    if state.seeded and not state.listing:
        return replace(state, etag=None, last_modified=None, content_hash=None)
    if state.schema >= FEED_STATE_SCHEMA or not state.seeded:
        return state
    if not (state.listed or state.content_hash or state.backlog or state.article_failures):
        return replace(state, seeded=False)
    if kind == "html":
        return replace(state, etag=None, last_modified=None, content_hash=None)
    return state


def _known_stories(collected: Sequence[_Collected], store: Store) -> set[str]:
    """The ids of the collected stories that are stored already (one batch read per kind).

    A plain GUID ("1001", not unique by its form) names a story only within its site. A story
    keeps it as its id, as it always did, unless another site's story holds that id (stored, or
    earlier in this run): then it takes the id scoped to its own site ("guid:site:1001"), and
    keeps that one on later runs. Holding means the holder came from another site and another
    source. A story that this would make new, or give another source's story, keeps the id its
    own source listed it under last time instead, if any (``_listed_under_guid``)."""
    from scraper.dedupe import canonical_url, is_global_guid, site_of
    from scraper.parse import story_id

    plain: list[tuple[_Collected, int, str, str]] = []  # (source, index, site, scoped id)
    for c in collected:
        for index, story in enumerate(c.stories):
            guid = story.guid.strip()
            if guid and not is_global_guid(guid) and story.id == story_id(guid, None, "", ""):
                site = site_of(story.url or c.source.url)
                plain.append((c, index, site, story_id(guid, None, "", "", site=site)))
    plain_ids = {c.stories[index].id for c, index, _site, _scoped in plain}
    # An item whose GUID its feed then gave to other items too keeps the GUID's id if it was
    # stored under it (the same link): else it would come back as a new story.
    unshared = {story.guid_id for c in collected for story in c.stories if story.guid_id}
    ids = [story.id for c in collected for story in c.stories if story.id not in plain_ids]
    ids += [scoped for _c, _index, _site, scoped in plain]
    ids = list(dict.fromkeys(ids))
    known = store.known_story_ids(ids) if ids else set()
    stored = store.get_stories(sorted(plain_ids | unshared)) if plain_ids or unshared else {}
    # Items that shared an id and a link (a feed linking every item to one page) are told apart by title.
    twins = Counter(
        (story.guid_id, canonical_url(story.url)) for c in collected for story in c.stories if story.guid_id
    )
    for c in collected:
        for index, story in enumerate(c.stories):
            holder = stored.get(story.guid_id) if story.guid_id else None
            if (
                holder is not None
                and holder.url
                and holder.url == canonical_url(story.url)
                and (twins[(story.guid_id, holder.url)] == 1 or holder.title == story.title[:500])
            ):
                c.stories[index] = replace(story, id=story.guid_id)
    known |= stored.keys()
    holders = {
        record.id: (site_of(record.url) if record.url else "", record.feeds) for record in stored.values()
    }
    for c, index, site, scoped in plain:
        story = c.stories[index]
        if scoped in known:
            c.stories[index] = replace(story, id=scoped)
            continue
        holder_site, holder_feeds = holders.setdefault(story.id, (site, (story.feed,)))
        if holder_site != site and story.feed not in holder_feeds:
            c.stories[index] = replace(story, id=scoped)
    known |= _listed_under_guid([(c, index) for c, index, _site, _scoped in plain], store, known, stored)
    return known


def _mark_first_runs(
    collected: Sequence[_Collected], store: Store, now: datetime, options: RunOptions, report: RunReport
) -> None:
    """Before a source's first run decides anything, its state is saved as seeded with this answer's stories as
    its backlog: a run that dies before the end (when the state is written in full) leaves a source whose next
    run seeds the same backlog and alerts a story published meanwhile, rather than a second first run that
    would seed that story too. No validators are kept: the next run reads the source in full."""
    if options.alert_backlog or options.dry_run:
        return
    for c in collected:
        if c.state.seeded or c.outcome.status != "new" or not c.result.readable or not c.stories:
            continue
        backlog = tuple(sorted({_backlog_id(story.id) for story in c.stories}))
        try:
            store.put_feed_state(
                replace(c.state, seeded=True, backlog=backlog, updated=now, schema=FEED_STATE_SCHEMA)
            )
        except StoreError as exc:  # the run goes on; only a run that also dies later would seed twice
            report.notes.append(f"first run of {c.source.name}: its backlog could not be marked early: {exc}")


def listed_hash(story: Story, source: Source) -> str:
    """What an edit changes: the headline, and a feed's summary (a listing page's card text is left out: it
    often holds a relative time, "2 hours ago", that changes with every read)."""
    return _text_hash(story.title if source.kind == "html" else f"{story.title}\n{story.text}")


def _text_hash(text: str) -> str:
    """A story's text as its record keeps it: 16 hex digits of its SHA-256 (a lone surrogate hashed as is)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _edited_stories(
    collected: Sequence[_Collected],
    store: Store,
    known: set[str],
    seen_this_run: dict[str, str],
    report: RunReport,
) -> dict[str, StoryRecord]:
    """Stored stories that their source now lists with another headline or summary (a wire updating its item
    in place, under the same GUID): each joins its source's new stories to be matched again, and is returned
    with its stored record. Only the source that first carried a story is compared with it (another feed's
    headline and summary for the same story differ without any edit). A story is read once a run; a
    ``full_text`` source's stories are not watched for edits (their summaries are not what is matched); a
    record from before such hashes were kept has none, and is not read again. A store error leaves edits for
    a later run."""
    candidates: dict[str, list[tuple[_Collected, Story]]] = defaultdict(list)
    for c in collected:
        if c.source.full_text or c.outcome.status != "new":
            continue
        for story in c.stories:
            if story.id in known and story.id not in seen_this_run:
                candidates[story.id].append((c, story))
    if not candidates:
        return {}
    try:
        stored = store.get_stories(list(candidates))
    except StoreError as exc:
        report.notes.append(f"edited stories not checked, left for a later run: {exc}")
        return {}
    edited: dict[str, StoryRecord] = {}
    for story_id, carriers in candidates.items():
        record = stored.get(story_id)
        if record is None or not record.listed_hash:
            continue
        # only the source that first carried it: another feed's words for the same story are no edit
        for c, story in carriers:
            if record.feeds[:1] == (c.source.name,) and record.listed_hash != listed_hash(story, c.source):
                c.new.append(story)
                c.outcome.updated_stories += 1
                seen_this_run[story_id] = c.source.name
                edited[story_id] = record
                break
    return edited


def _edited_records(
    collected: Sequence[_Collected],
    edited: Mapping[str, StoryRecord],
    sites: dict[str, set[str]],
    feeds: Sequence[Source],
) -> dict[str, StoryRecord]:
    """The records of the edited stories as they now read: the same event (cluster), sources and first sighting,
    the new headline, date, fingerprint and hashes. Their sites join their events' for the alerts."""
    from scraper.dedupe import fingerprint, fingerprint_hex

    feed_site = _feed_sites(feeds)
    records: dict[str, StoryRecord] = {}
    for c in collected:
        for story in c.new:
            record = edited.get(story.id)
            if record is None:
                continue
            records[story.id] = replace(
                record,
                title=story.title[:500],
                published=story.published
                or record.published,  # an edit that drops its date keeps the old one
                fingerprint=fingerprint_hex(fingerprint(story.title, story.text)),
                text_length=len(story.text),
                text_hash=_text_hash(story.text),
                listed_hash=listed_hash(story, c.source),
            )
            sites[record.cluster or record.id].add(
                _site(record.url, record.feeds[:1] or (story.feed,), feed_site)
            )
    return records


def _listed_under_guid(
    plain: Sequence[tuple[_Collected, int]],
    store: Store,
    known: set[str],
    stored: Mapping[str, StoryRecord],
) -> set[str]:
    """Give a plain-GUID story the id its own source listed it under last time, when its id is not
    stored (it would be new) or may be another source's story (stored, but not listed by this
    source last time, or a plain id whose record does not carry its name): the one stored story
    that this source listed last time under the same GUID, whose record carries this source's
    name and is the same story (``_same_story``). Returns the ids so given (``stored``: the records of the plain ids, read already).

    A site that moves to another domain (its links, or a redirect its relative links follow) keeps
    its numbering: its "1001" is still the story stored under "guid:old-site:1001", not a new one,
    nor the new site's own "1001"; but a site that renumbers as it moves has a new "1001", a
    different story, and it is new. Another source's "1001" is never taken: it is not among this
    source's listed ids, or its record does not carry this source's name; and within one answer a
    GUID names one link (``parse._unshare_guids``). Only such a story whose source listed its
    GUID last time costs a read."""
    from scraper.parse import story_id as id_of

    by_source: dict[int, tuple[set[str], dict[str, list[str]]]] = {}
    candidates: list[tuple[_Collected, int, list[str]]] = []
    for c, index in plain:
        if not c.state.listed:
            continue
        if id(c) not in by_source:
            by_source[id(c)] = (set(c.state.listed), _guid_ids(c.state.listed))
        listed, by_guid = by_source[id(c)]
        story = c.stories[index]
        record = stored.get(story.id)
        if story.id in known and story.id in listed and (record is None or c.source.name in record.feeds):
            continue  # what this source listed last time, and stored: its own
        earlier = by_guid.get(id_of(story.guid, None, "", ""), [])
        if earlier:
            candidates.append((c, index, earlier))
    wanted = sorted({story_id for _c, _index, earlier in candidates for story_id in earlier})
    records = store.get_stories(wanted) if wanted else {}
    given: set[str] = set()
    for c, index, earlier in candidates:
        story = c.stories[index]
        own = {
            i
            for i in earlier
            if i in records and c.source.name in records[i].feeds and _same_story(story, records[i])
        }
        if len(own) == 1:
            c.stories[index] = replace(c.stories[index], id=own.pop())
            given.add(c.stories[index].id)
    return given


def _same_story(story: Story, record: StoryRecord) -> bool:
    """Whether a stored record is this story: the same headline (case and spacing aside), or the same
    published time and a near-duplicate text (a headline reworded as the site moved). A GUID and a source
    do not say it alone: a site that moves to a new CMS may number afresh, and a near-duplicate alone is
    not enough either: a ministry's bulletins follow one template ("X signed a contract for Y")."""
    from scraper.dedupe import fingerprint, fingerprint_from_hex, is_near_duplicate

    if " ".join(story.title[:500].split()).casefold() == " ".join(record.title.split()).casefold():
        return True
    if story.published is None or story.published != record.published or not record.fingerprint:
        return False
    try:
        stored = fingerprint_from_hex(record.fingerprint)
    except ValueError:  # an unreadable stored fingerprint proves nothing
        return False
    return is_near_duplicate(fingerprint(story.title, story.text), stored)


def _guid_ids(listed: tuple[str, ...]) -> dict[str, list[str]]:
    """A source's listed ids by the plain GUID id each may stand for: "1001" itself and every
    "guid:<site>:1001" (a scoped id long enough to be hashed is not found again)."""
    by_guid: dict[str, list[str]] = defaultdict(list)
    for story_id in listed:
        by_guid[story_id].append(story_id)
        if story_id.startswith("guid:"):
            site, sep, guid = story_id[5:].partition(":")
            if site and sep and guid:
                by_guid[guid].append(story_id)
    return by_guid


async def _fetch_sources(
    sources: Sequence[Source],
    states: Mapping[str, FeedState],
    fetcher: HttpFetcher,
    options: RunOptions,
    report: RunReport,
    now: datetime,
    has_time: Callable[[], bool],
    failing_after: int,
    stages: tuple[tuple[str, tuple[str, ...]], ...] = (),
    aliases: AliasIndex | None = None,
    prints: dict[tuple[str, str], Fingerprint] | None = None,
) -> tuple[list[_Collected], list[Alert]]:
    """Fetch every source with conditional GET, parse what changed; failures feed the health count.

    Each answer is parsed as soon as it arrives (``fetch_many``'s ``on_result``), so parsing
    overlaps the requests still in flight; the report, the states and the health alerts are then
    built in source order, as if everything had been parsed at the end. The stories of a source on
    its first run (all new) are fingerprinted then too, into ``prints`` by (title, text)."""
    requests = [
        FetchRequest(
            url=s.url,
            etag=(states[s.url].etag if s.url in states else None),
            last_modified=(states[s.url].last_modified if s.url in states else None),
            accept=FEED_ACCEPT if s.kind == "feed" else HTML_ACCEPT,
            obey_robots=s.kind == "html",
        )
        for s in sources
    ]
    parsed: list[Parsed | None] = [None] * len(sources)
    # The sources read longest ago go first: a host's slots taken until the deadline by feeds that hang would
    # otherwise defer the same feeds listed after them on every run. A failed read counts as a read (its state
    # is written); a deferred one, or a steady 304 (nothing written), keeps its earlier time.
    order = sorted(range(len(sources)), key=lambda i: _fetch_rank(states.get(sources[i].url)))

    def on_result(position: int, result: FetchResult) -> None:
        index = order[position]
        source = sources[index]
        state = states.get(source.url) or FeedState(url=source.url)
        # Never let one answer stop the others: a failure here is met again below, in source order.
        with contextlib.suppress(Exception):
            answer = parsed[index] = parse_answer(source, state, result, has_time)
            if prints is not None and not state.seeded and not source.full_text and answer.status == "new":
                from scraper.dedupe import fingerprint

                for story in answer.stories:
                    prints[(story.title, story.text)] = fingerprint(story.title, story.text)

    warm = asyncio.ensure_future(warm_up(fetcher, stages, aliases))
    try:
        fetched = await fetcher.fetch_many(
            [requests[i] for i in order], deadline=_fetch_deadline(options), on_result=on_result
        )
        results = [fetched[order.index(i)] for i in range(len(sources))]
    finally:
        # Warming is only worth it while waiting: what is left is done when (and if) the run needs it.
        warm.cancel()
        await asyncio.gather(warm, return_exceptions=True)
    collected: list[_Collected] = []
    health: list[Alert] = []
    for index, (source, result) in enumerate(zip(sources, results, strict=True)):
        state = states.get(source.url) or FeedState(url=source.url)
        outcome = FeedOutcome(
            name=source.name, url=source.url, status="new", requests=result.requests, bytes=result.bytes_read
        )
        report.feeds.append(outcome)
        answer = parsed[index] or parse_answer(source, state, result, has_time)
        if answer.status == "deferred":
            outcome.status = "deferred"
            report.deferred.append(f"source {source.name} (deadline)")
            continue
        if answer.error is not None:
            error = answer.error
            outcome.status, outcome.error = "error", error
            failed = _failed_state(state, error, now)
            if not options.dry_run:
                store_state = failed
                if failed.failures >= failing_after and not failed.failing_alerted:
                    health.append(
                        feed_health_alert(
                            source.url,
                            source.name,
                            failed.failures,
                            failed.failing_since or now,
                            recovered=False,
                            now=now,
                            error=error,
                        )
                    )
                    store_state = replace(failed, failing_alerted=True)
                collected.append(_Collected(source, store_state, result, outcome, complete=False))
            continue
        outcome.status = answer.status
        if state.failing_alerted:
            health.append(
                feed_health_alert(
                    source.url,
                    source.name,
                    state.failures,
                    state.failing_since or now,
                    recovered=True,
                    now=now,
                )
            )
        outcome.stories = len(answer.stories)
        if answer.note:
            report.notes.append(f"feed {source.name}: {answer.note}")
        collected.append(
            _Collected(
                source,
                state,
                result,
                outcome,
                stories=list(answer.stories),
                left_out=answer.left_out,
                # a cut-short read keeps no validators or body hash: the next run reads the whole document
                complete=not answer.cut,
            )
        )
    return collected, health


def _fetch_rank(state: FeedState | None) -> tuple[bool, float]:
    """Where a source goes in the run's fetch order: failing ones after the others (every state a run writes
    has the same time, so a feed read last run would otherwise tie with the hanging ones and fall behind them
    again), each group longest-read-ago first (never read: first)."""
    when = state.updated if state is not None else None
    failing = state is not None and state.failures > 0
    return failing, when.timestamp() if when is not None else 0.0


def _failed_state(state: FeedState, error: str, now: datetime) -> FeedState:
    return replace(
        state,
        failures=state.failures + 1,
        failing_since=state.failing_since or now,
        last_error=error[:500],
        updated=now,
    )


def _bring_back_waiting(c: _Collected) -> None:
    """A full_text source's stories that waited for their page and that it no longer lists (a busy page
    scrolls on faster than its pages are read) come back from its state: first, as they have waited longest,
    unless they are first-run backlog, which only seeds and so goes after the page's own stories."""
    if not c.source.full_text or not c.state.waiting or c.outcome.status != "new":
        return
    present = {story.id for story in c.stories}
    back = [
        Story(id=story_id, title=title, text="", url=url, feed=c.source.name)
        for story_id, url, title in c.state.waiting
        if story_id not in present
    ]
    c.stories[:0] = [story for story in back if not _in_backlog(c.state, story.id)]
    c.stories += [story for story in back if _in_backlog(c.state, story.id)]


def _waiting(c: _Collected) -> tuple[tuple[str, str, str], ...]:
    """(id, link, title) of the source's stories still waiting for their page, in order (the ones brought back
    first), within WAITING_LIMIT and WAITING_BYTES."""
    if not c.source.full_text:
        return ()
    if c.outcome.status != "new":
        return c.state.waiting  # not read this run: they wait as they were
    held = set(c.held)
    kept: list[tuple[str, str, str]] = []
    size = 0
    for entry in ((s.id, s.url, s.title[:200]) for s in c.stories if s.id in held and s.url):
        size += sum(len(part.encode("utf-8", "surrogatepass")) for part in entry)
        if len(kept) >= WAITING_LIMIT or size > WAITING_BYTES:
            break
        kept.append(entry)
    return tuple(kept)


def _settled_state(
    c: _Collected, now: datetime, established: set[str], alert_backlog: bool, remembered: set[str]
) -> FeedState:
    """The state a source is left in after this run.

    The source is seeded once this run's stories are recorded: its later stories alert. The
    first-run stories still waiting (``held``) are remembered as its backlog, so they seed
    when they are matched; so are the failed runs of each waiting story's article page. A
    story that another source carried as news this run (``established``) is no backlog, nor
    is anything when the backlog alerts (``alert_backlog``). A parsed answer's stories that
    are recorded (``remembered``) or were listed before are its ``listed`` ones."""
    if c.outcome.status == "error":
        return c.state  # already the failed state
    result = c.result
    held = set(c.held)
    failures = {story_id: n for story_id, n in c.state.article_failures if story_id in held}
    failures.update(c.article_failures)
    state = replace(
        c.state,
        failures=0,
        failing_since=None,
        last_error="",
        failing_alerted=False,
        updated=now,
        # Seeded by a read only: an answer with nothing to read (204, 202) leaves the backlog of the
        # first real one to seed.
        seeded=c.state.seeded or (c.outcome.status == "new" and result.readable),
        schema=FEED_STATE_SCHEMA,
        article_failures=tuple(sorted(failures.items())),
        waiting=_waiting(c),
        backlog=tuple(
            sorted(
                _backlog_id(story_id)
                for story_id in held
                if c.seeds(story_id) and story_id not in established and not alert_backlog
            )
        ),
    )
    if c.outcome.status == "new" and not result.readable:
        state = replace(state, listing=True)  # an answer without a body to read: nothing to list
    if result.readable and c.outcome.status == "new":
        before = set(c.state.listed)
        kept = [s for s in c.stories if s.id in remembered or s.id in before]
        # Every story's own id first, then the ids it may fall back to: when the bound cuts (a moved
        # feed's scoped stories carry three ids), it drops a fallback, never the id a story is known by.
        ids = dict.fromkeys(s.id for s in kept)
        ids.update(dict.fromkeys(i for s in kept for i in _identities(s, c.source.url)[1:]))
        ids = _carried(ids, c.state.listed)
        listed = _bounded(ids)
        if c.source.kind == "html":
            # The links a long page left out: on a read that did not know the page's links (its first,
            # or the first since this was kept) they are old, so they stay silent if read later; after
            # that, the ones listed before stay listed, and a new one waits unlisted to be read first.
            known_page = c.state.left_out_listed
            seen = {**ids, **dict.fromkeys(i for i in c.left_out if not known_page or i in before)}
            listed = _bounded(seen)
            # A page too long to remember every link is read in its own order: a link beyond the bound
            # would look new.
            state = replace(state, left_out_listed=len(listed) == len(seen))
        state = replace(state, listed=listed, listing=True)
    if not c.complete:
        # Some stories wait for the next run: forget the validators so the source is fetched again.
        return replace(state, etag=None, last_modified=None, content_hash=None)
    if result.readable:
        state = replace(
            state, etag=result.etag, last_modified=result.last_modified, content_hash=body_hash(result.body)
        )
    return state


def _identities(story: Story, source_url: str) -> list[str]:
    """The story's id, and the other id it may get once the record that decided its id has expired: a
    plain GUID scoped to its site ("guid:site:1001") falls back to "1001", and a story kept under a GUID
    its feed later shared falls back to its link's id."""
    from scraper.dedupe import is_global_guid, site_of
    from scraper.parse import story_id

    ids = [story.id]
    guid = story.guid.strip()
    if guid and not is_global_guid(guid):
        ids += [
            story_id(guid, None, "", ""),
            story_id(guid, None, "", "", site=site_of(story.url or source_url)),
        ]
    if story.guid_id and story.id == story.guid_id:
        ids.append(story_id(None, story.url, story.title, story.text))
    return ids


def _carried(ids: dict[str, None], before: Sequence[str]) -> dict[str, None]:
    """This answer's ids, then those listed before that it left out, as many as keep the list as long as
    the longer of the two: an answer cut mid-item, or one listing fewer items for a run, does not make the
    items it left out new once the store has forgotten them. A feed that keeps as many items as before
    carries nothing over."""
    room = max(len(ids), len(before)) - len(ids)
    if room <= 0:
        return ids
    carried = dict(ids)
    for story_id in before:
        if room <= 0:
            break
        if story_id not in carried:
            carried[story_id] = None
            room -= 1
    return carried


def _bounded(ids: Iterable[str]) -> tuple[str, ...]:
    """At most ``LISTED_LIMIT`` ids and ``LISTED_BYTES`` bytes of UTF-8, in the source's order: the feed
    state stays far inside a DynamoDB item (400 KB) however long the links are."""
    kept: list[str] = []
    size = 0
    for story_id in ids:
        size += len(story_id.encode())
        if len(kept) >= LISTED_LIMIT or size > LISTED_BYTES:
            break
        kept.append(story_id)
    return tuple(kept)


async def _fetch_full_text(
    collected: Sequence[_Collected],
    fetcher: HttpFetcher,
    options: RunOptions,
    report: RunReport,
    has_time: Callable[[], bool],
) -> None:
    """For `full_text` sources, replace each new story's text with its article's main text."""
    from urllib.parse import urlsplit

    from scraper.dedupe import page_fragment

    budget = options.full_text_per_run
    per_host: dict[str, int] = defaultdict(int)
    wanted: list[tuple[_Collected, int]] = []
    done: dict[int, set[int]] = defaultdict(set)
    for c in collected:
        if not c.source.full_text:
            continue
        for index, story in enumerate(c.new):
            if page_fragment(story.url.partition("#")[2]):
                # A single-page site's route ("/#!/news/101") never reaches the server (no fragment does): every
                # such link would fetch the same script shell. Its summary is matched, and no budget is spent.
                report.notes.append(
                    f"article {story.url}: a script-driven page; the feed's summary is matched instead"
                )
                done[id(c)].add(index)
                continue
            host = urlsplit(story.url).hostname or ""
            if not story.url or budget <= 0 or per_host[host] >= options.full_text_per_host or not has_time():
                c.complete = False
                continue
            budget -= 1
            per_host[host] += 1
            wanted.append((c, index))
    if wanted:
        await _fetch_articles(wanted, fetcher, options, report, done)
    for c in collected:
        if c.source.full_text:
            # Stories whose page was not read yet wait for the next run (they stay "new").
            ready = [i in done[id(c)] or not s.url for i, s in enumerate(c.new)]
            c.held += [s.id for s, ok in zip(c.new, ready, strict=True) if not ok]
            c.new = [s for s, ok in zip(c.new, ready, strict=True) if ok]
    _drop_deferred(collected, report)


# Article errors that a later run will see again: the server's own answer (any status but 5xx,
# 408 Request Timeout and 429 Too Many Requests), a refusal by the SSRF guard, a redirect that
# leads nowhere, a page too large, of the wrong type or that cannot be decoded. A robots.txt
# Disallow is one too, unless the file could not be read this run (see _permanent).
_PERMANENT = re.compile(
    r"HTTP (?!408\b|429\b|5\d\d\b)\d{3}\b|refused: |redirect (?:loop|to an invalid URL)|too many redirects"
    r"|unexpected content type|response too large|could not decode"
)


def _permanent(error: str) -> bool:
    """An article answer that a later run will not fix (see _PERMANENT): its story is matched on
    the feed's summary at once. Anything else, a timeout, a dropped or refused connection, a host
    that did not resolve, or an error not recognised here, waits for a later run: a later run may
    well read the page, and RunOptions.article_attempts bounds the wait, whereas the summary is
    used for good. A host named by a link in a live feed (or by its redirect) that does not
    resolve is far more often a resolver's hiccup than a dead domain."""
    if error.startswith("disallowed by robots.txt"):
        return True
    return _PERMANENT.match(error) is not None  # "robots.txt unreadable ...: host skipped for this run" waits


async def _fetch_articles(
    wanted: Sequence[tuple[_Collected, int]],
    fetcher: HttpFetcher,
    options: RunOptions,
    report: RunReport,
    done: dict[int, set[int]],
) -> None:
    """Fetch the chosen article pages; ``done`` gets the index of every story that is ready."""
    from scraper.extract import extract_main_text, not_a_page, too_many_tags

    requests = [FetchRequest(url=c.new[i].url, accept=HTML_ACCEPT, obey_robots=True) for c, i in wanted]
    deadline = _fetch_deadline(options)
    results = await fetcher.fetch_many(requests, deadline=deadline)
    for (c, index), result in zip(wanted, results, strict=True):
        story = c.new[index]
        if not result.readable:
            error = result.error or f"HTTP {result.status}"
            if error.startswith("deferred"):
                c.complete = False  # the run's deadline, not the page: no failure counted
                continue
            failed_runs = dict(c.state.article_failures).get(story.id, 0) + 1
            if _permanent(error):
                report.notes.append(f"article {story.url}: {error}; the feed's summary is matched instead")
                done[id(c)].add(index)
            elif failed_runs >= options.article_attempts:  # nothing waits for its page forever
                report.notes.append(
                    f"article {story.url}: {error}; failed {failed_runs} runs in a row, "
                    "the feed's summary is matched instead"
                )
                done[id(c)].add(index)
            else:
                report.notes.append(f"article {story.url}: {error}; tried again next run")
                c.article_failures[story.id] = failed_runs
                c.complete = False
            continue
        done[id(c)].add(index)
        refused = not_a_page(result.body, result.content_type)
        if refused:  # a PDF or an image read as text would replace the summary with garbage
            report.notes.append(
                f"article {story.url}: not an HTML page ({refused}); the feed's summary is matched instead"
            )
            continue
        if oversized := too_many_tags(result.body):  # its tree would take more memory than the run has
            report.notes.append(
                f"article {story.url}: not read ({oversized}); the feed's summary is matched instead"
            )
            continue
        try:
            text = extract_main_text(
                result.body, url=result.final_url or story.url, content_type=result.content_type
            )
        except Exception as exc:  # one page the parser cannot take must not stop the run (HOUSE_STYLE 7)
            log.warning("article %s could not be parsed", story.url, exc_info=True)
            report.notes.append(
                f"article {story.url}: could not be parsed ({type(exc).__name__}); the feed's summary is matched "
                "instead"
            )
            continue
        c.new[index] = replace(story, text=text or story.text)


def _drop_deferred(collected: Sequence[_Collected], report: RunReport) -> None:
    for c in collected:
        if c.source.full_text and not c.complete and c.outcome.status != "error":
            report.deferred.append(f"articles of {c.source.name} not fetched yet")


def _identify(
    stories: Sequence[Story],
    store: Store,
    now: datetime,
    options: RunOptions,
    only_seeding: bool = False,
    ready: Mapping[tuple[str, str], Fingerprint] | None = None,
    index: AliasIndex | None = None,
    feeds: Sequence[Source] = (),
) -> tuple[dict[str, StoryRecord], dict[str, set[str]]]:
    """Cluster new stories with each other and with recent stored ones; build their records.

    ``only_seeding``: every new story comes from a feed's first run, which alerts on nothing. Its
    stories are then not compared with each other for near-duplicate text (the costliest part of
    a first run): no alert counts their sources, and a later copy still finds each of them. They
    are still linked by shared URL or GUID. ``ready``: fingerprints made while fetching, by (title, text).
    ``index``: the watched names, which keep templated stories about different pairs apart (``StorySubjects``).
    ``feeds``: the sources, whose own sites stand for the publisher of a story without a link."""
    from scraper.dedupe import (
        StorySubjects,
        canonical_url,
        cluster_stories,
        fingerprint,
        fingerprint_hex,
    )

    recent = store.recent_stories(now - timedelta(days=options.recent_days)) if stories else []
    # hex as stored: an unreadable one is skipped (cluster_stories reads it), never stops the run
    with_print = [r for r in recent if r.fingerprint]
    known = [(r.id, r.cluster or r.id, r.fingerprint) for r in with_print]
    ready = ready or {}
    prints = [ready.get((s.title, s.text)) or fingerprint(s.title, s.text) for s in stories]
    subjects = (
        StorySubjects(index, [(r.title, "") for r in with_print] + [(s.title, s.text) for s in stories])
        if index is not None
        else None
    )
    clusters = (
        cluster_stories(stories, known, prints, pair_texts=not only_seeding, subjects=subjects)
        if stories
        else {}
    )
    feed_site = _feed_sites(feeds)
    sites: dict[str, set[str]] = defaultdict(set)
    for record in recent:
        if record.url or record.feeds:
            sites[record.cluster or record.id].add(_site(record.url, record.feeds[:1], feed_site))
    by_name = {source.name: source for source in feeds}
    records: dict[str, StoryRecord] = {}
    for story, print_ in zip(stories, prints, strict=True):
        cluster = clusters.get(story.id, story.id)
        url = canonical_url(story.url) if story.url else ""
        if url or story.feed:
            sites[cluster].add(_site(url, (story.feed,), feed_site))
        records[story.id] = StoryRecord(
            id=story.id,
            url=url,
            title=story.title[:500],
            feeds=(story.feed,),
            first_seen=now,
            published=story.published,
            fingerprint=fingerprint_hex(print_),
            cluster=cluster,
            text_length=len(story.text),
            text_hash=_text_hash(story.text),
            # a full_text story's summary is not what was matched: an edit of it is not watched for
            listed_hash=listed_hash(story, source)
            if (source := by_name.get(story.feed)) is not None and not source.full_text
            else "",
        )
    return records, sites


def _feed_sites(feeds: Sequence[Source]) -> dict[str, str]:
    """Each source's own site, by name: the publisher of its stories without a link."""
    from scraper.dedupe import site_of

    return {source.name: site_of(source.url) for source in feeds}


def _site(url: str, feeds: Sequence[str], feed_site: Mapping[str, str]) -> str:
    """The site a story counts as a source for: its link's, or without a link its (first) feed's own site, so
    that a copy linking to that site is no second source."""
    from scraper.dedupe import site_of

    if url:
        return site_of(url)
    return feed_site.get(feeds[0]) or feeds[0]


def _sightings(
    collected: Sequence[_Collected],
    hits_by_story: Mapping[str, tuple[Hit, ...]],
    records: Mapping[str, StoryRecord],
    sites_by_cluster: Mapping[str, set[str]],
    established: set[str],
    options: RunOptions,
    index: AliasIndex | None = None,
    edited: Collection[str] = (),
) -> dict[tuple[str, str], list[tuple[Sighting, bool]]]:
    """Operator hits grouped by pair, each with whether it only seeds state, and the names an alert marks in
    the evidence (the system's and the country's aliases as the evidence writes them; ``index`` finds them).

    A story seeds only when its whole event does: every source carrying any of the event's
    stories this run carries it as first-run backlog (``established`` holds the ids carried by
    the others; a full_text story held back on its feed's first run stays backlog).
    Crediting a story to whichever source came first would let a newly added feed swallow a
    story that is new on an established one."""
    event = {story.id: records[story.id].cluster or story.id for c in collected for story in c.new}
    real_events = {event[story_id] for story_id in event.keys() & established}
    # A story without a link is headed by the link of a copy read in this run (another site's page of the same
    # event), as that copy gave it: a canonical form may name no page.
    linked: dict[str, str] = {}
    for c in collected:
        for story in c.new:
            if story.url:
                linked.setdefault(event[story.id], story.url)
    by_pair: dict[tuple[str, str], list[tuple[Sighting, bool]]] = defaultdict(list)
    for c in collected:
        for story in c.new:
            seeding = not options.alert_backlog and event[story.id] not in real_events
            sources = tuple(sorted(sites_by_cluster.get(event[story.id], set()))) or (story.feed,)
            for hit in hits_by_story.get(story.id, ()):
                if hit.role != "operator":
                    continue
                sighting = Sighting(
                    hit=hit,
                    title=story.title,
                    url=story.url or linked.get(event[story.id], ""),
                    source=story.feed,
                    published=records[story.id].published,  # an edit without a date keeps its story's
                    sources=sources,
                    names=_names_in(hit, index),
                    cluster=event[story.id],
                    edited=story.id in edited,
                )
                by_pair[(hit.system, hit.country)].append((sighting, seeding))
    return by_pair


def _names_in(hit: Hit, index: AliasIndex | None) -> tuple[str, ...]:
    """The hit's system and country as its evidence writes them ("S-400s", "Ankara"), for the alert to mark."""
    if index is None:
        return ()
    from scraper.aliases import normalize
    from scraper.sentences import is_lowercase_style

    wanted = {("system", hit.system), ("country", hit.country)}
    evidence = normalize(hit.evidence)
    found = index.find(evidence, lowercase=is_lowercase_style(evidence))  # "uae" in the tokenised wire style
    return tuple(dict.fromkeys(m.surface for m in found if (m.kind, m.name) in wanted))


def _channels_for(notify: Sequence[str], channels: Sequence[str]) -> tuple[str, ...]:
    """The configured channels a watch's alerts go to: the ones it names, else every configured
    one (the console when nothing is): an alert queued for no channel would never be sent."""
    return tuple(ch for ch in channels if ch in notify) or tuple(channels)


def _few(names: Sequence[str], noun: str) -> str:
    """Up to four names, else a count: a catch-all watch names every system and country."""
    return ", ".join(names) if len(names) <= 4 else f"{len(names)} {noun}"


def _routing_note(watch: Watch, channels: Sequence[str]) -> str | None:
    """What the report says when none of the channels a watch names is configured."""
    if set(watch.notify) & set(channels) or tuple(channels) == ("console",):
        return None  # its own channels, or a local run printing every alert on the console
    named = f"watch {_few(watch.systems, 'systems')} x {_few(watch.countries, 'countries')}"
    if not channels:
        return f"{named}: no channel is configured, its alerts were recorded and not sent"
    return (
        f"{named} notifies {', '.join(watch.notify)}, which is not configured: "
        f"its alerts went to {', '.join(channels)}"
    )


def _enqueue(
    store: Store, alert: Alert, channels: Sequence[str], now: datetime, options: RunOptions, report: RunReport
) -> int:
    if options.dry_run:
        report.alerts += [alert_outcome(alert, channel, "dry-run") for channel in channels]
        return 1
    for channel in channels:
        store.enqueue_alert(alert, channel, now)
    return 1


def _renamed_states(
    store: Store, watchlist: Watchlist, keys: Sequence[tuple[str, str]]
) -> tuple[dict[tuple[str, str], PairState], dict[tuple[str, str], PairState]]:
    """For pairs with no state of their own: the state stored under a former name of one of their entries
    (renamed in the watchlist, the old name kept as an alias), carried over as if never stored (version 0),
    so that the pair's next story is judged against its stage, not alerted as ``new``; and, by pair, the
    stored state it came from, which the caller deletes once the carried one is written (left, it would be
    the stale state of a pair renamed back). Until then ``status`` shows the old one under the new name."""
    former = {key: watchlist.former_pairs(*key) for key in keys}
    wanted = [old for olds in former.values() for old in olds]
    found = store.get_pairs(wanted) if wanted else {}
    carried: dict[tuple[str, str], PairState] = {}
    origins: dict[tuple[str, str], PairState] = {}
    for (system, country), olds in former.items():
        states = [found[old] for old in olds if old in found]
        if states:
            state = origins[system, country] = max(states, key=lambda s: s.since)
            held = state.held and replace(state.held, system=system, country=country)
            carried[system, country] = replace(state, system=system, country=country, version=0, held=held)
    return carried, origins


def _commit_pairs(
    store: Store,
    watchlist: Watchlist,
    sightings: Mapping[tuple[str, str], list[tuple[Sighting, bool]]],
    channels: Sequence[str],
    now: datetime,
    options: RunOptions,
    report: RunReport,
) -> tuple[int, set[str]]:
    """Apply each pair's sightings; the new state and its alerts are written in one conditional write
    (beyond ``COMMIT_DELIVERIES``, the rest of the alerts are queued just before it).

    Returns the number of alerts queued and the ids of the stories behind every pair that could
    not be saved (the caller leaves those stories unrecorded, so the next run decides again)."""
    if not sightings:
        return 0, set()
    states = store.get_pairs(list(sightings))
    carried, origins = _renamed_states(store, watchlist, [key for key in sightings if key not in states])
    states.update(carried)
    seeded_feeds: set[str] = set()
    routing_notes: dict[str, None] = {}  # one note per watch whose channels are not configured
    unsaved: set[str] = set()
    total = 0
    for key, items in sightings.items():
        watch = watchlist.watch_for(*key)
        saved = False
        for _attempt in range(4):
            state: PairState | None = states.get(key)
            alerts: list[Alert] = []
            new_state = state
            # Real sightings first: a first run's backlog records a baseline, and it must not turn
            # a story that is new on an established feed into a silent repeat.
            for seeding in (False, True):
                batch = [s for s, seed in items if seed is seeding]
                if not batch:
                    continue
                if seeding:
                    seeded_feeds.update(s.source for s in batch)
                new_state, produced = decide_alerts(
                    new_state, batch, watch, now, seeding=seeding, report_sources=True
                )
                alerts.extend(produced)
            if new_state is None or (new_state == state and not alerts):
                saved = True
                break
            note = _routing_note(watch, channels) if watch is not None and alerts else None
            if note:
                routing_notes.setdefault(note, None)
            targets = _channels_for(watch.notify if watch else (), channels)
            if options.dry_run:  # what a real run would send, listed; nothing is written
                report.alerts += [alert_outcome(a, channel, "dry-run") for a in alerts for channel in targets]
                total += len(alerts)
                saved = True
                break
            deliveries = [(alert, channel) for alert in alerts for channel in targets]
            # What does not fit the pair's transaction is queued first, each delivery on its own
            # conditional insert. A run that dies before the pair is written leaves the pair as it
            # was: the next run decides the same alerts (deterministic ids) and finds these queued
            # already. Once the pair is written, every delivery it decided exists.
            atomic, ahead = deliveries[:COMMIT_DELIVERIES], deliveries[COMMIT_DELIVERIES:]
            try:
                for alert, channel in ahead:
                    store.enqueue_alert(alert, channel, now)
                committed = store.commit_pair(new_state, state.version if state else 0, atomic, now)
                if not committed:
                    # Another run changed this pair first: decide again from what it wrote.
                    states = {**states, **store.get_pairs([key])}
            except StoreError as exc:
                report.notes.append(f"pair {key[0]} x {key[1]} not saved, left for the next run: {exc}")
                break
            if committed:
                total += len(alerts)
                saved = True
                if (
                    (origin := origins.pop(key, None)) is not None
                    and state is not None
                    and state.version == 0
                ):
                    # the state now lives under the new name: the old item goes (a failure leaves a stale copy)
                    with contextlib.suppress(StoreError):
                        store.delete_pair(origin.system, origin.country, origin.version)
                held = new_state.held
                if held is not None and watch is not None and (state is None or state.held != held):
                    have = len(held.sources)
                    report.notes.append(
                        f"{key[0]} x {key[1]}: {held.new_stage} held until {watch.min_sources} independent "
                        f"sources report it (min_sources; {have} so far)"
                    )
                break
        else:
            report.notes.append(f"pair {key[0]} x {key[1]} kept changing; left for the next run")
        if not saved:
            unsaved.update(s.hit.story_id for s, _seed in items)
    report.seeded.extend(sorted(seeded_feeds))
    report.notes.extend(routing_notes)
    return total, unsaved
