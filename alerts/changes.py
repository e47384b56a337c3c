"""Pair state + operator sightings -> new pair state and the alerts it calls for (pure).

Rules (SPEC "Alerts", issue 6 for corroboration):

- Only operator hits move a pair; supplier/other sightings are ignored here.
- The first operator sighting of a pair is a ``new`` alert; a stage that advances by
  ``stage_rank`` (cancellation ranks highest) is a ``stage`` alert. Repeats of the same or a
  lower stage update the latest story, sources and history, but do not alert; ``every`` in
  ``alert_on`` alerts each story not seen before that did not already alert, unless its event
  (cluster) was seen for the pair already: one event carried by several feeds is one alert.
  Such an alert for a story that did not move the pair is a ``repeat``: ``old_stage`` is where the
  pair stays, ``new_stage`` the story's own stage (a "talks" story after a deal is no step back).
- Revival: a pair at ``cancellation`` that a later story reports at talks, deal, delivery or
  deployment is a ``stage`` alert (``cancellation -> talks``): a cancelled deal coming back is
  news. "Later" means published after the latest cancellation report we hold (a story with no
  date counts as later), so an old backlog story cannot revive a pair. The other way round, a
  cancellation published before the latest report of the pair's stage (a backlog read late) is
  a repeat: that later report says the deal outlived it.
- ``min_sources``: a delivery or deployment change reported by fewer distinct sites than the
  watch asks for is *held* in ``PairState.held``; the pair keeps its confirmed stage meanwhile
  (status shows only corroborated stages). A later sighting at that stage or beyond whose sites
  bring the union to ``min_sources`` fires the held alert once, noting "confirmed by a second
  source". One alert is held per pair; a higher strong stage counts towards it. A held ``new``
  alert (first sighting ever was an unconfirmed delivery) leaves the pair at ``mention``.
- ``seeding=True`` (a feed's first run) and ``watch=None`` (unwatched pair) record state and
  emit nothing; seeding also skips holding, since a baseline needs no corroboration. A hold that a
  live run decided is the exception: a seeded report from another site confirms it and it is sent
  (a feed added to the watchlist carries the second source), and a seeded strong stage that cannot
  confirm it waits with it rather than moving the pair past it.
- ``report_sources=True`` also emits ``also_reported`` follow-ups when a later copy of the event
  whose alert announced the current stage brings sites not seen before (Slack threads, digest
  lines; issue 6). Only an alert that was sent can be followed up: a stage set while seeding,
  or by a change the watch does not alert on, has none. Another event at the same stage is a
  repeat, recorded and not alerted.

Alert ids are sha256 over (system, country, kind, old, new, story id), so a retried run that
decides the same change computes the same id and the outbox sends it once.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerts.model import Alert, PairState, StageChange
from scraper.model import Hit, Watch, stage_rank

HISTORY_LIMIT = 50  # DynamoDB items cap at 400 KB: keep the recent steps only
_HOLDABLE = frozenset({"delivery", "deployment"})
_REVIVING = frozenset({"talks", "deal", "delivery", "deployment"})


@dataclass(frozen=True, slots=True)
class Sighting:
    """One operator (or other) hit with what an alert needs to show about its story."""

    hit: Hit
    title: str
    url: str
    source: str  # feed name
    published: datetime | None
    sources: tuple[str, ...]  # distinct sites that reported this story's event/cluster
    names: tuple[str, ...] = ()  # surface forms of the matched system/country to bold
    cluster: str = ""  # the event this story reports (its cluster id); "" = the story alone
    edited: bool = False  # a stored story read again because its feed edited it: no "every" alert of its own

    @property
    def event(self) -> str:
        return self.cluster or self.hit.story_id


def alert_id(*parts: str) -> str:
    """Deterministic id: sha256 of the parts joined by a separator they cannot contain."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def decide_alerts(
    state: PairState | None,
    sightings: Sequence[Sighting],
    watch: Watch | None,
    now: datetime,
    *,
    seeding: bool,
    report_sources: bool = False,
) -> tuple[PairState | None, tuple[Alert, ...]]:
    """Apply a pair's sightings in published order (undated last); one alert per change."""
    emit = not seeding and watch is not None
    # A hold was decided by a live run; a seeded report still confirms it (and it is sent), or waits with it.
    needed = 1 if watch is None else max(1, watch.min_sources)
    min_sources = 1 if seeding else needed
    alert_on = watch.alert_on if watch is not None else ()
    channels = watch.notify if watch is not None else ()
    # A date in the future (a feed's wrong clock, a zone read as UTC) counts as the time the story was read: kept
    # as it is, it would make every report read before that date "older" and hide a cancellation or a revival.
    operator = [
        s if s.published is None or s.published <= now else dataclasses.replace(s, published=now)
        for s in sightings
        if s.hit.role == "operator"
    ]
    operator.sort(key=lambda s: (s.published is None, s.published.timestamp() if s.published else 0.0))
    alerts: list[Alert] = []
    released: list[Alert] = []  # held alerts fired by these sightings: sent even while seeding
    for sighting in operator:
        step = _Step(
            sighting, now, alert_on, channels, min_sources, needed, report_sources, emit, watch is not None
        )
        state, found, fired = step.apply(state)
        alerts.extend(found)
        released.extend(fired)
    return state, tuple(alerts if emit else released)


def feed_health_alert(
    url: str,
    name: str,
    failures: int,
    failing_since: datetime,
    recovered: bool,
    now: datetime,
    *,
    error: str = "",
) -> Alert:
    """The operational alert for a feed's outage (one id per outage, keyed by its start)."""
    kind = "feed_recovered" if recovered else "feed_failing"
    since = failing_since.isoformat()  # the outage's key
    shown = f"{failing_since:%Y-%m-%d %H:%M} UTC" if failing_since.utcoffset() == timedelta(0) else since
    if recovered:
        evidence = f"Recovered after {failures} failed runs (failing since {shown})."
    else:
        evidence = f"{failures} consecutive failed runs since {shown}."
        if error:
            evidence += f" Last error: {error}"
    return Alert(
        id=alert_id(kind, url, since),
        kind=kind,
        system="",
        country="",
        old_stage=None,
        new_stage="recovered" if recovered else "failing",
        title=f"{name} {'recovered' if recovered else 'failing'}",
        url=url,
        source=name,
        published=failing_since,
        evidence=evidence,
        created=now,
    )


def _union(*groups: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            if item:
                seen.setdefault(item, None)
    return tuple(seen)


def _confirm_note(count: int) -> str:
    if count < 2:  # the watch's min_sources was lowered while it waited
        return "sent on one source: the watch's min_sources is now 1"
    return "confirmed by a second source" if count == 2 else f"confirmed by {count} independent sources"


@dataclass(frozen=True, slots=True)
class _Step:
    """Applies one sighting to a pair state."""

    sighting: Sighting
    now: datetime
    alert_on: tuple[str, ...]
    channels: tuple[str, ...]
    min_sources: int  # sites a strong stage needs before it alerts (1 while seeding)
    needed: int  # sites the watch asks for: what releases a hold, and what a seeded report waits with
    report_sources: bool
    emit: bool  # the alerts decided are sent (not seeding, and the pair is watched)
    confirms: bool  # a released hold is sent (the pair is watched), seeding or not

    @property
    def sites(self) -> tuple[str, ...]:
        return _union(self.sighting.sources or (self.sighting.source,))

    def alert(
        self,
        kind: str,
        old: str | None,
        new: str,
        *,
        note: str = "",
        parent: str = "",
        extra: str = "",
        repeat: bool = False,
        source: str = "",
    ) -> Alert:
        s = self.sighting
        parts = [s.hit.system, s.hit.country, kind, old or "", new, s.hit.story_id]
        if extra:
            parts.append(extra)
        return Alert(
            id=alert_id(*parts),
            kind=kind,
            system=s.hit.system,
            country=s.hit.country,
            old_stage=old,
            new_stage=new,
            title=s.title,
            url=s.url,
            source=source or s.source,
            published=s.published,
            evidence=s.hit.evidence,
            names=s.names,
            sources=self.sites,
            channels=self.channels,
            created=self.now,
            note=note,
            story_id=s.hit.story_id,
            parent_id=parent,
            cluster=s.event,
            repeat=repeat,
        )

    def wanted(self, kind: str) -> bool:
        return kind in self.alert_on or "every" in self.alert_on

    def apply(self, state: PairState | None) -> tuple[PairState, list[Alert], list[Alert]]:
        """The new state, the alerts decided, and those of them that release a hold."""
        s, stage = self.sighting, self.sighting.hit.stage
        if state is None:
            return (*self._first(stage), [])
        seen_before = any(step.story_id == s.hit.story_id for step in state.history)
        # A history step made before steps kept their cluster stands for its story's own event.
        event_seen = any((step.cluster or step.story_id) == s.event for step in state.history)
        alerts: list[Alert] = []
        released: list[Alert] = []
        announced = held_now = False
        if not self._older(state, shown=True):  # a report older than the one shown is not the latest story
            state = self._latest(state)
        if s.edited and state.held is not None and state.held.story_id == s.hit.story_id:
            state = self._edited_hold(state, stage)
        if (
            state.held is not None
            and stage != "cancellation"
            and (stage_rank(stage) >= stage_rank(state.held.new_stage))
        ):
            state, fired = self._try_confirm(state)
            if fired is not None:
                announced = True
                sent = fired if self.wanted(fired.kind) else None
                state = self._announced(state, sent, self.confirms)
                released.extend([sent] if sent else [])
        alerts.extend(released)
        if self._is_change(state, stage):
            # a strong stage waits while a hold does (a seeded report too: it may not pass the hold)
            if stage in _HOLDABLE and len(self.sites) < (self.needed if state.held else self.min_sources):
                held_now = True
                if state.held is None:
                    state = dataclasses.replace(state, held=self.alert("stage", state.stage, stage))
            else:
                state, change = self._advance(state, stage)
                announced = True
                sent = self._as_sent(change)
                state = self._announced(state, sent)
                alerts.extend([sent] if sent else [])
        elif stage == state.stage:
            new_sites = tuple(x for x in self.sites if x not in state.sources)
            state = dataclasses.replace(
                state,
                sources=_union(state.sources, self.sites),
                published=max((p for p in (state.published, s.published) if p), default=None),
            )
            follows = state.alert_id and state.alert_cluster == s.event  # a later source of that event
            if new_sites and self.report_sources and follows:
                alerts.append(
                    self.alert(
                        "also_reported",
                        stage,
                        stage,
                        parent=state.alert_id,
                        extra=",".join(sorted(new_sites)),
                        source=", ".join(sorted(new_sites)),  # the sites new to the event, not the feed
                    )
                )
        # an edited story was reported already (its earlier steps may have left the bounded history)
        quiet = announced or held_now or seen_before or event_seen or alerts or s.edited
        if not quiet and "every" in self.alert_on:
            # The pair stays at state.stage: a lower stage is another report, not a step back.
            alerts.append(self.alert("every", state.stage, stage, repeat=True))
        return self._record(state, stage, seen_before), alerts, released

    def _first(self, stage: str) -> tuple[PairState, list[Alert]]:
        s = self.sighting
        base = PairState(
            system=s.hit.system,
            country=s.hit.country,
            stage="mention",
            since=self.now,
            story_id=s.hit.story_id,
            title=s.title,
            url=s.url,
            published=s.published,
        )
        if stage in _HOLDABLE and len(self.sites) < self.min_sources:
            return self._record(
                dataclasses.replace(base, held=self.alert("new", None, stage)), stage, False
            ), []
        sent = self._as_sent(self.alert("new", None, stage))
        state = self._announced(dataclasses.replace(base, stage=stage, sources=self.sites), sent)
        return self._record(state, stage, False), ([sent] if sent else [])

    def _as_sent(self, change: Alert) -> Alert | None:
        """A new/stage change as the watch gets it: itself, an ``every`` alert, or nothing."""
        if not self.wanted(change.kind):
            return None
        return change if change.kind in self.alert_on else self._as_every(change)

    def _announced(self, state: PairState, sent: Alert | None, emitted: bool | None = None) -> PairState:
        """The pair's current stage was announced by ``sent`` (None: by no alert that is sent); ``emitted``:
        whether the step's alerts are sent (default: ``emit``)."""
        if sent is None or not (self.emit if emitted is None else emitted):
            return dataclasses.replace(state, alert_id="", alert_cluster="")
        return dataclasses.replace(state, alert_id=sent.id, alert_cluster=sent.cluster)

    def _as_every(self, alert: Alert) -> Alert:
        return dataclasses.replace(alert, kind="every", id=alert_id(alert.id, "every"))

    def _latest(self, state: PairState) -> PairState:
        s = self.sighting
        return dataclasses.replace(
            state, story_id=s.hit.story_id, title=s.title, url=s.url, story_published=s.published
        )

    def _edited_hold(self, state: PairState, stage: str) -> PairState:
        """The story a hold waits on was edited: if it still reports the held stage (or beyond), the alert
        shows it as it now reads; if it no longer does (a correction, a denial), the hold is dropped: a second
        site must not confirm what its own source took back."""
        held = state.held
        assert held is not None
        if stage == "cancellation" or stage_rank(stage) < stage_rank(held.new_stage):
            return dataclasses.replace(state, held=None)
        s = self.sighting
        fresh = dataclasses.replace(
            held, title=s.title, url=s.url, published=s.published, evidence=s.hit.evidence, names=s.names
        )
        return dataclasses.replace(state, held=fresh)

    def _older(self, state: PairState, shown: bool = False, revival: bool = False) -> bool:
        """Whether the sighting was published before the report of the pair's stage (``shown``: before the
        latest story shown, which may be a newer report at a lower stage); an undated one never is. A report
        dated in the future (stored before such dates were read as the run's time) counts as published when
        its stage was recorded; so does an undated one, for a revival and for the story shown (for a
        cancellation after an undated report, nothing says which came first: it counts as later)."""
        published = self.sighting.published
        since = (state.story_published or state.published) if shown else state.published
        if since is None and not (shown or revival):
            return False  # nothing to compare with: an undated deal must not hide a dated cancellation
        if since is None or since > self.now:
            # an undated report counts as published when it was recorded (its stage's run), as one dated in the
            # future (stored before such dates were read as the run's time) does: else any older story could
            # revive a pair an undated cancellation closed
            since = state.since
        return published is not None and since is not None and published < since

    def _is_change(self, state: PairState, stage: str) -> bool:
        if state.stage == "cancellation":
            return stage in _REVIVING and not self._older(state, revival=True)
        # the same time counts as later; so does an edit's cancellation (what its source says now)
        later = not self._older(state) or self.sighting.edited
        if stage == "cancellation" and not later and state.stage != "mention":
            return False  # an older cancellation: the newer report of the current stage outlived it
        return stage_rank(stage) > stage_rank(state.stage)

    def _try_confirm(self, state: PairState) -> tuple[PairState, Alert | None]:
        held = state.held
        assert held is not None
        merged = _union(held.sources, self.sites)
        if len(merged) < self.needed:
            return dataclasses.replace(state, held=dataclasses.replace(held, sources=merged)), None
        fired = dataclasses.replace(held, sources=merged, note=_confirm_note(len(merged)), created=self.now)
        if fired.kind == "stage" and fired.old_stage != state.stage:
            # The pair moved (e.g. talks -> deal) while this stage waited: say where it moves from.
            fired = dataclasses.replace(
                fired,
                old_stage=state.stage,
                id=alert_id(held.system, held.country, "stage", state.stage, held.new_stage, held.story_id),
            )
        state = dataclasses.replace(
            state,
            stage=held.new_stage,
            since=self.now,
            sources=merged,
            held=None,
            published=held.published,
        )
        return state, fired

    def _advance(self, state: PairState, stage: str) -> tuple[PairState, Alert]:
        s = self.sighting
        if state.held is not None and state.held.kind == "new":
            change = self.alert("new", None, stage)  # the pair was never announced (held "new")
        else:
            change = self.alert("stage", state.stage, stage)
        held = state.held
        if stage == "cancellation":
            held = None
        elif held is not None and held.kind == "new":
            # The pair is announced now, so the held strong stage becomes a stage change.
            held = dataclasses.replace(
                held,
                kind="stage",
                old_stage=stage,
                id=alert_id(held.system, held.country, "stage", stage, held.new_stage, held.story_id),
            )
        state = dataclasses.replace(
            self._latest(state),  # the report that moved the pair is its latest story, however old
            stage=stage,
            since=self.now,
            sources=self.sites,
            held=held,
            published=s.published,
        )
        return state, change

    def _record(self, state: PairState, stage: str, seen_before: bool) -> PairState:
        key = (self.sighting.hit.story_id, stage)
        if seen_before and any((h.story_id, h.stage) == key for h in state.history):
            return state
        s = self.sighting
        cluster = s.cluster if s.cluster != s.hit.story_id else ""  # kept only when it says more
        step = StageChange(stage=stage, at=self.now, story_id=s.hit.story_id, cluster=cluster)
        return dataclasses.replace(state, history=(*state.history, step)[-HISTORY_LIMIT:])
