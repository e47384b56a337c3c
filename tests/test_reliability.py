"""Overlapping and killed runs: two runs at once (threads and processes, SQLite and DynamoDB)
and a run SIGKILLed between claiming an alert and sending it. Every alert reaches the Slack
sink exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.faults import COUNTRIES, SYSTEMS, FeedServer, Job, SlackSink, later, story

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
PAIRS = [(s, c) for s in SYSTEMS for c in COUNTRIES]


def seed_then_advance(job: Job, round_no: int) -> list[str]:
    """Publish one stage change for every pair (split over both feeds); returns the story URLs."""
    stage = ("talks", "deal", "delivery", "deployment")[round_no]
    guids = []
    for n, (system, country) in enumerate(PAIRS):
        guid = f"r{round_no}-{n}"
        job.publish(job.names[n % 2], story(guid, system, country, stage, later(T0, round_no)))
        guids.append(guid)
    return guids


def run_together(job: Job, at: datetime) -> list[Any]:
    """Two runs of the job started at the same instant, in two threads."""
    barrier = threading.Barrier(2)
    reports: list[Any] = []

    def run() -> None:
        barrier.wait()
        reports.append(job.run(at))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return reports


def test_two_runs_at_the_same_moment_send_each_alert_once(
    any_store: Any, feeds: FeedServer, sink: SlackSink, tmp_path: Path
) -> None:
    job = Job(tmp_path, any_store, feeds, sink, alerts="  digest_after: 6\n")
    job.run(T0)  # seeds the (empty) feeds
    expected: list[str] = []
    for round_no in range(3):
        expected += seed_then_advance(job, round_no)
        reports = run_together(job, later(T0, round_no + 1))
        assert len(reports) == 2
    job.run(later(T0, 10))  # whatever one run left pending is sent now
    counts = {guid: sink.count(f"/{guid}|") for guid in expected}
    assert counts == dict.fromkeys(expected, 1)


def cli(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "EMAIL_", "SMTP_", "TABLE_"))}
    full.update(env)
    return subprocess.Popen(
        [sys.executable, str(ROOT / "handler.py"), "run", *args],
        cwd=ROOT,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def store_env(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    if kind == "sqlite":
        return {"DB_PATH": str(tmp_path / "watch.db")}
    import boto3

    from alerts.store_dynamo import create_table

    endpoint = request.getfixturevalue("atomic_aws_env")
    table = f"watch-{uuid.uuid4().hex[:12]}"
    create_table(boto3.client("dynamodb"), table)
    return {
        "TABLE_NAME": table,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


@pytest.mark.parametrize("kind", ["sqlite", "dynamo"])
def test_two_processes_at_once_send_each_alert_once(
    kind: str, feeds: FeedServer, sink: SlackSink, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from alerts.store_sqlite import SqliteStore

    job = Job(tmp_path, SqliteStore(str(tmp_path / "unused.db")), feeds, sink)
    env = store_env(kind, tmp_path, request) | {
        "WATCHLIST": str(tmp_path / "watchlist.yaml"),
        "SLACK_WEBHOOK_URL": sink.url,
        "ALLOW_PRIVATE_HOSTS": "true",
    }
    first = cli(env)
    assert first.wait(120) == 0, first.communicate()[1]
    expected = seed_then_advance(job, 0) + seed_then_advance(job, 1)
    runs = [cli(env), cli(env)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    counts = {guid: sink.count(f"/{guid}|") for guid in expected}
    # talks then deal for every pair: the "new" and the stage alert, once each
    assert counts == dict.fromkeys(expected, 1), outputs


@pytest.mark.parametrize("kind", ["sqlite", "dynamo"])
def test_a_run_killed_between_claim_and_send_is_finished_once_by_the_next_run(
    kind: str, feeds: FeedServer, sink: SlackSink, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from alerts.store_sqlite import SqliteStore

    job = Job(tmp_path, SqliteStore(str(tmp_path / "unused.db")), feeds, sink)
    env = store_env(kind, tmp_path, request) | {
        "WATCHLIST": str(tmp_path / "watchlist.yaml"),
        "SLACK_WEBHOOK_URL": sink.url,
        "ALLOW_PRIVATE_HOSTS": "true",
        "LEASE_SECONDS": "1",
    }
    assert cli(env).wait(120) == 0
    job.publish("Wire", story("kill-1", "S-400", "Egypt", "deal", datetime.now(UTC) - timedelta(hours=1)))

    sink.script = ["block"]  # the first POST hangs: the run has claimed the alert and is sending it
    victim = cli(env)
    assert sink.blocked.wait(60), victim.communicate(timeout=5)
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    sink.release()  # the held request is dropped: Slack never accepted it
    assert sink.accepted == []

    time.sleep(1.2)  # the dead run's lease lapses
    survivor = cli(env)
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err
    assert "S-400 x Egypt" in out and "sent" in out
    assert sink.count("/kill-1|") == 1
    again = cli(env)
    out, _ = again.communicate(timeout=120)
    assert sink.count("/kill-1|") == 1 and len(sink.accepted) == 1


def test_ctrl_c_while_sending_stops_after_the_message_in_hand_and_the_rest_go_next_run(
    feeds: FeedServer, sink: SlackSink, tmp_path: Path
) -> None:
    """The first Ctrl-C reached the run only at its next await, and sending awaits nothing: an interrupted run
    went on to send every alert, then exited without a word."""
    from alerts.store_sqlite import SqliteStore

    job = Job(tmp_path, SqliteStore(str(tmp_path / "unused.db")), feeds, sink)
    env = {
        "DB_PATH": str(tmp_path / "watch.db"),
        "WATCHLIST": str(tmp_path / "watchlist.yaml"),
        "SLACK_WEBHOOK_URL": sink.url,
        "ALLOW_PRIVATE_HOSTS": "true",
    }
    assert cli(env).wait(120) == 0
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    guids = [f"int-{n}" for n in range(4)]
    job.publish("Wire", *(story(g, SYSTEMS[n], COUNTRIES[n], "deal", hour_ago) for n, g in enumerate(guids)))
    sink.delay = 1.0  # a slow Slack: each message takes a second
    interrupted = cli(env)
    deadline = time.monotonic() + 60
    while not sink.accepted and time.monotonic() < deadline:
        time.sleep(0.05)
    interrupted.send_signal(signal.SIGINT)  # Ctrl-C, with the second message in hand
    _out, err = interrupted.communicate(timeout=60)
    assert interrupted.returncode == 130
    assert "interrupted: alerts sent so far are recorded as sent" in err
    assert len(sink.accepted) <= 2  # the one in hand finished; no new one started
    sink.delay = 0.0
    assert cli(env).wait(120) == 0
    assert {g: sink.count(f"/{g}|") for g in guids} == dict.fromkeys(guids, 1)


def test_the_same_scheduled_event_delivered_twice_at_once_runs_once(
    atomic_aws_env: str, feeds: FeedServer, sink: SlackSink, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    import handler
    from alerts.store_dynamo import create_table
    from alerts.store_sqlite import SqliteStore

    job = Job(tmp_path, SqliteStore(str(tmp_path / "unused.db")), feeds, sink)
    table = f"watch-{uuid.uuid4().hex[:12]}"
    create_table(boto3.client("dynamodb"), table)
    for key, value in {
        "TABLE_NAME": table,
        "WATCHLIST": str(tmp_path / "watchlist.yaml"),
        "SLACK_WEBHOOK_URL": sink.url,
        "ALLOW_PRIVATE_HOSTS": "true",
    }.items():
        monkeypatch.setenv(key, value)

    class Context:
        def get_remaining_time_in_millis(self) -> int:
            return 60_000

    handler.lambda_handler({"id": "first"}, Context())
    seed_then_advance(job, 0)
    barrier = threading.Barrier(2)
    reports: list[dict[str, Any]] = []

    def invoke() -> None:
        barrier.wait()
        reports.append(handler.lambda_handler({"id": "event-dup"}, Context()))

    threads = [threading.Thread(target=invoke) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(bool(r["skipped"]) for r in reports) == [False, True]
    assert len(sink.accepted) == len(PAIRS)
