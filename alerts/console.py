"""Print alerts to a stream: the channel when neither Slack nor email is configured."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from alerts.model import Alert
from alerts.render import render_console, render_console_digest


class ConsoleNotifier:
    """Writes each alert as a plain-text block; never fails for the outbox to retry."""

    channel = "console"
    threads = False

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def send(self, alert: Alert) -> str:
        self._stream.write(render_console(alert) + "\n\n")
        self._stream.flush()
        return ""

    def send_digest(self, alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> str:
        self._stream.write(render_console_digest(alerts, also_reported).rstrip("\n") + "\n\n")
        self._stream.flush()
        return ""

    def reply(self, ref: str, alert: Alert) -> str:
        return self.send(alert)
