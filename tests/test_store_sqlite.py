"""SQLite specifics: the file itself, two processes on one file, waiting on a busy writer, expiry."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts.model import Alert, StoryRecord
from alerts.store_sqlite import SqliteStore
from scraper.errors import ConfigError
from scraper.model import Hit

NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


def alert(alert_id: str) -> Alert:
    return Alert(
        alert_id,
        "stage",
        "SAMP/T",
        "Ukraine",
        "deal",
        "delivery",
        "A second SAMP/T battery arrives",
        "https://news.example/sampt",
        "Defense Wire",
        NOW,
        "The battery arrived this week.",
    )


def test_the_file_and_its_directory_are_created_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / ".data" / "nested" / "watch.db"
    SqliteStore(str(path)).claim_run("evt-1", "run-a", NOW)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert SqliteStore(str(path)).claim_run("evt-1", "run-b", NOW) is False  # a later run sees it


def test_an_unusable_path_is_a_configuration_error(tmp_path: Path) -> None:
    # DB_PATH is set-up: `python handler.py` exits 2 on it, as on any configuration error
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the directory should be")
    with pytest.raises(ConfigError, match=r"DB_PATH .*not-a-dir"):
        SqliteStore(str(blocker / "watch.db"))
    with pytest.raises(ConfigError, match="is a directory"):
        SqliteStore(str(tmp_path))
    with pytest.raises(ConfigError, match="not an in-memory database"):
        SqliteStore(":memory:")


CLAIMER = """
import sys, time
from datetime import datetime, UTC
from pathlib import Path
from alerts.store_sqlite import SqliteStore
path, run_id, go, count = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
store = SqliteStore(path)
while not go.exists():
    time.sleep(0.001)
now = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
for n in range(count):
    if store.claim_delivery(f"a{n}", "slack", run_id, now, 60) is not None:
        print(f"a{n}")
"""


def test_two_processes_on_one_file_claim_each_delivery_once(tmp_path: Path) -> None:
    path, go, count = str(tmp_path / "watch.db"), tmp_path / "go", 60
    store = SqliteStore(path)
    for n in range(count):
        store.enqueue_alert(alert(f"a{n}"), "slack", NOW)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, path, f"run-{i}", str(go), str(count)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    time.sleep(0.5)  # let every process open the file and wait for the signal
    go.touch()
    claimed = [run.communicate(timeout=60)[0].split() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert sorted(alert_id for ids in claimed for alert_id in ids) == sorted(
        f"a{n}" for n in range(count)
    )  # each once, none lost
    assert all(d.attempts == 1 for d in store.pending_deliveries())


def test_a_busy_writer_makes_others_wait_not_fail(tmp_path: Path) -> None:
    path = str(tmp_path / "watch.db")
    store = SqliteStore(path)
    other_run = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other_run.execute("BEGIN IMMEDIATE")  # another process mid-transaction
    threading.Timer(0.3, lambda: other_run.execute("COMMIT")).start()
    started = time.monotonic()
    assert store.add_story(StoryRecord("s1", "https://news.example/s1", "T", ("Wire",), NOW)) is True
    assert time.monotonic() - started >= 0.25
    other_run.close()


def test_purge_expired_drops_what_dynamodb_ttl_would(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "watch.db"))
    old, fresh = NOW - timedelta(days=181), NOW - timedelta(days=1)
    store.claim_run("evt-old", "run-a", NOW - timedelta(days=8))
    store.claim_run("evt-new", "run-a", NOW - timedelta(days=1))
    store.add_story(StoryRecord("old", "https://news.example/old", "T", ("Wire",), old))
    store.add_story(StoryRecord("fresh", "https://news.example/fresh", "T", ("Wire",), fresh))
    store.put_hits([Hit("old", "S-400", "India", "operator", "deal", ".")], old)
    for alert_id in ("sent-long-ago", "still-pending"):
        store.enqueue_alert(alert(alert_id), "slack", old)
    store.mark_sent("sent-long-ago", "slack", "run-a", old)

    assert store.purge_expired(NOW) == 4
    assert store.known_story_ids(["old", "fresh"]) == {"fresh"}
    assert store.hits_for_story("old") == []
    assert store.claim_run("evt-old", "run-b", NOW) is True
    assert store.claim_run("evt-new", "run-b", NOW) is False
    assert store.get_delivery("sent-long-ago", "slack") is None
    assert [d.alert.id for d in store.pending_deliveries()] == ["still-pending"]  # pending never expires
