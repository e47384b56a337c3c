"""Soak: 50 rounds over feeds that change every round, with random faults of every kind (feeds
500 / timeout / reset / garbage, Slack 429 / 500 / reset / refused, DynamoDB throttling, errors
and lost answers through a proxy, crashed runs holding leases, and real runs SIGKILLed), then
clean rounds to drain. Afterwards the Slack sink must hold every expected alert exactly once
and the store every hit. Set SOAK_SEED to replay a failure; the seed is printed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig

from alerts.store_dynamo import DynamoStore, create_table
from scraper.errors import StoreError
from tests.faults import (
    COUNTRIES,
    STAGES,
    SYSTEMS,
    AwsFaultProxy,
    FeedServer,
    Job,
    SlackSink,
    random_rule,
    story,
)

ROOT = Path(__file__).resolve().parent.parent
ROUNDS, DRAIN = 50, 5
KILL_ROUNDS = {12, 27, 41}
FEED_FAULTS = [("", 0.80), ("500", 0.05), ("garbage", 0.05), ("reset", 0.05), ("404", 0.03), ("slow", 0.02)]
SLACK_FAULTS = [("ok", 0.82), ((429, {"Retry-After": "20"}), 0.06), ((500, {}), 0.06), ("reset", 0.06)]


def pick(rng: random.Random, table: list[tuple[Any, float]]) -> Any:
    draw = rng.random()
    for value, weight in table:
        if draw < weight:
            return value
        draw -= weight
    return table[0][0]


def kill_a_real_run(env: dict[str, str], sink: SlackSink, rng: random.Random) -> str:
    """Run `handler.py run` and SIGKILL it mid-send (its first POST hangs) or at a random moment."""
    sink.script = ["block"]
    victim = subprocess.Popen(
        [sys.executable, str(ROOT / "handler.py"), "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    blocked = sink.blocked.wait(rng.uniform(1.0, 4.0))
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    sink.release()
    sink.script.clear()
    sink.rearm()
    return "killed mid-send" if blocked else "killed at random"


@pytest.mark.soak
def test_soak_every_alert_exactly_once_and_no_hit_lost(
    atomic_aws_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = int(os.environ.get("SOAK_SEED") or random.SystemRandom().randrange(10**6))
    with capsys.disabled():
        print(f"\nsoak seed: {seed} (replay with SOAK_SEED={seed})")
    rng = random.Random(seed)
    started = time.monotonic()

    table = f"soak-{uuid.uuid4().hex[:10]}"
    create_table(boto3.client("dynamodb"), table)
    faults_on = {"on": False}
    dynamo_rule = random_rule(random.Random(seed + 1), {"throttle": 0.06, "error500": 0.02, "lost": 0.02})
    proxy = AwsFaultProxy(atomic_aws_env, lambda r: dynamo_rule(r) if faults_on["on"] else None).start()
    feeds = FeedServer().start()
    sink = SlackSink().start()
    try:
        client = boto3.client(
            "dynamodb",
            endpoint_url=proxy.url,
            # DynamoStore's own bounded backoff does the retrying (botocore's waits up to seconds)
            config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 1}),
        )
        store = DynamoStore(table, client, base_delay=0.002, max_delay=0.05, max_attempts=4)
        job = Job(
            tmp_path,
            store,
            feeds,
            sink,
            names=("Wire", "Desk", "Monitor"),
            alerts="  digest_after: 1000\n  max_attempts: 1000\n  failing_after: 3\n",
            fetch_timeout=1.0,
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "EMAIL_", "SMTP_"))}
        env |= {
            "TABLE_NAME": table,
            "AWS_ENDPOINT_URL": proxy.url,
            "WATCHLIST": str(tmp_path / "watchlist.yaml"),
            "SLACK_WEBHOOK_URL": sink.url,
            "ALLOW_PRIVATE_HOSTS": "true",
        }
        pairs = [(s, c) for s in SYSTEMS for c in COUNTRIES]
        home = {pair: job.names[i % len(job.names)] for i, pair in enumerate(pairs)}  # one feed per pair
        progress = dict.fromkeys(pairs, 0)
        expected: dict[str, tuple[str, str, str]] = {}  # guid -> (system, country, stage)
        t0 = datetime.now(UTC).replace(microsecond=0)
        job.run(t0)  # first run: seeds the empty feeds
        events: Counter[str] = Counter()
        trail: list[str] = []  # one line per round, printed when the soak fails

        for round_no in range(1, ROUNDS + DRAIN + 1):
            now = t0 + timedelta(minutes=10 * round_no)  # a lease (300 s) lapses between rounds
            faulty = round_no <= ROUNDS
            # --- new stories: stage changes for a few pairs
            open_pairs = [p for p in pairs if progress[p] < len(STAGES)]
            if faulty and open_pairs:
                for pair in rng.sample(open_pairs, min(len(open_pairs), rng.randint(0, 3))):
                    stage = STAGES[progress[pair]]
                    progress[pair] += 1
                    guid = f"soak-{round_no}-{pair[0]}-{pair[1]}".lower()
                    published = now - timedelta(minutes=rng.randint(1, 9))
                    job.publish(home[pair], story(guid, pair[0], pair[1], stage, published))
                    expected[guid] = (pair[0], pair[1], stage)
            # --- faults for this round
            for name in job.names:
                job.route(name).fault = pick(rng, FEED_FAULTS) if faulty else ""
                job.route(name).delay = 1.5
            sink.default = pick(rng, SLACK_FAULTS) if faulty else "ok"
            refused = faulty and rng.random() < 0.05
            if refused:
                sink.down()
            faults_on["on"] = faulty
            if faulty and rng.random() < 0.08:
                # a crashed run: it claimed what was pending and died before sending
                for item in store.pending_deliveries("slack")[: rng.randint(1, 3)]:
                    try:
                        store.claim_delivery(item.alert.id, "slack", "crashed-run", now, 300)
                        events["lease left by a crash"] += 1
                    except StoreError:
                        pass
            # --- the run
            if round_no in KILL_ROUNDS:
                for name in job.names:
                    job.route(name).fault = ""  # a real run waits 20 s for a slow feed
                events[kill_a_real_run(env, sink, rng)] += 1
            try:
                t_run = time.monotonic()
                job.run(now)
                events["run"] += 1
                faults = [job.route(n).fault for n in job.names]
                trail.append(
                    f"round {round_no}: {time.monotonic() - t_run:.2f}s feeds={faults} slack={sink.default}"
                )
            except StoreError:
                events["run failed on the store"] += 1
            if refused:
                sink.up()

        elapsed = time.monotonic() - started
        with capsys.disabled():
            print(
                f"soak: {len(expected)} stage changes, {elapsed:.0f} s, {dict(events)}, "
                f"store faults {dict(proxy.injected)}, slack refused {sink.refused}"
            )

        # --- every expected alert exactly once
        counts = {guid: sink.count(f"/{guid}|") for guid in expected}
        wrong = {guid: n for guid, n in counts.items() if n != 1}
        if wrong:  # evidence for the report: what the store holds about each missing alert
            clean = DynamoStore(table, boto3.client("dynamodb"))
            for guid in wrong:
                system, country, _ = expected[guid]
                print(
                    guid,
                    clean.get_pairs([(system, country)]),
                    clean.hits_for_story(guid),
                    clean.get_stories([guid]),
                )
            print("\n".join(trail))
        assert not wrong, f"seed {seed}: alerts not delivered exactly once: {wrong}"
        texts = sink.accepted_text()
        assert len(texts) == len(set(texts)), f"seed {seed}: a message was delivered twice"
        pair_alerts = [t for t in texts if "Feed failing" not in t and "Feed recovered" not in t]
        assert len(pair_alerts) == len(expected)

        # --- no hit lost (read without the fault proxy)
        clean = DynamoStore(table, boto3.client("dynamodb"))
        for guid, (system, country, stage) in expected.items():
            hits = {(h.system, h.country, h.stage) for h in clean.hits_for_story(guid)}
            assert (system, country, stage) in hits, f"seed {seed}: hit of {guid} lost"
        assert clean.pending_deliveries("slack") == []
        assert elapsed < 180
    finally:
        sink.stop()
        feeds.stop()
        proxy.stop()
