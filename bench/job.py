"""The job under measurement, in its own process: ``python bench/job.py`` reads commands on stdin.

Each ``run`` line runs the job once through ``scraper.runtime.cli_run`` (what ``python handler.py run``
calls: config from the environment, watchlist, store, fetcher, the whole pipeline) and prints one JSON
line with its wall and CPU time and what it did. Runs share the process, like warm invocations of one
Lambda container. ``quit`` prints the peak RSS. ``BENCH_PROFILE=DIR`` writes a cProfile file per run.
"""

from __future__ import annotations

import time

_STARTED_WALL, _STARTED_CPU = time.perf_counter(), time.process_time()

import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402


def _run_once(number: int) -> dict[str, object]:
    from scraper.runtime import cli_run

    profile_dir = os.environ.get("BENCH_PROFILE")
    profiler = None
    if profile_dir:
        import cProfile

        profiler = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    report = cli_run(os.environ, stdout=io.StringIO())
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.path.join(profile_dir or ".", f"run{number}.prof"))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    statuses: dict[str, int] = {}
    for feed in report.feeds:
        statuses[feed.status] = statuses.get(feed.status, 0) + 1
    return {
        "wall": wall,
        "cpu": cpu,
        "statuses": statuses,
        "requests": sum(f.requests for f in report.feeds),
        "bytes": sum(f.bytes for f in report.feeds),
        "stories_new": report.stories_new,
        "hits": len(report.hits),
        "errors": [f.error for f in report.feeds if f.error][:3],
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    sys.path.insert(0, os.getcwd())
    import handler  # noqa: F401  (the Lambda's init phase)
    import scraper.runtime  # noqa: F401

    ready = {
        "import_wall": time.perf_counter() - _STARTED_WALL,
        "import_cpu": time.process_time() - _STARTED_CPU,
    }
    print(json.dumps(ready), flush=True)
    number = 0
    for line in sys.stdin:
        command = line.strip()
        if command == "run":
            number += 1
            print(json.dumps(_run_once(number)), flush=True)
        elif command == "quit":
            break
    print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
