"""decide_alerts: which sightings of a pair alert, and what state they leave behind."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.changes import Sighting, decide_alerts, feed_health_alert
from alerts.model import PairState
from scraper.model import Hit, Watch

NOW = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
WATCH = Watch(systems=("S-400",), countries=("Turkey",))


def sighting(
    story: str,
    stage: str,
    *,
    role: str = "operator",
    sources: tuple[str, ...] = ("site-a",),
    published: datetime | None = None,
    cluster: str = "",
) -> Sighting:
    hit = Hit(story, "S-400", "Turkey", role, stage, f"Ankara's S-400 story {story} says {stage}.")
    return Sighting(
        hit,
        f"Headline {story}",
        f"https://news.example/{story}",
        "Wire Feed",
        published,
        sources,
        ("S-400", "Ankara"),
        cluster,
    )


def state_at(stage: str, sources: tuple[str, ...] = ("site-a",)) -> PairState:
    state = decide_alerts(None, [sighting("seed", stage, sources=sources)], WATCH, NOW, seeding=True)[0]
    assert state is not None
    return state


def changes(alerts: tuple) -> list[tuple[str, str | None, str]]:
    return [(a.kind, a.old_stage, a.new_stage) for a in alerts]


@pytest.mark.parametrize(
    ("before", "stage", "expected", "stage_after"),
    [
        (None, "deal", [("new", None, "deal")], "deal"),
        (None, "mention", [("new", None, "mention")], "mention"),
        ("talks", "deal", [("stage", "talks", "deal")], "deal"),
        ("deal", "deployment", [("stage", "deal", "deployment")], "deployment"),
        ("deal", "deal", [], "deal"),  # a repeat is recorded, not alerted
        ("delivery", "talks", [], "delivery"),  # a lower stage never moves the pair back
        ("deal", "mention", [], "deal"),
        ("deployment", "cancellation", [("stage", "deployment", "cancellation")], "cancellation"),
        ("cancellation", "cancellation", [], "cancellation"),
        ("cancellation", "talks", [("stage", "cancellation", "talks")], "talks"),  # revival
        ("cancellation", "mention", [], "cancellation"),
    ],
)
def test_stage_table(before: str | None, stage: str, expected: list, stage_after: str) -> None:
    state = state_at(before) if before else None
    new_state, alerts = decide_alerts(state, [sighting("s1", stage)], WATCH, NOW, seeding=False)
    assert changes(alerts) == expected
    assert new_state is not None and new_state.stage == stage_after


def test_only_operator_hits_move_a_pair() -> None:
    state, alerts = decide_alerts(
        None, [sighting("s1", "delivery", role="supplier")], WATCH, NOW, seeding=False
    )
    assert state is None and alerts == ()
    before = state_at("deal")
    after, alerts = decide_alerts(
        before, [sighting("s2", "delivery", role="other")], WATCH, NOW, seeding=False
    )
    assert after == before and alerts == ()


def test_seeding_records_the_backlog_silently() -> None:
    state, alerts = decide_alerts(
        None, [sighting("s1", "talks"), sighting("s2", "delivery")], WATCH, NOW, seeding=True
    )
    assert alerts == ()
    assert state is not None and state.stage == "delivery"
    # After seeding, a repeat of what the backlog said is not news either.
    assert decide_alerts(state, [sighting("s3", "delivery")], WATCH, NOW, seeding=False)[1] == ()


def test_unwatched_pair_updates_state_without_alerts() -> None:
    state, alerts = decide_alerts(None, [sighting("s1", "deal")], None, NOW, seeding=False)
    assert alerts == () and state is not None and state.stage == "deal"


def test_alert_on_filters_kinds() -> None:
    only_stage = Watch(("S-400",), ("Turkey",), alert_on=("stage",))
    state, alerts = decide_alerts(None, [sighting("s1", "talks")], only_stage, NOW, seeding=False)
    assert alerts == ()
    _, alerts = decide_alerts(state, [sighting("s2", "deal")], only_stage, NOW, seeding=False)
    assert changes(alerts) == [("stage", "talks", "deal")]


def test_every_alerts_each_new_story_once() -> None:
    every = Watch(("S-400",), ("Turkey",), alert_on=("new", "stage", "every"))
    state = decide_alerts(None, [sighting("s1", "deal")], every, NOW, seeding=False)[0]
    state, alerts = decide_alerts(state, [sighting("s2", "deal")], every, NOW, seeding=False)
    assert changes(alerts) == [("every", "deal", "deal")]
    # The same story again (a retried run) is not a new story.
    assert decide_alerts(state, [sighting("s2", "deal")], every, NOW, seeding=False)[1] == ()
    # A stage change is one alert, not a stage alert plus an "every" alert.
    _, alerts = decide_alerts(state, [sighting("s3", "delivery")], every, NOW, seeding=False)
    assert changes(alerts) == [("stage", "deal", "delivery")]


def test_every_alerts_one_event_once_however_many_feeds_carry_it() -> None:
    every = Watch(("S-400",), ("Turkey",), alert_on=("new", "stage", "every"))
    copies = [
        sighting("w-1", "deal", sources=("a", "b"), cluster="w-1"),
        sighting("d-1", "deal", sources=("a", "b"), cluster="w-1"),  # another feed's copy
    ]
    state, alerts = decide_alerts(state_at("talks"), copies, every, NOW, seeding=False)
    assert changes(alerts) == [("stage", "talks", "deal")]
    # a copy of the same event in a later run is not a new story either
    late = sighting("x-1", "deal", sources=("a", "b"), cluster="w-1")
    state, alerts = decide_alerts(state, [late], every, NOW + timedelta(hours=1), seeding=False)
    assert alerts == ()
    # another event at the same stage still is
    other = sighting("z-9", "deal", sources=("c",))
    assert changes(decide_alerts(state, [other], every, NOW, seeding=False)[1]) == [("every", "deal", "deal")]


def test_every_counts_a_story_recorded_before_events_were_kept_as_its_own_event() -> None:
    every = Watch(("S-400",), ("Turkey",), alert_on=("new", "stage", "every"))
    state = state_at("deal")  # history step of story "seed", as an older release stored it
    assert state.history[-1].cluster == ""
    copy = sighting("seed-copy", "deal", cluster="seed")
    assert decide_alerts(state, [copy], every, NOW, seeding=False)[1] == ()


def test_an_every_alert_for_a_story_that_leaves_the_pair_where_it_was_is_a_repeat() -> None:
    # A "talks" story after the deal is another report with the pair still at deal, not "deal -> talks".
    only_every = Watch(("S-400",), ("Turkey",), alert_on=("every",))

    def told(alerts: tuple) -> list[tuple[str, str | None, str, bool]]:
        return [(a.kind, a.old_stage, a.new_stage, a.repeat) for a in alerts]

    state, alerts = decide_alerts(None, [sighting("s1", "talks")], only_every, NOW, seeding=False)
    assert told(alerts) == [("every", None, "talks", False)]
    state, alerts = decide_alerts(state, [sighting("s2", "deal")], only_every, NOW, seeding=False)
    assert told(alerts) == [("every", "talks", "deal", False)]  # the pair moved
    state, alerts = decide_alerts(state, [sighting("s3", "talks")], only_every, NOW, seeding=False)
    assert told(alerts) == [("every", "deal", "talks", True)]
    assert state is not None and state.stage == "deal"
    # An older cancellation read late looks like a change by its stages alone; it is a repeat too.
    state, _ = decide_alerts(
        state, [sighting("s4", "delivery", published=NOW)], only_every, NOW, seeding=False
    )
    old = sighting("s5", "cancellation", published=NOW - timedelta(days=1))
    state, alerts = decide_alerts(state, [old], only_every, NOW, seeding=False)
    assert told(alerts) == [("every", "delivery", "cancellation", True)]
    assert state is not None and state.stage == "delivery"


def test_sightings_apply_in_published_order_with_undated_last() -> None:
    t0 = NOW - timedelta(days=3)
    batch = [
        sighting("late", "delivery", published=None),
        sighting("mid", "deal", published=t0 + timedelta(days=1)),
        sighting("early", "talks", published=t0),
    ]
    state, alerts = decide_alerts(None, batch, WATCH, NOW, seeding=False)
    assert changes(alerts) == [
        ("new", None, "talks"),
        ("stage", "talks", "deal"),
        ("stage", "deal", "delivery"),
    ]
    assert state is not None and state.story_id == "late"


def test_alert_ids_are_deterministic_and_distinct() -> None:
    first = decide_alerts(state_at("deal"), [sighting("s1", "delivery")], WATCH, NOW, seeding=False)[1]
    again = decide_alerts(
        state_at("deal"), [sighting("s1", "delivery")], WATCH, NOW + timedelta(hours=1), seeding=False
    )[1]
    other = decide_alerts(state_at("deal"), [sighting("s2", "delivery")], WATCH, NOW, seeding=False)[1]
    assert first[0].id == again[0].id
    assert first[0].id != other[0].id
    assert len(first[0].id) == 64


def test_a_retried_run_over_saved_state_sends_nothing_new() -> None:
    state, alerts = decide_alerts(state_at("deal"), [sighting("s1", "delivery")], WATCH, NOW, seeding=False)
    assert len(alerts) == 1
    assert decide_alerts(state, [sighting("s1", "delivery")], WATCH, NOW, seeding=False)[1] == ()


def test_old_story_cannot_revive_a_cancelled_pair() -> None:
    cancelled_at = NOW - timedelta(days=1)
    state = decide_alerts(
        None, [sighting("c", "cancellation", published=cancelled_at)], WATCH, NOW, seeding=True
    )[0]
    older = sighting("old", "deal", published=cancelled_at - timedelta(days=30))
    state2, alerts = decide_alerts(state, [older], WATCH, NOW, seeding=False)
    assert alerts == () and state2 is not None and state2.stage == "cancellation"
    newer = sighting("new", "talks", published=cancelled_at + timedelta(hours=2))
    assert changes(decide_alerts(state, [newer], WATCH, NOW, seeding=False)[1]) == [
        ("stage", "cancellation", "talks")
    ]


def test_an_older_cancellation_read_late_does_not_cancel_a_newer_deal() -> None:
    signed_at = NOW - timedelta(days=1)
    state = decide_alerts(None, [sighting("d", "deal", published=signed_at)], WATCH, NOW, seeding=True)[0]
    older = sighting("old", "cancellation", published=signed_at - timedelta(days=30))
    state2, alerts = decide_alerts(state, [older], WATCH, NOW, seeding=False)
    assert alerts == () and state2 is not None and state2.stage == "deal"
    newer = sighting("new", "cancellation", published=signed_at + timedelta(hours=2))
    assert changes(decide_alerts(state, [newer], WATCH, NOW, seeding=False)[1]) == [
        ("stage", "deal", "cancellation")
    ]
    undated = sighting("undated", "cancellation")
    assert changes(decide_alerts(state, [undated], WATCH, NOW, seeding=False)[1]) == [
        ("stage", "deal", "cancellation")
    ]


MIN2 = Watch(("S-400",), ("Turkey",), min_sources=2)


def test_min_sources_holds_a_delivery_then_fires_once_on_the_second_source() -> None:
    state = decide_alerts(None, [sighting("s0", "deal")], MIN2, NOW, seeding=False)[0]
    state, alerts = decide_alerts(
        state, [sighting("s1", "delivery", sources=("site-a",))], MIN2, NOW, seeding=False
    )
    assert alerts == ()
    assert state is not None and state.stage == "deal"  # not the pair's stage until confirmed
    assert state.held is not None and state.held.new_stage == "delivery"
    # The same site again does not corroborate.
    state, alerts = decide_alerts(
        state, [sighting("s2", "delivery", sources=("site-a",))], MIN2, NOW, seeding=False
    )
    assert alerts == ()
    later = NOW + timedelta(hours=2)
    state, alerts = decide_alerts(
        state, [sighting("s3", "delivery", sources=("site-b",))], MIN2, later, seeding=False
    )
    assert changes(alerts) == [("stage", "deal", "delivery")]
    assert alerts[0].note == "confirmed by a second source"
    assert set(alerts[0].sources) == {"site-a", "site-b"}
    assert alerts[0].title == "Headline s1"  # the story that first reported it
    assert state is not None and state.stage == "delivery" and state.held is None
    # A third source is a repeat: nothing fires again.
    _, alerts = decide_alerts(
        state, [sighting("s4", "delivery", sources=("site-c",))], MIN2, later, seeding=False
    )
    assert alerts == ()


def test_min_sources_met_by_one_cluster_alerts_at_once() -> None:
    _, alerts = decide_alerts(
        state_at("deal"), [sighting("s1", "delivery", sources=("a", "b"))], MIN2, NOW, seeding=False
    )
    assert changes(alerts) == [("stage", "deal", "delivery")] and alerts[0].note == ""


def test_min_sources_does_not_hold_talks_or_cancellation() -> None:
    _, alerts = decide_alerts(state_at("deal"), [sighting("s1", "cancellation")], MIN2, NOW, seeding=False)
    assert changes(alerts) == [("stage", "deal", "cancellation")]


def test_unconfirmed_first_sighting_holds_the_new_alert() -> None:
    state, alerts = decide_alerts(None, [sighting("s1", "delivery")], MIN2, NOW, seeding=False)
    assert alerts == () and state is not None and state.stage == "mention"
    _, alerts = decide_alerts(
        state, [sighting("s2", "delivery", sources=("site-b",))], MIN2, NOW, seeding=False
    )
    assert changes(alerts) == [("new", None, "delivery")]
    assert alerts[0].note == "confirmed by a second source"


def test_report_sources_emits_an_also_reported_follow_up() -> None:
    state, first = decide_alerts(
        state_at("talks"), [sighting("s1", "deal", sources=("a",))], WATCH, NOW, seeding=False
    )
    state, alerts = decide_alerts(
        state, [sighting("s1", "deal", sources=("a", "b"))], WATCH, NOW, seeding=False, report_sources=True
    )
    assert [a.kind for a in alerts] == ["also_reported"]
    assert alerts[0].parent_id == first[0].id
    assert alerts[0].source == "b"  # the site new to the event, not the feed that carried it ("Wire Feed")
    assert state is not None and set(state.sources) == {"a", "b"}
    assert (
        decide_alerts(
            state,
            [sighting("s1", "deal", sources=("a", "b"))],
            WATCH,
            NOW,
            seeding=False,
            report_sources=True,
        )[1]
        == ()
    )


def test_another_event_at_the_current_stage_is_recorded_not_followed_up() -> None:
    state, first = decide_alerts(
        state_at("talks"), [sighting("s1", "deal", sources=("a",))], WATCH, NOW, seeding=False
    )
    assert changes(first) == [("stage", "talks", "deal")]
    weeks_later = sighting("s2", "deal", sources=("b",), published=NOW + timedelta(days=20))
    state, alerts = decide_alerts(state, [weeks_later], WATCH, NOW, seeding=False, report_sources=True)
    assert alerts == ()
    assert state is not None and state.story_id == "s2" and "b" in state.sources


def test_a_stage_set_while_seeding_has_no_alert_to_follow_up() -> None:
    only_new = Watch(("S-400",), ("Turkey",), alert_on=("new",))
    state, _ = decide_alerts(None, [sighting("seed", "deal", sources=("a",))], only_new, NOW, seeding=True)
    assert state is not None and state.alert_id == ""
    copy = sighting("seed-copy", "deal", sources=("a", "b"), cluster="seed")  # the same event, a new site
    assert decide_alerts(state, [copy], only_new, NOW, seeding=False, report_sources=True)[1] == ()


def test_a_change_the_watch_does_not_alert_on_has_no_follow_ups() -> None:
    only_new = Watch(("S-400",), ("Turkey",), alert_on=("new",))
    state, first = decide_alerts(None, [sighting("s1", "talks")], only_new, NOW, seeding=False)
    assert changes(first) == [("new", None, "talks")]
    state, alerts = decide_alerts(
        state, [sighting("s2", "deal", sources=("a",))], only_new, NOW, seeding=False
    )
    assert alerts == () and state is not None and state.stage == "deal"
    copy = sighting("s2-copy", "deal", sources=("a", "b"), cluster="s2")
    assert decide_alerts(state, [copy], only_new, NOW, seeding=False, report_sources=True)[1] == ()


def test_a_follow_up_hangs_off_the_alert_that_was_sent() -> None:
    only_every = Watch(("S-400",), ("Turkey",), alert_on=("every",))
    state, first = decide_alerts(
        None, [sighting("s1", "deal", sources=("a",))], only_every, NOW, seeding=False
    )
    assert [a.kind for a in first] == ["every"]
    copy = sighting("s1-copy", "deal", sources=("a", "b"), cluster="s1")
    _, alerts = decide_alerts(state, [copy], only_every, NOW, seeding=False, report_sources=True)
    assert [a.kind for a in alerts] == ["also_reported"] and alerts[0].parent_id == first[0].id


def test_history_is_bounded() -> None:
    state: PairState | None = state_at("deal")
    for n in range(80):
        state = decide_alerts(state, [sighting(f"r{n}", "deal")], WATCH, NOW, seeding=False)[0]
    assert state is not None and len(state.history) == 50 and state.history[-1].story_id == "r79"


def test_feed_health_alert_ids_are_per_outage() -> None:
    since = NOW - timedelta(hours=5)
    failing = feed_health_alert("https://f.example/rss", "F", 5, since, False, NOW, error="HTTP 500")
    again = feed_health_alert("https://f.example/rss", "F", 6, since, False, NOW + timedelta(hours=1))
    recovered = feed_health_alert("https://f.example/rss", "F", 6, since, True, NOW + timedelta(hours=2))
    next_outage = feed_health_alert("https://f.example/rss", "F", 5, NOW, False, NOW)
    assert failing.kind == "feed_failing" and recovered.kind == "feed_recovered"
    assert failing.id == again.id
    assert len({failing.id, recovered.id, next_outage.id}) == 3
    assert "HTTP 500" in failing.evidence


STAGE_LIST = ["mention", "talks", "deal", "delivery", "deployment", "cancellation"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(STAGE_LIST), st.sampled_from(["a", "b", "c"])), min_size=1, max_size=12
    ),
    st.integers(min_value=1, max_value=3),
)
def test_at_most_one_alert_per_story_and_no_repeat_alerts(
    steps: list[tuple[str, str]], min_sources: int
) -> None:
    watch = Watch(("S-400",), ("Turkey",), min_sources=min_sources)
    state: PairState | None = None
    seen: set[str] = set()
    for n, (stage, site) in enumerate(steps):
        state, alerts = decide_alerts(
            state, [sighting(f"s{n}", stage, sources=(site,))], watch, NOW, seeding=False
        )
        assert len(alerts) <= 2  # a confirmed held alert plus this story's own change at most
        for alert in alerts:
            assert alert.id not in seen
            seen.add(alert.id)
            if alert.kind == "stage" and alert.old_stage != "cancellation":
                assert alert.new_stage == "cancellation" or (
                    STAGE_LIST.index(alert.new_stage) > STAGE_LIST.index(alert.old_stage or "mention")
                )
        # Replaying the same story changes nothing and alerts nothing.
        again, repeat = decide_alerts(
            state, [sighting(f"s{n}", stage, sources=(site,))], watch, NOW, seeding=False
        )
        assert repeat == () and again == state


def test_a_seeding_feed_that_confirms_a_held_alert_sends_it() -> None:
    # A hold decided in a live run is an alert waiting for its second site; a newly added feed whose backlog
    # carries that site's report confirms it. Its first run sends nothing of its own, but the hold goes out.
    held = decide_alerts(
        state_at("deal"), [sighting("s1", "delivery", sources=("site-a",))], MIN2, NOW, seeding=False
    )[0]
    state, alerts = decide_alerts(
        held, [sighting("s2", "delivery", sources=("site-b",))], MIN2, NOW, seeding=True
    )
    assert changes(alerts) == [("stage", "deal", "delivery")]
    assert alerts[0].note == "confirmed by a second source" and alerts[0].title == "Headline s1"
    assert state is not None and state.stage == "delivery" and state.held is None
    assert state.alert_id == alerts[0].id  # a later source of the event follows it up


def test_a_seeding_feed_from_the_same_site_keeps_the_hold() -> None:
    held = decide_alerts(
        state_at("deal"), [sighting("s1", "delivery", sources=("site-a",))], MIN2, NOW, seeding=False
    )[0]
    for stage in ("delivery", "deployment"):
        state, alerts = decide_alerts(
            held, [sighting("s2", stage, sources=("site-a",))], MIN2, NOW, seeding=True
        )
        assert alerts == ()
        assert state is not None and state.held is not None and state.held.new_stage == "delivery"
        assert state.stage == "deal"  # the seeded report waits with the hold, not past it
    # and the second site, later, still fires the hold once
    state, _ = decide_alerts(held, [sighting("s2", "delivery", sources=("site-a",))], MIN2, NOW, seeding=True)
    _, alerts = decide_alerts(
        state, [sighting("s3", "delivery", sources=("site-b",))], MIN2, NOW, seeding=False
    )
    assert changes(alerts) == [("stage", "deal", "delivery")]


def test_a_hold_released_by_a_lowered_min_sources_does_not_claim_a_confirmation() -> None:
    held = decide_alerts(
        state_at("deal"), [sighting("s1", "delivery", sources=("site-a",))], MIN2, NOW, seeding=False
    )[0]
    _, alerts = decide_alerts(
        held, [sighting("s2", "delivery", sources=("site-a",))], WATCH, NOW, seeding=False
    )
    assert changes(alerts) == [("stage", "deal", "delivery")]
    assert "confirmed" not in alerts[0].note and "1 independent sources" not in alerts[0].note


def test_a_story_dated_in_the_future_does_not_hide_a_later_cancellation_or_revival() -> None:
    # A feed's clock or zone is wrong ("IST" read as UTC): the deal seems to come hours after anything read
    # meanwhile. Compared with what the run reads later, no date counts past the time it was read.
    state = decide_alerts(
        None, [sighting("d", "deal", published=NOW + timedelta(hours=6))], WATCH, NOW, seeding=False
    )[0]
    later = NOW + timedelta(hours=1)
    cancel = sighting("c", "cancellation", published=later + timedelta(hours=1))
    state, alerts = decide_alerts(state, [cancel], WATCH, later, seeding=False)
    assert changes(alerts) == [("stage", "deal", "cancellation")]
    revived = sighting("r", "deal", published=later + timedelta(minutes=30))
    _, alerts = decide_alerts(state, [revived], WATCH, later + timedelta(hours=1), seeding=False)
    assert changes(alerts) == [("stage", "cancellation", "deal")]


def test_an_older_cancellation_after_a_mere_mention_alerts() -> None:
    # "that later report says the deal outlived it" needs a report of a deal (or talks); a mention says nothing
    state = decide_alerts(None, [sighting("m", "mention", published=NOW)], WATCH, NOW, seeding=False)[0]
    old = sighting("c", "cancellation", published=NOW - timedelta(days=1))
    state, alerts = decide_alerts(state, [old], WATCH, NOW + timedelta(hours=1), seeding=False)
    assert changes(alerts) == [("stage", "mention", "cancellation")]
    assert state is not None and state.stage == "cancellation"


def test_the_latest_story_is_not_an_older_report_at_a_lower_stage() -> None:
    state = decide_alerts(None, [sighting("d", "deal", published=NOW)], WATCH, NOW, seeding=False)[0]
    # a delivery dated the day before, read after the deal, moves the pair: its story is the latest
    state = decide_alerts(
        state, [sighting("v", "delivery", published=NOW - timedelta(days=1))], WATCH, NOW, seeding=False
    )[0]
    assert state is not None and (state.stage, state.story_id, state.title) == ("delivery", "v", "Headline v")
    # a year-old talks story changes nothing, and is not shown as the pair's latest story
    state = decide_alerts(
        state, [sighting("t", "talks", published=NOW - timedelta(days=400))], WATCH, NOW, seeding=False
    )[0]
    assert state is not None and (state.stage, state.story_id) == ("delivery", "v")
    # a newer report is
    state = decide_alerts(
        state,
        [sighting("n", "talks", published=NOW + timedelta(minutes=1))],
        WATCH,
        NOW + timedelta(hours=1),
        seeding=False,
    )[0]
    assert state is not None and (state.stage, state.story_id) == ("delivery", "n")


def test_a_future_date_stored_before_it_counts_as_the_run_time() -> None:
    deal = decide_alerts(None, [sighting("d", "deal", published=NOW)], WATCH, NOW, seeding=False)[0]
    assert deal is not None
    stored = dataclasses.replace(deal, published=NOW + timedelta(days=3650))  # kept by an older build
    cancel = sighting("c", "cancellation", published=NOW + timedelta(minutes=30))
    _, alerts = decide_alerts(stored, [cancel], WATCH, NOW + timedelta(hours=1), seeding=False)
    assert changes(alerts) == [("stage", "deal", "cancellation")]


def test_the_latest_story_stays_the_newest_report_though_it_set_no_stage() -> None:
    day = timedelta(days=1)
    state = decide_alerts(None, [sighting("d", "deal", published=NOW - 10 * day)], WATCH, NOW, seeding=False)[
        0
    ]
    state = decide_alerts(state, [sighting("t1", "talks", published=NOW - day)], WATCH, NOW, seeding=False)[0]
    assert state is not None and state.story_id == "t1"  # the newest report, at a lower stage
    state = decide_alerts(
        state, [sighting("t5", "talks", published=NOW - 5 * day)], WATCH, NOW, seeding=False
    )[0]
    assert state is not None and (state.stage, state.story_id) == (
        "deal",
        "t1",
    )  # not the older one read late


def test_an_undated_cancellation_is_not_revived_by_an_older_story() -> None:
    day = timedelta(days=1)
    state = decide_alerts(None, [sighting("d", "deal", published=NOW - 10 * day)], WATCH, NOW, seeding=False)[
        0
    ]
    state, alerts = decide_alerts(
        state, [sighting("c", "cancellation")], WATCH, NOW, seeding=False
    )  # undated
    assert changes(alerts) == [("stage", "deal", "cancellation")]
    old = sighting(
        "old", "delivery", published=NOW - 4 * day
    )  # read after the cancellation, published before
    state2, alerts = decide_alerts(state, [old], WATCH, NOW + day, seeding=False)
    assert alerts == () and state2 is not None and state2.stage == "cancellation"
    newer = sighting("new", "deal", published=NOW + day / 2)
    assert changes(decide_alerts(state, [newer], WATCH, NOW + day, seeding=False)[1]) == [
        ("stage", "cancellation", "deal")
    ]


def test_a_dated_cancellation_after_an_undated_deal_still_alerts() -> None:
    state = decide_alerts(None, [sighting("d", "deal")], WATCH, NOW, seeding=False)[
        0
    ]  # undated (a listing page)
    old = sighting("c", "cancellation", published=NOW - timedelta(days=1))  # which came first is unknown
    assert changes(decide_alerts(state, [old], WATCH, NOW + timedelta(hours=1), seeding=False)[1]) == [
        ("stage", "deal", "cancellation")
    ]


def _edited(story: str, stage: str, **kwargs: Any) -> Sighting:
    return dataclasses.replace(sighting(story, stage, **kwargs), edited=True)


def test_a_held_alert_whose_story_is_corrected_in_place_is_dropped_not_confirmed() -> None:
    held = decide_alerts(
        state_at("talks"), [sighting("w", "delivery", sources=("a",))], MIN2, NOW, seeding=False
    )[0]
    assert held is not None and held.held is not None
    # the wire corrects its item: the same story now denies the delivery (no stage asserted)
    state, alerts = decide_alerts(held, [_edited("w", "mention", sources=("a",))], MIN2, NOW, seeding=False)
    assert alerts == () and state is not None and state.held is None and state.stage == "talks"
    # a copy of the first version on another site is one source again, not a confirmation
    state, alerts = decide_alerts(
        state, [sighting("x", "delivery", sources=("b",))], MIN2, NOW, seeding=False
    )
    assert alerts == () and state is not None and state.held is not None and state.held.story_id == "x"


def test_a_held_alert_whose_story_is_updated_in_place_shows_it_as_it_now_reads() -> None:
    held = decide_alerts(
        state_at("talks"), [sighting("w", "delivery", sources=("a",))], MIN2, NOW, seeding=False
    )[0]
    update = dataclasses.replace(
        _edited("w", "delivery", sources=("a",)), title="UPDATE 1-Second batch arrives"
    )
    state, _ = decide_alerts(held, [update], MIN2, NOW + timedelta(hours=1), seeding=False)
    _, alerts = decide_alerts(state, [sighting("x", "delivery", sources=("b",))], MIN2, NOW, seeding=False)
    assert changes(alerts) == [("stage", "talks", "delivery")]
    assert alerts[0].title == "UPDATE 1-Second batch arrives"
