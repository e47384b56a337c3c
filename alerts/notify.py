"""The Notifier seam: one protocol that every delivery channel implements.

Senders only classify failures (``NotifyError`` with ``permanent`` or ``retry_after``); they
do not retry. The outbox decides what is retried and when, across runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from alerts.model import Alert


class Notifier(Protocol):
    """A channel that can deliver one alert, a digest, and (maybe) a threaded follow-up.

    ``threads`` says whether ``reply`` posts into the thread of an earlier message (Slack bot
    token). Channels without threads (Slack webhook, email) raise ``NotImplementedError`` from
    ``reply``; their follow-ups go out as "also reported by" lines in the next digest instead.
    The console prints replies as lines, so it has ``threads = False`` but a working ``reply``.
    A channel whose messages have a size limit also has ``digest_parts(alerts, also_reported)``,
    which splits a digest into the (alerts, also_reported) of each message it will accept.
    """

    channel: str
    threads: bool

    def send(self, alert: Alert) -> str:
        """Deliver one alert; returns the channel's message ref (Slack ``ts``) or ""."""
        ...

    def send_digest(self, alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> str:
        """Deliver many alerts as one message grouped by pair; returns its ref or ""."""
        ...

    def reply(self, ref: str, alert: Alert) -> str:
        """Post ``alert`` as a follow-up to the message ``ref``; returns the reply's ref."""
        ...
