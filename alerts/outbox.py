"""Deliver the outbox: claim each (alert, channel), send, mark sent.

An alert is enqueued atomically with the pair state that caused it (Store.commit_pair), so
nothing decided is lost. Delivery takes a lease first: a run that dies between claim and
send leaves the lease to expire, and the next run sends the alert. Each channel succeeds or
fails on its own; a delivery that keeps failing is given up after ``max_attempts`` and
reported, not retried forever.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from alerts.model import OutboxItem
from alerts.notify import Notifier
from alerts.schedule import plan_sends
from alerts.store import Store
from scraper.errors import NotifyError, StoreError
from scraper.model import AlertSettings
from scraper.report import AlertOutcome, RunReport

log = logging.getLogger("watch.outbox")


def _pair(item: OutboxItem) -> str:
    alert = item.alert
    if alert.kind.startswith("feed_"):
        return alert.source or alert.url
    return f"{alert.system} x {alert.country}"


def _change(item: OutboxItem) -> str:
    alert = item.alert
    if alert.kind.startswith("feed_"):
        return alert.kind.removeprefix("feed_")
    if alert.old_stage:
        return f"{alert.old_stage} -> {alert.new_stage}"
    return f"{alert.kind}: {alert.new_stage}"


def _outcome(item: OutboxItem, status: str, error: str = "") -> AlertOutcome:
    return AlertOutcome(
        alert_id=item.alert.id,
        kind=item.alert.kind,
        pair=_pair(item),
        change=_change(item),
        channel=item.channel,
        status=status,
        title=item.alert.title,
        error=error,
    )


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
) -> None:
    """Send every pending delivery of every configured channel, each channel on its own."""
    for channel, notifier in notifiers.items():
        try:
            pending = store.pending_deliveries(channel)
        except StoreError as exc:
            report.notes.append(f"{channel}: could not read the outbox: {exc}")
            continue
        if not pending:
            continue
        pending.sort(key=lambda item: (item.alert.created or now, item.alert.id))
        by_id = {item.alert.id: item for item in pending}
        plan = plan_sends([item.alert for item in pending], settings, channel, now)
        for alert in plan.held:
            report.alerts.append(_outcome(by_id[alert.id], "held", "quiet hours"))
        if plan.digest:
            _send_digest(store, notifier, [by_id[a.id] for a in plan.digest], settings,
                         run_id=run_id, now=now, lease_seconds=lease_seconds, has_time=has_time,
                         report=report)
        for alert in plan.individual:
            if not has_time():
                report.deferred.append(f"{channel} delivery of {_pair(by_id[alert.id])} (deadline)")
                continue
            if not _send_one(store, notifier, by_id[alert.id], settings, run_id=run_id, now=now,
                             lease_seconds=lease_seconds, report=report):
                # Rate limited or unreachable: leave the rest pending for the next run.
                remaining = plan.individual[plan.individual.index(alert) + 1 :]
                for later in remaining:
                    report.alerts.append(_outcome(by_id[later.id], "retry", "channel unavailable"))
                break


def _claim(store: Store, item: OutboxItem, run_id: str, now: datetime,
           lease_seconds: float) -> OutboxItem | None:
    return store.claim_delivery(item.alert.id, item.channel, run_id, now, lease_seconds)


def _send_one(store: Store, notifier: Notifier, item: OutboxItem, settings: AlertSettings, *,
              run_id: str, now: datetime, lease_seconds: float, report: RunReport) -> bool:
    """Send one delivery; False when the channel should not be tried again this run."""
    claimed = _claim(store, item, run_id, now, lease_seconds)
    if claimed is None:
        return True  # another run holds it, or it was sent meanwhile
    try:
        ref = notifier.send(claimed.alert)
    except NotifyError as exc:
        give_up = exc.permanent or claimed.attempts >= settings.max_attempts
        store.mark_failed(claimed.alert.id, claimed.channel, exc.reason, now, give_up=give_up)
        report.alerts.append(_outcome(claimed, "failed" if give_up else "retry", exc.reason))
        log.warning("alert %s via %s failed: %s", claimed.alert.id[:12], claimed.channel, exc.reason)
        return exc.permanent  # transient: stop this channel for now; permanent: go on with the next
    store.mark_sent(claimed.alert.id, claimed.channel, now, ref=ref or "")
    report.alerts.append(_outcome(claimed, "sent"))
    return True


def _send_digest(store: Store, notifier: Notifier, items: Sequence[OutboxItem], settings: AlertSettings,
                 *, run_id: str, now: datetime, lease_seconds: float, has_time: Callable[[], bool],
                 report: RunReport) -> None:
    if not has_time():
        report.deferred.append(f"{notifier.channel} digest of {len(items)} alerts (deadline)")
        return
    claimed = [c for c in (_claim(store, item, run_id, now, lease_seconds) for item in items) if c]
    if not claimed:
        return
    try:
        ref = notifier.send_digest([c.alert for c in claimed])
    except NotifyError as exc:
        for item in claimed:
            give_up = exc.permanent or item.attempts >= settings.max_attempts
            store.mark_failed(item.alert.id, item.channel, exc.reason, now, give_up=give_up)
            report.alerts.append(_outcome(item, "failed" if give_up else "retry", exc.reason))
        return
    for item in claimed:
        store.mark_sent(item.alert.id, item.channel, now, ref=ref or "")
        report.alerts.append(_outcome(item, "sent", "in digest"))
