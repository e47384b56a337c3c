"""The sequential baseline from issue 5: the common way to write this job.

A loop of ``feedparser.parse(url)`` (feedparser fetches through urllib, one feed after the other, with its
sanitiser and URI resolution on, as shipped) and a case-insensitive keyword check of every entry against
every system and country alias. No state: every run fetches and parses everything again.

``python bench/baseline.py WATCHLIST`` prints one JSON line: wall, cpu, requests, stories, hits.
"""

from __future__ import annotations

import json
import sys
import time


def run_baseline(
    feed_urls: list[str], system_aliases: list[str], country_aliases: list[str]
) -> dict[str, float]:
    """One pass over every feed; returns what it did and what it cost."""
    import feedparser

    wall, cpu = time.perf_counter(), time.process_time()
    stories = hits = 0
    systems = [a.lower() for a in system_aliases]
    countries = [a.lower() for a in country_aliases]
    for url in feed_urls:
        parsed = feedparser.parse(url)
        for entry in parsed.entries:
            stories += 1
            text = f"{entry.get('title', '')} {entry.get('summary', '')}".lower()
            if any(s in text for s in systems) and any(c in text for c in countries):
                hits += 1
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "requests": len(feed_urls),
        "stories": stories,
        "hits": hits,
    }


def main(argv: list[str]) -> int:
    import yaml

    with open(argv[0], encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    urls = [feed["url"] for feed in data["feeds"]]
    systems = [a for e in data["systems"] for a in [e["name"], *e.get("aliases", [])]]
    countries = [a for e in data["countries"] for a in [e["name"], *e.get("aliases", [])]]
    runs = int(argv[1]) if len(argv) > 1 else 1
    results = [run_baseline(urls, systems, countries) for _ in range(runs)]
    import resource

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"runs": results, "peak_rss_mb": peak_kb / 1024}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
