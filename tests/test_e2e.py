"""The whole job through its real edges: loopback feeds, moto's server (DynamoDB, SES, SSM)
and a loopback Slack webhook. What an operator would see after `sam deploy`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import boto3
import pytest

import handler
from tests.loopback import Loopback, Route

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def rss(items: list[tuple[str, str, str]]) -> bytes:
    """A small RSS 2.0 feed from (guid, title, description)."""
    body = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title>"
        f"<link>https://news.example/{guid}</link>"
        f"<pubDate>{format_datetime(NOW - timedelta(hours=len(items) - i))}</pubDate>"
        f"<description>{text}</description></item>"
        for i, (guid, title, text) in enumerate(items)
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Test wire</title>"
        f"<link>https://news.example/</link><description>t</description>{body}</channel></rss>"
    ).encode()


BACKLOG = [
    (
        "t-1",
        "Turkey weighs more air defence",
        "Turkey is in talks with Russia about buying a second batch of S-400 missiles, officials said.",
    ),
    ("t-2", "Poland and the Patriot", "Poland signed a contract for more Patriot batteries on Tuesday."),
]
DELIVERY = (
    "t-3",
    "S-400 parts reach Ankara",
    "Turkey received the first components of a second S-400 battery from Russia on Monday, the defence ministry said.",
)


class Context:
    function_name = "defense-watch-test"
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self) -> int:
        return 120_000


@pytest.fixture
def deployment(aws_env: str, loopback: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Everything `sam deploy` would create, on loopback."""
    from alerts.store_dynamo import create_table

    table = f"watch-{tmp_path.name}"
    create_table(boto3.client("dynamodb"), table)
    webhook = loopback.url + "/slack/T000/B000/secretpath"
    boto3.client("ssm").put_parameter(
        Name="/test/slack-webhook", Value=webhook, Type="SecureString", Overwrite=True
    )
    boto3.client("sesv2").create_email_identity(EmailIdentity="watch@example.org")
    posted: list[dict] = []

    def slack(request):
        posted.append(json.loads(request.body))
        return 200, {"Content-Type": "text/plain"}, b"ok"

    loopback.routes["/slack/T000/B000/secretpath"] = Route(handler=slack)
    loopback.routes["/wire.xml"] = Route(body=rss(BACKLOG), headers={"Content-Type": "application/rss+xml"})
    loopback.routes["/broken.xml"] = Route(status=500, body=b"oops")
    loopback.routes["/garbage.xml"] = Route(
        body=b"\x00\x01 this is not a feed <<<", headers={"Content-Type": "application/xml"}
    )
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(
        f"""
feeds:
  - name: Test wire
    url: {loopback.url}/wire.xml
  - name: Broken
    url: {loopback.url}/broken.xml
  - name: Garbage
    url: {loopback.url}/garbage.xml
systems:
  - name: S-400
    aliases: [S-400, S400, Triumf]
    origin: [Russia]
  - name: Patriot
    aliases: [Patriot, MIM-104, PAC-3]
    exclude: [New England Patriots]
    origin: [United States]
countries:
  - name: Turkey
    aliases: [Turkey, Turkish, Türkiye, Ankara]
  - name: Poland
    aliases: [Poland, Polish, Warsaw]
  - name: Russia
    aliases: [Russia, Russian, Moscow]
  - name: United States
    aliases: [United States, U.S., US, Washington]
watches:
  - systems: [S-400, Patriot]
    countries: [Turkey, Poland]
    alert_on: [new, stage]
    notify: [slack, email]
""",
        encoding="utf-8",
    )
    for key, value in {
        "TABLE_NAME": table,
        "WATCHLIST": str(watchlist),
        "SLACK_WEBHOOK_PARAM": "/test/slack-webhook",
        "EMAIL_FROM": "watch@example.org",
        "EMAIL_TO": "analyst@example.org",
        "ALLOW_PRIVATE_HOSTS": "true",
    }.items():
        monkeypatch.setenv(key, value)
    return {"posted": posted, "webhook": webhook, "table": table}


def _event(n: int) -> dict:
    return {"id": f"event-{n}", "detail-type": "Scheduled Event", "source": "aws.events"}


def test_first_run_seeds_then_a_delivery_alerts_once(deployment, loopback: Loopback, capsys) -> None:
    report = handler.lambda_handler(_event(1), Context())
    feeds = {f["name"]: f for f in report["feeds"]}
    assert feeds["Test wire"]["status"] == "new"
    assert feeds["Broken"]["status"] == "error" and "500" in feeds["Broken"]["error"]
    assert feeds["Garbage"]["status"] == "error"
    # the broken feeds do not stop the good one from producing hits
    assert {(h["system"], h["country"]) for h in report["hits"]} >= {
        ("S-400", "Turkey"),
        ("Patriot", "Poland"),
    }
    assert report["seeded"] == ["Test wire"]
    assert deployment["posted"] == []  # the backlog is seeded, not alerted

    loopback.routes["/wire.xml"] = Route(
        body=rss([*BACKLOG, DELIVERY]), headers={"Content-Type": "application/rss+xml"}
    )
    report = handler.lambda_handler(_event(2), Context())
    sent = [a for a in report["alerts"] if a["status"] == "sent"]
    assert {(a["pair"], a["channel"]) for a in sent} == {
        ("S-400 x Turkey", "slack"),
        ("S-400 x Turkey", "email"),
    }
    assert len(deployment["posted"]) == 1
    payload = deployment["posted"][0]
    header = next(b for b in payload["blocks"] if b["type"] == "header")
    assert "S-400 x Turkey" in header["text"]["text"] and "delivery" in header["text"]["text"]
    assert header["text"]["type"] == "plain_text" and len(header["text"]["text"]) <= 150
    assert all(b["type"] in {"header", "section", "context", "divider", "actions"} for b in payload["blocks"])
    assert "news.example/t-3" in json.dumps(payload)

    report = handler.lambda_handler(_event(3), Context())
    assert [a for a in report["alerts"] if a["status"] == "sent"] == []
    assert len(deployment["posted"]) == 1
    # the webhook (a secret) never reaches the logs
    assert deployment["webhook"] not in capsys.readouterr().out


def test_a_context_without_a_clock_runs_without_a_deadline(deployment, loopback: Loopback) -> None:
    # a test harness's bare context object raised AttributeError out of the handler
    report = handler.lambda_handler(_event(20), object())
    assert {f["name"]: f["status"] for f in report["feeds"]}["Test wire"] == "new"


def test_the_same_scheduled_event_twice_does_nothing_twice(deployment, loopback: Loopback) -> None:
    handler.lambda_handler(_event(10), Context())
    again = handler.lambda_handler(_event(10), Context())
    assert again["skipped"]
    assert again["feeds"] == []


def test_many_sources_fan_out_to_sqs_and_a_worker_runs_its_batch(
    deployment, loopback: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="watch-work")["QueueUrl"]
    monkeypatch.setenv("QUEUE_URL", queue_url)
    monkeypatch.setenv("BATCH_THRESHOLD", "2")  # the watchlist has 3 sources

    scheduled = handler.lambda_handler(_event(20), Context())
    assert scheduled == {"fanned_out": 1, "sources": 3}
    assert deployment["posted"] == []  # the scheduler itself fetches and sends nothing
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 1
    worker_event = {
        "Records": [
            {"eventSource": "aws:sqs", "messageId": m["MessageId"], "body": m["Body"]} for m in messages
        ]
    }

    report = handler.lambda_handler(worker_event, Context())
    assert {f["name"] for f in report["feeds"]} == {"Test wire", "Broken", "Garbage"}
    assert report["batchItemFailures"] == []
    assert {(h["system"], h["country"]) for h in report["hits"]} >= {("S-400", "Turkey")}
    # SQS delivers at least once: the same message again does no work twice
    again = handler.lambda_handler(worker_event, Context())
    assert again["skipped"] and again["feeds"] == []
    # a message this build cannot read (another version) is skipped, and the report says so
    unreadable = {"Records": [{"eventSource": "aws:sqs", "messageId": "m-v2", "body": '{"v": 2}'}]}
    skipped = handler.lambda_handler(unreadable, Context())
    assert skipped["feeds"] == [] and any(
        n.startswith("work message m-v2 is not a batch") for n in skipped["notes"]
    )
