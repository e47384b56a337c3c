"""Secrets never leave the process: whole runs with every kind of secret configured, Slack and
SMTP failing (so the error paths log too), LOG_LEVEL=DEBUG, and the logs and run report searched."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest

from alerts.store_sqlite import SqliteStore
from tests.faults import FeedServer, Job, SlackSink, story

ROOT = Path(__file__).resolve().parent.parent
BOT_TOKEN = "xoxb-000111-222333-NotARealTokenButSecret"
SMTP_PASSWORD = "hunter2-Sm7p-Pa55"


@pytest.fixture
def sink() -> Iterator[SlackSink]:
    server = SlackSink(default=(500, {})).start()  # Slack keeps failing: the error paths log
    yield server
    server.stop()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_twice(env: dict[str, str]) -> tuple[str, list[dict[str, object]]]:
    """Two runs (seed, then one with an alert to send); all output and both JSON reports."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "EMAIL_", "SMTP_", "TABLE_"))}
    full |= env | {"LOG_LEVEL": "DEBUG", "ALLOW_PRIVATE_HOSTS": "true"}
    output, reports = "", []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, str(ROOT / "handler.py"), "run", "--json"],
            cwd=ROOT,
            env=full,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        output += done.stdout + done.stderr
        reports.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return output, reports


def prepare(tmp_path: Path, feeds: FeedServer, sink: SlackSink) -> Job:
    job = Job(tmp_path, SqliteStore(str(tmp_path / "unused.db")), feeds, sink)
    job.publish("Wire", story("sec-1", "Patriot", "Egypt", "talks", datetime.now(UTC) - timedelta(days=3)))
    return job


def publish_change(job: Job) -> None:
    job.publish("Wire", story("sec-2", "Patriot", "Egypt", "deal", datetime.now(UTC)))


@pytest.mark.parametrize("slack", ["webhook_url", "webhook_param", "bot_token", "bot_token_param"])
def test_no_secret_reaches_the_logs_or_the_report(
    slack: str,
    feeds: FeedServer,
    sink: SlackSink,
    tmp_path: Path,
    aws_env: str,
) -> None:
    job = prepare(tmp_path, feeds, sink)
    env = {
        "DB_PATH": str(tmp_path / "watch.db"),
        "WATCHLIST": str(tmp_path / "watchlist.yaml"),
        "EMAIL_FROM": "watch@example.org",
        "EMAIL_TO": "analyst@example.org",
        "SMTP_URL": f"smtp://watcher:{SMTP_PASSWORD}@127.0.0.1:{closed_port()}",
        "AWS_ENDPOINT_URL": aws_env,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    secrets = [SMTP_PASSWORD]
    if slack == "webhook_url":
        env["SLACK_WEBHOOK_URL"] = sink.url
        secrets.append(sink.path)
    elif slack == "webhook_param":
        name = f"/watch/{tmp_path.name}/webhook"
        boto3.client("ssm").put_parameter(Name=name, Value=sink.url, Type="SecureString", Overwrite=True)
        env["SLACK_WEBHOOK_PARAM"] = name
        secrets.append(sink.path)
    else:
        env |= {"SLACK_CHANNEL": "C0WATCH", "SLACK_API_URL": sink.url.rsplit("/", 3)[0]}
        if slack == "bot_token":
            env["SLACK_BOT_TOKEN"] = BOT_TOKEN
        else:
            name = f"/watch/{tmp_path.name}/bot-token"
            boto3.client("ssm").put_parameter(Name=name, Value=BOT_TOKEN, Type="SecureString", Overwrite=True)
            env["SLACK_BOT_TOKEN_PARAM"] = name
        secrets.append(BOT_TOKEN)

    output, _ = run_twice(env)
    publish_change(job)
    more, reports = run_twice(env)
    output += more
    report = reports[0]
    # the alert really went down the failing paths (so they had a chance to leak)
    outcomes = {(a["channel"], a["status"]) for a in report["alerts"]}  # type: ignore[index]
    assert ("slack", "retry") in outcomes and ("email", "retry") in outcomes, report
    assert sink.refused >= 1
    assert '"name":"watch.outbox"' in output  # the failures were logged, at DEBUG level
    everything = output + json.dumps(reports)
    for secret in secrets:
        assert secret not in everything, f"{secret[:6]}... leaked"


def test_a_secret_in_a_traceback_or_an_extra_key_is_redacted_too() -> None:
    """The redactor rewrites messages; an exception logged with its traceback (whose text is made
    by the formatter, after the filters ran) or an extra key must not carry a secret out either."""
    script = """
import logging, sys
from scraper.config import read_config
from scraper.runtime import setup_logging
config = read_config({"SLACK_BOT_TOKEN": sys.argv[1], "SLACK_CHANNEL": "C1", "LOG_LEVEL": "INFO"})
setup_logging(config, stream=sys.stdout, run_id="r1")
log = logging.getLogger("watch.run")
try:
    raise RuntimeError("Slack refused token " + sys.argv[1] + ' in {"t": "' + sys.argv[1] + '"}')
except RuntimeError:
    log.exception("sending failed")
log.warning("plain", extra={"detail": "token=" + sys.argv[1]})
"""
    done = subprocess.run(
        [sys.executable, "-c", script, BOT_TOKEN], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["message"] for line in lines] == ["sending failed", "plain"]
    assert "RuntimeError" in lines[0]["exception"] and "[redacted]" in lines[0]["exception"]
    assert lines[1]["detail"] == "token=[redacted]"
    assert BOT_TOKEN not in done.stdout + done.stderr
