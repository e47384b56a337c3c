"""Configuration from the environment and the SSM-held webhook: each mistake is one clear error
that names the variable or parameter and never echoes a secret."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import boto3
import pytest

from alerts.model import Alert
from scraper import runtime
from scraper.config import read_config
from scraper.errors import ConfigError
from tests.faults import SlackSink
from tests.loopback import Loopback, Request, Route

ALERT = Alert(
    id="cfg-1",
    kind="new",
    system="NASAMS",
    country="Lithuania",
    old_stage=None,
    new_stage="delivery",
    title="Lithuania receives more NASAMS launchers",
    url="https://news.example/nasams-lt",
    source="Test wire",
    published=datetime(2026, 5, 4, 8, 0, tzinfo=UTC),
    evidence="Lithuania received two more NASAMS launchers on Monday.",
)


@pytest.fixture
def sink() -> Iterator[SlackSink]:
    server = SlackSink().start()
    yield server
    server.stop()


@pytest.fixture
def fresh_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "_CACHE", {})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_WEBHOOK_URL", "https://[hooks.slack.com/services/T0/B0/s3cr3tpath"),
        ("SMTP_URL", "smtp://watch:s3cr3tpass@[mail.example:587"),
        # a URL no client can use: accepted before, it failed only when sent, with a UnicodeError that stopped
        # the run (every run) before the report and before the other channels sent anything
        ("SLACK_WEBHOOK_URL", "https://hooks.slack..com/services/T0/B0/s3cr3tpath"),  # an empty label
        ("SLACK_WEBHOOK_URL", "https://xn--a.example/services/T0/B0/s3cr3tpath"),  # no valid IDNA label
        ("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/s3cr3t\x1bpath"),  # a control character
        ("SMTP_URL", "smtp://watch:s3cr3tpass@mail..example:587"),
    ],
)
def test_a_broken_url_is_a_configuration_error_that_does_not_echo_it(name: str, value: str) -> None:
    env = {name: value, "EMAIL_FROM": "watch@example.org", "EMAIL_TO": "analyst@example.org"}
    with pytest.raises(ConfigError) as caught:
        read_config(env)
    assert name in str(caught.value) and "s3cr3t" not in str(caught.value)


@pytest.mark.parametrize(
    "value",
    ["analyst@desk.example;boss@desk.example", "analyst@desk.example boss@desk.example", "desk.example"],
)
def test_email_to_must_be_addresses_separated_by_commas(value: str) -> None:
    # "a;b" reached only a over SMTP (the envelope parser keeps the first) while the To: header showed both
    with pytest.raises(ConfigError) as caught:
        read_config({"EMAIL_FROM": "watch@example.org", "EMAIL_TO": value})
    assert "not an email address" in str(caught.value) and "commas" in str(caught.value)


def test_email_addresses_may_carry_display_names() -> None:
    config = read_config(
        {"EMAIL_FROM": "Défense Watch <watch@example.org>", "EMAIL_TO": "Zoë <a@example.org>, b@example.org"}
    )
    assert config.email_to == ("Zoë <a@example.org>", "b@example.org")


@pytest.mark.parametrize(
    "value",
    [
        "https://hooks.slack.com:abc/services/T0/B0/s3cr3tpath",
        "https://hooks.slack.com:99999/services/T0/B0/s3cr3tpath",
    ],
)
def test_a_webhook_with_a_bad_port_is_refused_at_start(value: str) -> None:
    # not accepted and then failed run after run until its alerts are given up
    with pytest.raises(ConfigError) as caught:
        read_config({"SLACK_WEBHOOK_URL": value})
    assert "SLACK_WEBHOOK_URL" in str(caught.value) and "port" in str(caught.value)
    assert "s3cr3t" not in str(caught.value)


@pytest.mark.parametrize("value", ["nan", "inf", "1e12"])
def test_a_number_that_is_no_sane_number_is_refused(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read_config({"LEASE_SECONDS": value})
    assert "LEASE_SECONDS" in str(caught.value)


def test_the_webhook_path_an_error_page_echoes_is_redacted(fresh_runtime: None) -> None:
    # a proxy's error page may quote the path alone: the path and its last segment are secrets too
    config = read_config({"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T0/B0/s3cr3tpathvalue"})
    runtime._CACHE["redactor"] = runtime._Redactor(config.secrets)  # as setup_logging leaves it
    text = runtime.redact("refused: Access denied for /services/T0/B0/s3cr3tpathvalue (s3cr3tpathvalue)")
    assert "s3cr3t" not in text and "[redacted]" in text


def test_smtp_without_sender_and_recipients_is_refused_not_ignored() -> None:
    with pytest.raises(ConfigError, match="SMTP_URL needs EMAIL_FROM and EMAIL_TO"):
        read_config({"SMTP_URL": "smtp://watch:s3cr3tpass@mail.example:587"})
    config = read_config(
        {
            "SMTP_URL": "smtp://mail.example:25",
            "EMAIL_FROM": "watch@example.org",
            "EMAIL_TO": "analyst@example.org",
        }
    )
    assert sorted(runtime.build_notifiers(config)) == ["email"]


def test_a_webhook_stored_in_ssm_with_a_trailing_newline_still_posts(
    aws_env: str, sink: SlackSink, fresh_runtime: None
) -> None:
    name = f"/watch/{uuid.uuid4().hex}/webhook"
    boto3.client("ssm").put_parameter(Name=name, Value=sink.url + "\n", Type="SecureString")
    slack = runtime.build_notifiers(read_config({"SLACK_WEBHOOK_PARAM": name}))["slack"]
    slack.send(ALERT)
    assert sink.count("nasams-lt") == 1


def test_a_missing_ssm_parameter_says_why(aws_env: str, fresh_runtime: None) -> None:
    name = f"/watch/{uuid.uuid4().hex}/webhook"
    with pytest.raises(ConfigError) as caught:
        runtime.build_notifiers(read_config({"SLACK_WEBHOOK_PARAM": name}))
    assert name in str(caught.value) and "ParameterNotFound" in str(caught.value)


def test_an_ssm_parameter_that_is_no_webhook_is_refused_without_showing_it(
    aws_env: str, fresh_runtime: None
) -> None:
    name = f"/watch/{uuid.uuid4().hex}/webhook"
    boto3.client("ssm").put_parameter(Name=name, Value="xoxb-s3cr3t-token-pasted-here", Type="SecureString")
    with pytest.raises(ConfigError) as caught:
        runtime.build_notifiers(read_config({"SLACK_WEBHOOK_PARAM": name}))
    assert name in str(caught.value) and "s3cr3t" not in str(caught.value)


def test_a_bot_token_stored_in_ssm_posts_with_chat_post_message(
    aws_env: str, loopback: Loopback, fresh_runtime: None
) -> None:
    """The Lambda's way to thread later sources: the token comes from SSM (not a plain variable)."""
    token = "xoxb-0000-from-ssm-token"
    name = f"/watch/{uuid.uuid4().hex}/bot-token"
    boto3.client("ssm").put_parameter(Name=name, Value=token + "\n", Type="SecureString")
    seen: list[str] = []

    def post_message(request: Request) -> tuple[int, dict[str, str], bytes]:
        seen.append(request.headers.get("authorization", ""))
        return 200, {"Content-Type": "application/json"}, b'{"ok": true, "channel": "C0W", "ts": "1.000001"}'

    loopback.routes["/api/chat.postMessage"] = Route(handler=post_message)
    env = {"SLACK_BOT_TOKEN_PARAM": name, "SLACK_CHANNEL": "C0W", "SLACK_API_URL": loopback.url + "/api"}
    slack = runtime.build_notifiers(read_config(env))["slack"]
    assert slack.threads and slack.send(ALERT) == "1.000001"
    assert seen == [f"Bearer {token}"]


def test_an_ssm_parameter_that_is_no_bot_token_is_refused_without_showing_it(
    aws_env: str, fresh_runtime: None
) -> None:
    name = f"/watch/{uuid.uuid4().hex}/bot-token"
    pasted = "https://hooks.slack.com/services/T0/B0/s3cr3tpath"
    boto3.client("ssm").put_parameter(Name=name, Value=pasted, Type="SecureString")
    with pytest.raises(ConfigError) as caught:
        runtime.build_notifiers(read_config({"SLACK_BOT_TOKEN_PARAM": name, "SLACK_CHANNEL": "C0W"}))
    assert (
        name in str(caught.value) and "bot token" in str(caught.value) and "s3cr3t" not in str(caught.value)
    )


def test_a_bot_token_parameter_needs_a_channel() -> None:
    with pytest.raises(ConfigError) as caught:
        read_config({"SLACK_BOT_TOKEN_PARAM": "/watch/bot-token"})
    assert "SLACK_CHANNEL" in str(caught.value)


def test_an_smtp_password_is_redacted_as_written_and_as_decoded() -> None:
    config = read_config(
        {
            "SMTP_URL": "smtp://watch:p%40ss%2Fw0rd@mail.example:587",
            "EMAIL_FROM": "w@example.org",
            "EMAIL_TO": "a@example.org",
        }
    )
    assert {"p%40ss%2Fw0rd", "p@ss/w0rd"} <= set(config.secrets)


def test_redacting_a_run_report_touches_its_strings_only(fresh_runtime: None) -> None:
    # an all-digit SMTP password must not turn a byte count into broken JSON
    config = read_config(
        {
            "SMTP_URL": "smtp://watch:20260601@mail.example:587",
            "EMAIL_FROM": "w@x.example",
            "EMAIL_TO": "a@x.example",
        }
    )
    runtime._CACHE["redactor"] = runtime._Redactor(config.secrets)
    report = {
        "bytes": 120260601,
        "notes": ["login 20260601 refused"],
        "feeds": [{"error": "", "requests": 3}],
    }
    assert runtime._redacted(report) == {
        "bytes": 120260601,
        "notes": ["login [redacted] refused"],
        "feeds": [{"error": "", "requests": 3}],
    }


def test_aws_region_alone_is_enough(fresh_runtime: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # botocore reads only AWS_DEFAULT_REGION: with AWS_REGION set in a shell, the error asked "are AWS_REGION or
    # AWS_DEFAULT_REGION set?" about a region that was set
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    assert runtime._aws_client("sesv2").meta.region_name == "eu-west-1"


@pytest.mark.parametrize(
    "value",
    [
        "a@example.org (Analyst)",
        '"john doe"@example.org',
        "Zo\u00a0ë <a@example.org>",
        '"alerts@corp" <a@x.org>',
    ],
)
def test_less_common_address_forms_are_still_addresses(value: str) -> None:
    # a first stricter check refused these at start, stopping every run
    assert read_config({"EMAIL_FROM": value, "EMAIL_TO": "b@example.org"}).email_from == value


@pytest.mark.parametrize(
    "link", ["https://news.example/a\u00a0b", "https://news.example/a\u200bb", "https://news.example/ü"]
)
def test_invisible_characters_that_are_text_leave_a_url_usable(link: str) -> None:
    # a no-break space or a zero-width space is text (httpx percent-encodes it): only control characters are refused
    from urllib.parse import urlsplit

    from scraper.config import usable_url

    assert usable_url(link, urlsplit(link).hostname or "")
    assert not usable_url(link + "\x1b[2J", urlsplit(link).hostname or "")
