"""Parsing overlaps the network: each answer is handled as it arrives, the run's outcome does not.

Against real loopback servers: ``fetch_many`` hands each answer over while slower ones are still in
flight, and never before the request waiting for the freed slot has gone out; a whole run whose
first source answers last gives the same report, stored state and alerts, in source order, as a
run where every source answers at once; a feed that fails to parse while others are in flight is
the only one reported as failed; a deadline still defers the late source.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from alerts.store_sqlite import SqliteStore
from scraper.errors import ParseError
from scraper.fetch import FetchRequest, FetchResult, HttpFetcher
from scraper.parse import parse_feed
from tests.faults import FeedServer, Job, SlackSink, later, story
from tests.loopback import Loopback, Request, Route

UA = "defense-watch-test/1.0 (+https://example.org/contact)"
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>ok</title></channel></rss>'
RSS_HEADERS = {"Content-Type": "application/rss+xml; charset=utf-8"}
T0 = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
NAMES = ("Wire", "Desk", "Post", "Gazette")


def fetch_all(requests: list[FetchRequest], on_result: Any, **fetcher_kw: Any) -> list[FetchResult]:
    async def go() -> list[FetchResult]:
        fetcher = HttpFetcher(user_agent=UA, allow_private=True, **fetcher_kw)
        try:
            return await fetcher.fetch_many(requests, on_result=on_result)
        finally:
            await fetcher.aclose()

    return asyncio.run(go())


# --- fetch_many hands over each answer as it arrives ------------------------------------------------------


def _slow_and_fast(loopback: Loopback, seconds: float) -> threading.Event:
    """Serve /fast.xml at once and /slow.xml after ``seconds``; the event is set when the slow one is sent."""
    slow_done = threading.Event()

    def slow(req: Request) -> tuple[int, dict[str, str], bytes]:
        time.sleep(seconds)
        slow_done.set()
        return 200, RSS_HEADERS, RSS

    loopback.routes["/slow.xml"] = Route(handler=slow)
    loopback.routes["/fast.xml"] = Route(body=RSS, headers=RSS_HEADERS)
    return slow_done


def test_each_answer_is_handed_over_while_slower_ones_are_still_in_flight(loopback: Loopback) -> None:
    slow_done = _slow_and_fast(loopback, 0.8)
    loopback.routes["/gone.xml"] = Route(status=404, body=b"no")
    seen: list[tuple[int, str, bool]] = []  # (index, url, was the slow answer already in?)

    def on_result(index: int, result: FetchResult) -> None:
        seen.append((index, result.url, slow_done.is_set()))

    requests = [FetchRequest(loopback.url + p) for p in ("/slow.xml", "/fast.xml", "/gone.xml")]
    results = fetch_all(requests, on_result)

    assert [r.status for r in results] == [200, 200, None]  # still in request order
    assert results[2].error == "HTTP 404 Not Found"
    assert sorted(index for index, _, _ in seen) == [0, 1, 2]  # each answer exactly once
    assert all(url == requests[index].url for index, url, _ in seen)
    early = {index: slow_in for index, _, slow_in in seen}
    assert early[1] is False and early[2] is False  # handled before the slow answer came in
    assert seen[-1][0] == 0


def test_the_request_waiting_for_a_freed_slot_goes_out_before_the_work_on_the_answer(
    loopback: Loopback,
) -> None:
    arrivals: dict[str, float] = {}

    def answer(req: Request) -> tuple[int, dict[str, str], bytes]:
        arrivals[req.path] = time.monotonic()
        return 200, RSS_HEADERS, RSS

    for path in ("/a1.xml", "/a2.xml", "/a3.xml"):
        loopback.routes[path] = Route(handler=answer)
    work: list[tuple[int, float]] = []

    def busy(index: int, result: FetchResult) -> None:
        time.sleep(0.3)  # a long parse, blocking the event loop like real CPU work does
        work.append((index, time.monotonic()))

    requests = [FetchRequest(f"{loopback.url}/a{n}.xml") for n in (1, 2, 3)]
    results = fetch_all(requests, busy, per_host=1)  # one at a time: each waits for the previous slot

    assert [r.status for r in results] == [200, 200, 200]
    finished = dict(work)
    assert [index for index, _ in work] == [0, 1, 2]
    # the next request reached the server while the work on the answer that freed its slot ran,
    # not after it (the server thread reads it while the event loop is busy)
    assert arrivals["/a2.xml"] < finished[0]
    assert arrivals["/a3.xml"] < finished[1]


def test_a_callback_that_raises_stops_the_batch_instead_of_hanging(loopback: Loopback) -> None:
    slow_done = _slow_and_fast(loopback, 1.5)

    def broken(index: int, result: FetchResult) -> None:
        raise RuntimeError(f"bug handling {result.url}")

    requests = [FetchRequest(loopback.url + "/slow.xml"), FetchRequest(loopback.url + "/fast.xml")]
    with pytest.raises(RuntimeError, match=r"fast\.xml"):
        fetch_all(requests, broken)
    assert not slow_done.is_set()  # the slow request was given up, not waited for


# --- a whole run: same outcome whatever order the answers come in ------------------------------------------


def _job(tmp_path: Path, name: str, feeds: FeedServer, sink: SlackSink) -> Job:
    (tmp_path / name).mkdir()
    return Job(tmp_path / name, SqliteStore(str(tmp_path / name / "w.db")), feeds, sink, names=NAMES)


def _publish(jobs: tuple[Job, ...], feed: str, *items: tuple[str, str, str, datetime]) -> None:
    for job in jobs:  # the jobs share the feed server: the same items give the same body
        job.publish(feed, *items)


def _report(report: Any) -> list[str]:
    return report.to_text().splitlines()[1:]  # without the line naming the run's id


def _states(job: Job) -> list[tuple[Any, ...]]:
    urls = [f"{job.feeds.url}/{name.lower()}.xml" for name in NAMES]
    states = job.store.get_feed_states(urls)
    return [
        (url, s.etag, s.last_modified, s.content_hash, s.seeded, s.failures, s.last_error)
        for url in urls
        for s in [states[url]]
    ]


def test_a_run_whose_first_source_answers_last_has_the_same_outcome_in_source_order(
    tmp_path: Path, feeds: FeedServer
) -> None:
    sinks = (SlackSink().start(), SlackSink().start())
    try:
        steady, shuffled = jobs = (
            _job(tmp_path, "steady", feeds, sinks[0]),
            _job(tmp_path, "shuffled", feeds, sinks[1]),
        )
        pairs = [("S-400", "Turkey"), ("NASAMS", "Egypt"), ("IRIS-T", "Norway"), ("Patriot", "Poland")]
        for n, (name, (system, country)) in enumerate(zip(NAMES, pairs, strict=True)):
            _publish(jobs, name, story(f"{name}-{n}", system, country, "talks", T0 - timedelta(days=1)))

        def both(now: datetime) -> tuple[Any, Any]:
            feeds.routes["/wire.xml"].fault = ""
            first = steady.run(now)
            wire = feeds.routes["/wire.xml"]
            wire.fault, wire.delay = "slow", 0.8  # the first source answers after all the others
            second = shuffled.run(now)
            wire.fault = ""
            return first, second

        seeded = both(T0)
        assert _report(seeded[1]) == _report(seeded[0])
        assert [f.name for f in seeded[1].feeds] == list(NAMES)
        assert [f.status for f in seeded[1].feeds] == ["new"] * 4
        assert seeded[1].hits == seeded[0].hits and seeded[1].hits
        assert _states(shuffled) == _states(steady)

        for n, (name, (system, country)) in enumerate(zip(NAMES, pairs, strict=True)):
            _publish(jobs, name, story(f"{name}-deal-{n}", system, country, "deal", T0))
        alerted = both(later(T0, 1))
        assert _report(alerted[1]) == _report(alerted[0])
        assert [(a.pair, a.status) for a in alerted[1].alerts] == [
            (a.pair, a.status) for a in alerted[0].alerts
        ]
        assert sorted(a.pair for a in alerted[1].alerts if a.status == "sent") == sorted(
            f"{s} x {c}" for s, c in pairs
        )
        assert sinks[1].accepted_text() == sinks[0].accepted_text()
        assert _states(shuffled) == _states(steady)

        quiet = both(later(T0, 2))
        assert _report(quiet[1]) == _report(quiet[0])
        assert quiet[1].alerts == [] and quiet[1].stories_new == 0
    finally:
        for sink in sinks:
            sink.stop()


def test_a_feed_that_fails_to_parse_while_others_are_in_flight_fails_alone(
    tmp_path: Path, feeds: FeedServer, sink: SlackSink
) -> None:
    job = _job(tmp_path, "job", feeds, sink)
    for n, name in enumerate(NAMES):
        job.publish(name, story(f"{name}-{n}", "Patriot", "Poland", "talks", T0 - timedelta(days=1)))
    feeds.routes["/wire.xml"].fault, feeds.routes["/wire.xml"].delay = "slow", 0.8
    feeds.routes["/desk.xml"].fault = "garbage"  # answers at once, while Wire is still in flight

    report = job.run(T0)

    with pytest.raises(ParseError) as parsed:
        parse_feed(b"\x00\x01<<<not a feed at all", url="x", feed_name="Desk", content_type="application/xml")
    assert [(f.name, f.status, f.stories, f.error) for f in report.feeds] == [
        ("Wire", "new", 1, ""),
        ("Desk", "error", 0, parsed.value.reason),
        ("Post", "new", 1, ""),
        ("Gazette", "new", 1, ""),
    ]
    assert f"feed Desk: ERROR {parsed.value.reason}" in report.to_text()
    states = {url.rsplit("/", 1)[1]: rest for url, *rest in _states(job)}
    assert states["desk.xml"][3:] == [False, 1, parsed.value.reason]  # seeded, failures, last error
    assert all(states[f][3:] == [True, 0, ""] for f in ("wire.xml", "post.xml", "gazette.xml"))


def test_a_source_answering_after_the_fetch_deadline_is_still_deferred(
    tmp_path: Path, feeds: FeedServer, sink: SlackSink
) -> None:
    job = _job(tmp_path, "job", feeds, sink)
    for n, name in enumerate(NAMES):
        job.publish(name, story(f"{name}-{n}", "IRIS-T", "Norway", "talks", T0 - timedelta(days=1)))
    feeds.routes["/post.xml"].fault, feeds.routes["/post.xml"].delay = "slow", 1.8
    # deadline 2.5 s, margin 0.5 s: fetching stops at 1.5 s, before Post answers
    report = job.run(T0, deadline_in=2.5, margin=0.5)

    assert [(f.name, f.status) for f in report.feeds] == [
        ("Wire", "new"),
        ("Desk", "new"),
        ("Post", "deferred"),
        ("Gazette", "new"),
    ]
    assert report.deferred == ["source Post (deadline)"]
    post = f"{feeds.url}/post.xml"
    assert post not in job.store.get_feed_states([post])  # nothing stored: the next run starts afresh

    feeds.routes["/post.xml"].fault = ""
    finish = job.run(later(T0, 1))
    assert {f.name: f.status for f in finish.feeds} == {
        "Wire": "unchanged",
        "Desk": "unchanged",
        "Post": "new",
        "Gazette": "unchanged",
    }
    assert finish.deferred == []


def test_a_dry_run_with_a_slow_source_stores_nothing(
    tmp_path: Path, feeds: FeedServer, sink: SlackSink
) -> None:
    job = _job(tmp_path, "job", feeds, sink)
    for n, name in enumerate(NAMES):
        job.publish(name, story(f"{name}-{n}", "NASAMS", "Egypt", "deal", T0))
    feeds.routes["/wire.xml"].fault, feeds.routes["/wire.xml"].delay = "slow", 0.5
    feeds.routes["/gazette.xml"].fault = "garbage"

    report = job.run(T0, dry_run=True)

    assert [(f.name, f.status) for f in report.feeds] == [
        ("Wire", "new"),
        ("Desk", "new"),
        ("Post", "new"),
        ("Gazette", "error"),
    ]
    urls = [f"{feeds.url}/{name.lower()}.xml" for name in NAMES]
    assert job.store.get_feed_states(urls) == {}
    assert sink.accepted == []
