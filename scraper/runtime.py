"""Builds the adapters from a Config and runs the job, for the Lambda and for the CLI.

Clients are created once per container (module-level cache) and reused by warm
invocations; the Slack webhook read from SSM is cached for the container's life.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import IO, Any, TextIO, cast
from urllib.parse import urlsplit

from scraper.config import Config, is_url, read_config
from scraper.errors import ConfigError
from scraper.model import Watchlist
from scraper.report import RunReport

log = logging.getLogger("watch.runtime")
_CACHE: dict[str, Any] = {}  # per-container clients: reused across warm invocations
USER_AGENT = "defense-watch/0.1 (+{contact})"


def _forms(secret: str) -> list[str]:
    """A secret as written, and for a URL whose path is the secret (a Slack webhook's
    /services/T.../B.../...) that path and its last segment, longest first."""
    forms = [secret]
    parts = urlsplit(secret)
    if parts.scheme and parts.netloc and len(parts.path) > 8:
        forms.append(parts.path)
        last = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if len(last) >= 8:
            forms.append(last)
    return forms


def _redacted(value: Any) -> Any:
    """``value`` (a run report's dict) with every string in it redacted; numbers and the rest untouched."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(item) for item in value]
    return value


def redact(text: str) -> str:
    """``text`` with every configured secret replaced (output that bypasses the logs: the run report)."""
    redactor = _CACHE.get("redactor")
    return redactor.redact(text) if redactor is not None else text


class _Redactor(logging.Filter):
    """Replaces configured secrets in every log record, whatever logged them."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets: tuple[str, ...] = ()
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        """Also redact these (a webhook read from SSM is known only after logging starts); a URL's path too,
        which an error page may echo without the host."""
        forms = [form for secret in secrets for form in _forms(secret)]
        self.secrets = tuple(dict.fromkeys((*self.secrets, *(s for s in forms if len(s) >= 6))))

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            if any(s in message for s in self.secrets):
                record.msg, record.args = self.redact(message), None
        return True

    def redact(self, text: str) -> str:
        """``text`` with each secret replaced, as written and as JSON writes it inside a string."""
        for secret in self.secrets:
            for form in {secret, json.dumps(secret)[1:-1]}:
                if form in text:
                    text = text.replace(form, "[redacted]")
        return text


class _RedactingStream:
    """The log handler's stream: what is written is redacted last, so a traceback, an exception
    message or an extra key carrying a secret is caught too (the filter only sees the message)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(redact(text))

    def flush(self) -> None:
        self._stream.flush()


def setup_logging(config: Config, *, stream: IO[str] | None = None, run_id: str = "") -> Any:
    """Structured JSON logs (Powertools Logger) with the run id; secrets redacted.

    The logger is built once per container; each run only changes its run id key."""
    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

    redactor = _Redactor(config.secrets)
    _CACHE["redactor"] = redactor
    logger = _CACHE.get("logger")
    if logger is None:
        stream_handler = logging.StreamHandler(cast(IO[str], _RedactingStream(stream or sys.stderr)))
        logger = Logger(service="defense-watch", level=config.log_level, logger_handler=stream_handler)
        copy_config_to_registered_loggers(source_logger=logger, include={"watch"}, log_level=config.log_level)
        _CACHE["logger"] = logger
    logger.setLevel(config.log_level)
    for handler in logger.handlers:
        for old in [f for f in handler.filters if isinstance(f, _Redactor)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    for name in ("watch", "httpx", "httpcore", "botocore"):
        target = logging.getLogger(name)
        for old in [f for f in target.filters if isinstance(f, _Redactor)]:
            target.removeFilter(old)
        target.addFilter(redactor)
    # httpx logs every request URL at INFO, and a webhook URL is a secret.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    if run_id:
        logger.append_keys(run_id=run_id)
    return logger


def open_store(config: Config) -> Any:
    """DynamoStore when TABLE_NAME is set, else the embedded SQLite store at DB_PATH."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL", "")
    key = f"store:{config.table_name or config.db_path}:{endpoint if config.table_name else ''}"
    if key in _CACHE:
        return _CACHE[key]
    if config.table_name:
        from botocore.config import Config as BotoConfig

        from alerts.store_dynamo import DynamoStore

        # botocore retries throttling a few times; DynamoStore adds its own bounded backoff.
        client = _aws_client(
            "dynamodb", config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 3})
        )
        store: Any = DynamoStore(config.table_name, client)
    else:
        from alerts.store_sqlite import SqliteStore

        store = SqliteStore(config.db_path)
    _CACHE[key] = store
    return store


def _slack_webhook_url(config: Config) -> str | None:
    return _slack_secret(
        config.slack_webhook_url,
        config.slack_webhook_param,
        ("the Slack webhook", "a Slack webhook URL (https://hooks.slack.com/...)"),
        lambda value: is_url(value, ("https", "http")),
    )


def _slack_bot_token(config: Config) -> str | None:
    return _slack_secret(
        config.slack_bot_token,
        config.slack_bot_token_param,
        ("the Slack bot token", "a Slack bot token (xoxb-...)"),
        lambda value: value.startswith("xox") and not any(c.isspace() for c in value),
    )


def _slack_secret(
    direct: str | None, param: str | None, names: tuple[str, str], valid: Callable[[str], bool]
) -> str | None:
    """The secret as set in the environment, else read from its SSM parameter and checked for its shape
    (never echoing it: a value pasted into the wrong parameter is still a secret). ``names``: what it is,
    and the shape it must have, for the errors."""
    if direct or not param:
        return direct
    value = _ssm_secret(param, names[0])
    if not valid(value):
        raise ConfigError(f"SSM parameter {param} does not hold {names[1]}")
    return value


def _ssm_secret(name: str, what: str) -> str:
    """A SecureString from SSM, cached for the container's life (one SSM call per cold start), and
    added to the log redactor before anything can print it."""
    from aws_lambda_powertools.utilities import parameters

    try:
        value = str(parameters.get_parameter(name, decrypt=True, max_age=10**9)).strip()
    except Exception as exc:  # Powertools wraps every SSM failure in its own error types
        raise ConfigError(f"cannot read {what} from SSM parameter {name}: {_aws_reason(exc)}") from exc
    redactor = _CACHE.get("redactor")
    if redactor is not None:
        redactor.add(value)
    return value


def _aws_reason(exc: BaseException) -> str:
    """Why an AWS call failed, by its error code ("ParameterNotFound", "AccessDeniedException"):
    Powertools raises its own error type while handling botocore's, which keeps the code."""
    cause = exc.__cause__ or exc.__context__
    response = getattr(cause, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    if code:
        return f"{type(exc).__name__} ({code})"
    if cause is not None:
        return f"{type(exc).__name__} ({type(cause).__name__})"
    return type(exc).__name__


def _aws_client(service: str, **kwargs: Any) -> Any:
    """One boto3 client per service and endpoint for the container's life.

    Keyed by the endpoint boto3 will use (``AWS_ENDPOINT_URL[_SERVICE]``), so a process that
    points a service elsewhere (tests, a local proxy) never gets a client built for another."""
    import boto3

    endpoint = os.environ.get(f"AWS_ENDPOINT_URL_{service.upper()}") or os.environ.get("AWS_ENDPOINT_URL", "")
    key = f"aws:{service}:{endpoint}"
    if key not in _CACHE:
        from botocore.exceptions import BotoCoreError

        # botocore reads AWS_DEFAULT_REGION only; Lambda sets both, a shell often only AWS_REGION
        region = os.environ.get("AWS_DEFAULT_REGION", "").strip() or os.environ.get("AWS_REGION", "").strip()
        if region:
            kwargs.setdefault("region_name", region)
        try:
            _CACHE[key] = boto3.client(service, **kwargs)
        except (BotoCoreError, ValueError) as exc:
            # no region (Lambda sets one; a shell may not), a bad profile; an empty AWS_REGION makes botocore
            # build "https://dynamodb..amazonaws.com" (ValueError)
            raise ConfigError(
                f"cannot set up the AWS {service} client: {exc} (are AWS_REGION or AWS_DEFAULT_REGION set?)"
            ) from exc
    return _CACHE[key]


def _slack_http() -> Any:
    """One HTTP client for Slack per container, made when a run first needs it (a run without Slack
    never loads the CA bundle it verifies with), then reused by warm runs."""
    if "http" not in _CACHE:
        import httpx

        _CACHE["http"] = httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0))
    return _CACHE["http"]


def build_notifiers(config: Config, *, console: IO[str] | None = None) -> dict[str, Any]:
    """The configured channels; the console when none is."""
    notifiers: dict[str, Any] = {}
    token = _slack_bot_token(config) if config.slack_channel else None
    if token and config.slack_channel:
        from alerts.slack import SlackBot

        notifiers["slack"] = SlackBot(
            token, config.slack_channel, _slack_http(), base_url=config.slack_api_url
        )
    else:
        url = _slack_webhook_url(config)
        if url:
            from alerts.slack import SlackWebhook

            notifiers["slack"] = SlackWebhook(url, _slack_http())
    if config.email_from and config.email_to:
        if config.smtp_url:
            from alerts.email import SmtpMailer

            notifiers["email"] = SmtpMailer(config.smtp_url, config.email_from, config.email_to)
        else:
            from botocore.config import Config as BotoConfig

            from alerts.email import SesMailer

            # Few retries: a throttled alert stays pending and the next run sends it.
            client = _aws_client(
                "sesv2", config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 2})
            )
            notifiers["email"] = SesMailer(client, config.email_from, config.email_to)
    if not notifiers:
        from alerts.console import ConsoleNotifier

        notifiers["console"] = ConsoleNotifier(cast(TextIO, console or sys.stdout))
    return notifiers


def load_watchlist_for(config: Config, *, require_feeds: bool = True) -> Watchlist:
    """The watchlist, parsed and compiled once per version of the file: a warm run whose file
    (its mtime and size, or its S3 ETag) has not changed reuses it (~150 ms of CPU saved)."""
    from scraper.watchlist import load_watchlist

    s3_client = None
    version: object = None
    if config.watchlist.startswith("s3://"):
        from botocore.exceptions import BotoCoreError, ClientError

        s3_client = _aws_client("s3")
        bucket, _, key = config.watchlist.removeprefix("s3://").partition("/")
        try:
            version = s3_client.head_object(Bucket=bucket, Key=key).get("ETag")
        except (BotoCoreError, ClientError):
            version = None  # load_watchlist reports the problem in its own words
    else:
        try:
            stat = os.stat(config.watchlist)
            version = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            version = None
    cache_key = f"watchlist:{config.watchlist}:{require_feeds}"
    cached = _CACHE.get(cache_key)
    if version is not None and cached is not None and cached[0] == version:
        return cast(Watchlist, cached[1])
    watchlist = load_watchlist(config.watchlist, s3_client=s3_client, require_feeds=require_feeds)
    if version is not None:
        _CACHE[cache_key] = (version, watchlist)
    return watchlist


def execute(
    config: Config,
    watchlist: Watchlist,
    *,
    options: Any,
    now: datetime | None = None,
    console: IO[str] | None = None,
) -> RunReport:
    """Build the adapters and run once."""
    import uuid

    from scraper.fetch import HttpFetcher
    from scraper.run import run_job

    run_id = uuid.uuid4().hex[:12]
    setup_logging(config, run_id=run_id)
    store = open_store(config)
    notifiers = build_notifiers(config, console=console)

    async def _go() -> RunReport:
        fetcher = HttpFetcher(
            user_agent=USER_AGENT.format(contact=config.contact_url),
            allow_private=config.allow_private_hosts,
        )
        try:
            return await run_job(
                watchlist,
                store,
                fetcher,
                notifiers,
                now=now or datetime.now(UTC),
                options=options,
                run_id=run_id,
            )
        finally:
            await fetcher.aclose()

    return asyncio.run(_go())


def lambda_run(event: Mapping[str, Any], context: Any, env: Mapping[str, str]) -> dict[str, Any]:
    """The Lambda path: read env, run with the remaining time as deadline, emit metrics."""
    from aws_lambda_powertools.metrics import Metrics, MetricUnit

    from scraper.run import RunOptions

    config = read_config(env)
    if config.allow_private_hosts and env.get("AWS_LAMBDA_FUNCTION_NAME"):
        raise ConfigError("ALLOW_PRIVATE_HOSTS is for tests and the demo; the Lambda refuses it")
    logger = setup_logging(config, stream=sys.stdout)  # Lambda: stdout goes to CloudWatch Logs
    watchlist = load_watchlist_for(config)
    # Scale-out: a scheduled tick over many sources only enqueues batches; an SQS event is a
    # worker's batch. Both run this same code against the same store.
    from scraper.fanout import enqueue_batches, plan_invocation

    plan = plan_invocation(event, watchlist, threshold=config.batch_threshold, queue_url=config.queue_url)
    if plan.action == "enqueue":
        sent = enqueue_batches(_aws_client("sqs"), config.queue_url or "", plan.messages)
        logger.info("fanned out", extra={"batches": sent, "sources": len(watchlist.feeds)})
        return {"fanned_out": sent, "sources": len(watchlist.feeds)}
    watchlist = replace(watchlist, feeds=plan.sources)
    # a test harness's context may have no clock: the run then has no deadline, as with no context
    clock = getattr(context, "get_remaining_time_in_millis", None)
    remaining = clock() / 1000 if callable(clock) else None
    options = RunOptions(
        event_id=plan.event_id,
        deadline=(time.monotonic() + remaining) if remaining else None,
        lease_seconds=config.lease_seconds,
        alert_backlog=watchlist.alerts.alert_backlog,
    )
    report = execute(config, watchlist, options=options)
    for note in plan.notes:  # a work message that could not be read was skipped: said, not silent
        logger.warning(note)
        report.notes.append(note)
    logger.info("run finished", extra={"run_id": report.run_id, "summary": report.summary()})
    metrics = Metrics(namespace="DefenseWatch", service="defense-watch")
    metrics.add_metric(name="FeedsFailed", unit=MetricUnit.Count, value=len(report.failed_feeds))
    metrics.add_metric(name="StoriesNew", unit=MetricUnit.Count, value=report.stories_new)
    metrics.add_metric(name="Hits", unit=MetricUnit.Count, value=len(report.hits))
    metrics.add_metric(
        name="AlertsSent", unit=MetricUnit.Count, value=sum(1 for a in report.alerts if a.status == "sent")
    )
    metrics.add_metric(
        name="AlertsFailed",
        unit=MetricUnit.Count,
        value=sum(1 for a in report.alerts if a.status in ("failed", "blocked")),
    )
    metrics.flush_metrics()
    result = report.to_dict()
    # the return value is shown by the Lambda console and by `sam local invoke`: no secret in it either
    result = _redacted(result)
    if isinstance(event, Mapping) and "Records" in event:
        result["batchItemFailures"] = []  # the batch ran; a failure raises and SQS retries it
    return result


# C1 control characters (CSI, U+009B): JSON escapes the C0 ones itself, not these, which a terminal may act on.
_C1 = re.compile(r"[\x80-\x9f]")
# What the demo never uses, whatever the environment says: a real store (its own SQLite file is DEMO_DB_PATH, not
# DB_PATH), a work queue, a real channel.
_DEMO_UNSET = (
    "TABLE_NAME",
    "QUEUE_URL",
    "BATCH_THRESHOLD",
    "SLACK_WEBHOOK_URL",
    "SLACK_WEBHOOK_PARAM",
    "SLACK_BOT_TOKEN",
    "SLACK_BOT_TOKEN_PARAM",
    "SLACK_CHANNEL",
    "EMAIL_FROM",
    "EMAIL_TO",
    "SMTP_URL",
)


def cli_run(
    env: Mapping[str, str],
    *,
    demo: bool = False,
    alert_backlog: bool = False,
    dry_run: bool = False,
    deadline_seconds: float | None = None,
    as_json: bool = False,
    stdout: IO[str] | None = None,
) -> RunReport:
    """`python handler.py run`: the Lambda's code path with a local store and console alerts."""

    from scraper.run import RunOptions

    out = stdout or sys.stdout
    env = dict(env)
    server = None
    if demo:
        from scraper.demo import start_demo_server

        env["ALLOW_PRIVATE_HOSTS"] = "true"
        # offline, its own store, console alerts: the demo's stories must not reach real recipients, nor its pair
        # states a real store (where they would hold back the real alerts of the same pairs)
        for name in _DEMO_UNSET:
            env.pop(name, None)
        env["DB_PATH"] = env.get("DEMO_DB_PATH", "").strip() or ".data/demo.db"
        server = start_demo_server()
    try:
        config = read_config(env)
        setup_logging(config, stream=sys.stderr)
        watchlist = load_watchlist_for(config)
        if server is not None:
            watchlist = replace(watchlist, feeds=server.sources)
        options = RunOptions(
            alert_backlog=alert_backlog or watchlist.alerts.alert_backlog,
            dry_run=dry_run,
            deadline=(time.monotonic() + deadline_seconds) if deadline_seconds else None,
            margin_seconds=min(10.0, (deadline_seconds or 100) * 0.1),
            lease_seconds=config.lease_seconds,
        )
        # with --json, stdout is one JSON document: the console alerts go to stderr
        report = execute(config, watchlist, options=options, console=sys.stderr if as_json else out)
    finally:
        if server is not None:
            server.stop()
    if as_json:
        text = json.dumps(_redacted(report.to_dict()), ensure_ascii=False, default=str)
        out.write(_C1.sub(lambda c: f"\\u{ord(c[0]):04x}", text) + "\n")  # feeds' links in the notes
    else:
        from alerts.render import terminal_text  # its notes quote feeds' links: no terminal escapes

        out.write(redact(terminal_text(report.to_text())) + "\n")
    out.flush()
    return report


def show_status(store: Any, watchlist: Watchlist) -> str:
    """The current stage of every watched pair, with since-when and the latest story."""
    # Each pair under the names the watchlist has now: a pair stored under a former name (renamed, the old name
    # kept as an alias) is shown under the new one, unless the pair is stored under that too; a pair whose
    # system or country is in no entry any more is not shown.
    current: dict[tuple[str, str], Any] = {}
    for p in store.list_pairs():
        key = watchlist.current_pair(p.system, p.country)
        if key is not None and (key not in current or key == (p.system, p.country)):
            current[key] = replace(p, system=key[0], country=key[1])
    pairs = [current[key] for key in sorted(current)]
    watched = [(p, w) for p in pairs if (w := watchlist.watch_for(p.system, p.country)) is not None]
    if not watched:
        return "No watched pair has been seen yet."
    from alerts.render import terminal_line  # titles and links come from feeds: no terminal escapes

    width = max(len(f"{p.system} x {p.country}") for p, _ in watched)
    lines = []
    for p, watch in watched:
        name = f"{p.system} x {p.country}"
        story = f"{terminal_line(p.title)}  {terminal_line(p.url)}"
        since = (p.since if p.since.tzinfo else p.since.replace(tzinfo=UTC)).astimezone(UTC)
        line = f"{name:<{width}}  {p.stage:<12} since {since:%Y-%m-%d %H:%M} UTC  {story}".rstrip()
        if p.held is not None:  # the latest story may report a stage not yet confirmed
            have, held = len(p.held.sources), p.held.new_stage
            if have < watch.min_sources:
                line += f"  ({held} held: {have} of {watch.min_sources} sources)"
            else:  # min_sources was lowered while it waited
                line += f"  ({held} held: min_sources is now {watch.min_sources}, sent with the next {held} report)"
        lines.append(line)
    return "\n".join(lines)
