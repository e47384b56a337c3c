"""One contract, two stores: every test runs on SqliteStore (a temp file) and on DynamoStore
(moto's server on loopback). What a run relies on must hold on both."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alerts.codec import format_time, from_plain, parse_time, to_plain
from alerts.model import FEED_STATE_SCHEMA, Alert, FeedState, PairState, StageChange, StoryRecord
from alerts.store import Store
from alerts.store_dynamo import DynamoStore, create_table
from alerts.store_sqlite import SqliteStore
from scraper.errors import StoreError
from scraper.model import Hit

NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "dynamo"])
def store(request: pytest.FixtureRequest, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    if request.param == "sqlite":
        sqlite = SqliteStore(str(tmp_path / "state" / "watch.db"))
        yield sqlite
        sqlite.close()
        return
    request.getfixturevalue("aws_env")  # dummy credentials and region for boto3
    monkeypatch.setenv("AWS_ENDPOINT_URL", request.getfixturevalue("atomic_moto"))
    import boto3

    client = boto3.client("dynamodb")  # no endpoint here: AWS_ENDPOINT_URL points it at moto
    table = f"watch-{uuid.uuid4().hex[:12]}"
    create_table(client, table)
    yield DynamoStore(table, client, base_delay=0.001)
    client.delete_table(TableName=table)


def story(story_id: str, first_seen: datetime = NOW, **changes: Any) -> StoryRecord:
    fields: dict[str, Any] = {
        "id": story_id,
        "url": f"https://news.example/{story_id}",
        "title": f"Headline for {story_id}",
        "feeds": ("Defense Wire",),
        "first_seen": first_seen,
    }
    return StoryRecord(**(fields | changes))


def alert(alert_id: str = "a1", **changes: Any) -> Alert:
    fields: dict[str, Any] = {
        "id": alert_id,
        "kind": "stage",
        "system": "S-400",
        "country": "Turkey",
        "old_stage": "deal",
        "new_stage": "delivery",
        "title": "First S-400 battery lands at Murted air base",
        "url": "https://news.example/s400-murted",
        "source": "Defense Wire",
        "published": NOW - timedelta(hours=2),
        "evidence": "The first battery was flown into Murted on Friday, officials said.",
        "names": ("S-400", "Turkey"),
        "sources": ("news.example", "wire.example"),
        "channels": ("slack", "email"),
        "created": NOW,
        "note": "",
        "story_id": "s400-murted",
    }
    return Alert(**(fields | changes))


def pair(system: str = "S-400", country: str = "Turkey", stage: str = "deal", **changes: Any) -> PairState:
    fields: dict[str, Any] = {
        "system": system,
        "country": country,
        "stage": stage,
        "since": NOW,
        "story_id": "contract-signed",
        "title": "Ankara signs for the S-400",
        "url": "https://news.example/contract-signed",
        "history": (
            StageChange("talks", NOW - timedelta(days=300), "talks-begin"),
            StageChange(stage, NOW, "contract-signed"),
        ),
        "sources": ("news.example",),
    }
    return PairState(**(fields | changes))


def hit(story_id: str, system: str = "S-400", country: str = "Turkey", stage: str = "delivery") -> Hit:
    return Hit(story_id, system, country, "operator", stage, f"{system} reached {country}.")


def race(action: Callable[[int], object], runners: int = 8) -> list[object]:
    """Run ``action(i)`` on ``runners`` threads released together; their answers, in order."""
    start = threading.Barrier(runners)
    answers: list[object] = [None] * runners

    def run(i: int) -> None:
        start.wait()
        answers[i] = action(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


# --- runs ------------------------------------------------------------------------------
def test_a_scheduled_event_is_claimed_once(store: Store) -> None:
    assert store.claim_run("evt-1", "run-a", NOW) is True
    assert store.claim_run("evt-1", "run-b", NOW) is False
    assert store.claim_run("evt-1", "run-a", NOW) is True  # a retried call keeps its claim
    assert store.claim_run("evt-2", "run-b", NOW) is True


def test_a_released_claim_lets_the_events_retry_run_and_no_one_else_releases_it(store: Store) -> None:
    assert store.claim_run("evt-1", "run-a", NOW) is True
    store.release_run("evt-1", "run-b")  # not its claim: nothing changes
    assert store.claim_run("evt-1", "run-c", NOW) is False
    store.release_run("evt-1", "run-a")  # the run that failed gives it back
    assert store.claim_run("evt-1", "run-c", NOW) is True
    store.release_run("evt-unknown", "run-a")  # nothing to give back: no error


def test_racing_runs_claim_an_event_once(store: Store) -> None:
    answers = race(lambda i: store.claim_run("evt-race", f"run-{i}", NOW))
    assert answers.count(True) == 1


# --- feeds -----------------------------------------------------------------------------
def test_feed_states_round_trip_and_overwrite(store: Store) -> None:
    failing = FeedState(
        url="https://feeds.example/rss",
        etag='W/"abc"',
        last_modified="Sat, 14 Mar 2026 09:00:00 GMT",
        content_hash="9f2c",
        seeded=True,
        failures=3,
        failing_since=NOW - timedelta(hours=3),
        last_error="HTTP 503",
        failing_alerted=False,
        updated=NOW,
        listed=("https://mod.example/news/1", "guid:a.example:1001"),
        listing=True,
        left_out_listed=True,
        schema=FEED_STATE_SCHEMA,
    )
    plain = FeedState(url="https://feeds.example/atom")
    store.put_feed_state(failing)
    store.put_feed_state(plain)
    assert store.get_feed_states([failing.url, plain.url, "https://unknown.example/"]) == {
        failing.url: failing,
        plain.url: plain,
    }
    recovered = FeedState(url=failing.url, etag='"def"', seeded=True, updated=NOW + timedelta(hours=1))
    store.put_feed_state(recovered)
    assert store.get_feed_states([failing.url]) == {failing.url: recovered}
    assert store.get_feed_states([]) == {}


# --- stories ---------------------------------------------------------------------------
def test_add_story_answers_whether_it_is_new(store: Store) -> None:
    record = story(
        "s1", published=NOW - timedelta(hours=5), fingerprint="ab12", cluster="s1", text_length=812
    )
    assert store.add_story(record) is True
    assert store.add_story(story("s1", title="A different title")) is False
    assert store.get_stories(["s1", "nope"]) == {"s1": record}


def test_add_stories_in_bulk_answers_which_were_new(store: Store) -> None:
    store.add_story(story("old-1"))
    records = [story(f"bulk-{n}", title=f"Bulk {n}") for n in range(120)] + [story("old-1", title="Changed")]
    assert store.add_stories(records) == {f"bulk-{n}" for n in range(120)}
    stored = store.get_stories(["old-1", "bulk-0", "bulk-119"])
    assert stored["old-1"].title == "Headline for old-1"  # a known story is left as it was
    assert stored["bulk-119"].title == "Bulk 119"
    assert len(store.recent_stories(NOW - timedelta(minutes=1), until=NOW)) == 121
    assert store.add_stories([]) == set()


def test_known_story_ids_answers_for_more_ids_than_one_batch_holds(store: Store) -> None:
    for n in range(130):
        store.add_story(story(f"known-{n}"))
    asked = [f"known-{n}" for n in range(0, 130, 2)] + [f"unknown-{n}" for n in range(120)]
    assert len(asked) > 100
    assert store.known_story_ids(asked + asked[:5]) == {f"known-{n}" for n in range(0, 130, 2)}
    assert store.known_story_ids([]) == set()


def test_add_story_feed_notes_each_source_once_in_order(store: Store) -> None:
    store.add_story(story("wire-1"))
    store.add_story_feed("wire-1", "Breaking Defense")
    store.add_story_feed("wire-1", "Defense Wire")
    store.add_story_feed("wire-1", "Breaking Defense")
    store.add_story_feed("never-stored", "Breaking Defense")
    assert store.get_stories(["wire-1"])["wire-1"].feeds == ("Defense Wire", "Breaking Defense")
    assert store.get_stories(["never-stored"]) == {}
    # the near-duplicate window sees the same feeds
    (recent,) = store.recent_stories(NOW - timedelta(minutes=1), until=NOW)
    assert recent.feeds == ("Defense Wire", "Breaking Defense")


def test_update_stories_rewrites_stored_stories_and_skips_unknown_ones(store: Store) -> None:
    first = story("edited-1", listed_hash="aaaa", text_hash="1111", fingerprint="ab12")
    store.add_story(first)
    store.add_story_feed("edited-1", "Defense Wire")
    stored = store.get_stories(["edited-1"])["edited-1"]
    edited = replace(stored, title="UPDATE: a deal signed", listed_hash="bbbb", text_hash="2222")
    store.update_stories([edited, story("never-stored")])
    assert store.get_stories(["edited-1", "never-stored"]) == {"edited-1": edited}
    # the near-duplicate window reads the edited story too (same first_seen, same day)
    (recent,) = store.recent_stories(NOW - timedelta(minutes=1), until=NOW)
    assert (recent.title, recent.listed_hash, recent.feeds) == ("UPDATE: a deal signed", "bbbb", stored.feeds)
    assert store.known_story_ids(["never-stored"]) == set()
    store.update_stories([])


def test_recent_stories_are_bounded_by_first_seen(store: Store) -> None:
    since = NOW - timedelta(days=2)
    times = {
        "too-old": since - timedelta(microseconds=1),
        "at-since": since,
        "yesterday": NOW - timedelta(days=1, hours=3),
        "late-last-night": NOW.replace(hour=23, minute=59) - timedelta(days=1),
        "at-now": NOW,
        "after-now": NOW + timedelta(seconds=1),
    }
    for story_id, first_seen in times.items():
        store.add_story(story(story_id, first_seen))
    found = store.recent_stories(since, until=NOW)
    assert sorted(record.id for record in found) == ["at-now", "at-since", "late-last-night", "yesterday"]
    assert {record.id: record.first_seen for record in found}["at-since"] == since


def test_racing_runs_add_a_story_once(store: Store) -> None:
    answers = race(lambda i: store.add_story(story("contested", title=f"run {i}")))
    assert answers.count(True) == 1
    assert len(store.recent_stories(NOW - timedelta(hours=1), until=NOW)) == 1


# --- hits ------------------------------------------------------------------------------
def test_put_hits_writes_more_than_one_batch_and_rewrites_idempotently(store: Store) -> None:
    countries = [f"Country {n:02d}" for n in range(30)]
    hits = [hit("big-story", country=c) for c in countries] + [
        hit("other-story", "Patriot", "Poland", "deal")
    ]
    store.put_hits(hits, NOW)
    store.put_hits(hits[:3], NOW)  # a retried run writes the same hits again
    store.put_hits([hit("big-story", country="Country 00", stage="deployment")], NOW)

    found = store.hits_for_story("big-story")
    assert [h.country for h in found] == countries
    assert found[0].stage == "deployment"
    assert found[1] == hits[1]
    assert store.hits_for_story("other-story") == [hits[-1]]
    assert store.hits_for_story("no-such-story") == []


def test_hits_do_not_disturb_their_story(store: Store) -> None:
    store.add_story(story("with-hits"))
    store.put_hits([hit("with-hits")], NOW)
    assert store.known_story_ids(["with-hits"]) == {"with-hits"}
    assert store.get_stories(["with-hits"])["with-hits"] == story("with-hits")
    assert store.hits_for_story("with-hits") == [hit("with-hits")]


# --- pairs -----------------------------------------------------------------------------
def test_put_pair_is_versioned(store: Store) -> None:
    first = pair(stage="deal")
    assert store.put_pair(first, expected_version=0) is True
    assert store.put_pair(first, expected_version=0) is False  # another run created it first
    stored = store.get_pairs([("S-400", "Turkey")])[("S-400", "Turkey")]
    assert stored == pair(stage="deal", version=1)
    assert stored.history == first.history

    delivered = pair(stage="delivery", since=NOW + timedelta(days=1))
    assert store.put_pair(delivered, expected_version=1) is True
    assert store.put_pair(pair(stage="talks"), expected_version=1) is False  # stale read
    assert store.put_pair(pair(stage="talks"), expected_version=5) is False
    assert store.get_pairs([("S-400", "Turkey")])[("S-400", "Turkey")] == pair(
        stage="delivery", since=NOW + timedelta(days=1), version=2
    )
    assert store.put_pair(pair("Patriot", "Poland"), expected_version=3) is False  # absent != 3


def test_delete_pair_only_at_the_version_read(store: Store) -> None:
    assert store.put_pair(pair(stage="deal"), expected_version=0)
    assert store.put_pair(pair(stage="delivery"), expected_version=1)
    assert store.delete_pair("S-400", "Turkey", expected_version=1) is False  # another run wrote since
    assert store.get_pairs([("S-400", "Turkey")])[("S-400", "Turkey")].stage == "delivery"
    assert store.delete_pair("S-400", "Turkey", expected_version=2) is True
    assert store.get_pairs([("S-400", "Turkey")]) == {}
    assert store.delete_pair("S-400", "Turkey", expected_version=2) is False  # gone already


def test_get_pairs_and_list_pairs(store: Store) -> None:
    keys = [(f"System {s}", f"Country {c}") for s in range(6) for c in range(20)]
    for system, country in keys:
        store.put_pair(pair(system, country), 0)
    wanted = [*keys[:110], ("Unknown", "Nowhere"), keys[0]]
    got = store.get_pairs(wanted)
    assert set(got) == set(keys[:110])
    assert got[keys[5]] == pair(*keys[5], version=1)
    assert sorted((p.system, p.country) for p in store.list_pairs()) == sorted(keys)


def test_racing_runs_update_a_pair_once(store: Store) -> None:
    store.put_pair(pair(stage="talks"), 0)
    answers = race(lambda i: store.put_pair(pair(stage="deal", story_id=f"run-{i}"), 1))
    assert answers.count(True) == 1
    winner = answers.index(True)
    assert store.get_pairs([("S-400", "Turkey")])[("S-400", "Turkey")].story_id == f"run-{winner}"


def test_commit_pair_writes_the_stage_and_its_alerts_together(store: Store) -> None:
    deliveries = [(alert("a1"), "slack"), (alert("a1"), "email"), (alert("a2"), "slack")]
    assert store.commit_pair(pair(stage="deal"), 0, deliveries, NOW) is True
    assert store.get_pairs([("S-400", "Turkey")])[("S-400", "Turkey")].version == 1
    assert sorted((d.alert.id, d.channel) for d in store.pending_deliveries()) == [
        ("a1", "email"),
        ("a1", "slack"),
        ("a2", "slack"),
    ]
    # a stale version writes nothing at all: neither the pair nor its alerts
    assert store.commit_pair(pair(stage="talks"), 0, [(alert("a3"), "slack")], NOW) is False
    assert store.get_delivery("a3", "slack") is None
    assert store.get_pairs([("S-400", "Turkey")])[("S-400", "Turkey")].stage == "deal"


def test_commit_pair_leaves_existing_deliveries_as_they_are(store: Store) -> None:
    store.enqueue_alert(alert("a1"), "slack", NOW)
    store.claim_delivery("a1", "slack", "run-a", NOW, 60)
    store.mark_sent("a1", "slack", "run-a", NOW)
    again = [(alert("a1", title="recomputed"), "slack"), (alert("a4"), "slack")]
    assert store.commit_pair(pair(), 0, again, NOW) is True
    sent = store.get_delivery("a1", "slack")
    assert sent is not None and (sent.status, sent.alert.title) == ("sent", alert("a1").title)
    assert [d.alert.id for d in store.pending_deliveries()] == ["a4"]
    assert store.commit_pair(pair(stage="delivery"), 1, [], NOW) is True
    assert store.get_pairs([("S-400", "Turkey")])[("S-400", "Turkey")].version == 2


def test_racing_runs_commit_a_pair_and_its_alerts_once(store: Store) -> None:
    answers = race(
        lambda i: store.commit_pair(pair(story_id=f"run-{i}"), 0, [(alert(f"from-{i}"), "slack")], NOW)
    )
    assert answers.count(True) == 1
    winner = answers.index(True)
    assert [d.alert.id for d in store.pending_deliveries()] == [f"from-{winner}"]


def test_a_pair_state_keeps_a_held_alert(store: Store) -> None:
    held = pair(stage="deal", held=alert("waiting", old_stage=None), published=NOW, alert_id="a0")
    store.put_pair(held, 0)
    assert store.list_pairs() == [replace(held, version=1)]


def test_a_pair_state_keeps_the_event_its_alert_reported(store: Store) -> None:
    history = (StageChange("deal", NOW, "copy-2", cluster="contract-signed"),)
    announced = pair(alert_id="a0", alert_cluster="contract-signed", history=history)
    store.put_pair(announced, 0)
    assert store.get_pairs([("S-400", "Turkey")])[("S-400", "Turkey")] == replace(announced, version=1)


def test_a_pair_state_stored_before_events_were_kept_still_loads() -> None:
    plain = to_plain(pair(alert_id="a0", held=alert("waiting")))
    del plain["alert_cluster"], plain["held"]["cluster"]
    for step in plain["history"]:
        del step["cluster"]
    assert from_plain(PairState, plain) == pair(alert_id="a0", held=alert("waiting"))


# --- outbox ----------------------------------------------------------------------------
def test_enqueue_is_insert_if_absent_and_keeps_the_whole_alert(store: Store) -> None:
    original = alert("a1")
    assert store.enqueue_alert(original, "slack", NOW) is True
    assert store.enqueue_alert(alert("a1", title="recomputed"), "slack", NOW) is False
    assert store.enqueue_alert(original, "email", NOW) is True
    assert store.enqueue_alert(alert("a2", published=None, old_stage=None, created=None), "slack", NOW)

    delivery = store.get_delivery("a1", "slack")
    assert delivery is not None
    assert delivery.alert == original  # a later run can resend it without recomputing
    assert (delivery.status, delivery.attempts, delivery.claimed_by, delivery.lease_until) == (
        "pending",
        0,
        "",
        None,
    )
    pending = store.pending_deliveries()
    assert sorted((d.alert.id, d.channel) for d in pending) == [
        ("a1", "email"),
        ("a1", "slack"),
        ("a2", "slack"),
    ]
    assert sorted(d.alert.id for d in store.pending_deliveries("slack")) == ["a1", "a2"]
    assert [d.alert for d in store.pending_deliveries("email")] == [original]
    assert store.pending_deliveries("sms") == []
    assert store.get_delivery("a1", "sms") is None


def test_a_lease_keeps_others_out_until_it_expires(store: Store) -> None:
    store.enqueue_alert(alert(), "slack", NOW)
    claimed = store.claim_delivery("a1", "slack", "run-a", NOW, lease_seconds=60)
    assert claimed is not None
    assert (claimed.claimed_by, claimed.attempts, claimed.status) == ("run-a", 1, "pending")
    assert claimed.lease_until == NOW + timedelta(seconds=60)
    assert claimed.alert == alert()

    assert store.claim_delivery("a1", "slack", "run-b", NOW + timedelta(seconds=59), 60) is None
    # run-a crashed: once its lease lapses, the next run takes the delivery over
    later = NOW + timedelta(seconds=61)
    retaken = store.claim_delivery("a1", "slack", "run-b", later, 60)
    assert retaken is not None
    assert (retaken.claimed_by, retaken.attempts) == ("run-b", 2)
    assert [d.alert.id for d in store.pending_deliveries("slack")] == ["a1"]  # still pending until sent


def test_sent_deliveries_leave_the_pending_index_for_good(store: Store) -> None:
    store.enqueue_alert(alert(), "slack", NOW)
    store.enqueue_alert(alert(), "email", NOW)
    store.claim_delivery("a1", "slack", "run-a", NOW, 60)
    store.mark_sent("a1", "slack", "run-a", NOW + timedelta(seconds=2), ref="1710408600.000100")

    sent = store.get_delivery("a1", "slack")
    assert sent is not None
    assert (sent.status, sent.ref, sent.sent_at, sent.lease_until) == (
        "sent",
        "1710408600.000100",
        NOW + timedelta(seconds=2),
        None,
    )
    assert [(d.alert.id, d.channel) for d in store.pending_deliveries()] == [("a1", "email")]
    assert store.claim_delivery("a1", "slack", "run-b", NOW + timedelta(days=1), 60) is None
    assert store.enqueue_alert(alert(), "slack", NOW + timedelta(days=1)) is False
    store.mark_failed("a1", "slack", "run-a", "late timeout report", NOW, give_up=True)  # cannot undo "sent"
    assert store.get_delivery("a1", "slack").status == "sent"  # type: ignore[union-attr]
    with pytest.raises(StoreError):
        store.mark_sent("never-enqueued", "slack", "run-a", NOW)


def test_an_attempt_that_does_not_count_is_taken_back(store: Store) -> None:
    store.enqueue_alert(alert(), "slack", NOW)
    store.claim_delivery("a1", "slack", "run-a", NOW, 600)
    store.mark_failed("a1", "slack", "run-a", "404 no_service", NOW, give_up=False, counted=False)
    item = store.get_delivery("a1", "slack")
    assert item is not None and (item.status, item.attempts, item.lease_until) == ("pending", 0, None)


def test_a_failed_attempt_releases_the_lease_and_giving_up_ends_it(store: Store) -> None:
    store.enqueue_alert(alert(), "slack", NOW)
    store.claim_delivery("a1", "slack", "run-a", NOW, 600)
    store.mark_failed("a1", "slack", "run-a", "HTTP 500 from hooks.slack.example", NOW, give_up=False)

    failed_once = store.get_delivery("a1", "slack")
    assert failed_once is not None
    assert (failed_once.status, failed_once.attempts, failed_once.last_error, failed_once.lease_until) == (
        "pending",
        1,
        "HTTP 500 from hooks.slack.example",
        None,
    )
    again = store.claim_delivery("a1", "slack", "run-a", NOW + timedelta(seconds=1), 600)  # no wait for lease
    assert again is not None and again.attempts == 2
    store.mark_failed("a1", "slack", "run-a", "HTTP 404: no such webhook", NOW, give_up=True)

    given_up = store.get_delivery("a1", "slack")
    assert given_up is not None
    assert (given_up.status, given_up.attempts, given_up.last_error) == (
        "failed",
        2,
        "HTTP 404: no such webhook",
    )
    assert store.pending_deliveries() == []
    assert store.claim_delivery("a1", "slack", "run-b", NOW + timedelta(days=1), 60) is None
    assert store.enqueue_alert(alert(), "slack", NOW) is False  # not resurrected by a re-decision


def test_a_run_whose_lease_lapsed_cannot_end_the_claim_of_the_run_that_took_it_over(store: Store) -> None:
    store.enqueue_alert(alert(), "slack", NOW)
    store.claim_delivery("a1", "slack", "slow-run", NOW, 60)
    later = NOW + timedelta(seconds=61)
    assert store.claim_delivery("a1", "slack", "run-b", later, 60) is not None
    # the slow run's send fails at last: neither a refusal taking its attempt back nor giving up
    # may release, discount or end run-b's claim
    assert (
        store.mark_failed("a1", "slack", "slow-run", "404 no_service", later, give_up=False, counted=False)
        is False
    )
    assert store.mark_failed("a1", "slack", "slow-run", "HTTP 500", later, give_up=True) is False
    item = store.get_delivery("a1", "slack")
    assert item is not None
    assert (item.status, item.claimed_by, item.attempts, item.lease_until, item.last_error) == (
        "pending",
        "run-b",
        2,
        later + timedelta(seconds=60),
        "",
    )
    assert (
        store.claim_delivery("a1", "slack", "run-c", later + timedelta(seconds=1), 60) is None
    )  # still run-b's
    assert store.mark_failed("a1", "slack", "run-b", "HTTP 500", later, give_up=False) is True
    # ended once: a second report of the same claim (a retry) takes nothing back again
    assert (
        store.mark_failed("a1", "slack", "run-b", "404 no_service", later, give_up=False, counted=False)
        is False
    )
    item = store.get_delivery("a1", "slack")
    assert item is not None and (item.attempts, item.lease_until, item.last_error) == (2, None, "HTTP 500")


def test_a_send_that_outlasted_its_lease_is_recorded_sent_and_keeps_the_first_record(store: Store) -> None:
    store.enqueue_alert(alert(), "slack", NOW)
    store.claim_delivery("a1", "slack", "slow-run", NOW, 60)
    later = NOW + timedelta(seconds=61)
    assert store.claim_delivery("a1", "slack", "run-b", later, 60) is not None
    # the message went out: recorded sent although run-b holds the lease, so no later run repeats it
    assert store.mark_sent("a1", "slack", "slow-run", later, ref="111.1") is False
    assert store.claim_delivery("a1", "slack", "run-c", later + timedelta(hours=1), 60) is None
    assert store.mark_failed("a1", "slack", "run-b", "HTTP 500", later, give_up=False) is False
    assert store.mark_sent("a1", "slack", "run-b", later, ref="222.2") is False  # may have gone twice
    assert store.mark_sent("a1", "slack", "slow-run", later, ref="111.1") is True  # a retried write
    item = store.get_delivery("a1", "slack")
    assert item is not None
    assert (item.status, item.ref, item.claimed_by, item.lease_until) == ("sent", "111.1", "slow-run", None)
    assert store.pending_deliveries() == []

    # a delivery the other run gave up on was delivered after all: it is recorded sent
    store.enqueue_alert(alert("a2"), "slack", NOW)
    store.claim_delivery("a2", "slack", "slow-run", NOW, 60)
    store.claim_delivery("a2", "slack", "run-b", later, 60)
    assert store.mark_failed("a2", "slack", "run-b", "HTTP 404: no such webhook", later, give_up=True) is True
    assert store.mark_sent("a2", "slack", "slow-run", later, ref="333.3") is False
    assert store.get_delivery("a2", "slack").status == "sent"  # type: ignore[union-attr]
    # the run that holds the claim is told so
    store.enqueue_alert(alert("a3"), "slack", NOW)
    store.claim_delivery("a3", "slack", "run-b", later, 60)
    assert store.mark_sent("a3", "slack", "run-b", later + timedelta(seconds=90)) is True  # lapsed, not taken


def test_claiming_an_unknown_delivery_gets_nothing(store: Store) -> None:
    assert store.claim_delivery("ghost", "slack", "run-a", NOW, 60) is None
    store.mark_failed("ghost", "slack", "run-a", "whatever", NOW, give_up=True)
    assert store.get_delivery("ghost", "slack") is None


def test_racing_runs_claim_a_delivery_once(store: Store) -> None:
    store.enqueue_alert(alert(), "slack", NOW)
    answers = race(lambda i: store.claim_delivery("a1", "slack", f"run-{i}", NOW, 60))
    winners = [answer for answer in answers if answer is not None]
    assert len(winners) == 1
    delivery = store.get_delivery("a1", "slack")
    assert delivery is not None and delivery.attempts == 1
    assert delivery.claimed_by == winners[0].claimed_by  # type: ignore[attr-defined]


def test_purge_expired_never_drops_live_items(store: Store) -> None:
    store.claim_run("evt-1", "run-a", NOW)
    store.add_story(story("fresh"))
    store.enqueue_alert(alert(), "slack", NOW)
    store.purge_expired(NOW + timedelta(days=1))
    assert store.claim_run("evt-1", "run-b", NOW) is False
    assert store.known_story_ids(["fresh"]) == {"fresh"}
    assert store.get_delivery("a1", "slack") is not None


def test_long_ids_and_names_are_stored_whole(store: Store) -> None:
    # A GUID can be a long URL; DynamoDB caps a sort key at 1024 bytes.
    long_id = "https://news.example/2026/03/14/" + "very-long-slug-" * 120
    assert store.add_story(story(long_id)) is True
    assert store.add_story(story(long_id)) is False
    assert store.known_story_ids([long_id, long_id[:-1]]) == {long_id}
    store.add_story_feed(long_id, "Breaking Defense")
    assert store.get_stories([long_id])[long_id].feeds == ("Defense Wire", "Breaking Defense")
    assert [r.id for r in store.recent_stories(NOW, until=NOW)] == [long_id]
    store.put_hits([hit(long_id, system="Ç" * 600)], NOW)
    assert store.hits_for_story(long_id) == [hit(long_id, system="Ç" * 600)]
    store.enqueue_alert(alert(long_id), "slack", NOW)
    assert store.claim_delivery(long_id, "slack", "run-a", NOW, 60) is not None
    store.mark_sent(long_id, "slack", "run-a", NOW)
    assert store.get_delivery(long_id, "slack").status == "sent"  # type: ignore[union-attr]
    assert store.put_pair(pair("Ç" * 600), 0) is True
    assert [p.system for p in store.list_pairs()] == ["Ç" * 600]


# --- the stored time format ------------------------------------------------------------
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.timezones()
)


@given(moments, moments)
def test_stored_times_sort_as_the_times_do(a: datetime, b: datetime) -> None:
    # Leases and recent_stories compare stored strings (SQL WHERE, DynamoDB conditions).
    # Instants, not ``a < b``: Python compares two times in one zone ignoring DST ``fold``.
    assert (format_time(a) < format_time(b)) == (a.timestamp() < b.timestamp())
    assert parse_time(format_time(a)).timestamp() == a.timestamp()
    assert parse_time(format_time(a)).tzinfo == UTC


def test_stored_times_are_utc_iso_strings_in_time_order() -> None:
    """What both stores compare in their conditions and WHERE clauses; the last-value shortcut never
    answers for another time."""
    from datetime import timedelta, timezone

    plus_two = timezone(timedelta(hours=2))
    a = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    b = datetime(2026, 3, 1, 14, 0, 0, 5, tzinfo=plus_two)  # 12:00:00.000005 UTC
    naive = datetime(2026, 3, 1, 11, 59)
    texts = [format_time(t) for t in (a, b, a, a, naive, b)]
    assert texts == [
        "2026-03-01T12:00:00.000000+00:00",
        "2026-03-01T12:00:00.000005+00:00",
        "2026-03-01T12:00:00.000000+00:00",
        "2026-03-01T12:00:00.000000+00:00",
        "2026-03-01T11:59:00.000000+00:00",
        "2026-03-01T12:00:00.000005+00:00",
    ]
    assert sorted(texts[:2] + texts[4:5]) == [texts[4], texts[0], texts[1]]
    assert [parse_time(t) for t in texts[:2]] == [a, b]
