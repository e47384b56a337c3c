"""Email senders: SES v2 against moto's server and a loopback fault server, SMTP against aiosmtpd."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import boto3
import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from botocore.config import Config

from alerts.email import SesMailer, SmtpMailer
from alerts.model import Alert
from scraper.errors import ConfigError, NotifyError
from tests.loopback import Loopback, Route

SENDER = "alerts@watch.example"
ALERT = Alert(
    id="e" * 64,
    kind="stage",
    system="S-400",
    country="Turkey",
    old_stage="deal",
    new_stage="delivery",
    title="First S-400 battery reaches Ankara",
    url="https://news.example/a",
    source="Wire Feed",
    published=datetime(2024, 6, 2, 14, 30, tzinfo=UTC),
    evidence="The first S-400 battery reached Ankara.",
    names=("S-400", "Ankara"),
    sources=("news.example", "two.example"),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sesv2(endpoint: str) -> object:
    return boto3.client(
        "sesv2",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=2),
    )


# --- SES v2 -------------------------------------------------------------------------


def test_ses_sends_html_and_text(aws_env: str) -> None:
    client = sesv2(aws_env)
    client.create_email_identity(EmailIdentity=SENDER)  # type: ignore[attr-defined]
    mailer = SesMailer(client, SENDER, ("analyst@desk.example",))
    message_id = mailer.send(ALERT)
    assert message_id
    stored = httpx.get(f"{aws_env}/moto-api/data.json").json()["ses"]["Message"]
    (sent,) = [m for m in stored if m["id"] == message_id]
    assert sent["subject"] == "[S-400 x Turkey] delivery (was: deal)"
    assert sent["source"] == SENDER and sent["destinations"]["ToAddresses"] == ["analyst@desk.example"]
    assert "<strong>S-400</strong>" in sent["body"]  # moto keeps the HTML part


def test_ses_digest_is_one_message(aws_env: str) -> None:
    client = sesv2(aws_env)
    client.create_email_identity(EmailIdentity=SENDER)  # type: ignore[attr-defined]
    alerts = [dataclasses.replace(ALERT, id=str(n), title=f"Story {n}") for n in range(12)]
    message_id = SesMailer(client, SENDER, ("analyst@desk.example",)).send_digest(alerts)
    stored = httpx.get(f"{aws_env}/moto-api/data.json").json()["ses"]["Message"]
    (sent,) = [m for m in stored if m["id"] == message_id]
    assert sent["subject"].startswith("[defense watch] 12 alerts")


def test_ses_unverified_sender_waits_for_the_fix(aws_env: str) -> None:
    # SES answers MessageRejected "Email address is not verified": a set-up mistake every message meets, so
    # the alert is held (blocked), not given up, and goes out once the address is verified
    client = sesv2(aws_env)
    mailer = SesMailer(client, "unverified@nowhere.example", ("analyst@desk.example",))
    with pytest.raises(NotifyError) as caught:
        mailer.send(ALERT)
    assert caught.value.blocked and not caught.value.permanent
    assert "MessageRejected" in str(caught.value) and "not verified" in str(caught.value)
    client.create_email_identity(EmailIdentity="unverified@nowhere.example")  # type: ignore[attr-defined]
    assert mailer.send(ALERT)


@pytest.mark.parametrize(
    ("status", "code", "permanent", "rate_limited"),
    [
        (429, "TooManyRequestsException", False, True),  # never counted towards giving up
        (400, "ThrottlingException", False, True),
        (400, "LimitExceededException", False, False),
        (503, "ServiceUnavailable", False, False),
        (400, "MessageRejected", True, False),  # this message (not an unverified address)
        (400, "MailFromDomainNotVerifiedException", False, False),  # blocked: every message waits
    ],
)
def test_ses_errors_are_classified(
    loopback: Loopback, status: int, code: str, permanent: bool, rate_limited: bool
) -> None:
    # A loopback stand-in for the SES v2 endpoint answering as AWS does (REST-JSON error).
    loopback.routes["/v2/email/outbound-emails"] = Route(
        status=status,
        headers={"x-amzn-ErrorType": code, "Content-Type": "application/json"},
        body=b'{"message": "slow down or go away"}',
    )
    mailer = SesMailer(sesv2(loopback.url), SENDER, ("analyst@desk.example",))
    with pytest.raises(NotifyError) as caught:
        mailer.send(ALERT)
    assert caught.value.permanent is permanent and code in str(caught.value)
    assert caught.value.rate_limited is rate_limited
    assert len(loopback.hits("/v2/email/outbound-emails")) == 1  # the sender itself does not retry


def test_ses_without_credentials_holds_the_alerts(monkeypatch: pytest.MonkeyPatch) -> None:
    # it read "SES unreachable (NoCredentialsError)" and counted towards giving the alerts up
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = boto3.Session().client(
        "sesv2", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{free_port()}"
    )
    with pytest.raises(NotifyError) as caught:
        SesMailer(client, SENDER, ("analyst@desk.example",)).send(ALERT)
    assert caught.value.blocked and "no AWS credentials" in str(caught.value)


def test_ses_unreachable_is_transient() -> None:
    mailer = SesMailer(sesv2(f"http://127.0.0.1:{free_port()}"), SENDER, ("analyst@desk.example",))
    with pytest.raises(NotifyError) as caught:
        mailer.send(ALERT)
    assert not caught.value.permanent


# --- SMTP ---------------------------------------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"

    async def handle_MAIL(
        self, server: object, session: object, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.endswith("@unknown.example"):
            return "550 5.7.1 sender address rejected: not owned by you"
        if address.endswith("@greylisted.example"):
            return "451 4.7.1 try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: object, session: object, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.endswith("@full.example"):
            return "452 mailbox full, try later"
        if address.endswith("@gone.example"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def authenticate(
    server: object, session: object, envelope: object, mechanism: str, auth_data: object
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"watch"
        and auth_data.password == b"p@ss/w"
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False
    )
    controller.start()
    yield inbox, port
    controller.stop()


def received(inbox: Inbox) -> EmailMessage:
    (envelope,) = inbox.envelopes
    msg = message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[arg-type]
    assert isinstance(msg, EmailMessage)
    return msg


def test_smtp_sends_multipart_alternative(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    mailer = SmtpMailer(f"smtp://127.0.0.1:{port}", SENDER, ("analyst@desk.example", "second@desk.example"))
    assert mailer.send(ALERT).startswith("<")
    msg = received(inbox)
    assert msg["Subject"] == "[S-400 x Turkey] delivery (was: deal)"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and "The first *S-400* battery reached *Ankara*." in text.get_content()
    assert html is not None and "<strong>Ankara</strong>" in html.get_content()
    assert inbox.envelopes[0].rcpt_tos == ["analyst@desk.example", "second@desk.example"]


def test_smtp_logs_in_with_url_credentials(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    SmtpMailer(f"smtp://watch:p%40ss%2Fw@127.0.0.1:{port}", SENDER, ("a@desk.example",)).send(ALERT)
    assert len(inbox.envelopes) == 1
    bad = SmtpMailer(f"smtp://watch:sekr1t@127.0.0.1:{port}", SENDER, ("a@desk.example",))
    with pytest.raises(NotifyError) as caught:
        bad.send(ALERT)
    # A refused login blocks the channel (every message would meet it): the alerts wait for the fix.
    assert caught.value.blocked and not caught.value.permanent
    assert "sekr1t" not in str(caught.value) and "sekr1t" not in repr(bad)


def test_smtp_header_injection_cannot_add_recipients(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    evil = dataclasses.replace(
        ALERT, system="S-400\r\nBcc: victim@evil.example", source="x\nCc: c@evil.example"
    )
    SmtpMailer(f"smtp://127.0.0.1:{port}", SENDER, ("a@desk.example",)).send(evil)
    msg = received(inbox)
    assert msg["Bcc"] is None and msg["Cc"] is None
    assert inbox.envelopes[0].rcpt_tos == ["a@desk.example"]


@pytest.mark.parametrize(("recipient", "blocked"), [("x@full.example", False), ("x@gone.example", True)])
def test_smtp_refusals_are_classified(smtp_server: tuple[Inbox, int], recipient: str, blocked: bool) -> None:
    # a refused recipient is refused before any content is seen: a 5xx (a wrong EMAIL_TO) holds the alerts
    # until it is fixed, a 4xx is tried again next run; neither gives an alert up
    _, port = smtp_server
    with pytest.raises(NotifyError) as caught:
        SmtpMailer(f"smtp://127.0.0.1:{port}", SENDER, (recipient,)).send(ALERT)
    assert caught.value.blocked is blocked and not caught.value.permanent


def test_smtp_partly_refused_recipients_are_sent_and_logged(
    smtp_server: tuple[Inbox, int], caplog: pytest.LogCaptureFixture
) -> None:
    # the others have it, so it is not sent again; the refused address is named in a warning
    inbox, port = smtp_server
    with caplog.at_level(logging.WARNING, logger="watch.email"):
        SmtpMailer(f"smtp://127.0.0.1:{port}", SENDER, ("a@desk.example", "x@gone.example")).send(ALERT)
    assert inbox.envelopes[0].rcpt_tos == ["a@desk.example"]
    assert any("x@gone.example 550" in r.getMessage() for r in caplog.records)


def test_smtp_server_without_login_holds_the_alerts() -> None:
    # SMTP_URL names a user but the server offers no AUTH: a set-up mistake, so the alerts wait (blocked)
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(NotifyError) as caught:
            SmtpMailer(f"smtp://watch:pw@127.0.0.1:{port}", SENDER, ("a@desk.example",)).send(ALERT)
    finally:
        controller.stop()
    assert caught.value.blocked and "no login" in str(caught.value) and not inbox.envelopes


def test_smtp_refused_port_is_transient() -> None:
    with pytest.raises(NotifyError) as caught:
        SmtpMailer(f"smtp://127.0.0.1:{free_port()}", SENDER, ("a@desk.example",), timeout=2).send(ALERT)
    assert not caught.value.permanent


@pytest.mark.parametrize("url", ["http://host:25", "smtp://", "smtp://host:notaport"])
def test_smtp_url_is_validated(url: str) -> None:
    with pytest.raises(ConfigError):
        SmtpMailer(url, SENDER, ("a@desk.example",))


@pytest.mark.parametrize(
    ("sender", "blocked"), [("w@unknown.example", True), ("w@greylisted.example", False)]
)
def test_smtp_refused_sender_waits_for_the_fix(
    smtp_server: tuple[Inbox, int], sender: str, blocked: bool
) -> None:
    # MAIL FROM refused with a 5xx (a wrong EMAIL_FROM; a server wanting a login answers 530 there) is a set-up
    # mistake every message meets: the alerts wait (it made each one "failed" for good); a 4xx is tried again
    inbox, port = smtp_server
    with pytest.raises(NotifyError) as caught:
        SmtpMailer(f"smtp://127.0.0.1:{port}", sender, ("a@desk.example",)).send(ALERT)
    assert caught.value.blocked is blocked and not caught.value.permanent
    assert "refused the sender" in str(caught.value) and not inbox.envelopes
    if blocked:
        assert "550 5.7.1 sender address rejected" in str(caught.value)  # the server's own words


def test_smtp_non_ascii_display_names_need_no_smtputf8() -> None:
    # the envelope takes the bare addresses, the headers the names in RFC 2047 words: a relay without SMTPUTF8
    # takes the message (a name with "é" in the envelope held every alert as "blocked")
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=False)
    controller.start()
    try:
        mailer = SmtpMailer(
            f"smtp://127.0.0.1:{port}",
            "Défense Watch <w@watch.example>",
            ("Équipe Analyse <a@desk.example>",),
        )
        mailer.send(ALERT)
    finally:
        controller.stop()
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "w@watch.example" and envelope.rcpt_tos == ["a@desk.example"]
    headers = (envelope.original_content or b"").split(b"\r\n\r\n")[0]
    assert headers.isascii() and b"=?utf-8?" in headers  # encoded words, no raw UTF-8 header
    msg = received(inbox)
    assert msg["From"] == "Défense Watch <w@watch.example>" and msg["To"] == "Équipe Analyse <a@desk.example>"
    assert str(msg["Date"]).endswith("+0000")  # UTC; "-0000" says the zone is unknown


class SlowInbox(Inbox):
    """Keeps the message, then answers later than the client waits."""

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        await asyncio.sleep(2.5)
        return "250 Message accepted"


def test_smtp_answer_too_late_says_it_may_have_arrived_and_resends_with_the_same_message_id() -> None:
    inbox = SlowInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailer = SmtpMailer(f"smtp://127.0.0.1:{port}", SENDER, ("a@desk.example",), timeout=1)
        for _ in range(2):
            with pytest.raises(NotifyError) as caught:
                mailer.send(ALERT)
            # it read "unreachable", though the server had the message
            assert "may have arrived" in str(caught.value) and not caught.value.permanent
    finally:
        controller.stop()
    ids = [
        message_from_bytes(e.content, policy=policy.default)["Message-ID"]  # type: ignore[arg-type]
        for e in inbox.envelopes
    ]
    # one id for the alert, not one per copy: a mail system can drop the second
    assert len(ids) == 2 and ids[0] == ids[1]
    other = dataclasses.replace(ALERT, id="f" * 64)
    assert (
        SmtpMailer("smtp://127.0.0.1:25", SENDER, ("a@x.example",)).message("s", "h", "t", (other,))[
            "Message-ID"
        ]
        != ids[0]
    )


def test_smtp_host_name_no_resolver_takes_holds_the_alerts() -> None:
    # "mail..example" has an empty label: encoding it raised UnicodeError out of the run (a traceback each run,
    # and the other channels unsent); now the channel is blocked and its alerts wait
    mailer = SmtpMailer("smtp://mail..example:25", SENDER, ("a@desk.example",), timeout=2)
    with pytest.raises(NotifyError) as caught:
        mailer.send(ALERT)
    assert caught.value.blocked and "host name" in str(caught.value)


def test_ses_address_it_cannot_read_holds_the_alerts_and_says_why(loopback: Loopback) -> None:
    # SES answers a malformed address with a 400 BadRequestException: a set-up mistake every message meets, so
    # the alerts wait (it failed each for good), and its own words name the problem
    loopback.routes["/v2/email/outbound-emails"] = Route(
        status=400,
        headers={"x-amzn-ErrorType": "BadRequestException", "Content-Type": "application/json"},
        body=b'{"message": "Illegal address"}',
    )
    mailer = SesMailer(sesv2(loopback.url), SENDER, ("analyst@desk.example",))
    with pytest.raises(NotifyError) as caught:
        mailer.send(ALERT)
    assert caught.value.blocked and "Illegal address" in str(caught.value)


def test_ses_gets_non_ascii_display_names_as_encoded_words(loopback: Loopback) -> None:
    loopback.routes["/v2/email/outbound-emails"] = Route(
        status=200, headers={"Content-Type": "application/json"}, body=b'{"MessageId": "m-1"}'
    )
    SesMailer(sesv2(loopback.url), "Défense Watch <w@watch.example>", ("Zoë <a@desk.example>",)).send(ALERT)
    (request,) = loopback.hits("/v2/email/outbound-emails")
    body = json.loads(request.body)
    assert body["FromEmailAddress"].startswith("=?utf-8?") and body["FromEmailAddress"].endswith(
        " <w@watch.example>"
    )
    assert body["Destination"]["ToAddresses"][0].endswith(" <a@desk.example>")
    assert body["Destination"]["ToAddresses"][0].isascii()


def test_smtp_message_too_large_fails_that_message_only() -> None:
    # 552 at MAIL FROM (which carries SIZE=) is about this message: held as "blocked", a digest too big for the
    # relay would have held every email alert behind it, run after run
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, data_size_limit=300)
    controller.start()
    try:
        with pytest.raises(NotifyError) as caught:
            SmtpMailer(f"smtp://127.0.0.1:{port}", SENDER, ("a@desk.example",)).send(ALERT)
    finally:
        controller.stop()
    assert caught.value.permanent and not caught.value.blocked and "552" in str(caught.value)
    assert not inbox.envelopes


def test_smtp_password_that_is_not_ascii_is_named_as_such(smtp_server: tuple[Inbox, int]) -> None:
    # smtplib's login sends ASCII only: it read "the host name is not usable"
    _, port = smtp_server
    with pytest.raises(NotifyError) as caught:
        SmtpMailer(f"smtp://watch:p%C3%A4ss@127.0.0.1:{port}", SENDER, ("a@desk.example",)).send(ALERT)
    assert caught.value.blocked and "not ASCII" in str(caught.value) and "päss" not in str(caught.value)


def test_ses_takes_a_non_ascii_domain_as_punycode_and_refuses_a_non_ascii_local_part_at_start(
    loopback: Loopback,
) -> None:
    # formataddr raised UnicodeEncodeError out of every run for either (the alert held by the dead run's lease)
    loopback.routes["/v2/email/outbound-emails"] = Route(
        status=200, headers={"Content-Type": "application/json"}, body=b'{"MessageId": "m-1"}'
    )
    SesMailer(sesv2(loopback.url), SENDER, ("Zoë <analyst@bücher.example>",)).send(ALERT)
    (request,) = loopback.hits("/v2/email/outbound-emails")
    assert json.loads(request.body)["Destination"]["ToAddresses"][0].endswith(
        " <analyst@xn--bcher-kva.example>"
    )
    with pytest.raises(ConfigError, match="ASCII before the @"):
        SesMailer(sesv2(loopback.url), SENDER, ("zoë@desk.example",))
