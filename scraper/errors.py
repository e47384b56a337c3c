"""One exception tree for the whole job; adapters translate library errors into it."""


class WatchError(Exception):
    """Root of every error this project raises on purpose."""


class ConfigError(WatchError):
    """The watchlist or the environment is invalid; the message names every problem."""


class FetchError(WatchError):
    """A URL could not be fetched (network, HTTP status, size or time limit, refused host)."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


class ParseError(WatchError):
    """Bytes that were fetched could not be turned into stories."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


class StoreError(WatchError):
    """The store failed after its own bounded retries."""


class NotifyError(WatchError):
    """A channel (slack, email, console) could not deliver a message.

    ``permanent``: this message will never be accepted (give it up). ``blocked``: the channel
    refuses every message until someone fixes its set-up (a deleted webhook, a revoked token, an
    archived channel, a refused login): the alerts wait, however often they were tried. ``rate_limited``: the
    channel asked to slow down (429, SES throttling): tried again next run, never counted towards giving up."""

    def __init__(
        self,
        channel: str,
        message: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        blocked: bool = False,
        rate_limited: bool = False,
    ) -> None:
        super().__init__(f"{channel}: {message}")
        self.channel = channel
        self.reason = message
        self.retry_after = retry_after
        self.permanent = permanent and not blocked
        self.blocked = blocked
        self.rate_limited = rate_limited


class QueueError(WatchError):
    """Work batches could not be put on the SQS queue (scale-out; scraper/fanout.py)."""
