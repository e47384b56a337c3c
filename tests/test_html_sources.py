"""Sources without feeds (issue 7) through whole runs: a loopback site with a listing page,
article pages and a robots.txt, watched with `kind: html` and `full_text: true`."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scraper.config import read_config
from scraper.run import RunOptions
from scraper.runtime import execute, load_watchlist_for
from tests.loopback import Loopback, Route

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

LISTING = """<!doctype html><html><head><title>Ministry news</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<main>
  <article class="card"><h2><a href="/news/romania-battery">Ceremony at Capu Midia</a></h2>
    <time datetime="2026-11-24T09:00:00Z">24 November 2026</time></article>
  <article class="card"><h2><a href="/news/sweden-order">Minister visits air defence regiment</a></h2>
    <time datetime="2026-11-23T09:00:00Z">23 November 2026</time></article>
  <article class="card"><h2><a href="/private/briefing">Closed briefing notes</a></h2></article>
</main>
<footer><a href="/contact">Contact</a></footer></body></html>"""


def article(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<header><a href='/'>Ministry</a></header><nav><a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<aside class='related'><h3>Related</h3><a href='/x'>Patriot training ends in Poland</a></aside>"
        f"<footer>Copyright</footer></body></html>"
    ).encode()


def serve_site(loopback: Loopback) -> None:
    html = {"Content-Type": "text/html; charset=utf-8"}
    loopback.routes["/robots.txt"] = Route(
        body=b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}
    )
    loopback.routes["/news"] = Route(
        body=LISTING.encode(), headers={**html, "ETag": '"listing-1"'}, handler=None
    )
    loopback.routes["/news/romania-battery"] = Route(
        body=article(
            "Ceremony at Capu Midia",
            [
                "Officials gathered on the Black Sea coast on Monday for a ceremony.",
                "Romania declared its second Patriot battery operational after crews completed their certification.",
                "The battery joins the first unit, which has been on duty since 2021.",
            ],
        ),
        headers=html,
    )
    loopback.routes["/news/sweden-order"] = Route(
        body=article(
            "Minister visits air defence regiment",
            [
                "The minister toured the regiment's base and met conscripts.",
                "Sweden signed a contract for additional IRIS-T SLM fire units, the ministry said.",
            ],
        ),
        headers=html,
    )
    loopback.routes["/private/briefing"] = Route(
        body=article(
            "Closed briefing notes",
            [
                "Poland received new Patriot launchers last week.",
            ],
        ),
        headers=html,
    )

    def listing(request):
        if request.headers.get("if-none-match") == '"listing-1"':
            return 304, {"ETag": '"listing-1"'}, b""
        return 200, {**html, "ETag": '"listing-1"'}, LISTING.encode()

    loopback.routes["/news"] = Route(handler=listing)


def run(tmp_path: Path, loopback: Loopback, now: datetime, **options: Any):
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(
        f"""feeds:
  - name: Ministry news
    url: {loopback.url}/news
    kind: html
    item_selector: "article.card h2 a"
    full_text: true
systems:
  - name: Patriot
    aliases: [Patriot, PAC-3]
    origin: [United States]
  - name: IRIS-T
    aliases: [IRIS-T, IRIS-T SLM]
    origin: [Germany]
countries:
  - name: Romania
    aliases: [Romania, Romanian, Bucharest]
  - name: Sweden
    aliases: [Sweden, Swedish, Stockholm]
  - name: Latvia
    aliases: [Latvia, Latvian, Łotwa]
  - name: Poland
    aliases: [Poland, Polish, Warsaw]
  - name: Germany
    aliases: [Germany, German, Berlin]
  - name: United States
    aliases: [United States, US, Washington]
""",
        encoding="utf-8",
    )
    config = read_config(
        {"DB_PATH": str(tmp_path / "w.db"), "WATCHLIST": str(watchlist), "ALLOW_PRIVATE_HOSTS": "true"}
    )
    return execute(
        config,
        load_watchlist_for(config),
        options=RunOptions(**{"alert_backlog": True, **options}),
        now=now,
        console=io.StringIO(),
    )


def test_article_bodies_give_the_hits_and_a_rerun_fetches_nothing_new(tmp_path, loopback) -> None:
    serve_site(loopback)
    report = run(tmp_path, loopback, NOW)
    pairs = {(h["system"], h["country"], h["stage"]) for h in report.hits}
    # neither listing title names a system or a country: only the article bodies do
    assert ("Patriot", "Romania", "deployment") in pairs
    assert ("IRIS-T", "Sweden", "deal") in pairs
    assert len(loopback.hits("/news/romania-battery")) == 1
    # robots.txt disallows /private/: never fetched, and its body's hit never seen
    assert loopback.hits("/private/briefing") == []
    assert not any(h["country"] == "Poland" for h in report.hits)
    # the related-stories box is not article text
    assert not any(h["country"] == "Poland" and h["system"] == "Patriot" for h in report.hits)

    before = len(loopback.requests)
    report = run(tmp_path, loopback, NOW + timedelta(hours=1))
    rerun = loopback.requests[before:]
    assert [r for r in rerun if r.path.startswith(("/news/", "/private/"))] == []
    # the listing page is asked for conditionally, and answers 304
    assert [r.headers.get("if-none-match") for r in rerun if r.path == "/news"] == ['"listing-1"']
    assert report.hits == []
    assert report.deferred == []
    assert len(loopback.hits("/robots.txt")) >= 1


def test_an_article_page_is_read_in_the_charset_its_header_names(tmp_path, loopback) -> None:
    card = '<article class="card"><h2><a href="/news/latvia-order">Nowe zamówienie</a></h2></article>'
    loopback.routes["/news"] = Route(
        body=f"<html><body><main>{card}</main></body></html>".encode(),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    loopback.routes["/news/latvia-order"] = Route(
        body=article("Nowe zamówienie", ["Łotwa signed a contract for IRIS-T SLM fire units on Monday."])
        .replace(b"\xc5\x81otwa", "Łotwa".encode("windows-1250"))
        .replace("zamówienie".encode(), "zamówienie".encode("windows-1250")),
        headers={"Content-Type": "text/html; charset=windows-1250"},  # the page itself names no charset
    )
    report = run(tmp_path, loopback, NOW)
    assert ("IRIS-T", "Latvia", "deal") in {(h["system"], h["country"], h["stage"]) for h in report.hits}


def test_a_listing_page_answered_with_203_is_read_like_a_200(tmp_path, loopback) -> None:
    serve_site(loopback)
    plain = loopback.routes["/news"].handler
    assert plain is not None

    def proxy(request):  # a transforming proxy: 203 Non-Authoritative Information, the whole page
        status, headers, body = plain(request)
        return (203 if status == 200 else status), headers, body

    loopback.routes["/news"] = Route(handler=proxy)
    report = run(tmp_path, loopback, NOW)
    pairs = {(h["system"], h["country"], h["stage"]) for h in report.hits}
    assert ("Patriot", "Romania", "deployment") in pairs
    before = len(loopback.requests)
    again = run(tmp_path, loopback, NOW + timedelta(hours=1))
    assert again.hits == []
    rerun = loopback.requests[before:]
    assert [r.headers.get("if-none-match") for r in rerun if r.path == "/news"] == ['"listing-1"']


def list_links(loopback: Loopback, *slugs: str) -> None:
    """The listing page shows these article links, newest first."""
    cards = "".join(
        f'<article class="card"><h2><a href="/news/{s}">Update {s}</a></h2></article>' for s in slugs
    )
    loopback.routes["/news"] = Route(
        body=f"<html><body><main>{cards}</main></body></html>".encode(),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )


def test_stories_whose_pages_wait_are_read_after_the_listing_scrolls_past_them(tmp_path, loopback) -> None:
    # two article pages a run for the host: a busy listing shows three new links a run, and the one left
    # over is gone from it by the next run; it is still read (not lost), before the newer ones
    html = {"Content-Type": "text/html; charset=utf-8"}
    pairs = {
        "a1": ("Patriot", "Romania"),
        "a2": ("Patriot", "Sweden"),
        "a3": ("Patriot", "Latvia"),
        "b1": ("Patriot", "Poland"),
        "b2": ("IRIS-T", "Romania"),
        "b3": ("IRIS-T", "Sweden"),
        "c1": ("IRIS-T", "Latvia"),
    }
    for slug, (system, country) in pairs.items():
        loopback.routes[f"/news/{slug}"] = Route(
            body=article(
                f"Ministry update {slug}", [f"{country} received its first {system} battery this week."]
            ),
            headers=html,
        )

    seen: list[set[tuple[str, str]]] = []
    loopback.routes["/news/d1"] = Route(
        body=article("Open day", ["The base welcomed visitors."]), headers=html
    )
    for n, page in enumerate((("a1", "a2", "a3"), ("b1", "b2", "b3"), ("c1",), ("d1",))):
        list_links(loopback, *page)
        report = run(tmp_path, loopback, NOW + timedelta(hours=n), full_text_per_host=2)
        seen.append({(h["system"], h["country"]) for h in report.hits})
    assert seen[0] == {pairs["a1"], pairs["a2"]}
    assert seen[1] == {pairs["a3"], pairs["b1"]}  # a3, gone from the page, waited longest
    assert seen[2] == {pairs["b2"], pairs["b3"]}
    assert seen[3] == {pairs["c1"]}
    assert set().union(*seen) == set(pairs.values())


def test_a_first_runs_waiting_backlog_does_not_hold_up_a_new_story(tmp_path, loopback) -> None:
    # the backlog only seeds: a story new on the next run is read before it, within the same page budget
    html = {"Content-Type": "text/html; charset=utf-8"}
    old = [f"o{n}" for n in range(6)]
    for slug in old:
        loopback.routes[f"/news/{slug}"] = Route(
            body=article(slug, ["The base welcomed visitors."]), headers=html
        )
    loopback.routes["/news/new"] = Route(
        body=article("Ministry update", ["Romania received its first Patriot battery this week."]),
        headers=html,
    )

    list_links(loopback, *old)
    run(tmp_path, loopback, NOW, alert_backlog=False, full_text_per_host=2)  # four of six wait
    list_links(loopback, "new")  # the listing has moved on
    report = run(tmp_path, loopback, NOW + timedelta(hours=1), alert_backlog=False, full_text_per_host=2)
    assert [a.pair for a in report.alerts] == ["Patriot x Romania"]


def test_a_long_first_backlog_of_long_links_keeps_the_state_inside_a_dynamodb_item(
    tmp_path, loopback
) -> None:
    # 500 links of ~850 bytes each once percent-encoded (Cyrillic slugs): the first run reads a few pages and
    # remembers the rest as backlog. Kept whole, that backlog alone passed DynamoDB's 400 KB item: the state
    # was never saved, every run was a first run, and a story new later was seeded silently.
    import json

    from alerts.codec import to_plain
    from alerts.store_sqlite import SqliteStore

    slugs = [f"{n:03d}-" + "оборона-ракетных-систем-" * 20 for n in range(500)]
    list_links(loopback, *slugs)
    run(tmp_path, loopback, NOW, alert_backlog=False)
    (state,) = SqliteStore(str(tmp_path / "w.db")).get_feed_states([f"{loopback.url}/news"]).values()
    assert len(state.backlog) > 400
    assert len(json.dumps(to_plain(state), ensure_ascii=False).encode()) < 300_000
    # the backlog still seeds: a page read later is no alert; a story new on the page is one
    loopback.routes["/news/new"] = Route(
        body=article("Ministry update", ["Romania received its first Patriot battery this week."]),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    list_links(loopback, "new", *slugs)
    report = run(tmp_path, loopback, NOW + timedelta(hours=1), alert_backlog=False)
    assert [a.pair for a in report.alerts] == ["Patriot x Romania"]
    assert report.seeded == []
