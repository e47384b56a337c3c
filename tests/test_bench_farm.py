"""The benchmark's feed farm and harness work at tiny size (no timing is asserted: the bench prints)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bench.baseline import run_baseline
from bench.farm import FeedFarm, watchlist_yaml
from scraper.parse import parse_feed
from scraper.watchlist import parse_watchlist

ROOT = Path(__file__).resolve().parent.parent


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), b""


def test_feeds_answer_conditional_gets_with_304_until_they_change() -> None:
    with FeedFarm(feeds=4, items=6, latency=0.0, hosts=2) as farm:
        _, url = farm.sources[1]
        status, headers, body = _get(url)
        assert status == 200 and headers["ETag"] and headers["Last-Modified"]
        assert len(parse_feed(body, url=url, feed_name="f")) == 6
        assert _get(url, **{"If-None-Match": headers["ETag"]})[0] == 304
        assert _get(url, **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304

        farm.add_items(1, 2)
        status, changed, body = _get(url, **{"If-None-Match": headers["ETag"]})
        assert status == 200 and changed["ETag"] != headers["ETag"]
        stories = parse_feed(body, url=url, feed_name="f")
        assert len(stories) == 6  # two new items in, the two oldest out
        assert farm.stats.ok == 2 and farm.stats.not_modified == 2


def test_gzip_is_served_to_clients_that_ask_and_items_look_like_news() -> None:
    with FeedFarm(feeds=2, items=20, latency=0.0, hosts=2, pair_share=0.5) as farm:
        _, url = farm.sources[0]
        status, headers, raw = _get(url, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        body = gzip.decompress(raw)
        assert body == farm.body(0) and len(raw) < len(body) / 2
        assert 1000 < len(body) / 20 < 2000  # ~1.4 KB per item, as in the 70 KB feeds
        stories = parse_feed(body, url=url, feed_name="f")
        assert len({s.id for s in stories}) == 20
        assert any(":" in s.title for s in stories)  # some stories name a watched pair


def test_feeds_live_on_several_loopback_hosts_so_per_host_caps_do_not_serialise_the_farm() -> None:
    with FeedFarm(feeds=6, items=2, latency=0.0, hosts=3) as farm:
        hosts = {url.split("/")[2].split(":")[0] for _, url in farm.sources}
        assert hosts == {"127.0.0.1", "127.0.0.2", "127.0.0.3"}
        assert all(_get(url)[0] == 200 for _, url in farm.sources)


def test_the_baseline_reads_every_story_and_the_watchlist_points_at_the_farm(tmp_path: Path) -> None:
    with FeedFarm(feeds=3, items=4, latency=0.0, hosts=2, pair_share=1.0) as farm:
        text = watchlist_yaml(farm.sources, str(ROOT / "watchlist.yaml"))
        watchlist = parse_watchlist(text, "bench.yaml")
        assert [s.url for s in watchlist.feeds] == [url for _, url in farm.sources]
        systems = ["Patriot", "S-400", "IRIS-T", "NASAMS", "F-35", "F-16", "Rafale", "Gripen", "HIMARS"]
        systems += ["Leopard 2", "K9 Thunder", "CAESAR howitzer", "Bayraktar TB2", "Iron Dome", "SAMP/T"]
        countries = ["Poland", "India", "Turkey", "Greece", "Egypt", "Romania", "Indonesia", "Philippines"]
        countries += ["Norway", "Estonia", "Morocco", "Brazil", "Japan", "Taiwan", "Lithuania"]
        result = run_baseline([url for _, url in farm.sources], systems, countries)
        assert result["stories"] == 12 and result["hits"] == 12


@pytest.mark.slow
def test_bench_run_quick_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--feeds",
            "6",
            "--items",
            "5",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for row in ("first run: wall", "steady run: CPU", "peak RSS", "match throughput", "cold import"):
        assert row in done.stdout
    data = json.loads(out.read_text())
    assert data["farm"]["first"]["stories_new"] == 30
    assert data["farm"]["steady"]["statuses"] == {"not_modified": 6}  # nothing changed: all 304
    assert data["farm"]["changed"]["statuses"].get("new") == data["farm"]["changed_count"]
