"""Fault injection, one kind at a time: misbehaving feed servers and a DynamoDB that throttles,
fails or loses answers (a proxy in front of moto). Each run reports the fault and keeps the
store consistent; reruns neither lose nor repeat an alert."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from alerts.store_dynamo import DynamoStore
from alerts.store_sqlite import SqliteStore
from scraper.errors import StoreError
from tests.faults import (
    AwsFaultProxy,
    FeedServer,
    Job,
    SlackSink,
    dynamo_behind_faults,
    later,
    random_rule,
    story,
)

T0 = datetime(2026, 8, 3, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("fault", ["500", "slow", "reset", "garbage", "trickle", "404"])
def test_a_broken_feed_is_reported_and_the_others_still_alert(
    fault: str, feeds: FeedServer, sink: SlackSink, tmp_path: Path
) -> None:
    job = Job(tmp_path, SqliteStore(str(tmp_path / "w.db")), feeds, sink, fetch_timeout=1.0)
    job.run(T0)
    job.publish("Wire", story("w-1", "Patriot", "Egypt", "deal", T0))
    job.publish("Desk", story("d-1", "NASAMS", "Turkey", "deal", T0))
    job.route("Desk").fault, job.route("Desk").delay = fault, 3.0

    report = job.run(later(T0, 1))
    outcome = {f.name: f for f in report.feeds}
    assert outcome["Wire"].status == "new"
    assert outcome["Desk"].status == "error" and outcome["Desk"].error
    assert f"ERROR {outcome['Desk'].error}" in report.to_text()
    assert sink.count("/w-1|") == 1 and sink.count("/d-1|") == 0

    job.route("Desk").fault = ""
    healed = job.run(later(T0, 2))
    assert [a.pair for a in healed.alerts if a.status == "sent"] == ["NASAMS x Turkey"]
    assert sink.count("/w-1|") == 1 and sink.count("/d-1|") == 1


@pytest.fixture
def faulty_dynamo(atomic_aws_env: str) -> Iterator[tuple[AwsFaultProxy, DynamoStore, dict[str, Any]]]:
    switch: dict[str, Any] = {"rule": None}
    with dynamo_behind_faults(
        atomic_aws_env,
        lambda r: switch["rule"](r) if switch["rule"] else None,
        base_delay=0.002,
        max_delay=0.05,
        max_attempts=4,
    ) as (proxy, store):
        yield proxy, store, switch


@pytest.mark.parametrize("kind", ["throttle", "error500", "lost"])
def test_dynamodb_faults_during_runs_lose_and_repeat_nothing(
    kind: str, faulty_dynamo: Any, feeds: FeedServer, sink: SlackSink, tmp_path: Path
) -> None:
    proxy, store, switch = faulty_dynamo
    job = Job(tmp_path, store, feeds, sink)
    job.run(T0)
    switch["rule"] = random_rule(random.Random(7), {kind: 0.25})
    expected = []
    for n, (system, country) in enumerate([("S-400", "Egypt"), ("IRIS-T", "Poland"), ("Patriot", "Norway")]):
        for step, stage in enumerate(("talks", "deal")):
            guid = f"{kind}-{n}-{stage}"
            job.publish(job.names[n % 2], story(guid, system, country, stage, T0 + timedelta(minutes=step)))
            expected.append(guid)
    outcomes = []
    for attempt in range(1, 6):
        try:
            outcomes.append(job.run(later(T0, attempt)).summary())
        except StoreError as exc:  # a run may give up on the store; state stays consistent
            outcomes.append(f"run failed: {exc}")
    switch["rule"] = None
    job.run(later(T0, 10))
    assert proxy.injected[kind] > 10, outcomes
    assert {guid: sink.count(f"/{guid}|") for guid in expected} == dict.fromkeys(expected, 1), outcomes
    assert store.pending_deliveries("slack") == []
    for guid in expected:
        assert store.hits_for_story(guid), f"hit of {guid} lost"
