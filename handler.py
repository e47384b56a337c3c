"""Entry points: the Lambda handler and the command line, both calling the same run.

Only this module reads the environment and knows about Lambda. It builds the clients
once (reused across warm invocations) and hands them to the pure middle.
Heavy imports happen inside functions so a cold start pays only for what a run uses.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import IO, Any

from scraper.config import Config, read_config
from scraper.errors import ConfigError, WatchError

_EXIT_OK, _EXIT_FAILED, _EXIT_CONFIG = 0, 1, 2
# Input is read with errors="surrogateescape": a byte that is not UTF-8 becomes one of these.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


# --------------------------------------------------------------------------- Lambda
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Scheduled entry point (and the SQS worker's): one run, the report as a dict."""
    from scraper.runtime import lambda_run

    return lambda_run(event, context, os.environ)


# --------------------------------------------------------------------------- CLI
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _read_stories(stream: IO[str], source: str) -> Iterator[tuple[int, Any]]:
    """JSON Lines stories -> (line number, Story or error message)."""
    from scraper.model import Story

    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        if undecodable := _NOT_UTF8.search(line):
            byte, column = ord(undecodable.group()) - 0xDC00, undecodable.start() + 1
            yield number, f"{source}:{number}: not UTF-8 (byte 0x{byte:02x} at column {column})"
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"{source}:{number}: not JSON ({exc.msg})"
            continue
        if not isinstance(item, dict) or not isinstance(item.get("id"), str | int):
            yield number, f'{source}:{number}: a story needs an "id" (string)'
            continue
        title, text = item.get("title") or "", item.get("text") or ""
        if not isinstance(title, str) or not isinstance(text, str):
            yield number, f'{source}:{number}: "title" and "text" must be strings'
            continue
        # A lone surrogate escape ("\ud800") is valid JSON but no text: in a story's words it becomes U+FFFD; an
        # id, link or feed name holding it could not be written out again.
        title, text = _LONE_SURROGATE.sub("\ufffd", title), _LONE_SURROGATE.sub("\ufffd", text)
        bad = next((k for k in ("id", "url", "feed") if _LONE_SURROGATE.search(str(item.get(k) or ""))), None)
        if bad is not None:
            yield number, f'{source}:{number}: "{bad}" holds a lone surrogate escape (not text)'
            continue
        published = None
        if item.get("published"):
            try:
                published = datetime.fromisoformat(str(item["published"]).replace("Z", "+00:00"))
                if published.tzinfo is None:
                    published = published.replace(tzinfo=UTC)
            except ValueError:
                yield number, f'{source}:{number}: "published" must be an ISO-8601 time'
                continue
        yield (
            number,
            Story(
                id=str(item["id"]),
                title=title,
                text=text,
                url=str(item.get("url") or ""),
                published=published,
                feed=str(item.get("feed") or ""),
            ),
        )


def _open_input(path: str | None) -> tuple[IO[str], str]:
    """Stories as UTF-8 text (a BOM is skipped); a line that is not UTF-8 is reported, not raised."""
    if path in (None, "-"):
        if isinstance(sys.stdin, io.TextIOWrapper):
            sys.stdin.reconfigure(encoding="utf-8-sig", errors="surrogateescape")
        return sys.stdin, "<stdin>"
    assert path is not None
    try:
        return open(path, encoding="utf-8-sig", errors="surrogateescape"), path
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc


def _seconds(raw: str) -> float:
    """A positive, finite number of seconds (else a usage error, exit 2: "-1" or "nan" postponed every feed)."""
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {raw!r}")
    return value


def _watchlist_location(args: argparse.Namespace) -> str:
    return args.watchlist or os.environ.get("WATCHLIST", "").strip() or "watchlist.yaml"  # as `run` reads it


def _load_watchlist(location: str, *, require_feeds: bool) -> Any:
    from scraper.watchlist import load_watchlist

    s3_client = None
    if location.startswith("s3://"):
        import boto3

        s3_client = boto3.client("s3")
    return load_watchlist(location, s3_client=s3_client, require_feeds=require_feeds)


def _cmd_match(args: argparse.Namespace) -> int:
    from scraper.match import find_hits

    watchlist = _load_watchlist(_watchlist_location(args), require_feeds=False)
    stream, source = _open_input(args.file)
    bad = 0
    out = sys.stdout
    with stream if stream is not sys.stdin else _nullcontext(stream):
        for _number, story in _read_stories(stream, source):
            if isinstance(story, str):
                print(story, file=sys.stderr)
                bad += 1
                continue
            for hit in find_hits(story, watchlist):
                out.write(json.dumps(hit.to_json(), ensure_ascii=False) + "\n")
    return _EXIT_FAILED if bad else _EXIT_OK


def _cmd_cluster(args: argparse.Namespace) -> int:
    from scraper.dedupe import cluster_stories

    stream, source = _open_input(args.file)
    stories, bad = [], 0
    with stream if stream is not sys.stdin else _nullcontext(stream):
        for _number, story in _read_stories(stream, source):
            if isinstance(story, str):
                print(story, file=sys.stderr)
                bad += 1
            else:
                stories.append(story)
    subjects = None
    if args.watchlist or os.environ.get("WATCHLIST", "").strip() or os.path.exists("watchlist.yaml"):
        # as the job clusters: near-duplicate texts about different watched pairs stay apart
        from scraper.dedupe import StorySubjects

        watchlist = _load_watchlist(_watchlist_location(args), require_feeds=False)
        subjects = StorySubjects(watchlist.index, [(s.title, s.text) for s in stories])
    clusters = cluster_stories(stories, subjects=subjects)
    for story in stories:
        print(json.dumps({"id": story.id, "cluster": clusters[story.id]}, ensure_ascii=False))
    return _EXIT_FAILED if bad else _EXIT_OK


def _cmd_extract(args: argparse.Namespace) -> int:
    from scraper.extract import extract_main_text, not_a_page, too_many_tags

    failed = 0
    for path in args.files:
        try:
            with open(path, "rb") as handle:
                html = handle.read()
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror}", file=sys.stderr)
            failed += 1
            continue
        refused = not_a_page(html)
        if refused:
            print(f"{path}: not an HTML page ({refused})", file=sys.stderr)
            failed += 1
            continue
        if oversized := too_many_tags(html):  # what a run does with such a page: its story's summary instead
            print(
                f"{path}: not read ({oversized}); a run matches the feed's summary instead", file=sys.stderr
            )
            failed += 1
            continue
        try:
            text = extract_main_text(html, url="")
        except Exception as exc:  # as in a run: one page must not stop the others
            print(f"{path}: could not be parsed ({type(exc).__name__})", file=sys.stderr)
            failed += 1
            continue
        print(json.dumps({"file": path, "text": text}, ensure_ascii=False))
    return _EXIT_FAILED if failed else _EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from scraper.watchlist_check import check_watchlist, summarize_watchlist

    location = _watchlist_location(args)
    watchlist = _load_watchlist(location, require_feeds=True)
    for warning in check_watchlist(watchlist):
        print(f"warning: {warning}")
    print(f"{location}: OK. {summarize_watchlist(watchlist)}")
    return _EXIT_OK


def _cmd_status(args: argparse.Namespace) -> int:
    from scraper.runtime import open_store, show_status

    config = read_config(os.environ)
    watchlist = _load_watchlist(_watchlist_location(args), require_feeds=False)
    store = open_store(config)
    print(show_status(store, watchlist))
    return _EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from scraper.runtime import cli_run

    env = dict(os.environ)
    if args.watchlist:
        env["WATCHLIST"] = args.watchlist
    report = cli_run(
        env,
        demo=args.demo,
        alert_backlog=args.alert_backlog or args.demo,
        dry_run=args.dry_run,
        deadline_seconds=args.deadline,
        as_json=args.json,
    )
    return _EXIT_OK if report is not None else _EXIT_FAILED


class _nullcontext:
    def __init__(self, value: Any) -> None:
        self.value = value

    def __enter__(self) -> Any:
        return self.value

    def __exit__(self, *exc: object) -> None:
        return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handler.py", description="Defense-news watch: alerts on arms-transfer stage changes."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def with_watchlist(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--watchlist", help="path or s3://bucket/key (default: $WATCHLIST, then ./watchlist.yaml)"
        )

    run = sub.add_parser("run", help="one run of the job, the same code path as the Lambda")
    with_watchlist(run)
    run.add_argument("--demo", action="store_true", help="serve bundled sample feeds on loopback; offline")
    run.add_argument(
        "--alert-backlog", action="store_true", help="alert a new feed's backlog instead of seeding"
    )
    run.add_argument("--dry-run", action="store_true", help="fetch and match, but store and send nothing")
    run.add_argument(
        "--deadline", type=_seconds, help="seconds this run may take (Lambda: the remaining time)"
    )
    run.add_argument("--json", action="store_true", help="print the run report as JSON")
    run.set_defaults(func=_cmd_run)

    match = sub.add_parser("match", help="JSON Lines stories in, JSON Lines hits out; no network, no store")
    with_watchlist(match)
    match.add_argument("file", nargs="?", help="JSON Lines file (default: stdin)")
    match.set_defaults(func=_cmd_match)

    status = sub.add_parser("status", help="current stage of every watched pair")
    with_watchlist(status)
    status.set_defaults(func=_cmd_status)

    cluster = sub.add_parser("cluster", help="JSON Lines stories in, {id, cluster} lines out")
    with_watchlist(cluster)
    cluster.add_argument("file", nargs="?", help="JSON Lines file (default: stdin)")
    cluster.set_defaults(func=_cmd_cluster)

    extract = sub.add_parser("extract", help="print the main text of saved HTML pages")
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.set_defaults(func=_cmd_extract)

    validate = sub.add_parser("validate", help="check a watchlist without running anything")
    with_watchlist(validate)
    validate.set_defaults(func=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return _EXIT_CONFIG
    except WatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return _EXIT_FAILED
    except BrokenPipeError:
        return _EXIT_OK
    except KeyboardInterrupt:
        if args.func is _cmd_run:
            print(
                "interrupted: alerts sent so far are recorded as sent; the others wait for the next run",
                file=sys.stderr,
            )
        return 130


__all__ = ["Config", "lambda_handler", "main"]

if __name__ == "__main__":
    sys.exit(main())
