"""The environment, read and checked once at the edge (only handler.py calls this)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from scraper.errors import ConfigError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}
_LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the job takes from its environment. Secrets are held, never printed."""

    table_name: str | None = None
    db_path: str = ".data/watch.db"
    watchlist: str = "watchlist.yaml"
    slack_webhook_url: str | None = None
    slack_webhook_param: str | None = None
    slack_bot_token: str | None = None
    slack_bot_token_param: str | None = None
    slack_channel: str | None = None
    slack_api_url: str = "https://slack.com/api"
    email_from: str | None = None
    email_to: tuple[str, ...] = ()
    smtp_url: str | None = None
    allow_private_hosts: bool = False
    log_level: str = "INFO"
    contact_url: str = "https://github.com/defense-watch/defense-watch"
    lease_seconds: float = 300.0
    batch_threshold: int = 0  # above this many sources, fan out to the SQS queue (0 = never)
    queue_url: str | None = None

    def __repr__(self) -> str:  # never show secrets in a traceback or a log line
        return (
            f"Config(table_name={self.table_name!r}, db_path={self.db_path!r}, "
            f"watchlist={self.watchlist!r}, slack={'yes' if self.has_slack else 'no'}, "
            f"email={'yes' if self.has_email else 'no'})"
        )

    @property
    def has_slack(self) -> bool:
        return bool(
            self.slack_webhook_url
            or self.slack_webhook_param
            or self.slack_bot_token
            or self.slack_bot_token_param
        )

    @property
    def has_email(self) -> bool:
        return bool(self.email_from and self.email_to)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in output; used by the log redactor."""
        values = [self.slack_webhook_url, self.slack_bot_token]
        password = urlsplit(self.smtp_url).password if self.smtp_url else None
        if password:  # as written in the URL ("p%40ss") and as sent to the server ("p@ss")
            values += [password, unquote(password)]
        return tuple(v for v in values if v)


def is_url(value: str, schemes: tuple[str, ...]) -> bool:
    """Whether ``value`` is a URL of one of ``schemes`` with a host and, if it names one, a valid port
    ("https://[..." and "https://hooks.slack.com:abc/..." are not), that a client can use (``usable_url``)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for "abc" or 99999)
        return parts.scheme in schemes and bool(parts.hostname) and usable_url(value, parts.hostname or "")
    except ValueError:  # a broken IPv6 host, a port that is no number or out of range
        return False


# C0 and C1 control characters (a NUL, a tab, a line break, an escape, CSI); not a no-break space or a zero-width
# joiner, which are printed as nothing but are text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_control(value: str) -> bool:
    """Whether ``value`` holds a control character (no URL, address or name of a watchlist does)."""
    return _CONTROL.search(value) is not None


def usable_url(value: str, host: str) -> bool:
    """Whether a client can send to ``value`` at all: no control character in it (a line break, a tab, an escape),
    and a ``host`` the resolver can encode and whose IDNA labels are valid ("hooks.slack..com" has an empty
    label, "xn--a.example" no valid one). Such a URL otherwise fails only when it is used, with an error that
    no channel expects."""
    if has_control(value):
        return False
    import httpx  # here, not at the top: `import handler` loads nothing heavy (README, Performance)

    try:
        host.encode("idna")
        httpx.URL(value).host  # noqa: B018  (reading it decodes the IDNA labels)
    except (UnicodeError, httpx.InvalidURL):  # idna's IDNAError is a UnicodeError
        return False
    return True


# one addr-spec: no space, comma, semicolon or angle bracket outside a quoted local part ("a@x;b@x" would reach only
# a@x over SMTP)
_ADDR_SPEC = re.compile(r'(?:"[^"]+"|[^\s@,;<>()"]+)@[^\s@,;<>()"]+')


def is_address(value: str) -> bool:
    """ "a@example.org", "Name <a@example.org>" or "a@example.org (Name)": one address, as the SMTP envelope and
    SES read it."""
    if has_control(value):
        return False
    address = parseaddr(value)[1]
    if not _ADDR_SPEC.fullmatch(address):
        return False
    # what was parsed is the whole value: not the first of "a@x;b@x" or "a@x b@x"
    return (
        value == address
        or value.endswith(f"<{address}>")
        or (value.startswith(address) and value[len(address) :].strip().startswith("("))
    )


def read_config(env: Mapping[str, str]) -> Config:
    """Build a Config from environment variables; every problem is reported together."""
    problems: list[str] = []

    def flag(name: str) -> bool:
        raw = env.get(name, "").strip().lower()
        if raw in _TRUE:
            return True
        if raw not in _FALSE:
            problems.append(f"{name} must be true or false, got {env[name]!r}")
        return False

    def number(name: str, default: float, minimum: float) -> float:
        raw = env.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            problems.append(f"{name} must be a number, got {raw!r}")
            return default
        if not math.isfinite(value) or value > 1e9:  # "nan", "inf", "1e12": no sane duration or count
            problems.append(f"{name} must be a finite number no larger than 1e9, got {raw}")
            return default
        if value < minimum:
            problems.append(f"{name} must be at least {minimum:g}, got {raw}")
        return value

    def url(name: str, schemes: tuple[str, ...]) -> str | None:
        raw = env.get(name, "").strip()
        if not raw:
            return None
        if not is_url(raw, schemes):
            # Do not echo the value: webhook URLs and SMTP URLs carry secrets.
            problems.append(
                f"{name} must be a {' or '.join(schemes)} URL with a host (and a valid port, if any)"
            )
        return raw

    email_to = tuple(a.strip() for a in env.get("EMAIL_TO", "").split(",") if a.strip())
    email_from = env.get("EMAIL_FROM", "").strip() or None
    if bool(email_from) != bool(email_to):
        problems.append("EMAIL_FROM and EMAIL_TO must be set together")
    for address in (*email_to, *([email_from] if email_from else [])):
        if not is_address(address):
            problems.append(
                f"not an email address: {address!r} (one address, or a name and <address>; EMAIL_TO separates "
                "several with commas)"
            )

    if env.get("SMTP_URL", "").strip() and not email_from and not email_to:
        problems.append("SMTP_URL needs EMAIL_FROM and EMAIL_TO (who sends, who receives)")

    bot_token = env.get("SLACK_BOT_TOKEN", "").strip() or None
    bot_token_param = env.get("SLACK_BOT_TOKEN_PARAM", "").strip() or None
    channel = env.get("SLACK_CHANNEL", "").strip() or None
    if bool(bot_token or bot_token_param) != bool(channel):
        problems.append("SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_PARAM) and SLACK_CHANNEL must be set together")

    level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in _LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(sorted(_LOG_LEVELS))}, got {level!r}")

    config = Config(
        table_name=env.get("TABLE_NAME", "").strip() or None,
        db_path=env.get("DB_PATH", "").strip() or ".data/watch.db",
        watchlist=env.get("WATCHLIST", "").strip() or "watchlist.yaml",
        slack_webhook_url=url("SLACK_WEBHOOK_URL", ("https", "http")),
        slack_webhook_param=env.get("SLACK_WEBHOOK_PARAM", "").strip() or None,
        slack_bot_token=bot_token,
        slack_bot_token_param=bot_token_param,
        slack_channel=channel,
        slack_api_url=(url("SLACK_API_URL", ("https", "http")) or "https://slack.com/api").rstrip("/"),
        email_from=email_from,
        email_to=email_to,
        smtp_url=url("SMTP_URL", ("smtp", "smtps")),
        allow_private_hosts=flag("ALLOW_PRIVATE_HOSTS"),
        log_level=level,
        contact_url=url("CONTACT_URL", ("https", "http")) or "https://github.com/defense-watch/defense-watch",
        lease_seconds=number("LEASE_SECONDS", 300.0, 1.0),
        batch_threshold=int(number("BATCH_THRESHOLD", 0, 0)),
        queue_url=env.get("QUEUE_URL", "").strip() or None,
    )
    if problems:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))
    return config
