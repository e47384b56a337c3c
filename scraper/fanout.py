"""Scale past one function: split the watchlist's sources into batches on an SQS queue.

Above ``BATCH_THRESHOLD`` sources, the scheduled invocation does not fetch anything itself: it plans
batches (``plan_batches``), turns them into SQS messages (``batch_messages``) and sends them
(``enqueue_batches``). The worker function, the same code and handler with an SQS event, reads its batch
back (``sources_from_event``) and runs the ordinary job over just those sources with the same store.

Why it stays correct: every message names its sources by URL and the worker keeps only URLs that are in
its own watchlist (a stale message for a removed feed does nothing, and a message cannot add a feed);
each batch carries a deterministic event id, so a second delivery of the same message is refused by the
store's ``claim_run``, and a FIFO queue also gets a deterministic ``MessageDeduplicationId``. One host's
sources go to one batch where they fit, so the fetcher's per-host cap still holds across workers.

Everything here is pure except ``enqueue_batches``, which takes its boto3 SQS client.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scraper.errors import QueueError
from scraper.model import Source, Watchlist

BATCH_SIZE = 25  # sources per worker run: ~1 s of fetching at 300 ms latency, well inside the timeout
SQS_ENTRIES_PER_CALL = 10  # SendMessageBatch limit
MESSAGE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Plan:
    """What one invocation does: run the job over ``sources``, or enqueue ``messages`` and stop."""

    action: str  # "run" | "enqueue"
    sources: tuple[Source, ...] = ()
    event_id: str | None = None  # the claim key for this run (None: no claim)
    messages: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()  # for the run report: work messages that could not be read


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or ''}"


def plan_batches(sources: Sequence[Source], size: int = BATCH_SIZE) -> list[tuple[Source, ...]]:
    """Batches of at most ``size`` sources, one host's sources together where they fit.

    Deterministic (the same watchlist gives the same batches): hosts in order of first appearance,
    packed first-fit; a host with more than ``size`` sources fills whole batches of its own.
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    by_host: dict[str, list[Source]] = {}
    for source in dict.fromkeys(sources):
        by_host.setdefault(_host(source.url), []).append(source)
    batches: list[list[Source]] = []
    for group in by_host.values():
        while len(group) >= size:
            batches.append(group[:size])
            group = group[size:]
        if not group:
            continue
        home = next((b for b in batches if len(b) + len(group) <= size), None)
        if home is None:
            batches.append(list(group))
        else:
            home.extend(group)
    return [tuple(b) for b in batches]


def batch_event_id(event_id: str | None, index: int, batch: Sequence[Source]) -> str | None:
    """The claim key of one batch of one scheduled event; None when the event has no id."""
    if not event_id:
        return None
    digest = hashlib.sha256("\n".join(s.url for s in batch).encode("utf-8")).hexdigest()[:12]
    return f"{event_id}#{index}-{digest}"


def batch_messages(
    batches: Sequence[Sequence[Source]], *, event_id: str | None, fifo: bool = False
) -> list[dict[str, Any]]:
    """SendMessageBatch entries (without the queue URL), one per batch, in batch order."""
    messages = []
    for index, batch in enumerate(batches):
        claim = batch_event_id(event_id, index, batch)
        body = {
            "v": MESSAGE_VERSION,
            "event_id": claim,
            "batch": index,
            "of": len(batches),
            "sources": [s.url for s in batch],
        }
        entry: dict[str, Any] = {
            "Id": f"batch-{index}",
            "MessageBody": json.dumps(body, separators=(",", ":")),
        }
        if fifo:
            text = entry["MessageBody"]
            entry["MessageGroupId"] = f"batch-{index}"  # groups run in parallel; one group is one batch
            entry["MessageDeduplicationId"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        messages.append(entry)
    return messages


def sources_from_event(event: Any, watchlist: Watchlist) -> tuple[Source, ...] | None:
    """The sources an SQS worker event asks for, or None when the event is not from SQS.

    URLs not in ``watchlist`` are dropped (the feed was removed since the batch was planned);
    malformed records are skipped. Several records (a batch size above 1) are merged.
    """
    if not isinstance(event, Mapping) or not isinstance(event.get("Records"), list):
        return None
    by_url = {s.url: s for s in watchlist.feeds}
    wanted: dict[str, Source] = {}
    for record in event["Records"]:
        for url in _record_body(record).get("sources", ()):
            if isinstance(url, str) and url in by_url:
                wanted.setdefault(url, by_url[url])
    return tuple(wanted.values())


def event_id_from_event(event: Any) -> str | None:
    """The claim key carried by a single-record worker event (None for several records or none)."""
    if not isinstance(event, Mapping) or not isinstance(event.get("Records"), list):
        return None
    records = event["Records"]
    if len(records) != 1:
        return None
    claim = _record_body(records[0]).get("event_id")
    return claim if isinstance(claim, str) and claim else None


def _unreadable(event: Mapping[str, Any]) -> tuple[str, ...]:
    """A note per SQS record that is no work batch this build reads (another message version, not JSON):
    it is skipped, and its message deleted as handled, so the report and the log must say so."""
    return tuple(
        f"work message {record.get('messageId', '?') if isinstance(record, Mapping) else '?'} is not a batch "
        f"this build reads (message version {MESSAGE_VERSION}): skipped; its sources run on the next tick"
        for record in event["Records"]
        if not _record_body(record)
    )


def _record_body(record: Any) -> dict[str, Any]:
    if not isinstance(record, Mapping) or record.get("eventSource", "aws:sqs") != "aws:sqs":
        return {}
    try:
        body = json.loads(record.get("body") or "")
    except (TypeError, ValueError):
        return {}
    if (
        not isinstance(body, dict)
        or body.get("v") != MESSAGE_VERSION
        or not isinstance(body.get("sources"), list)
    ):
        return {}
    return body


def plan_invocation(
    event: Any,
    watchlist: Watchlist,
    *,
    threshold: int,
    queue_url: str | None,
    batch_size: int = BATCH_SIZE,
) -> Plan:
    """Decide what this invocation does.

    An SQS worker event runs its batch; a scheduled event with more than ``threshold`` sources (and a
    queue configured; a threshold of 0 means never) enqueues batches; anything else runs every source.
    """
    batch = sources_from_event(event, watchlist)
    if batch is not None:
        return Plan("run", batch, event_id_from_event(event), notes=_unreadable(event))
    event_id = str(event["id"]) if isinstance(event, Mapping) and event.get("id") else None
    if queue_url and threshold > 0 and len(watchlist.feeds) > threshold:
        messages = batch_messages(
            plan_batches(watchlist.feeds, batch_size), event_id=event_id, fifo=queue_url.endswith(".fifo")
        )
        return Plan("enqueue", event_id=event_id, messages=tuple(messages))
    return Plan("run", tuple(watchlist.feeds), event_id)


def enqueue_batches(client: Any, queue_url: str, messages: Sequence[Mapping[str, Any]]) -> int:
    """Send the messages, ten per SendMessageBatch call; entries SQS refuses are retried once.

    Returns how many were sent; raises QueueError when some could not be sent (the scheduled run
    then fails and its alarm fires; batches already sent run, and are idempotent if sent again).
    """
    from botocore.exceptions import BotoCoreError, ClientError

    sent = 0
    for start in range(0, len(messages), SQS_ENTRIES_PER_CALL):
        entries = [dict(m) for m in messages[start : start + SQS_ENTRIES_PER_CALL]]
        for attempt in range(2):
            try:
                answer = client.send_message_batch(QueueUrl=queue_url, Entries=entries)
            except (BotoCoreError, ClientError) as exc:
                raise QueueError(f"could not send work batches to {queue_url}: {exc}") from exc
            failed = {f["Id"]: f for f in answer.get("Failed", ())}
            sent += len(entries) - len(failed)
            retry = [e for e in entries if e["Id"] in failed and not failed[e["Id"]].get("SenderFault")]
            if not failed:
                break
            if attempt == 1 or len(retry) < len(failed):
                detail = "; ".join(
                    f"{k}: {v.get('Code')} {v.get('Message', '')}".strip() for k, v in failed.items()
                )
                raise QueueError(f"SQS refused {len(failed)} work batches on {queue_url}: {detail}")
            entries = retry
    return sent
