"""The Store seam: every item the job keeps, behind one protocol.

Two adapters implement it with the same items and behaviour: ``DynamoStore``
(alerts/store_dynamo.py, the Lambda's) and ``SqliteStore`` (alerts/store_sqlite.py,
the embedded default). Writes that answer "is this new?" are conditional, and their
"no" is a normal return value, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from alerts.model import Alert, FeedState, OutboxItem, PairState, StoryRecord
from scraper.model import Hit

# New deliveries one commit_pair may carry: DynamoDB's transactions hold 100 items, the pair one.
COMMIT_DELIVERIES = 99


class Store(Protocol):
    # --- runs -------------------------------------------------------------------
    def claim_run(self, event_id: str, run_id: str, now: datetime) -> bool:
        """Record a scheduled event as taken; False when another run already took it.
        The same ``run_id`` asking again gets True (a retried call keeps its claim)."""
        ...

    def release_run(self, event_id: str, run_id: str) -> None:
        """Give up ``run_id``'s claim on the event (a run that failed part-way), so that a retry of the
        event (SQS redelivering a worker's batch) runs it instead of skipping it; another run's claim stays."""
        ...

    # --- feeds ------------------------------------------------------------------
    def get_feed_states(self, urls: Sequence[str]) -> dict[str, FeedState]:
        """Batch read; unknown URLs are absent from the answer."""
        ...

    def put_feed_state(self, state: FeedState) -> None:
        """Overwrite the feed's state (one writer per feed per run; last write wins)."""
        ...

    # --- stories and hits ---------------------------------------------------------
    def known_story_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these story ids are stored already (one batch, never a read per id)."""
        ...

    def add_story(self, record: StoryRecord) -> bool:
        """Conditional insert: True when the story is new, False when it was known."""
        ...

    def add_stories(self, records: Sequence[StoryRecord]) -> set[str]:
        """``add_story`` for many stories in few writes; returns the ids that were new."""
        ...

    def update_stories(self, records: Sequence[StoryRecord]) -> None:
        """Rewrite stored stories (an edited story's headline, fingerprint and hashes), each whole; a record
        whose story is no longer stored is skipped. ``first_seen`` (and so the story's lifetime) is the
        caller's to keep."""
        ...

    def add_story_feed(self, story_id: str, feed: str) -> None:
        """Note one more source that carried a known story."""
        ...

    def get_stories(self, ids: Sequence[str]) -> dict[str, StoryRecord]:
        """Batch read of story records (feeds, cluster, first seen); unknown ids are absent."""
        ...

    def recent_stories(self, since: datetime, until: datetime | None = None) -> list[StoryRecord]:
        """Stories first seen at or after ``since`` and, when given, at or before ``until``
        (for near-duplicate matching); a query per day, not a scan. Pass ``until=now``:
        without it DynamoStore reads the clock to know which days to query."""
        ...

    def put_hits(self, hits: Iterable[Hit], now: datetime) -> None:
        """Batch write; rewriting the same (story, system, country) is idempotent."""
        ...

    def hits_for_story(self, story_id: str) -> list[Hit]: ...

    # --- pairs ------------------------------------------------------------------
    def get_pairs(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], PairState]: ...

    def put_pair(self, state: PairState, expected_version: int) -> bool:
        """Write ``state`` with version ``expected_version + 1`` only if the stored version is
        ``expected_version`` (0 = absent). False when another run changed it first."""
        ...

    def commit_pair(
        self, state: PairState, expected_version: int, deliveries: Sequence[tuple[Alert, str]], now: datetime
    ) -> bool:
        """``put_pair`` and ``enqueue_alert`` for each (alert, channel), in one atomic write, so a
        crash never keeps a new stage and loses its alert. False (and nothing written) when the
        pair's version moved; deliveries that exist already are left as they are. At most
        ``COMMIT_DELIVERIES`` new deliveries per call (DynamoDB's 100 items per transaction)."""
        ...

    def delete_pair(self, system: str, country: str, expected_version: int) -> bool:
        """Delete the pair's state only if its stored version is ``expected_version``; False otherwise (another
        run changed it, or it is gone). For a state carried over to an entry's new name."""
        ...

    def list_pairs(self) -> list[PairState]:
        """Every pair state (a query on the pairs' partition, not a table scan)."""
        ...

    # --- alert outbox -------------------------------------------------------------
    def enqueue_alert(self, alert: Alert, channel: str, now: datetime) -> bool:
        """Insert a pending (alert, channel) delivery; False if it already exists in any status."""
        ...

    def claim_delivery(
        self, alert_id: str, channel: str, run_id: str, now: datetime, lease_seconds: float
    ) -> OutboxItem | None:
        """Take the lease on a pending delivery whose lease is free or expired (a crashed run's
        lease lapses), counting one attempt; None when it is sent, failed, leased or unknown."""
        ...

    def mark_sent(self, alert_id: str, channel: str, run_id: str, now: datetime, ref: str = "") -> bool:
        """Record that ``run_id`` sent the delivery: ``sent``, lease released, out of
        ``pending_deliveries``. True when ``run_id`` still held the claim; False when its lease
        had lapsed and another run took the delivery over, or another run recorded it sent
        first (the alert may have gone out twice: the caller reports it).

        Unlike ``mark_failed`` this acts without the claim, because the message is out: left
        pending, the run that took the delivery over could fail or die and a later run would
        send it yet again, whereas ``sent`` makes every later claim and failure report a no-op.
        A pending or failed delivery becomes ``sent`` (with ``claimed_by = run_id``); one already
        sent keeps its first record (``ref``, ``sent_at``). Raises StoreError for a delivery that
        was never enqueued."""
        ...

    def mark_failed(
        self,
        alert_id: str,
        channel: str,
        run_id: str,
        error: str,
        now: datetime,
        give_up: bool,
        counted: bool = True,
    ) -> bool:
        """Record the error and release the lease (the attempt was counted by the claim;
        ``counted=False`` takes it back: the channel refused everything, or the alert was not tried);
        ``give_up`` makes it ``failed`` for good. Acts only while ``run_id`` holds the delivery's
        claim (pending, claimed by it, lease not yet released), and returns whether it did: a slow
        run whose lease lapsed never releases, discounts or gives up the claim of the run that
        took the delivery over, and a late report never turns ``sent`` into ``failed``."""
        ...

    def pending_deliveries(self, channel: str | None = None) -> list[OutboxItem]:
        """Every pending delivery (a query on a sparse index, not a scan)."""
        ...

    def get_delivery(self, alert_id: str, channel: str) -> OutboxItem | None: ...

    # --- housekeeping -------------------------------------------------------------
    def purge_expired(self, now: datetime) -> int:
        """Delete items past their lifetime (stories and hits 180 days, run claims 7 days, sent
        or failed deliveries 180 days); DynamoDB's TTL does this itself, so there it is a no-op."""
        ...
