"""plan_sends: individual sends, one digest, or held for quiet hours."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from alerts.model import Alert
from alerts.schedule import in_quiet_hours, plan_sends
from scraper.errors import ConfigError
from scraper.model import AlertSettings, QuietHours

BASE = Alert(
    id="0",
    kind="stage",
    system="S-400",
    country="Turkey",
    old_stage="deal",
    new_stage="delivery",
    title="t",
    url="https://news.example/a",
    source="Wire",
    published=None,
    evidence="e",
)
NIGHT = QuietHours(channel="slack", start="22:00", end="07:00", tz="Europe/Berlin")


def alerts(n: int, created: datetime | None = None) -> list[Alert]:
    return [dataclasses.replace(BASE, id=str(i), created=created) for i in range(n)]


def at(hour: int, minute: int = 0) -> datetime:
    """A June day in Berlin (UTC+2), given in Berlin local time."""
    return datetime(2024, 6, 3, hour, minute, tzinfo=UTC) - timedelta(hours=2)


def test_few_alerts_go_individually_many_as_one_digest() -> None:
    settings = AlertSettings(digest_after=5)
    now = at(12)
    assert len(plan_sends(alerts(5), settings, "slack", now).individual) == 5
    plan = plan_sends(alerts(12), settings, "slack", now)
    assert len(plan.digest) == 12 and plan.individual == () and plan.held == ()
    assert plan_sends([], settings, "slack", now) == plan_sends([], settings, "email", now)


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [
        (21, 59, False),
        (22, 0, True),
        (23, 30, True),
        (0, 0, True),
        (6, 59, True),
        (7, 0, False),
        (12, 0, False),
    ],
)
def test_overnight_window_in_its_time_zone(hour: int, minute: int, quiet: bool) -> None:
    assert in_quiet_hours(NIGHT, at(hour, minute)) is quiet


def test_daytime_window_and_empty_window() -> None:
    lunch = QuietHours(channel="email", start="12:00", end="13:00")
    assert in_quiet_hours(lunch, datetime(2024, 6, 3, 12, 30, tzinfo=UTC))
    assert not in_quiet_hours(lunch, datetime(2024, 6, 3, 13, 0, tzinfo=UTC))
    assert not in_quiet_hours(QuietHours("email", "08:00", "08:00"), datetime(2024, 6, 3, 8, 0, tzinfo=UTC))


def test_quiet_hours_hold_only_their_channel() -> None:
    settings = AlertSettings(quiet_hours=(NIGHT,))
    assert len(plan_sends(alerts(2), settings, "slack", at(23)).held) == 2
    assert len(plan_sends(alerts(2), settings, "email", at(23)).individual) == 2


def test_held_alerts_are_released_as_one_digest_after_the_window() -> None:
    settings = AlertSettings(quiet_hours=(NIGHT,), digest_after=5)
    waiting = alerts(3, created=at(23, 15))
    assert len(plan_sends(waiting, settings, "slack", at(3)).held) == 3
    plan = plan_sends(waiting, settings, "slack", at(7, 5))
    assert len(plan.digest) == 3 and plan.individual == ()
    # Without the quiet night, three alerts would have gone one by one.
    assert len(plan_sends(alerts(3, created=at(12)), settings, "slack", at(12, 5)).individual) == 3


def test_a_single_held_alert_is_released_as_itself() -> None:
    settings = AlertSettings(quiet_hours=(NIGHT,))
    assert len(plan_sends(alerts(1, created=at(23)), settings, "slack", at(8)).individual) == 1


@pytest.mark.parametrize(
    "window",
    [
        QuietHours("slack", "25:00", "07:00"),
        QuietHours("slack", "22", "07:00"),
        QuietHours("slack", "22:00", "07:00", tz="Mars/Olympus"),
    ],
)
def test_bad_windows_are_config_errors(window: QuietHours) -> None:
    with pytest.raises(ConfigError):
        plan_sends(alerts(1), AlertSettings(quiet_hours=(window,)), "slack", at(12))
