"""Email senders: SES v2 (the Lambda's) and SMTP (local runs), both HTML + text.

Email has no threads: ``reply`` raises ``NotImplementedError`` and later sources of an event
go out as "also reported by" lines in the next digest. Failures are classified, not retried:
throttling, timeouts and 4xx SMTP replies are transient; a set-up mistake every message meets (a refused
login or recipient, an unverified SES address) holds the alerts (blocked); other rejections and 5xx are
permanent.
Pass an SES client built with few retries (``Config(retries={"max_attempts": 2})``): the
outbox retries across runs. Neither the SMTP password nor the URL holding it appears in errors.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import unquote, urlsplit

from botocore.exceptions import BotoCoreError, ClientError

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


class SesMailer:
    """Sends through SES v2 ``send_email`` with ``Content.Simple`` (HTML and text parts)."""

    channel = CHANNEL
    threads = False

    def __init__(self, client: Any, sender: str, recipients: tuple[str, ...]) -> None:
        self._client = client
        self._sender = header_value(sender, 320)
        self._recipients = tuple(header_value(r, 320) for r in recipients)

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
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            transient = code in _SES_TRANSIENT or status == 429 or status >= 500
            # SES refuses a sender or (in the sandbox) a recipient that is not verified with MessageRejected:
            # a set-up mistake every message meets, so the alerts wait for it to be fixed
            unverified = code == "MessageRejected" and "not verified" in str(
                exc.response.get("Error", {}).get("Message", "")
            )
            raise NotifyError(
                CHANNEL,
                f"SES send_email failed: {code}" + (" (an address is not verified)" if unverified else ""),
                permanent=not transient,
                blocked=code in _SES_BLOCKING or unverified,
                rate_limited=code in _SES_RATE_LIMITS or status == 429,
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

    def message(self, subject: str, html: str, text: str) -> EmailMessage:
        """The email as sent: one-line headers, a text part and an HTML alternative."""
        msg = EmailMessage()
        msg["Subject"] = header_value(subject)
        msg["From"] = self._sender
        msg["To"] = ", ".join(self._recipients)
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain="defense-watch.local")
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

    def _deliver(self, subject: str, html: str, text: str) -> str:
        msg = self.message(subject, html, text)
        where = f"SMTP {self._host}:{self._port}"
        try:
            smtp, encrypted = self._connect()
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
                    except smtplib.SMTPNotSupportedError as exc:  # no AUTH offered: every message meets it
                        raise NotifyError(
                            CHANNEL, f"{where} offers no login (AUTH), but SMTP_URL has a user", blocked=True
                        ) from exc
                refused = smtp.send_message(msg, from_addr=self._sender, to_addrs=list(self._recipients))
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
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, ...
            raise NotifyError(
                CHANNEL, f"{where} answered {exc.smtp_code}", permanent=exc.smtp_code >= 500
            ) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:  # refused, reset, timeout
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
        return self._deliver(*render_email(alert))

    def send_digest(self, alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> str:
        return self._deliver(*render_email_digest(alerts, also_reported))

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
