"""Deliver the outbox: claim each (alert, channel), send, mark sent.

An alert is enqueued atomically with the pair state that caused it (Store.commit_pair), so
nothing decided is lost. Delivery takes a lease first: a run that dies between claim and
send leaves the lease to expire, and the next run sends the alert. Each channel succeeds or
fails on its own; a delivery that a working channel keeps refusing is given up after ``max_attempts``
and reported, not retried forever, while an outage (nothing goes through) gives up nothing.

The one gap that cannot be closed for a webhook: a run that dies after Slack accepted the
POST and before ``mark_sent`` is recorded sends that alert again once its lease lapses (Slack
webhooks take no idempotency key). ``mark_sent`` follows the send immediately, with nothing
in between, so the window is one store write long. Likewise a send that outlasts the lease
can overlap the send of the run that took the delivery over; ``mark_sent`` then records it
sent all the same (Store.mark_sent), so it goes out at most twice, never more, and the report
says so. A failure reported after the lease lapsed leaves the other run's claim alone.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from alerts.model import Alert, OutboxItem
from alerts.notify import Notifier
from alerts.render import repeat_change
from alerts.schedule import plan_sends
from alerts.store import Store
from scraper.errors import NotifyError, StoreError
from scraper.model import AlertSettings
from scraper.report import AlertOutcome, RunReport

log = logging.getLogger("watch.outbox")
FOLLOW_UP = "also_reported"
# Without threads, "also reported by" lines wait this long for a digest to join before they
# go out as a digest of their own.
FOLLOW_UP_WAIT = timedelta(hours=6)


def _pair(alert: Alert) -> str:
    if alert.kind.startswith("feed_"):
        return alert.source or alert.url
    return f"{alert.system} x {alert.country}"


def _change(alert: Alert) -> str:
    if alert.kind.startswith("feed_"):
        return alert.kind.removeprefix("feed_")
    if alert.kind == "also_reported":
        return f"{alert.new_stage}, also reported"  # a follow-up, not a change: "deal -> deal" read like one
    if (repeat := repeat_change(alert)) is not None:
        return repeat  # alert_on: every, worded as the message words it ("deal -> talks" read as a fall)
    if alert.old_stage:
        return f"{alert.old_stage} -> {alert.new_stage}"
    return f"new: {alert.new_stage}"  # also an every-only watch's first story ("every: talks" said nothing)


def alert_outcome(alert: Alert, channel: str, status: str, error: str = "") -> AlertOutcome:
    """The run report's line for one alert on one channel."""
    return AlertOutcome(
        alert_id=alert.id,
        kind=alert.kind,
        pair=_pair(alert),
        change=_change(alert),
        channel=channel,
        status=status,
        title=alert.title,
        error=error,
    )


def _outcome(item: OutboxItem, status: str, error: str = "") -> AlertOutcome:
    return alert_outcome(item.alert, item.channel, status, error)


def deliver_pending(
    store: Store,
    notifiers: Mapping[str, Notifier],
    settings: AlertSettings,
    *,
    run_id: str,
    now: datetime,
    lease_seconds: float,
    has_time: Callable[[], bool],
    report: RunReport,
    clock: Callable[[], datetime] | None = None,
) -> None:
    """Send every pending delivery of every configured channel, each channel on its own.

    ``clock`` gives the time of each claim (leases start when they are taken, not when the
    run started); it defaults to ``now``. A store error stops only the channel it hit: what
    was not marked stays pending (or leased) and the next run finishes it."""
    ctx = _Context(store, settings, run_id, lease_seconds, clock or (lambda: now), report)
    for channel, notifier in notifiers.items():
        try:
            pending = store.pending_deliveries(channel)
        except StoreError as exc:
            report.notes.append(f"{channel}: could not read the outbox: {exc}")
            continue
        # A delivery another run holds (a run sending it now, or one that died mid-send: its lease runs out)
        # is said, not planned: it is sent once the lease lapses.
        at = ctx.clock()
        leased = [i for i in pending if i.lease_until and i.lease_until > at and i.claimed_by != run_id]
        for item in leased:
            until = item.lease_until.astimezone(UTC).strftime("%H:%M:%S UTC") if item.lease_until else ""
            report.alerts.append(
                _outcome(
                    item,
                    "held",
                    f"another run is sending it (its lease ends at {until}; if that run fails, a later run sends it)",
                )
            )
        leased_ids = {id(i) for i in leased}
        pending = [i for i in pending if id(i) not in leased_ids]
        # A pair's later alerts wait behind one that another run holds (a worker of the same tick sending it,
        # or failing to): sent now, the advance could reach the analyst before the pair's "new".
        first_held: dict[str, tuple[datetime, bool, datetime, str]] = {}
        for item in leased:
            key = _in_order(item.alert, now)
            first_held[_pair(item.alert)] = min(key, first_held.get(_pair(item.alert), key))
        behind = [
            i
            for i in pending
            if _pair(i.alert) in first_held and _in_order(i.alert, now) > first_held[_pair(i.alert)]
        ]
        for item in behind:
            report.alerts.append(
                _outcome(item, "retry", "waits behind an earlier alert of its pair that another run holds")
            )
        behind_ids = {id(i) for i in behind}
        pending = [i for i in pending if id(i) not in behind_ids]
        if not pending:
            continue
        # One run's alerts share their creation time: within it, the stories' order (as the
        # changes were decided), so a pair's "new" comes before its later advance in a digest.
        pending.sort(key=lambda item: _in_order(item.alert, now))
        by_id = {item.alert.id: item for item in pending}
        follow_ups = [item for item in pending if item.alert.kind == FOLLOW_UP]
        main = [item.alert for item in pending if item.alert.kind != FOLLOW_UP]
        plan = plan_sends(main, settings, channel, now)
        quiet = bool(plan.held) or (
            bool(follow_ups) and bool(plan_sends([f.alert for f in follow_ups], settings, channel, now).held)
        )
        for alert in plan.held:
            report.alerts.append(_outcome(by_id[alert.id], "held", "quiet hours"))
        try:
            joined: list[OutboxItem] = []
            if follow_ups and not notifier.threads and not quiet:
                # Without threads, later sources become "also reported by" lines in the next
                # digest: this run's, or one of their own once they have waited long enough.
                oldest = min(f.alert.created or now for f in follow_ups)
                if plan.digest or now - oldest >= FOLLOW_UP_WAIT:
                    joined = follow_ups
            if plan.digest or joined:
                _send_digest(ctx, notifier, [by_id[a.id] for a in plan.digest], has_time, also=joined)
            _send_individually(ctx, notifier, [by_id[a.id] for a in plan.individual], has_time)
            if follow_ups and notifier.threads and not quiet:
                _send_replies(ctx, notifier, follow_ups, has_time)
        except StoreError as exc:
            report.notes.append(f"{channel}: outbox write failed, the rest waits for the next run: {exc}")
            log.warning("outbox write failed on %s: %s", channel, exc)
    report.notes.extend(unconfigured_waiting(store, notifiers))


def unconfigured_waiting(store: Store, channels: Iterable[str]) -> list[str]:
    """A line per channel that has deliveries pending but is not configured now (a webhook unset after an
    outage, email dropped for Slack): they stay pending and go out once it is configured again."""
    try:
        pending = store.pending_deliveries()
    except StoreError as exc:
        return [f"could not read the outbox for alerts of unconfigured channels: {exc}"]
    waiting = Counter(item.channel for item in pending if item.channel not in set(channels))
    return [
        f"{n} alert{'s wait' if n != 1 else ' waits'} for {channel}, which this run has not configured "
        f"(kept: sent once {channel} is configured again)"
        for channel, n in sorted(waiting.items())
    ]


@dataclass(frozen=True, slots=True)
class _Context:
    store: Store
    settings: AlertSettings
    run_id: str
    lease_seconds: float
    clock: Callable[[], datetime]
    report: RunReport
    worked: set[str] = field(default_factory=set)  # channels that delivered something in this run


def _claim(ctx: _Context, item: OutboxItem) -> OutboxItem | None:
    return ctx.store.claim_delivery(item.alert.id, item.channel, ctx.run_id, ctx.clock(), ctx.lease_seconds)


def _mark_sent(ctx: _Context, item: OutboxItem, ref: str, note: str = "") -> None:
    ctx.worked.add(item.channel)
    try:
        mine = ctx.store.mark_sent(item.alert.id, item.channel, ctx.run_id, ctx.clock(), ref=ref)
    except StoreError:
        # Sent but not recorded: the lease keeps other runs off it until it lapses, then it is
        # sent again (the at-least-once window; see the module docstring).
        ctx.report.alerts.append(_outcome(item, "sent", "sent, but not recorded: may repeat after the lease"))
        raise
    if not mine:
        # The send outlasted the lease and another run took the delivery over (the second window
        # in the module docstring): it is recorded sent all the same, so nothing sends it again.
        note = "; ".join(
            filter(None, [note, "sent after its lease passed to another run: may have gone twice"])
        )
        log.warning("alert %s via %s sent after its lease lapsed", item.alert.id[:12], item.channel)
    ctx.report.alerts.append(_outcome(item, "sent", note))


def _mark_failed(ctx: _Context, item: OutboxItem, exc: NotifyError) -> None:
    # A channel that refuses every message (a deleted webhook, a revoked token) keeps its alerts
    # pending until it is fixed, and such runs do not count towards giving up: after the fix, one
    # transient failure must not give up an alert that waited. Nor does a rate limit: Slack's or SES's
    # asking to slow down says nothing about the message, and a schedule shorter than its back-off would
    # otherwise use up an alert's attempts in a few runs. Nor does a transient failure (5xx, a timeout, a
    # refused connection) before the channel delivered anything in this run: an outage of a few runs would
    # give up every alert that waited through it; once the channel works, the failure is the message's own.
    # (An alert that is not tried is never claimed: a digest claims each message's alerts as it sends it.)
    counted = not exc.blocked and not exc.rate_limited and item.channel in ctx.worked
    give_up = exc.permanent or (counted and item.attempts >= ctx.settings.max_attempts)
    recorded = ctx.store.mark_failed(
        item.alert.id, item.channel, ctx.run_id, exc.reason, ctx.clock(), give_up=give_up, counted=counted
    )
    if not recorded:
        # Our lease lapsed and another run took the delivery over (or sent it): its outcome is
        # that run's to record; this failure changes nothing.
        reason = f"{exc.reason}; its lease had passed to another run, which delivers it"
        ctx.report.alerts.append(_outcome(item, "retry", reason))
        log.warning(
            "alert %s via %s failed after its lease lapsed: %s", item.alert.id[:12], item.channel, reason
        )
        return
    reason = (
        exc.reason
        if not give_up or exc.permanent
        else f"{exc.reason}; gave up after {item.attempts} attempts"
    )
    if exc.blocked:
        reason += "; the alert waits until the channel is fixed"
    status = "failed" if give_up else "blocked" if exc.blocked else "retry"
    ctx.report.alerts.append(_outcome(item, status, reason))
    log.warning("alert %s via %s failed: %s", item.alert.id[:12], item.channel, reason)


def _send_individually(
    ctx: _Context, notifier: Notifier, items: Sequence[OutboxItem], has_time: Callable[[], bool]
) -> None:
    """One message per alert, in order. A transient failure before the channel delivered anything in this run
    may be the channel's (down) or the message's own: the next alert, of another pair, is tried once. If it
    fails too, the channel is down and the rest wait for the next run; if it goes through, the first is tried
    once more, and its failure now counts towards giving it up. Once an alert of a pair is left unsent, the
    pair's later alerts wait for the next run: a pair's "new" never arrives after its advance."""

    def leave(rest: Sequence[OutboxItem], why: str) -> None:
        for later in rest:
            if why == "deadline":
                ctx.report.deferred.append(f"{notifier.channel} delivery of {_pair(later.alert)} (deadline)")
            else:
                ctx.report.alerts.append(_outcome(later, "retry", why))

    suspect: OutboxItem | None = None
    waiting: set[str] = set()  # pairs with an alert left unsent in this run
    for position, item in enumerate(items):
        if not has_time():
            leave([*items[position:], *([suspect] if suspect else [])], "deadline")
            return
        if _pair(item.alert) in waiting:
            leave([item], "waits behind an earlier alert of its pair")
            continue
        proven = notifier.channel in ctx.worked
        verdict = _send_one(ctx, notifier, item)
        # another run took it meanwhile (sending it, or failing to): the pair's later alerts wait too
        if verdict == "taken":
            waiting.add(_pair(item.alert))
            ctx.report.alerts.append(_outcome(item, "held", "another run took it meanwhile (it sends it)"))
        elif verdict == "sent" and suspect is not None:
            again, suspect = suspect, None
            if not has_time():
                leave([again, *items[position + 1 :]], "deadline")
                return
            if _send_one(ctx, notifier, again) == "stop":  # rate limited or blocked meanwhile
                leave(items[position + 1 :], "channel unavailable")
                return
        elif verdict == "probe" and not proven and suspect is None:
            suspect = item  # the channel may be down, or this message refused: try the next
            waiting.add(_pair(item.alert))  # whatever its second try does, the pair's later alerts wait
        elif verdict in ("stop", "probe"):
            # rate limited; unreachable twice; or failing after it worked (it may have gone down: every send
            # left could wait for its timeout)
            leave(items[position + 1 :], "channel unavailable")
            return


def _claim_in_order(ctx: _Context, item: OutboxItem, taken: set[str]) -> OutboxItem | None:
    """The item claimed for this run, or None: another run took it (its pair's later alerts then wait), or an
    earlier alert of its pair was taken (this one waits for the next run, not to overtake it)."""
    pair = _pair(item.alert)
    if pair in taken:
        ctx.report.alerts.append(
            _outcome(item, "retry", "waits behind an earlier alert of its pair that another run holds")
        )
        return None
    claimed = _claim(ctx, item)
    if claimed is None:
        taken.add(pair)
        ctx.report.alerts.append(_outcome(item, "held", "another run took it meanwhile (it sends it)"))
    return claimed


def _send_one(ctx: _Context, notifier: Notifier, item: OutboxItem) -> str:
    """Send one delivery. "sent"; "taken" (another run holds it, or sent it meanwhile); "next" (this message
    is refused for good: go on); "probe" (a transient failure: 5xx, a timeout, a refused connection, which may
    be the channel's or the message's); "stop" (the channel is rate limited or blocked: nothing more this
    run)."""
    claimed = _claim(ctx, item)
    if claimed is None:
        return "taken"  # another run holds it, or it was sent meanwhile
    try:
        ref = notifier.send(claimed.alert)
    except NotifyError as exc:
        _mark_failed(ctx, claimed, exc)
        if exc.permanent:
            return "next"
        return "stop" if exc.rate_limited or exc.blocked else "probe"
    _mark_sent(ctx, claimed, ref or "")
    return "sent"


def _send_digest(
    ctx: _Context,
    notifier: Notifier,
    items: Sequence[OutboxItem],
    has_time: Callable[[], bool],
    also: Sequence[OutboxItem] = (),
) -> None:
    """The items as one digest, in as many messages as the channel's size limit asks for. Each message's
    alerts are claimed just before it is sent and marked sent with it, so a failure part-way repeats nothing;
    after a failure, or at the deadline, the later messages' alerts are left as they were (never claimed):
    a channel refusing a backlog of thousands costs one message's writes a run, not two per alert."""
    if not has_time():
        ctx.report.deferred.append(f"{notifier.channel} digest of {len(items) + len(also)} alerts (deadline)")
        return
    alerts, also_alerts = [i.alert for i in items], [i.alert for i in also]
    split = getattr(notifier, "digest_parts", None)
    parts = split(alerts, also_alerts) if split is not None else [(alerts, also_alerts)]
    by_id = {i.alert.id: i for i in [*items, *also]}

    def leave(number: int, why: NotifyError) -> None:
        """The alerts of the messages from ``number`` on wait for the next run, untouched."""
        status, reason = (
            ("blocked", f"{why.reason}; the alert waits until the channel is fixed")
            if why.blocked
            else ("retry", why.reason)
        )
        for main, also_part in parts[number:]:
            for alert in [*main, *also_part]:
                ctx.report.alerts.append(_outcome(by_id[alert.id], status, reason))

    failure: StoreError | None = None
    taken: set[str] = set()  # pairs with an alert another run took: their later alerts wait
    for number, (main, also_part) in enumerate(parts):
        if number and not has_time():  # each part is a send of its own: none starts past the deadline
            leave(
                number,
                NotifyError(
                    notifier.channel, f"digest message {number + 1} of {len(parts)} not sent: deadline"
                ),
            )
            ctx.report.deferred.append(
                f"{notifier.channel} digest messages {number + 1}-{len(parts)} (deadline)"
            )
            break
        # another run may hold some of them (it sends them): this message shows the rest, a subset of the part,
        # without the later alerts of a pair whose earlier one another run holds
        claimed = [c for c in (_claim_in_order(ctx, by_id[a.id], taken) for a in main) if c]
        claimed_also = [c for c in (_claim_in_order(ctx, by_id[a.id], taken) for a in also_part) if c]
        members = [*claimed, *claimed_also]
        if not members:
            continue
        try:
            ref = notifier.send_digest(
                [c.alert for c in claimed], also_reported=[c.alert for c in claimed_also]
            )
        except NotifyError as exc:
            for item in members:
                _mark_failed(ctx, item, exc)
            if exc.permanent:
                continue
            leave(number + 1, exc)
            break
        # Every member was sent: try to record each even when one write fails, so only the
        # unrecorded ones can repeat after their lease.
        note = "in digest" if len(parts) == 1 else f"in digest, message {number + 1} of {len(parts)}"
        for item in members:
            try:
                _mark_sent(ctx, item, ref or "", note)
            except StoreError as exc:
                failure = exc
    if failure is not None:
        raise failure


def _send_replies(
    ctx: _Context, notifier: Notifier, items: Sequence[OutboxItem], has_time: Callable[[], bool]
) -> None:
    """Later sources of an alerted event, as replies in the thread of the alert's message."""
    for item in items:
        if not has_time():
            ctx.report.deferred.append(f"{notifier.channel} reply for {_pair(item.alert)} (deadline)")
            return
        parent = ctx.store.get_delivery(item.alert.parent_id, item.channel)
        if parent is not None and parent.status == "pending":
            continue  # the thread does not exist yet; the next run replies once it does
        claimed = _claim(ctx, item)
        if claimed is None:
            continue
        try:
            if parent is not None and parent.status == "sent" and parent.ref:
                ref = notifier.reply(parent.ref, claimed.alert)
            else:  # no thread to join (the first report was never sent here): a message of its own
                ref = notifier.send(claimed.alert)
        except NotifyError as exc:
            _mark_failed(ctx, claimed, exc)
            if not exc.permanent:
                return
            continue
        _mark_sent(ctx, claimed, ref or "", "thread reply")


def _in_order(alert: Alert, now: datetime) -> tuple[datetime, bool, datetime, str]:
    """Sort key of a pending alert: creation, then its story's publication (undated last)."""
    return (alert.created or now, alert.published is None, alert.published or now, alert.id)
