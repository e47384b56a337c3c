"""Plan one channel's pending alerts: send each, send one digest, or hold for quiet hours (pure).

Held alerts are not dropped: they stay pending in the outbox, and the first run after the
quiet window releases everything that waited as one digest (a lone alert goes as itself).
Outside quiet hours, more than ``digest_after`` alerts in one run become one digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerts.model import Alert
from scraper.errors import ConfigError
from scraper.model import AlertSettings, QuietHours


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do with a channel's pending alerts in this run."""

    individual: tuple[Alert, ...] = ()
    digest: tuple[Alert, ...] = ()
    held: tuple[Alert, ...] = ()


def _clock(text: str, field: str) -> time:
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        if hours == 24 and minutes == 0:
            return time(0, 0)
        return time(hours, minutes)
    except ValueError as exc:
        raise ConfigError(f"quiet_hours.{field} must be HH:MM, got {text!r}") from exc


def in_quiet_hours(window: QuietHours, at: datetime) -> bool:
    """Whether ``at`` falls in the daily window (in the window's time zone; start inclusive,
    end exclusive; an end before the start spans midnight; start == end is no window)."""
    try:
        zone = ZoneInfo(window.tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"quiet_hours.tz is not a known time zone: {window.tz!r}") from exc
    start, end = _clock(window.start, "start"), _clock(window.end, "end")
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    local = at.astimezone(zone).time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def _windows(settings: AlertSettings, channel: str) -> tuple[QuietHours, ...]:
    return tuple(w for w in settings.quiet_hours if w.channel in (channel, "*", "all"))


def plan_sends(items: Sequence[Alert], settings: AlertSettings, channel: str, now: datetime) -> Plan:
    """Split one channel's pending alerts into individual sends, one digest, or held."""
    if not items:
        return Plan()
    windows = _windows(settings, channel)
    if any(in_quiet_hours(w, now) for w in windows):
        return Plan(held=tuple(items))
    # An alert created inside a quiet window waited for it to end: release the lot together.
    released = any(
        a.created is not None and any(in_quiet_hours(w, a.created) for w in windows) for a in items
    )
    if len(items) > settings.digest_after or (released and len(items) > 1):
        return Plan(digest=tuple(items))
    return Plan(individual=tuple(items))
