"""SqliteStore: the embedded store for local runs, with the same items and answers as DynamoStore.

Each table keeps its key columns, the columns that conditions and queries need, and the
rest of the value as JSON (``alerts.codec``). The file is in WAL mode with a busy timeout,
and every "is this new?" write is one conditional statement (``INSERT OR IGNORE``,
``UPDATE ... WHERE``) or runs under ``BEGIN IMMEDIATE``, so two runs on one file (two
processes, or two threads) get exactly one winner. Each thread gets its own connection.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from alerts.codec import format_time, from_plain, parse_time, to_plain
from alerts.model import Alert, FeedState, OutboxItem, PairState, StoryRecord
from scraper.errors import ConfigError, StoreError
from scraper.model import Hit

# The same lifetimes as DynamoStore's TTL attribute, applied by ``purge_expired``.
STORY_TTL = timedelta(days=180)
RUN_TTL = timedelta(days=7)
SENT_TTL = timedelta(days=180)
BUSY_TIMEOUT_MS = 10_000
_CHUNK = 500  # ids per ``IN (...)``: below SQLite's bound-parameter limit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    event_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, claimed_at TEXT NOT NULL, expires TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY, first_seen TEXT NOT NULL, expires TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS stories_first_seen ON stories (first_seen);
CREATE TABLE IF NOT EXISTS hits (
    story_id TEXT NOT NULL, system TEXT NOT NULL, country TEXT NOT NULL, expires TEXT NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (story_id, system, country));
CREATE TABLE IF NOT EXISTS pairs (
    system TEXT NOT NULL, country TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (system, country));
CREATE TABLE IF NOT EXISTS outbox (
    alert_id TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
    claimed_by TEXT NOT NULL, lease_until TEXT, last_error TEXT NOT NULL, sent_at TEXT,
    ref TEXT NOT NULL, created TEXT NOT NULL, expires TEXT, alert TEXT NOT NULL,
    PRIMARY KEY (alert_id, channel));
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (status, channel, created);
"""


class SqliteStore:
    """The ``Store`` protocol on one SQLite file (``DB_PATH``, default ``.data/watch.db``)."""

    def __init__(self, path: str) -> None:
        if path == ":memory:" or not path:
            # each thread has its own connection, and each would get its own empty database
            raise ConfigError("DB_PATH must name a file, not an in-memory database")
        self.path = path
        self._local = threading.local()
        if Path(path).is_dir():  # a set-up mistake (exit 2), not a store failure
            raise ConfigError(
                f"DB_PATH {path} is a directory: name a file in it (e.g. {Path(path) / 'watch.db'})"
            )
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError as exc:
            raise ConfigError(f"DB_PATH {path}: {Path(path).parent} is a file, not a directory") from exc
        except OSError as exc:
            raise ConfigError(f"DB_PATH {path}: cannot create its directory: {exc.strerror or exc}") from exc
        try:
            conn = self._conn()
        except sqlite3.OperationalError as exc:  # "unable to open database file": the path, not the data
            raise ConfigError(f"DB_PATH {path}: cannot open a database there ({exc})") from exc
        with self._errors("open"):
            # WAL lets readers work while one writer holds the lock; set once per file.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")

    # --- connection and transactions -------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection (others close when their thread's store is dropped)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"sqlite store {self.path}: {what} failed: {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the file's write lock up front (no upgrade deadlocks)."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _select(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        cur = self._conn().execute(sql, params)
        cur.row_factory = sqlite3.Row
        return cur.fetchall()

    def _select_in(self, sql: str, values: Sequence[Any]) -> list[sqlite3.Row]:
        """``sql`` has one ``{}`` for the placeholders of an ``IN`` list; chunked."""
        rows: list[sqlite3.Row] = []
        unique = list(dict.fromkeys(values))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            rows += self._select(sql.format(",".join("?" * len(chunk))), chunk)
        return rows

    # --- runs ------------------------------------------------------------------------
    def claim_run(self, event_id: str, run_id: str, now: datetime) -> bool:
        with self._errors("claim_run"), self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO runs VALUES (?, ?, ?, ?)",
                (event_id, run_id, format_time(now), format_time(now + RUN_TTL)),
            )
            row = conn.execute("SELECT run_id FROM runs WHERE event_id = ?", (event_id,)).fetchone()
        # The same run asking again (a retried call) keeps its claim.
        return bool(row[0] == run_id)

    def release_run(self, event_id: str, run_id: str) -> None:
        with self._errors("release_run"), self._write() as conn:
            conn.execute("DELETE FROM runs WHERE event_id = ? AND run_id = ?", (event_id, run_id))

    # --- feeds -----------------------------------------------------------------------
    def get_feed_states(self, urls: Sequence[str]) -> dict[str, FeedState]:
        with self._errors("get_feed_states"):
            rows = self._select_in("SELECT data FROM feeds WHERE url IN ({})", urls)
        states = (from_plain(FeedState, json.loads(row["data"])) for row in rows)
        return {state.url: state for state in states}

    def put_feed_state(self, state: FeedState) -> None:
        with self._errors("put_feed_state"):
            self._conn().execute(
                "INSERT OR REPLACE INTO feeds VALUES (?, ?)", (state.url, json.dumps(to_plain(state)))
            )

    # --- stories and hits ------------------------------------------------------------
    def known_story_ids(self, ids: Sequence[str]) -> set[str]:
        with self._errors("known_story_ids"):
            rows = self._select_in("SELECT id FROM stories WHERE id IN ({})", ids)
        return {row["id"] for row in rows}

    def get_stories(self, ids: Sequence[str]) -> dict[str, StoryRecord]:
        with self._errors("get_stories"):
            rows = self._select_in("SELECT data FROM stories WHERE id IN ({})", ids)
        records = (from_plain(StoryRecord, json.loads(row["data"])) for row in rows)
        return {record.id: record for record in records}

    def add_story(self, record: StoryRecord) -> bool:
        with self._errors("add_story"):
            cur = self._conn().execute(
                "INSERT OR IGNORE INTO stories VALUES (?, ?, ?, ?)",
                (
                    record.id,
                    format_time(record.first_seen),
                    format_time(record.first_seen + STORY_TTL),
                    json.dumps(to_plain(record)),
                ),
            )
            return cur.rowcount == 1

    def add_stories(self, records: Sequence[StoryRecord]) -> set[str]:
        """Conditional inserts in one transaction (one commit, not one per story)."""
        new: set[str] = set()
        with self._errors("add_stories"), self._write() as conn:
            for record in records:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO stories VALUES (?, ?, ?, ?)",
                    (
                        record.id,
                        format_time(record.first_seen),
                        format_time(record.first_seen + STORY_TTL),
                        json.dumps(to_plain(record)),
                    ),
                )
                if cur.rowcount == 1:
                    new.add(record.id)
        return new

    def update_stories(self, records: Sequence[StoryRecord]) -> None:
        rows = [(json.dumps(to_plain(record)), record.id) for record in records]
        with self._errors("update_stories"), self._write() as conn:
            conn.executemany("UPDATE stories SET data = ? WHERE id = ?", rows)

    def add_story_feed(self, story_id: str, feed: str) -> None:
        with self._errors("add_story_feed"), self._write() as conn:
            row = conn.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
            if row is None:
                return
            data = json.loads(row[0])
            if feed in data["feeds"]:
                return
            data["feeds"].append(feed)
            conn.execute("UPDATE stories SET data = ? WHERE id = ?", (json.dumps(data), story_id))

    def recent_stories(self, since: datetime, until: datetime | None = None) -> list[StoryRecord]:
        sql, params = "SELECT data FROM stories WHERE first_seen >= ?", [format_time(since)]
        if until is not None:
            sql, params = sql + " AND first_seen <= ?", [*params, format_time(until)]
        with self._errors("recent_stories"):
            rows = self._select(sql + " ORDER BY first_seen, id", params)
        return [from_plain(StoryRecord, json.loads(row["data"])) for row in rows]

    def put_hits(self, hits: Iterable[Hit], now: datetime) -> None:
        expires = format_time(now + STORY_TTL)
        rows = [(hit.story_id, hit.system, hit.country, expires, json.dumps(to_plain(hit))) for hit in hits]
        with self._errors("put_hits"), self._write() as conn:
            conn.executemany("INSERT OR REPLACE INTO hits VALUES (?, ?, ?, ?, ?)", rows)

    def hits_for_story(self, story_id: str) -> list[Hit]:
        with self._errors("hits_for_story"):
            rows = self._select(
                "SELECT data FROM hits WHERE story_id = ? ORDER BY system, country", (story_id,)
            )
        return [from_plain(Hit, json.loads(row["data"])) for row in rows]

    # --- pairs -----------------------------------------------------------------------
    def get_pairs(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], PairState]:
        unique = list(dict.fromkeys(keys))
        rows: list[sqlite3.Row] = []
        with self._errors("get_pairs"):
            for start in range(0, len(unique), _CHUNK // 2):
                chunk = unique[start : start + _CHUNK // 2]
                rows += self._select(
                    "SELECT data FROM pairs WHERE (system, country) IN (VALUES {})".format(
                        ", ".join(["(?, ?)"] * len(chunk))
                    ),
                    [part for key in chunk for part in key],
                )
        states = (from_plain(PairState, json.loads(row["data"])) for row in rows)
        return {(state.system, state.country): state for state in states}

    def put_pair(self, state: PairState, expected_version: int) -> bool:
        with self._errors("put_pair"):
            return self._put_pair(self._conn(), state, expected_version)

    def _put_pair(self, conn: sqlite3.Connection, state: PairState, expected_version: int) -> bool:
        version = expected_version + 1
        data = json.dumps(to_plain(replace(state, version=version)))
        if expected_version == 0:
            cur = conn.execute(
                "INSERT OR IGNORE INTO pairs VALUES (?, ?, ?, ?)",
                (state.system, state.country, version, data),
            )
        else:
            cur = conn.execute(
                "UPDATE pairs SET version = ?, data = ? WHERE system = ? AND country = ? AND version = ?",
                (version, data, state.system, state.country, expected_version),
            )
        return cur.rowcount == 1

    def commit_pair(
        self, state: PairState, expected_version: int, deliveries: Sequence[tuple[Alert, str]], now: datetime
    ) -> bool:
        with self._errors("commit_pair"), self._write() as conn:
            if not self._put_pair(conn, state, expected_version):
                return False  # leaving the block commits an empty transaction
            for alert, channel in deliveries:
                self._enqueue(conn, alert, channel, now)
        return True

    def delete_pair(self, system: str, country: str, expected_version: int) -> bool:
        with self._errors("delete_pair"), self._write() as conn:
            cur = conn.execute(
                "DELETE FROM pairs WHERE system = ? AND country = ? AND version = ?",
                (system, country, expected_version),
            )
            return cur.rowcount == 1

    def list_pairs(self) -> list[PairState]:
        with self._errors("list_pairs"):
            rows = self._select("SELECT data FROM pairs ORDER BY system, country")
        return [from_plain(PairState, json.loads(row["data"])) for row in rows]

    # --- alert outbox ----------------------------------------------------------------
    def enqueue_alert(self, alert: Alert, channel: str, now: datetime) -> bool:
        with self._errors("enqueue_alert"):
            return self._enqueue(self._conn(), alert, channel, now)

    def _enqueue(self, conn: sqlite3.Connection, alert: Alert, channel: str, now: datetime) -> bool:
        cur = conn.execute(
            "INSERT OR IGNORE INTO outbox (alert_id, channel, status, attempts, claimed_by,"
            " last_error, ref, created, alert) VALUES (?, ?, 'pending', 0, '', '', '', ?, ?)",
            (alert.id, channel, format_time(alert.created or now), json.dumps(to_plain(alert))),
        )
        return cur.rowcount == 1

    def claim_delivery(
        self, alert_id: str, channel: str, run_id: str, now: datetime, lease_seconds: float
    ) -> OutboxItem | None:
        lease_until = format_time(now + timedelta(seconds=lease_seconds))
        with self._errors("claim_delivery"), self._write() as conn:
            cur = conn.execute(
                "UPDATE outbox SET claimed_by = ?, lease_until = ?, attempts = attempts + 1"
                " WHERE alert_id = ? AND channel = ? AND status = 'pending'"
                " AND (lease_until IS NULL OR lease_until <= ?)",
                (run_id, lease_until, alert_id, channel, format_time(now)),
            )
            if cur.rowcount != 1:
                return None
            return self._get_delivery(alert_id, channel)

    def mark_sent(self, alert_id: str, channel: str, run_id: str, now: datetime, ref: str = "") -> bool:
        with self._errors("mark_sent"), self._write() as conn:
            row = conn.execute(
                "SELECT status, claimed_by FROM outbox WHERE alert_id = ? AND channel = ?",
                (alert_id, channel),
            ).fetchone()
            if row is None:
                raise StoreError(
                    f"sqlite store {self.path}: no delivery {alert_id} on {channel} to mark sent"
                )
            if row[0] != "sent":  # a send that happened is recorded even when the lease moved on
                conn.execute(
                    "UPDATE outbox SET status = 'sent', sent_at = ?, ref = ?, claimed_by = ?,"
                    " lease_until = NULL, expires = ? WHERE alert_id = ? AND channel = ?",
                    (format_time(now), ref, run_id, format_time(now + SENT_TTL), alert_id, channel),
                )
        return bool(row[1] == run_id)

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
        status, expires = ("failed", format_time(now + SENT_TTL)) if give_up else ("pending", None)
        with self._errors("mark_failed"):
            # Only the claim's holder, once: a late report never turns ``sent`` into ``failed``,
            # and a run whose lease lapsed never ends the claim of the run that took it over.
            cur = self._conn().execute(
                "UPDATE outbox SET status = ?, last_error = ?, lease_until = NULL, expires = ?,"
                " attempts = MAX(attempts - ?, 0) WHERE alert_id = ? AND channel = ? AND status = 'pending'"
                " AND claimed_by = ? AND lease_until IS NOT NULL",
                (status, error, expires, 0 if counted else 1, alert_id, channel, run_id),
            )
        return cur.rowcount == 1

    def pending_deliveries(self, channel: str | None = None) -> list[OutboxItem]:
        sql, params = "SELECT * FROM outbox WHERE status = 'pending'", []
        if channel is not None:
            sql, params = sql + " AND channel = ?", [channel]
        with self._errors("pending_deliveries"):
            rows = self._select(sql + " ORDER BY channel, created, alert_id", params)
        return [_outbox_item(row) for row in rows]

    def get_delivery(self, alert_id: str, channel: str) -> OutboxItem | None:
        with self._errors("get_delivery"):
            return self._get_delivery(alert_id, channel)

    def _get_delivery(self, alert_id: str, channel: str) -> OutboxItem | None:
        rows = self._select("SELECT * FROM outbox WHERE alert_id = ? AND channel = ?", (alert_id, channel))
        return _outbox_item(rows[0]) if rows else None

    # --- housekeeping ----------------------------------------------------------------
    def purge_expired(self, now: datetime) -> int:
        """Delete what DynamoDB's TTL would have deleted by ``now``; returns the rows removed."""
        cutoff = format_time(now)
        removed = 0
        with self._errors("purge_expired"), self._write() as conn:
            for table in ("runs", "stories", "hits", "outbox"):
                cur = conn.execute(
                    f"DELETE FROM {table} WHERE expires IS NOT NULL AND expires < ?", (cutoff,)
                )
                removed += cur.rowcount
        return removed


def _outbox_item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        alert=from_plain(Alert, json.loads(row["alert"])),
        channel=row["channel"],
        status=row["status"],
        attempts=row["attempts"],
        claimed_by=row["claimed_by"],
        lease_until=parse_time(row["lease_until"]) if row["lease_until"] else None,
        last_error=row["last_error"],
        sent_at=parse_time(row["sent_at"]) if row["sent_at"] else None,
        ref=row["ref"],
    )
