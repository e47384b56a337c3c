"""The alert outbox against real edges: a loopback Slack webhook with scripted failures, SES on
moto (through a fault proxy for throttling), and both stores. What the analyst sees in Slack
and the inbox after runs that crash, fail and retry."""

from __future__ import annotations

import dataclasses
import io
import json
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config as BotoConfig

from alerts.console import ConsoleNotifier
from alerts.email import SesMailer
from alerts.model import Alert
from alerts.outbox import alert_outcome, deliver_pending
from alerts.slack import SlackWebhook
from scraper.model import AlertSettings
from scraper.report import RunReport
from tests.faults import AwsFaultProxy, SlackSink, dynamo_behind_faults

NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
LEASE = 300.0


def make_alert(n: int, **changes: Any) -> Alert:
    fields: dict[str, Any] = {
        "id": f"alert-{n:03d}",
        "kind": "stage",
        "system": "NASAMS",
        "country": "Norway",
        "old_stage": "deal",
        "new_stage": "delivery",
        "title": f"Norway takes delivery of NASAMS unit {n}",
        "url": f"https://news.example/nasams-{n}",
        "source": "Test wire",
        "published": NOW - timedelta(hours=1),
        "evidence": f"Norway received NASAMS unit {n} on Monday, the ministry said.",
        "created": NOW + timedelta(seconds=n),
    }
    return Alert(**(fields | changes))


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=httpx.Timeout(5.0, connect=2.0)) as client:
        yield client


def deliver(
    store: Any, notifiers: dict[str, Any], at: datetime, *, has_time: Any = lambda: True, **settings: Any
) -> RunReport:
    report = RunReport(run_id=uuid.uuid4().hex[:12], started=at)
    deliver_pending(
        store,
        notifiers,
        AlertSettings(**({"digest_after": 50} | settings)),
        run_id=report.run_id,
        now=at,
        lease_seconds=LEASE,
        has_time=has_time,
        report=report,
    )
    return report


def statuses(report: RunReport) -> list[tuple[str, str, str]]:
    return [(a.alert_id, a.channel, a.status) for a in report.alerts]


def test_an_alert_left_claimed_by_a_crashed_run_is_sent_once_after_the_lease(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    slack = {"slack": SlackWebhook(sink.url, http)}
    any_store.enqueue_alert(make_alert(1), "slack", NOW)
    # a run claimed it and died before sending
    assert any_store.claim_delivery("alert-001", "slack", "crashed-run", NOW, LEASE) is not None

    early = deliver(any_store, slack, NOW + timedelta(seconds=LEASE - 1))
    assert sink.accepted == []  # the lease still keeps others off, and the report says so
    assert statuses(early) == [("alert-001", "slack", "held")]
    assert early.alerts[0].error == (
        "another run is sending it (its lease ends at 08:05:00 UTC; if that run fails, a later run sends it)"
    )

    later = deliver(any_store, slack, NOW + timedelta(seconds=LEASE + 1))
    assert statuses(later) == [("alert-001", "slack", "sent")]
    assert sink.count("nasams-1") == 1

    again = deliver(any_store, slack, NOW + timedelta(seconds=3 * LEASE))
    assert again.alerts == [] and len(sink.accepted) == 1


def report_lines(report: RunReport) -> list[str]:
    return [line.strip() for line in report.to_text().splitlines() if line.strip().startswith("alert ")]


def test_the_run_report_words_every_alerts_as_their_messages_do(any_store: Any) -> None:
    # An every-only watch's first story read "every: talks" while its message said "new (talks)"; a later
    # "talks" story read "deal -> talks" though the pair stayed at deal.
    first = make_alert(1, kind="every", old_stage=None, new_stage="talks")
    again = make_alert(2, kind="every", old_stage="deal", new_stage="talks", repeat=True)
    for alert in (first, again):
        any_store.enqueue_alert(alert, "console", NOW)
    out = io.StringIO()
    report = deliver(any_store, {"console": ConsoleNotifier(out)}, NOW)
    said = "talks (another report; the pair stays at deal)"
    assert report_lines(report) == [
        "alert NASAMS x Norway new: talks via console: sent",
        f"alert NASAMS x Norway {said} via console: sent",
    ]
    assert "NASAMS x Norway: new (talks)\n" in out.getvalue()
    assert f"NASAMS x Norway: {said}\n" in out.getvalue()


def test_the_run_summary_counts_alerts_not_deliveries(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    # Three alerts over two channels read "6 alerts sent"; a 7-alert digest over two, "14 alerts sent".
    notifiers = {"slack": SlackWebhook(sink.url, http), "console": ConsoleNotifier(io.StringIO())}
    for n in range(1, 4):
        for channel in notifiers:
            any_store.enqueue_alert(make_alert(n), channel, NOW)
    assert deliver(any_store, notifiers, NOW).summary().endswith(", 3 alerts sent (6 deliveries)")
    for n in range(10, 17):
        for channel in notifiers:
            any_store.enqueue_alert(make_alert(n), channel, NOW)
    digest = deliver(any_store, notifiers, NOW + timedelta(minutes=5), digest_after=5)
    assert digest.summary().endswith(", 7 alerts sent (14 deliveries)")
    # one alert on one channel, and a later source ("also reported by") apart from the alerts
    one = RunReport(run_id="r", started=NOW)
    one.alerts.append(alert_outcome(make_alert(20), "slack", "sent"))
    assert one.summary().endswith(", 1 alert sent")
    one.alerts.append(alert_outcome(make_alert(21, kind="also_reported"), "slack", "sent"))
    assert one.summary().endswith(", 1 alert and 1 more report sent")


def test_slack_down_does_not_hold_back_email_and_slack_gets_it_later_once(
    aws_env: str, tmp_path: Any, sink: SlackSink, http: httpx.Client
) -> None:
    from alerts.store_sqlite import SqliteStore

    store = SqliteStore(str(tmp_path / "watch.db"))
    ses = boto3.client("sesv2")
    ses.create_email_identity(EmailIdentity="watch@example.org")
    notifiers = {
        "slack": SlackWebhook(sink.url, http),
        "email": SesMailer(ses, "watch@example.org", ("analyst@example.org",)),
    }
    for channel in notifiers:
        store.enqueue_alert(make_alert(2), channel, NOW)
    sink.down()  # connection refused

    first = deliver(store, notifiers, NOW)
    assert sorted(statuses(first)) == [("alert-002", "email", "sent"), ("alert-002", "slack", "retry")]
    slack_item = store.get_delivery("alert-002", "slack")
    assert slack_item is not None and slack_item.status == "pending"
    assert "unreachable" in slack_item.last_error

    sink.up()
    second = deliver(store, notifiers, NOW + timedelta(minutes=5))
    assert statuses(second) == [("alert-002", "slack", "sent")]  # email is not sent twice
    assert sink.count("nasams-2") == 1
    assert deliver(store, notifiers, NOW + timedelta(minutes=10)).alerts == []


def test_an_alert_the_channel_keeps_refusing_while_others_go_through_is_given_up_and_reported(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    """A failure counts towards giving up only once the channel has shown it works: here each run the
    first alert gets a 500, the next goes through, and the first is tried once more and refused again."""
    slack = {"slack": SlackWebhook(sink.url, http)}
    any_store.enqueue_alert(make_alert(3), "slack", NOW)
    outcomes = []
    for run in range(5):
        later = make_alert(10 + run, country="Finland", created=NOW + timedelta(minutes=10 * run, seconds=30))
        any_store.enqueue_alert(later, "slack", NOW)
        sink.script = [(500, {}), "ok", (500, {})] if run < 3 else []  # alert-003 is given up in run 3
        report = deliver(any_store, slack, NOW + timedelta(minutes=10 * run), max_attempts=3)
        outcomes.append([(a.alert_id, a.status, a.error) for a in report.alerts if a.alert_id == "alert-003"])
    assert [[status for _id, status, _e in o] for o in outcomes] == [
        ["retry", "retry"],
        ["retry", "retry"],
        ["retry", "failed"],
        [],
        [],
    ]
    assert "gave up after 3 attempts" in outcomes[2][1][2]
    assert [sink.count(f"nasams-{10 + run}") for run in range(5)] == [
        1,
        1,
        1,
        1,
        1,
    ]  # the others went through
    item = any_store.get_delivery("alert-003", "slack")
    assert item is not None and item.status == "failed" and "500" in item.last_error
    assert any_store.pending_deliveries("slack") == []


def _three_alerts_and_slack_failing(
    store: Any, sink: SlackSink, http: httpx.Client, failure: Any, *, lasting: bool
) -> dict[str, SlackWebhook]:
    """Alerts 4-6 pending, and Slack failing with ``failure``: once, or (``lasting``) until told otherwise."""
    for n, country in (
        (4, "Norway"),
        (5, "Finland"),
        (6, "Estonia"),
    ):  # three pairs: any may probe the channel
        store.enqueue_alert(make_alert(n, country=country), "slack", NOW)
    if failure == "refused":
        sink.down()
    elif lasting:
        sink.default = failure
    else:
        sink.script = [failure]
    return {"slack": SlackWebhook(sink.url, http)}


@pytest.mark.parametrize("failure", [(503, {}), "refused"], ids=["503", "refused"])
def test_an_outage_longer_than_max_attempts_runs_gives_up_nothing(
    any_store: Any, sink: SlackSink, http: httpx.Client, failure: Any
) -> None:
    """Slack down for eight runs (max_attempts 3): no alert is given up, and each is sent once it is back.
    (The outage is the channel's, not the messages': failing runs before it worked do not count.)"""
    slack = _three_alerts_and_slack_failing(any_store, sink, http, failure, lasting=True)
    for run in range(8):
        report = deliver(any_store, slack, NOW + timedelta(minutes=15 * run), max_attempts=3)
        assert {a.status for a in report.alerts} == {"retry"}, report.alerts
    assert all(item.status == "pending" for item in any_store.pending_deliveries("slack"))
    sink.up() if failure == "refused" else setattr(sink, "default", "ok")
    back = deliver(any_store, slack, NOW + timedelta(hours=3), max_attempts=3)
    assert [a.status for a in back.alerts] == ["sent", "sent", "sent"]
    assert [sink.count(f"nasams-{n}") for n in (4, 5, 6)] == [1, 1, 1]


@pytest.mark.parametrize(
    "failure",
    [(429, {"Retry-After": "30"}), (500, {}), "reset", "refused"],
    ids=["429-retry-after", "500", "reset", "refused"],
)
def test_a_transient_slack_failure_leaves_the_alerts_pending_for_the_next_run(
    any_store: Any, sink: SlackSink, http: httpx.Client, failure: Any
) -> None:
    slack = _three_alerts_and_slack_failing(any_store, sink, http, failure, lasting=False)

    first = deliver(any_store, slack, NOW)
    if failure in ((500, {}), "reset"):
        # one failure, then the next alert goes through (the channel works): the first is tried again
        assert [(a.alert_id, a.status) for a in first.alerts] == [
            ("alert-004", "retry"),
            ("alert-005", "sent"),
            ("alert-004", "sent"),
            ("alert-006", "sent"),
        ]
        assert [sink.count(f"nasams-{n}") for n in (4, 5, 6)] == [1, 1, 1]
        return
    # rate limited, or unreachable (the next alert fails too): the channel is left alone for this run
    assert [a.status for a in first.alerts] == ["retry", "retry", "retry"]
    assert sink.accepted == []
    assert {i.alert.id for i in any_store.pending_deliveries("slack")} == {
        "alert-004",
        "alert-005",
        "alert-006",
    }

    if failure == "refused":
        sink.up()
    second = deliver(any_store, slack, NOW + timedelta(minutes=5))
    assert [a.status for a in second.alerts] == ["sent", "sent", "sent"]
    assert [sink.count(f"nasams-{n}") for n in (4, 5, 6)] == [1, 1, 1]
    assert len(sink.accepted) == 3


def test_a_digest_that_fails_is_retried_whole_and_sent_once(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    slack = {"slack": SlackWebhook(sink.url, http)}
    for n in range(10, 17):
        any_store.enqueue_alert(make_alert(n), "slack", NOW)
    sink.script = [(503, {})]
    first = deliver(any_store, slack, NOW, digest_after=5)
    assert {a.status for a in first.alerts} == {"retry"} and len(first.alerts) == 7
    second = deliver(any_store, slack, NOW + timedelta(minutes=5), digest_after=5)
    assert {a.status for a in second.alerts} == {"sent"} and len(second.alerts) == 7
    assert len(sink.accepted) == 1  # one digest message
    assert all(sink.count(f"nasams-{n}") == 1 for n in range(10, 17))
    assert deliver(any_store, slack, NOW + timedelta(minutes=10), digest_after=5).alerts == []


def test_ses_throttling_keeps_the_email_pending_and_sends_it_next_run(
    aws_env: str, tmp_path: Any, sink: SlackSink, http: httpx.Client
) -> None:
    from alerts.store_sqlite import SqliteStore

    throttled = {"on": True}
    proxy = AwsFaultProxy(aws_env, lambda r: "ses429" if r.service == "sesv2" and throttled["on"] else None)
    proxy.start()
    try:
        ses = boto3.client(
            "sesv2",
            endpoint_url=proxy.url,
            config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 2}),
        )
        boto3.client("sesv2").create_email_identity(EmailIdentity="watch@example.org")
        store = SqliteStore(str(tmp_path / "watch.db"))
        notifiers = {
            "email": SesMailer(ses, "watch@example.org", ("analyst@example.org",)),
            "slack": SlackWebhook(sink.url, http),
        }
        for channel in notifiers:
            store.enqueue_alert(make_alert(7), channel, NOW)

        first = deliver(store, notifiers, NOW)
        assert sorted(statuses(first)) == [("alert-007", "email", "retry"), ("alert-007", "slack", "sent")]
        email = store.get_delivery("alert-007", "email")
        assert email is not None and email.status == "pending"
        assert "TooManyRequests" in email.last_error
        assert proxy.injected["ses429"] == 2  # botocore tried twice, then left it to the outbox

        throttled["on"] = False
        second = deliver(store, notifiers, NOW + timedelta(minutes=5))
        assert statuses(second) == [("alert-007", "email", "sent")]
        assert proxy.calls["sesv2:/v2/email/outbound-emails"] == 3
        assert sink.count("nasams-7") == 1
    finally:
        proxy.stop()


def test_a_lost_mark_sent_repeats_the_alert_once_after_the_lease(
    atomic_aws_env: str, sink: SlackSink, http: httpx.Client
) -> None:
    """The at-least-once window, shown: Slack took the message, recording it failed. Nothing
    can close this for a webhook; the lease bounds it to one repeat, after the lease."""
    failing = {"on": True}

    def rule(request: Any) -> str | None:
        if failing["on"] and request.operation == "UpdateItem" and b":sent" in request.body:
            return "error500"
        return None

    with dynamo_behind_faults(atomic_aws_env, rule, base_delay=0.001) as (_, store):
        slack = {"slack": SlackWebhook(sink.url, http)}
        store.enqueue_alert(make_alert(8), "slack", NOW)
        store.enqueue_alert(make_alert(9, system="Patriot", country="Poland"), "slack", NOW)  # another pair

        first = deliver(store, slack, NOW)
        assert [(a.alert_id, a.status) for a in first.alerts] == [("alert-008", "sent")]
        assert "not recorded" in first.alerts[0].error
        assert any("outbox write failed" in note for note in first.notes)
        assert sink.count("nasams-8") == 1 and sink.count("nasams-9") == 0  # the channel stopped

        failing["on"] = False
        within_lease = deliver(store, slack, NOW + timedelta(seconds=LEASE / 2))
        assert [(a.alert_id, a.status) for a in within_lease.alerts] == [
            ("alert-008", "held"),
            ("alert-009", "sent"),
        ]
        after_lease = deliver(store, slack, NOW + timedelta(seconds=2 * LEASE))
        assert [a.alert_id for a in after_lease.alerts] == ["alert-008"]
        assert sink.count("nasams-8") == 2  # the one repeat the window allows
        assert deliver(store, slack, NOW + timedelta(seconds=4 * LEASE)).alerts == []


def test_a_give_up_whose_answer_was_lost_is_still_reported_failed(
    atomic_aws_env: str, sink: SlackSink, http: httpx.Client
) -> None:
    """DynamoDB applied the give-up but its answer was lost: the retried write finds the lease gone. The
    report must say the alert failed, not that another run will deliver it."""
    lost = {"left": 1}

    def rule(request: Any) -> str | None:
        if request.operation == "UpdateItem" and b"last_error" in request.body and lost["left"]:
            lost["left"] -= 1
            return "lost"
        return None

    with dynamo_behind_faults(atomic_aws_env, rule, base_delay=0.001) as (_, store):
        sink.default = (400, {})  # Slack refuses this message: given up at once
        store.enqueue_alert(make_alert(7), "slack", NOW)
        report = deliver(store, {"slack": SlackWebhook(sink.url, http)}, NOW)
        item = store.get_delivery("alert-007", "slack")
        assert item is not None and item.status == "failed"
        assert [a.status for a in report.alerts] == ["failed"]


def test_claims_racing_from_many_threads_send_each_alert_once(any_store: Any, sink: SlackSink) -> None:
    from concurrent.futures import ThreadPoolExecutor

    for n in range(20, 32):
        any_store.enqueue_alert(make_alert(n), "slack", NOW)
    rng = random.Random(4)
    sink.default = lambda: "ok" if rng.random() > 0.2 else (500, {})

    def one_run(i: int) -> RunReport:
        with httpx.Client(timeout=5.0) as client:
            return deliver(any_store, {"slack": SlackWebhook(sink.url, client)}, NOW)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(one_run, range(16)))
    sink.default = "ok"
    deliver(any_store, {"slack": SlackWebhook(sink.url, httpx.Client())}, NOW + timedelta(hours=2))
    counts = {n: sink.count(f"nasams-{n}|") for n in range(20, 32)}
    assert counts == dict.fromkeys(range(20, 32), 1), json.dumps(counts)


def test_a_digest_lists_one_runs_changes_of_a_pair_in_the_order_they_happened(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    # One run decided both: the pair's first sighting (older story), then its advance. The ids
    # sort the other way round, as content hashes may.
    first = make_alert(
        1, id="alert-z", kind="new", old_stage=None, new_stage="mention", published=NOW - timedelta(days=2)
    )
    later = make_alert(
        2, id="alert-a", old_stage="mention", new_stage="deployment", published=NOW - timedelta(days=1)
    )
    undated = make_alert(3, id="alert-0", country="Sweden", published=None)
    for alert in (later, undated, first):
        any_store.enqueue_alert(dataclasses.replace(alert, created=NOW), "slack", NOW)
    report = deliver(any_store, {"slack": SlackWebhook(sink.url, http)}, NOW, digest_after=2)
    assert [a.alert_id for a in report.alerts] == ["alert-z", "alert-a", "alert-0"]
    text = json.dumps(sink.accepted[0])
    assert text.index("nasams-1") < text.index("nasams-2") < text.index("nasams-3")


def test_a_console_digest_is_grouped_by_pair_as_slack_and_email_are(any_store: Any) -> None:
    # `run --demo` printed "S-400 x Turkey: new (mention)" 4th and its "mention -> deployment" 22nd.
    alerts = [
        make_alert(1, kind="new", old_stage=None, new_stage="mention", title="Norway first"),
        make_alert(2, country="Sweden", kind="new", old_stage=None, new_stage="talks", title="Sweden only"),
        make_alert(3, old_stage="mention", new_stage="deployment", title="Norway later"),
    ]
    for alert in alerts:
        any_store.enqueue_alert(alert, "console", NOW)
    out = io.StringIO()
    deliver(any_store, {"console": ConsoleNotifier(out)}, NOW, digest_after=2)
    lines = out.getvalue().splitlines()
    assert lines[0] == "=== 3 alerts ==="
    shown = [line for line in lines if line.startswith(("== ", "NASAMS x "))]
    assert shown == [
        "== NASAMS x Norway ==",
        "NASAMS x Norway: new (mention)",
        "NASAMS x Norway: mention -> deployment",
        "== NASAMS x Sweden ==",
        "NASAMS x Sweden: new (talks)",
    ]


def test_a_digest_too_big_for_one_slack_message_goes_out_whole_in_several(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    slack = {"slack": SlackWebhook(sink.url, http)}
    for n in range(60):
        any_store.enqueue_alert(make_alert(n, country=f"Country{n}", id=f"alert-{n:03d}"), "slack", NOW)
    sink.script = ["ok", (503, {})]  # the second message fails: only its alerts wait
    first = deliver(any_store, slack, NOW)
    sent = {a.alert_id for a in first.alerts if a.status == "sent"}
    assert len(sink.accepted) == 1 and 0 < len(sent) < 60
    assert all(sink.count(f"nasams-{n}|") == (f"alert-{n:03d}" in sent) for n in range(60))
    second = deliver(any_store, slack, NOW + timedelta(minutes=5))
    assert {a.alert_id for a in second.alerts if a.status == "sent"} == {
        f"alert-{n:03d}" for n in range(60)
    } - sent
    assert len(sink.accepted) >= 3  # 60 alerts do not fit one message
    assert all(sink.count(f"nasams-{n}|") == 1 for n in range(60))
    assert all("not shown" not in text for text in sink.accepted_text())


def test_a_deleted_webhook_keeps_the_alerts_waiting_until_it_works_again(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    # Slack answers 404 no_service for a webhook that was removed: every message meets it, so
    # the alerts wait however many runs pass (max_attempts gives up only message-level failures).
    sink.default = (404, {})
    slack = {"slack": SlackWebhook(sink.url, http)}
    for n in (1, 2):
        any_store.enqueue_alert(make_alert(n), "slack", NOW)
    for run in range(5):
        report = deliver(any_store, slack, NOW + timedelta(minutes=10 * run), max_attempts=2)
        assert [a.status for a in report.alerts] == ["blocked", "retry"]  # the second is not tried
        assert "waits until the channel is fixed" in report.alerts[0].error
    # Fixed: the blocked runs did not use up max_attempts, so one transient failure gives up nothing.
    sink.default = "ok"
    sink.script = [(503, {})]
    report = deliver(any_store, slack, NOW + timedelta(hours=2), max_attempts=2)
    # alert-002 (the same pair) waits behind alert-001 rather than go first
    assert [(a.alert_id, a.status) for a in report.alerts] == [("alert-001", "retry"), ("alert-002", "retry")]
    report = deliver(any_store, slack, NOW + timedelta(hours=3), max_attempts=2)
    assert [(a.alert_id, a.status) for a in report.alerts] == [("alert-001", "sent"), ("alert-002", "sent")]
    assert sink.count("nasams-1|") == 1 and sink.count("nasams-2|") == 1


def test_a_slack_that_never_answers_in_time_keeps_the_alert_pending_and_gives_up_nothing(
    any_store: Any, sink: SlackSink
) -> None:
    """No answer is no proof of delivery (a hung Slack, a proxy that never answers): the alert stays pending
    for as many runs as it takes, and is sent once an answer comes. (Each unanswered POST may have arrived:
    the documented repeat, for as long as Slack answers too late.)"""
    sink.delay = 0.6
    with httpx.Client(timeout=httpx.Timeout(0.2, connect=2.0)) as slow_answers:
        slack = {"slack": SlackWebhook(sink.url, slow_answers)}
        any_store.enqueue_alert(make_alert(7), "slack", NOW)
        runs = [deliver(any_store, slack, NOW + timedelta(minutes=10 * n), max_attempts=2) for n in range(4)]
    assert [[a.status for a in r.alerts] for r in runs] == [["retry"]] * 4
    assert "timed out waiting for an answer" in runs[-1].alerts[0].error
    item = any_store.get_delivery("alert-007", "slack")
    assert item is not None and item.status == "pending"
    sink.delay = 0.0
    with httpx.Client(timeout=httpx.Timeout(2.0)) as answered:
        back = deliver(any_store, {"slack": SlackWebhook(sink.url, answered)}, NOW + timedelta(hours=1))
    assert [a.status for a in back.alerts] == ["sent"]


def test_the_retry_after_a_probe_starts_only_in_time(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    slack = _three_alerts_and_slack_failing(any_store, sink, http, (500, {}), lasting=False)
    checks = {"n": 0}

    def two_sends_of_time() -> bool:
        checks["n"] += 1
        return checks["n"] <= 2

    report = deliver(any_store, slack, NOW, has_time=two_sends_of_time)
    # alert-004 failed, alert-005 went through; the deadline came before alert-004's second try
    assert [(a.alert_id, a.status) for a in report.alerts] == [("alert-004", "retry"), ("alert-005", "sent")]
    assert report.deferred == [
        "slack delivery of NASAMS x Norway (deadline)",
        "slack delivery of NASAMS x Estonia (deadline)",
    ]
    assert len(sink.accepted) == 1


def test_a_pairs_alerts_never_overtake_one_that_failed(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    """Norway's first alert fails once; Finland's goes through (the channel works) and Norway's first is sent
    on its second try. Norway's later alerts wait for the next run rather than arrive before it."""
    slack = {"slack": SlackWebhook(sink.url, http)}
    for n, country in ((1, "Norway"), (2, "Norway"), (3, "Finland"), (4, "Norway")):
        any_store.enqueue_alert(make_alert(n, country=country), "slack", NOW)
    sink.script = [(500, {})]
    first = deliver(any_store, slack, NOW)
    assert [(a.alert_id, a.status) for a in first.alerts] == [
        ("alert-001", "retry"),
        ("alert-002", "retry"),
        ("alert-003", "sent"),
        ("alert-001", "sent"),
        ("alert-004", "retry"),
    ]
    second = deliver(any_store, slack, NOW + timedelta(minutes=10))
    assert [(a.alert_id, a.status) for a in second.alerts] == [("alert-002", "sent"), ("alert-004", "sent")]
    order = [json.dumps(message) for message in sink.accepted]
    assert [next(n for n in (1, 2, 3, 4) if f"nasams-{n}|" in m) for m in order] == [3, 1, 2, 4]


def test_a_digest_in_several_messages_starts_none_past_the_deadline(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    slack = {"slack": SlackWebhook(sink.url, http)}
    for n in range(100, 160):
        any_store.enqueue_alert(
            make_alert(n, evidence="Norway received more NASAMS units. " * 20), "slack", NOW
        )
    calls = {"n": 0}

    def one_message_of_time() -> bool:  # time for the first message only
        calls["n"] += 1
        return calls["n"] == 1

    report = deliver(any_store, slack, NOW, has_time=one_message_of_time, digest_after=5)
    assert len(sink.accepted) == 1
    sent = [a for a in report.alerts if a.status == "sent"]
    waiting = [a for a in report.alerts if a.status == "retry"]
    assert sent and waiting and len(sent) + len(waiting) == 60
    assert all("not sent: deadline" in a.error for a in waiting)
    assert len(report.deferred) == 1 and report.deferred[0].startswith("slack digest messages 2-")
    later = deliver(any_store, slack, NOW + timedelta(minutes=10), digest_after=5)
    assert sorted(a.alert_id for a in later.alerts if a.status == "sent") == sorted(
        a.alert_id for a in waiting
    )
    assert all(sink.count(f"nasams-{n}|") == 1 for n in range(100, 160))


def test_rate_limited_runs_do_not_use_up_an_alerts_attempts(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    # Slack answering 429 for longer than the schedule's interval says nothing about the message: the alert is
    # tried each run and sent when the limit lifts, however many runs that takes (max_attempts=2 here)
    sink.default = (429, {"Retry-After": "3600"})
    slack = {"slack": SlackWebhook(sink.url, http)}
    any_store.enqueue_alert(make_alert(1), "slack", NOW)
    for run in range(4):
        report = deliver(any_store, slack, NOW + timedelta(minutes=10 * run), max_attempts=2)
        assert [a.status for a in report.alerts] == ["retry"]
    sink.default = "ok"
    report = deliver(any_store, slack, NOW + timedelta(hours=2), max_attempts=2)
    assert [a.status for a in report.alerts] == ["sent"] and sink.count("nasams-1|") == 1


class _Overtaken:
    """A Slack webhook so slow that, while it sends, the lease lapses and run-b takes the delivery
    over (run-b is still sending it, or has died holding it)."""

    channel, threads = "slack", False

    def __init__(self, store: Any, slack: SlackWebhook) -> None:
        self.store, self.slack = store, slack

    def send(self, alert: Alert) -> str:
        later = NOW + timedelta(seconds=LEASE + 1)
        assert self.store.claim_delivery(alert.id, "slack", "run-b", later, LEASE) is not None
        return self.slack.send(alert)

    def send_digest(self, alerts: Any, also_reported: Any = ()) -> str:
        raise NotImplementedError

    def reply(self, ref: str, alert: Alert) -> str:
        raise NotImplementedError


@pytest.mark.parametrize("answer", ["fails", "succeeds"])
def test_a_send_that_outlasts_its_lease_never_frees_the_alert_for_a_third_run(
    any_store: Any, sink: SlackSink, http: httpx.Client, answer: str
) -> None:
    slack = SlackWebhook(sink.url, http)
    any_store.enqueue_alert(make_alert(40), "slack", NOW)
    sink.script = [(500, {})] if answer == "fails" else ["ok"]
    slow = deliver(any_store, {"slack": _Overtaken(any_store, slack)}, NOW)
    if answer == "fails":
        # its failure is not recorded: run-b's claim stands, so no third run sends it meanwhile
        third = deliver(any_store, {"slack": slack}, NOW + timedelta(seconds=LEASE + 2))
        assert [a.status for a in third.alerts] == ["held"]
        assert sink.accepted == []
        item = any_store.get_delivery("alert-040", "slack")
        assert item is not None and (item.status, item.claimed_by, item.attempts) == ("pending", "run-b", 2)
        assert statuses(slow) == [("alert-040", "slack", "retry")]
        assert "passed to another run" in slow.alerts[0].error
        # run-b died holding it: once its lease lapses, the alert goes out once
        retaken = deliver(any_store, {"slack": slack}, NOW + timedelta(seconds=2 * LEASE + 2))
        assert statuses(retaken) == [("alert-040", "slack", "sent")]
    else:
        # it went out: recorded sent though run-b holds the lease, so none but run-b can repeat it
        assert statuses(slow) == [("alert-040", "slack", "sent")]
        assert "may have gone twice" in slow.alerts[0].error
        assert deliver(any_store, {"slack": slack}, NOW + timedelta(seconds=3 * LEASE)).alerts == []
    assert sink.count("nasams-40") == 1


def test_alerts_waiting_for_a_channel_no_longer_configured_are_reported_not_silent(any_store: Any) -> None:
    # Slack was down, then its webhook was unset: what waited for it stays pending (it is sent once Slack is
    # set up again), and each run says so instead of "0 alerts sent" alone.
    for n in (1, 2):
        any_store.enqueue_alert(make_alert(n), "slack", NOW)
    any_store.enqueue_alert(make_alert(3), "email", NOW)
    out = io.StringIO()
    report = deliver(any_store, {"console": ConsoleNotifier(out)}, NOW)
    assert "2 alerts wait for slack, which this run has not configured" in "\n".join(report.notes)
    assert "1 alert waits for email, which this run has not configured" in "\n".join(report.notes)
    assert len(any_store.pending_deliveries("slack")) == 2  # kept, not given up
    assert "2 alerts wait for slack" in report.to_text()


def test_a_deleted_webhook_with_a_long_backlog_costs_one_messages_writes_a_run(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    # Weeks of alerts wait behind a deleted webhook: each run tries the digest's first message and leaves the
    # rest as they are, rather than claiming and releasing every alert (two conditional writes each, a run
    # past its deadline on DynamoDB with thousands waiting).
    class Counting:
        def __init__(self, store: Any) -> None:
            self.store, self.writes = store, 0

        def __getattr__(self, name: str) -> Any:
            attr = getattr(self.store, name)
            if name in ("claim_delivery", "mark_failed", "mark_sent"):

                def counted(*args: Any, **kwargs: Any) -> Any:
                    self.writes += 1
                    return attr(*args, **kwargs)

                return counted
            return attr

    sink.default = (404, {})
    for n in range(100, 220):
        any_store.enqueue_alert(
            make_alert(n, evidence="Norway received more NASAMS units. " * 20), "slack", NOW
        )
    store = Counting(any_store)
    report = deliver(store, {"slack": SlackWebhook(sink.url, http)}, NOW, digest_after=5)
    assert sink.refused == 1 and not sink.accepted
    statuses = Counter(a.status for a in report.alerts)
    assert statuses == {"blocked": 120}
    assert store.writes <= 2 * 50  # the first message's alerts, claimed and released; the rest untouched
    assert all(i.attempts <= 1 for i in any_store.pending_deliveries("slack"))
    sink.default = "ok"
    later = deliver(
        any_store, {"slack": SlackWebhook(sink.url, http)}, NOW + timedelta(hours=1), digest_after=5
    )
    assert sorted(a.alert_id for a in later.alerts if a.status == "sent") == [
        f"alert-{n:03d}" for n in range(100, 220)
    ]


def test_a_pairs_later_alert_waits_while_another_run_holds_its_earlier_one(
    any_store: Any, sink: SlackSink, http: httpx.Client
) -> None:
    # Two workers of one tick: one holds the pair's "new" (sending it, or about to fail); the other must not
    # send the pair's advance meanwhile, or the analyst reads "talks -> deal" before "new (talks)".
    first = make_alert(1, kind="new", old_stage=None, new_stage="talks")
    later = make_alert(2, old_stage="talks", new_stage="deal", created=NOW + timedelta(minutes=20))
    other = make_alert(3, system="Patriot", country="Poland", created=NOW + timedelta(minutes=20))
    for alert in (first, later, other):
        any_store.enqueue_alert(alert, "slack", NOW)
    assert any_store.claim_delivery(first.id, "slack", "worker-2", NOW, LEASE) is not None
    slack = {"slack": SlackWebhook(sink.url, http)}
    report = deliver(any_store, slack, NOW + timedelta(minutes=1))
    assert sorted(statuses(report)) == [
        ("alert-001", "slack", "held"),
        ("alert-002", "slack", "retry"),
        ("alert-003", "slack", "sent"),
    ]
    assert sink.count("nasams-2|") == 0
    any_store.mark_sent(first.id, "slack", "worker-2", NOW + timedelta(minutes=2))  # the other worker sent it
    report = deliver(any_store, slack, NOW + timedelta(minutes=15))
    assert statuses(report) == [("alert-002", "slack", "sent")]


@pytest.mark.parametrize("digest_after", [2, 50])
def test_a_pairs_later_alert_waits_when_another_run_takes_its_earlier_one_meanwhile(
    any_store: Any, sink: SlackSink, http: httpx.Client, digest_after: int
) -> None:
    # Another worker claims the pair's "new" just after this run read the outbox (a digest or one by one).
    first = make_alert(1, kind="new", old_stage=None, new_stage="talks")
    second = make_alert(2, old_stage="talks", new_stage="deal")
    others = [make_alert(10 + n, system="Patriot", country=f"Country {n}") for n in range(3)]
    for alert in (first, second, *others):
        any_store.enqueue_alert(alert, "slack", NOW)

    class Racing:
        def __getattr__(self, name: str) -> Any:
            return getattr(any_store, name)

        def pending_deliveries(self, channel: Any = None) -> Any:
            items = any_store.pending_deliveries(channel)
            any_store.claim_delivery(first.id, "slack", "worker-2", NOW, LEASE)
            return items

    report = deliver(Racing(), {"slack": SlackWebhook(sink.url, http)}, NOW, digest_after=digest_after)
    outcomes = dict((a.alert_id, a.status) for a in report.alerts)
    assert outcomes["alert-001"] == "held" and outcomes["alert-002"] == "retry"
    assert sink.count("nasams-2|") == 0 and all(outcomes[f"alert-{10 + n:03d}"] == "sent" for n in range(3))
