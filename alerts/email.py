"""Email senders: SES v2 (the Lambda's) and SMTP (local runs), both HTML + text.

Email has no threads: ``reply`` raises ``NotImplementedError`` and later sources of an event
go out as "also reported by" lines in the next digest. Failures are classified, not retried:
throttling, timeouts and 4xx SMTP replies are transient; a set-up mistake every message meets (a refused
sender, login or recipient, an SES address unverified or unreadable) holds the alerts (blocked); other
rejections and 5xx are permanent.
Pass an SES client built with few retries (``Config(retries={"max_attempts": 2})``): the
outbox retries across runs. Neither the SMTP password nor the URL holding it appears in errors.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any
from urllib.parse import unquote, urlsplit

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from alerts.model import Alert
from alerts.render import header_value, render_email, render_email_digest
from scraper.errors import ConfigError, NotifyError

CHANNEL = "email"
log = logging.getLogger("watch.email")  # the run's logger: its redaction and format apply
# The account or sender is not set up to send: every message meets it, so the alerts wait.
_SES_BLOCKING = frozenset(
    {
        "AccountSuspendedException",
        "SendingPausedException",
        "MailFromDomainNotVerifiedException",
        "AccessDeniedException",
        "AccessDenied",
    }
)
# SES v2's ways of asking to slow down: tried again next run, never counted towards giving up.
_SES_RATE_LIMITS = frozenset({"TooManyRequestsException", "ThrottlingException", "Throttling"})
# SES v2 error codes worth another attempt later (quota and rate limits, AWS-side trouble).
_SES_TRANSIENT = frozenset(
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "Throttling",
        "LimitExceededException",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)


def _address(value: str) -> str:
    """The bare address of "Name <a@example.org>": what the SMTP envelope and SES take as an address (a
    display name with "é" in the envelope needs SMTPUTF8, which many relays do not offer), its domain in
    ASCII ("a@bücher.example" -> "a@xn--bcher-kva.example")."""
    address = parseaddr(value)[1] or value
    local, at, domain = address.rpartition("@")
    if at and not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return address  # no DNS name: the server or SES will say so
    return f"{local}{at}{domain}"


def _mailbox(value: str) -> str:
    """ "Name <a@example.org>" for a header SES reads as written: a non-ASCII name in RFC 2047 encoded words,
    as SES asks ("=?utf-8?b?...?= <a@example.org>"), the domain in ASCII. ConfigError for an address with
    non-ASCII before the "@", which SES cannot send to (it raised UnicodeEncodeError out of every run)."""
    name = parseaddr(value)[0]
    address = _address(value)
    if not address.isascii():
        raise ConfigError(
            f"email address {address!r} has characters other than ASCII before the @, which SES cannot send to"
        )
    return formataddr((name, address), charset="utf-8")


def _message_id(alerts: Sequence[Alert]) -> str:
    """One Message-ID per set of alerts: a copy sent again after an answer that never came (the server kept it,
    then timed out) carries the same id, which lets mail systems drop the second copy."""
    key = hashlib.sha256("\n".join(a.id for a in alerts).encode()).hexdigest()[:32]
    return f"<{key}@defense-watch.local>"


def _said(text: bytes | str, limit: int = 160) -> str:
    """A server's own words for an error message: one line, no control characters, bounded."""
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return header_value(raw, limit)


class SesMailer:
    """Sends through SES v2 ``send_email`` with ``Content.Simple`` (HTML and text parts)."""

    channel = CHANNEL
    threads = False

    def __init__(self, client: Any, sender: str, recipients: tuple[str, ...]) -> None:
        self._client = client
        # as SES takes them, made at start: an address it cannot take is a configuration error then
        self._sender = _mailbox(header_value(sender, 320))
        self._recipients = tuple(_mailbox(header_value(r, 320)) for r in recipients)

    def _deliver(self, subject: str, html: str, text: str) -> str:
        content = {
            "Simple": {
                "Subject": {"Data": header_value(subject), "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": text, "Charset": "UTF-8"},
                    "Html": {"Data": html, "Charset": "UTF-8"},
                },
            }
        }
        try:
            answer = self._client.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": list(self._recipients)},
                Content=content,
            )
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", "Unknown"))
            said = str(exc.response.get("Error", {}).get("Message", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            transient = code in _SES_TRANSIENT or status == 429 or status >= 500
            # SES refuses a sender or (in the sandbox) a recipient that is not verified with MessageRejected, and
            # an address it cannot read ("Illegal address") with BadRequestException: set-up mistakes every
            # message meets, so the alerts wait for them to be fixed
            unverified = code == "MessageRejected" and "not verified" in said
            bad_address = code == "BadRequestException" and "address" in said.lower()
            raise NotifyError(
                CHANNEL,
                f"SES send_email failed: {code}" + (f" ({_said(said)})" if said else ""),
                permanent=not transient,
                blocked=code in _SES_BLOCKING or unverified or bad_address,
                rate_limited=code in _SES_RATE_LIMITS or status == 429,
            ) from exc
        except NoCredentialsError as exc:  # a set-up mistake every message meets (the Lambda always has them)
            raise NotifyError(
                CHANNEL, "SES: no AWS credentials found (NoCredentialsError)", blocked=True
            ) from exc
        except BotoCoreError as exc:  # endpoint unreachable, timeouts: try again next run
            raise NotifyError(CHANNEL, f"SES unreachable ({type(exc).__name__})") from exc
        return str(answer.get("MessageId", ""))

    def send(self, alert: Alert) -> str:
        return self._deliver(*render_email(alert))

    def send_digest(self, alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> str:
        return self._deliver(*render_email_digest(alerts, also_reported))

    def reply(self, ref: str, alert: Alert) -> str:
        raise NotImplementedError("email has no threads; send follow-ups in a digest")


class SmtpMailer:
    """Sends a multipart/alternative message over SMTP.

    ``smtp://user:pass@host:port`` connects in the clear and upgrades with STARTTLS when the
    server offers it; ``smtps://`` uses implicit TLS (default port 465). Credentials are
    optional (a local relay needs none).
    """

    channel = CHANNEL
    threads = False

    def __init__(
        self,
        url: str,
        sender: str,
        recipients: tuple[str, ...],
        *,
        timeout: float = 15.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError("SMTP_URL must look like smtp://user:pass@host:port or smtps://...")
        try:
            port = parts.port
        except ValueError as exc:
            raise ConfigError("SMTP_URL has an invalid port") from exc
        self._implicit_tls = parts.scheme == "smtps"
        self._host = parts.hostname
        self._port = port or (465 if self._implicit_tls else 25)
        self._user = unquote(parts.username or "")
        self._password = unquote(parts.password or "")
        self._sender = header_value(sender, 320)
        self._recipients = tuple(header_value(r, 320) for r in recipients)
        self._timeout = timeout
        self._ssl_context = ssl_context

    def __repr__(self) -> str:
        return f"SmtpMailer(host={self._host!r}, port={self._port})"

    def message(self, subject: str, html: str, text: str, alerts: Sequence[Alert] = ()) -> EmailMessage:
        """The email as sent: one-line headers, a text part and an HTML alternative."""
        msg = EmailMessage()
        msg["Subject"] = header_value(subject)
        msg["From"] = self._sender
        msg["To"] = ", ".join(self._recipients)
        msg["Date"] = format_datetime(datetime.now(UTC))  # "+0000": "-0000" would say the zone is unknown
        msg["Message-ID"] = _message_id(alerts)
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
        return msg

    def _connect(self) -> tuple[smtplib.SMTP, bool]:
        """The connection and whether it is encrypted (implicit TLS or STARTTLS)."""
        context = self._ssl_context or ssl.create_default_context()
        if self._implicit_tls:
            return smtplib.SMTP_SSL(self._host, self._port, timeout=self._timeout, context=context), True
        smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
            return smtp, True
        return smtp, False

    def _deliver(self, alerts: Sequence[Alert], subject: str, html: str, text: str) -> str:
        msg = self.message(subject, html, text, alerts)
        where = f"SMTP {self._host}:{self._port}"
        sending = False  # the message is on its way (MAIL FROM, RCPT, DATA): the server may have kept it
        try:
            try:
                smtp, encrypted = self._connect()
            except UnicodeError as exc:  # a host name the resolver cannot encode: every message meets it
                raise NotifyError(CHANNEL, f"{where}: the host name is not usable", blocked=True) from exc
            with smtp:
                if self._user:
                    if not encrypted and not _is_loopback(self._host):
                        # Never send the password in clear text: a server (or someone on the path)
                        # that drops STARTTLS would receive it.
                        raise NotifyError(
                            CHANNEL,
                            f"{where} offers no STARTTLS; refusing to send the password",
                            permanent=True,
                        )
                    try:
                        smtp.login(self._user, self._password)
                    except UnicodeEncodeError as exc:
                        # smtplib's AUTH sends ASCII only: every message meets it
                        raise NotifyError(
                            CHANNEL,
                            f"{where}: the user or password in SMTP_URL is not ASCII, which SMTP login "
                            "cannot send",
                            blocked=True,
                        ) from exc
                    except smtplib.SMTPNotSupportedError as exc:  # no AUTH offered: every message meets it
                        raise NotifyError(
                            CHANNEL, f"{where} offers no login (AUTH), but SMTP_URL has a user", blocked=True
                        ) from exc
                sending = True
                refused = smtp.send_message(
                    msg, from_addr=_address(self._sender), to_addrs=[_address(r) for r in self._recipients]
                )
        except smtplib.SMTPAuthenticationError as exc:  # every message would meet it: they wait
            raise NotifyError(CHANNEL, f"{where} refused the login ({exc.smtp_code})", blocked=True) from exc
        except smtplib.SMTPNotSupportedError as exc:
            # e.g. a non-ASCII address and a server without SMTPUTF8: every message meets it
            raise NotifyError(CHANNEL, f"{where} cannot take this message ({exc})", blocked=True) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            # RCPT is refused before any content is seen: a wrong EMAIL_TO (5xx) is a set-up mistake every
            # message meets, so the alerts wait for it to be fixed; a 4xx is tried again next run
            codes = sorted({code for code, _ in exc.recipients.values()})
            blocked = all(code >= 500 for code in codes)
            raise NotifyError(CHANNEL, f"{where} refused every recipient ({codes})", blocked=blocked) from exc
        except smtplib.SMTPSenderRefused as exc:
            # MAIL FROM refused: a wrong EMAIL_FROM (550) or a server that wants a login SMTP_URL lacks (530) is
            # a set-up mistake every message meets, so the alerts wait for it to be fixed; a 4xx is tried again.
            # 552 there is this message's size (MAIL FROM carries SIZE=): this message fails, the others go on.
            size = exc.smtp_code == 552
            raise NotifyError(
                CHANNEL,
                f"{where} refused the sender ({exc.smtp_code} {_said(exc.smtp_error)})",
                blocked=exc.smtp_code >= 500 and not size,
                permanent=size,
            ) from exc
        except smtplib.SMTPResponseException as exc:  # the message refused after DATA, ...
            step = "refused the message" if isinstance(exc, smtplib.SMTPDataError) else "answered"
            raise NotifyError(
                CHANNEL,
                f"{where} {step} ({exc.smtp_code} {_said(exc.smtp_error)})",
                permanent=exc.smtp_code >= 500,
            ) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:  # refused, reset, timeout
            if sending:  # the message may be on the server, which did not say so in time
                raise NotifyError(
                    CHANNEL,
                    f"{where} dropped the connection while sending ({type(exc).__name__}; it may have arrived; it "
                    "is sent again, with the same Message-ID)",
                ) from exc
            raise NotifyError(CHANNEL, f"{where} unreachable ({type(exc).__name__})") from exc
        if refused:
            # the others have it: sending it again would repeat it to them, so it counts as sent, loudly
            log.warning(
                "%s refused %d of %d recipients (%s); they did not get the alert",
                where,
                len(refused),
                len(self._recipients),
                ", ".join(f"{address} {code}" for address, (code, _) in sorted(refused.items())),
            )
        return str(msg["Message-ID"])

    def send(self, alert: Alert) -> str:
        return self._deliver((alert,), *render_email(alert))

    def send_digest(self, alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> str:
        return self._deliver((*alerts, *also_reported), *render_email_digest(alerts, also_reported))

    def reply(self, ref: str, alert: Alert) -> str:
        raise NotImplementedError("email has no threads; send follow-ups in a digest")


def _is_loopback(host: str) -> bool:
    """A local test or relay server, where a clear-text login never leaves the machine."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
