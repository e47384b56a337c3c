"""Scale-out: batches of sources on SQS (moto's server) and the worker reading its batch back."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

import boto3
import pytest

from scraper.errors import QueueError
from scraper.fanout import (
    Plan,
    batch_messages,
    enqueue_batches,
    plan_batches,
    plan_invocation,
    sources_from_event,
)
from scraper.model import Source, Watchlist


def _sources(hosts: int, per_host: int) -> tuple[Source, ...]:
    return tuple(
        Source(name=f"site{h}-feed{n}", url=f"https://site{h}.example/feed/{n}.xml")
        for n in range(per_host)
        for h in range(hosts)
    )


def _watchlist(sources: tuple[Source, ...]) -> Watchlist:
    return Watchlist(feeds=sources, systems=(), countries=())


def _sqs_event(*bodies: str) -> dict:
    return {
        "Records": [
            {"messageId": f"m{i}", "eventSource": "aws:sqs", "body": body} for i, body in enumerate(bodies)
        ]
    }


@pytest.mark.parametrize(("hosts", "per_host", "size"), [(1, 1, 25), (40, 3, 25), (3, 30, 25), (7, 5, 4)])
def test_every_source_lands_in_exactly_one_batch_within_the_size(
    hosts: int, per_host: int, size: int
) -> None:
    sources = _sources(hosts, per_host)
    batches = plan_batches(sources, size)
    assert Counter(s for b in batches for s in b) == Counter(sources)
    assert all(1 <= len(b) <= size for b in batches)
    assert plan_batches(sources, size) == batches  # the same watchlist gives the same batches


def test_one_hosts_feeds_stay_in_one_batch_so_the_per_host_cap_holds_across_workers() -> None:
    batches = plan_batches(_sources(hosts=40, per_host=3), 25)
    for batch in batches:
        for host in {urlsplit(s.url).hostname for s in batch}:
            assert sum(urlsplit(s.url).hostname == host for s in batch) == 3
    assert len(batches) == 5  # 120 sources: 8 hosts of 3 per batch, the fewest batches that fit


def test_a_host_larger_than_a_batch_fills_whole_batches() -> None:
    batches = plan_batches(_sources(hosts=1, per_host=60), 25)
    assert [len(b) for b in batches] == [25, 25, 10]


def test_the_worker_gets_back_exactly_the_sources_of_its_message() -> None:
    sources = _sources(10, 5)
    messages = batch_messages(plan_batches(sources, 20), event_id="evt-1")
    watchlist = _watchlist(sources)
    seen = [sources_from_event(_sqs_event(m["MessageBody"]), watchlist) for m in messages]
    assert sorted(s.url for batch in seen for s in batch or ()) == sorted(s.url for s in sources)


def test_a_message_cannot_add_a_feed_and_a_removed_feed_is_dropped() -> None:
    sources = _sources(2, 2)
    body = json.dumps({"v": 1, "event_id": None, "sources": [sources[0].url, "http://169.254.169.254/"]})
    assert sources_from_event(_sqs_event(body), _watchlist(sources)) == (sources[0],)


def test_events_that_are_not_from_sqs_are_not_worker_events() -> None:
    watchlist = _watchlist(_sources(1, 2))
    assert sources_from_event({"id": "evt", "source": "aws.events"}, watchlist) is None
    assert sources_from_event(_sqs_event("not json", json.dumps({"v": 99})), watchlist) == ()


def test_a_work_message_the_worker_cannot_read_is_noted_not_dropped_silently() -> None:
    sources = _sources(1, 2)
    good = json.dumps({"v": 1, "event_id": None, "sources": [sources[0].url]})
    plan = plan_invocation(
        _sqs_event(good, "not json", json.dumps({"v": 2, "sources": []})),
        _watchlist(sources),
        threshold=50,
        queue_url=None,
    )
    assert plan.sources == (sources[0],)
    assert len(plan.notes) == 2 and plan.notes[0].startswith(
        "work message m1 is not a batch this build reads"
    )
    assert "m2" in plan.notes[1]
    assert plan_invocation(_sqs_event(good), _watchlist(sources), threshold=50, queue_url=None).notes == ()


def test_plan_invocation_routes_worker_scheduler_and_small_watchlists() -> None:
    sources = _sources(10, 6)
    watchlist = _watchlist(sources)
    queue = "https://sqs.us-east-1.amazonaws.com/123456789012/work"

    small = plan_invocation({"id": "e1"}, watchlist, threshold=100, queue_url=queue)
    assert small == Plan("run", sources, "e1")
    no_queue = plan_invocation({"id": "e1"}, watchlist, threshold=10, queue_url=None)
    assert no_queue.action == "run" and no_queue.sources == sources
    never = plan_invocation({"id": "e1"}, watchlist, threshold=0, queue_url=queue)
    assert never.action == "run"

    fanned = plan_invocation({"id": "e1"}, watchlist, threshold=10, queue_url=queue, batch_size=25)
    assert fanned.action == "enqueue" and len(fanned.messages) == 3 and not fanned.sources

    worker = plan_invocation(
        _sqs_event(fanned.messages[1]["MessageBody"]), watchlist, threshold=10, queue_url=queue
    )
    assert worker.action == "run" and 0 < len(worker.sources) <= 25
    assert worker.event_id and worker.event_id.startswith("e1#1-")
    again = plan_invocation({"id": "e1"}, watchlist, threshold=10, queue_url=queue, batch_size=25)
    assert again.messages == fanned.messages  # a retried tick sends the same claim keys


def test_batches_go_through_sqs_and_come_back_as_worker_events(aws_env: str) -> None:
    client = boto3.client("sqs", region_name="us-east-1")
    queue_url = client.create_queue(QueueName="work-standard")["QueueUrl"]
    sources = _sources(30, 4)  # 120 sources -> 5 batches of 25: one call of 5, within the 10-entry limit
    plan = plan_invocation({"id": "tick-7"}, _watchlist(sources), threshold=50, queue_url=queue_url)
    more = batch_messages(plan_batches(sources, 5), event_id="tick-8")  # a host's 4 per batch: 30 batches
    assert enqueue_batches(client, queue_url, plan.messages) == len(plan.messages) == 5
    assert enqueue_batches(client, queue_url, more) == len(more) == 30  # four calls of at most ten

    received = []
    while True:
        answer = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        if not answer.get("Messages"):
            break
        received += answer["Messages"]
    assert len(received) == 5 + 30
    tick7 = [m for m in received if json.loads(m["Body"])["event_id"].startswith("tick-7#")]
    got = [sources_from_event(_sqs_event(m["Body"]), _watchlist(sources)) for m in tick7]
    assert sorted(s.url for b in got for s in b or ()) == sorted(s.url for s in sources)


def test_a_fifo_queue_drops_a_second_send_of_the_same_batch(aws_env: str) -> None:
    client = boto3.client("sqs", region_name="us-east-1")
    queue_url = client.create_queue(QueueName="work.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    plan = plan_invocation(
        {"id": "tick-9"}, _watchlist(_sources(8, 5)), threshold=10, queue_url=queue_url, batch_size=10
    )
    enqueue_batches(client, queue_url, plan.messages)
    enqueue_batches(client, queue_url, plan.messages)  # the scheduled invocation retried
    bodies = set()
    while True:
        answer = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        for message in answer.get("Messages", []):
            bodies.add(message["Body"])
            client.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if not answer.get("Messages"):
            break
    assert len(bodies) == len(plan.messages) == 4


def test_a_missing_queue_is_a_queue_error_naming_it(aws_env: str) -> None:
    client = boto3.client("sqs", region_name="us-east-1")
    missing = f"{aws_env}/123456789012/no-such-queue"
    messages = batch_messages(plan_batches(_sources(2, 2), 2), event_id="e")
    with pytest.raises(QueueError, match="no-such-queue"):
        enqueue_batches(client, missing, messages)
