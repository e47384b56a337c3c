"""The run report: what every feed and every alert came to in one run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime


@dataclass(slots=True)
class FeedOutcome:
    name: str
    url: str
    status: str  # new | not_modified | unchanged | error | deferred
    stories: int = 0  # stories in the feed
    new_stories: int = 0
    updated_stories: int = 0  # stored stories listed with another headline or summary, read again
    hits: int = 0
    error: str = ""
    requests: int = 0
    bytes: int = 0


@dataclass(slots=True)
class AlertOutcome:
    alert_id: str
    kind: str
    pair: str
    change: str
    channel: str
    status: str  # sent | failed | retry | blocked (the channel refuses everything) | held | dry-run
    title: str = ""
    error: str = ""


@dataclass(slots=True)
class RunReport:
    run_id: str
    started: datetime
    finished: datetime | None = None
    skipped: str = ""  # non-empty when the run did nothing on purpose (duplicate event)
    feeds: list[FeedOutcome] = field(default_factory=list)
    stories_new: int = 0
    hits: list[dict[str, str]] = field(default_factory=list)
    alerts: list[AlertOutcome] = field(default_factory=list)
    seeded: list[str] = field(default_factory=list)  # feeds whose backlog was seeded silently
    deferred: list[str] = field(default_factory=list)  # work left for the next run
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False  # nothing was stored or sent

    @property
    def failed_feeds(self) -> list[FeedOutcome]:
        return [f for f in self.feeds if f.status == "error"]

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["started"] = self.started.isoformat()
        data["finished"] = self.finished.isoformat() if self.finished else None
        data["summary"] = self.summary()
        return data

    def summary(self) -> str:
        return (
            f"{len(self.feeds)} sources ({len(self.failed_feeds)} failed), {self.stories_new} new stories, "
            f"{len(self.hits)} hits, {self._sent()}"
            + (f", {len(self.deferred)} deferred" if self.deferred else "")
        )

    def _sent(self) -> str:
        """ "3 alerts sent (6 deliveries)": alerts, not (alert, channel) deliveries (three alerts over Slack
        and email read "6 alerts sent"); later sources ("also reported by") are counted apart."""
        sent = [a for a in self.alerts if a.status == "sent"]
        alerts = len({a.alert_id for a in sent if a.kind != "also_reported"})
        more = len({a.alert_id for a in sent if a.kind == "also_reported"})
        text = counted(alerts, "alert") + (f" and {counted(more, 'more report')}" if more else "") + " sent"
        return text + (f" ({counted(len(sent), 'delivery')})" if len(sent) != alerts + more else "")

    def to_text(self) -> str:
        lines = [f"Run {self.run_id} at {self.started:%Y-%m-%d %H:%M:%S} UTC"]
        if self.skipped:
            lines.append(f"  skipped: {self.skipped}")
        for feed in self.feeds:
            updated = f", {feed.updated_stories} updated" if feed.updated_stories else ""
            detail = f"{feed.stories} stories, {feed.new_stories} new{updated}, {feed.hits} hits"
            if feed.status == "error":
                detail = f"ERROR {feed.error}"
            elif feed.status in ("not_modified", "unchanged", "deferred"):
                detail = feed.status.replace("_", " ") + (f" ({feed.error})" if feed.error else "")
            lines.append(f"  feed {feed.name}: {detail}")
        if self.seeded:
            stored = (
                "read without alerts (a dry run: nothing stored)"
                if self.dry_run
                else "stored without alerts of its own (a held alert it confirms is sent)"
            )
            lines.append(f"  first run of {', '.join(self.seeded)}: backlog {stored}")
        for alert in self.alerts:
            extra = f" ({alert.error})" if alert.error else ""
            lines.append(f"  alert {alert.pair} {alert.change} via {alert.channel}: {alert.status}{extra}")
        for item in self.deferred:
            lines.append(f"  deferred: {item}")
        for note in self.notes:
            lines.append(f"  note: {note}")
        lines.append(f"  => {self.summary()}")
        return "\n".join(lines)


def counted(count: int, noun: str) -> str:
    """ "1 alert", "2 alerts", "6 deliveries"."""
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"
