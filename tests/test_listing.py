"""Listing pages (`kind: html`) -> stories: links, titles, dates, and the errors a user sees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scraper.errors import ParseError
from scraper.listing import parse_listing
from scraper.model import Source

DATA = Path(__file__).parent / "data" / "listings"
PAGE_URL = "https://mod.example.gov/en/news/"


def _ministry(**options: str) -> Source:
    return Source(
        name="Ministry news", url=PAGE_URL, kind="html", item_selector="article.news-card h2 a", **options
    )


def test_links_resolve_against_base_href_and_unusable_links_are_dropped() -> None:
    stories = parse_listing((DATA / "ministry_news.html").read_bytes(), url=PAGE_URL, source=_ministry())

    assert [story.url for story in stories] == [
        # relative to <base href="https://mod.example.gov/en/">, not to the page URL
        "https://mod.example.gov/en/news/2025/03/first-sky-sabre-battery",
        "https://mod.example.gov/en/news/2025/03/frigate-contract?utm_source=home",
        "https://other.example.org/press/helicopters",
    ]  # javascript: and mailto: links are gone
    assert [story.title for story in stories] == [
        "First air defence battery accepted into service",
        "Frigate contract signed with shipyard",
        "Helicopter support agreement extended",
    ]
    assert all(story.feed == "Ministry news" for story in stories)
    assert stories[0].text.startswith("The army took over the first complete battery")
    assert stories[1].text == ""


def test_the_same_story_linked_twice_is_one_story() -> None:
    source = Source(name="Ministry news", url=PAGE_URL, kind="html", item_selector=".news-card__title a")
    stories = parse_listing((DATA / "ministry_news.html").read_bytes(), url=PAGE_URL, source=source)

    urls = [story.url for story in stories]
    assert urls.count("https://mod.example.gov/en/news/2025/03/first-sky-sabre-battery") == 1
    assert len(urls) == 3
    assert len({story.id for story in stories}) == 3


def test_a_page_longer_than_a_feed_keeps_its_first_links_like_a_feeds_newest() -> None:
    from scraper.parse import MAX_ITEMS

    links = "".join(
        f'<article class="news-card"><h2><a href="/en/news/{n}">Bulletin {n}</a></h2></article>'
        for n in range(MAX_ITEMS + 20)
    )
    body = f"<html><body>{links}</body></html>".encode()
    stories = parse_listing(body, url=PAGE_URL, source=_ministry())
    assert len(stories) == MAX_ITEMS
    assert stories[0].title == "Bulletin 0" and stories[-1].title == f"Bulletin {MAX_ITEMS - 1}"


def _cards(numbers: range, dated: bool = False) -> str:
    """News cards "Bulletin n" linking to /en/news/n, dated day n of 2025 when ``dated``."""
    day = datetime(2025, 1, 1, tzinfo=UTC)
    return "".join(
        f'<article class="news-card"><h2><a href="/en/news/{n}">Bulletin {n}</a></h2>'
        + (f'<time datetime="{(day + timedelta(days=n)).isoformat()}"></time>' if dated else "")
        + "</article>"
        for n in numbers
    )


def test_a_long_page_whose_links_are_known_keeps_its_newest_dated_ones_wherever_they_are() -> None:
    from scraper.listing import read_listing
    from scraper.parse import MAX_ITEMS

    body = f"<html><body>{_cards(range(MAX_ITEMS + 20), dated=True)}</body></html>".encode()  # oldest first
    stories = read_listing(body, url=PAGE_URL, source=_ministry(), listed=set()).stories
    assert len(stories) == MAX_ITEMS
    assert stories[0].title == "Bulletin 20" and stories[-1].title == f"Bulletin {MAX_ITEMS + 19}"


def test_a_long_page_whose_links_are_not_known_keeps_its_first_links_though_dated() -> None:
    """A first read, a page too long to remember or one an older build read: the first 500, as every build
    kept, so what an older build recorded is not taken for news."""
    from scraper.listing import read_listing
    from scraper.parse import MAX_ITEMS

    body = f"<html><body>{_cards(range(MAX_ITEMS + 20), dated=True)}</body></html>".encode()  # oldest first
    listing = read_listing(body, url=PAGE_URL, source=_ministry())
    assert (
        listing.stories[0].title == "Bulletin 0" and listing.stories[-1].title == f"Bulletin {MAX_ITEMS - 1}"
    )
    assert len(listing.left_out) == 20


def test_a_long_page_puts_links_it_did_not_list_last_time_before_those_it_did() -> None:
    from scraper.listing import read_listing
    from scraper.parse import MAX_ITEMS

    first = read_listing(
        f"<html><body>{_cards(range(MAX_ITEMS + 20))}</body></html>".encode(),
        url=PAGE_URL,
        source=_ministry(),
    )
    assert [s.title for s in first.stories][-1] == f"Bulletin {MAX_ITEMS - 1}"  # page order, undated
    assert len(first.left_out) == 20
    listed = {story.id for story in first.stories} | set(first.left_out)
    grown = f"<html><body>{_cards(range(MAX_ITEMS + 21))}</body></html>".encode()  # one more at the bottom
    second = read_listing(grown, url=PAGE_URL, source=_ministry(), listed=listed)
    assert len(second.stories) == MAX_ITEMS
    assert second.stories[-1].title == f"Bulletin {MAX_ITEMS + 20}"  # the new link, in page order
    assert second.stories[0].title == "Bulletin 0"
    assert len(second.left_out) == 21 and set(second.left_out) <= listed


def test_ids_ignore_tracking_parameters_and_fragments() -> None:
    stories = parse_listing((DATA / "ministry_news.html").read_bytes(), url=PAGE_URL, source=_ministry())

    assert "utm_source" not in stories[1].id
    assert "#" not in stories[1].url


def test_date_selector_reads_day_month_year_and_month_day_year_and_time_tags() -> None:
    source = _ministry(date_selector=".news-card__date")
    stories = parse_listing((DATA / "ministry_news.html").read_bytes(), url=PAGE_URL, source=source)

    assert [story.published for story in stories] == [
        datetime(2025, 3, 18, tzinfo=UTC),
        datetime(2025, 3, 12, tzinfo=UTC),
        datetime(2025, 3, 5, 9, 0, tzinfo=UTC),  # no date_selector match: the card's <time datetime>
    ]


def test_title_selector_is_looked_up_in_the_items_own_card() -> None:
    source = Source(
        name="NMW",
        url="https://nmw.example/news",
        kind="html",
        item_selector="a.press-item__link",
        title_selector="h3",
        date_selector=".when",
    )
    body = (DATA / "cards_with_title_selector.html").read_bytes()
    stories = parse_listing(body, url="https://nmw.example/news", source=source)

    assert [(story.title, story.url, story.published) for story in stories] == [
        (
            "NASAMS follow-on contract signed with Lithuania",
            "https://nmw.example/news/2025/01/nasams-lithuania",
            datetime(2025, 1, 22, tzinfo=UTC),
        ),
        (
            "Satellite component order from a European customer",
            "https://nmw.example/news/2025/01/space-order",
            datetime(2025, 1, 15, 7, 30, tzinfo=UTC),
        ),
    ]


def test_without_title_selector_the_link_text_is_the_title() -> None:
    source = Source(name="NMW", url="https://nmw.example/news", kind="html", item_selector="li > a")
    body = (DATA / "cards_with_title_selector.html").read_bytes()
    stories = parse_listing(body, url="https://nmw.example/news", source=source)

    assert [story.title for story in stories] == ["Read more", "Read more"]


def test_a_selector_that_matches_nothing_is_named_in_the_error() -> None:
    source = Source(name="Ministry news", url=PAGE_URL, kind="html", item_selector="div.press-release a")

    with pytest.raises(ParseError, match=r"item_selector 'div.press-release a' matched nothing") as caught:
        parse_listing((DATA / "ministry_news.html").read_bytes(), url=PAGE_URL, source=source)
    assert caught.value.url == PAGE_URL


def test_items_without_any_http_link_are_an_error() -> None:
    body = b"<html><body><div class='x'><a href='javascript:go()'>Go</a></div></body></html>"
    source = Source(name="S", url=PAGE_URL, kind="html", item_selector="div.x")

    with pytest.raises(ParseError, match="matched 1 elements but no http"):
        parse_listing(body, url=PAGE_URL, source=source)


def test_links_that_all_lack_a_title_are_an_error_not_an_empty_listing() -> None:
    # "a.thumb" picks each card's image link: the source would look healthy while yielding nothing
    body = b"""<html><body>
<article class="card"><a class="thumb" href="/n/1"><img src="1.jpg"></a><h2><a href="/n/1">Patriot deal</a></h2></article>
<article class="card"><a class="thumb" href="/n/2"><img src="2.jpg"></a><h2><a href="/n/2">Patriot battery</a></h2></article>
</body></html>"""
    source = Source(name="S", url=PAGE_URL, kind="html", item_selector="article.card a.thumb")

    message = r"item_selector 'article.card a.thumb' matched 2 links but none has a title; set title_selector"
    with pytest.raises(ParseError, match=message):
        parse_listing(body, url=PAGE_URL, source=source)
    titled = Source(
        name="S", url=PAGE_URL, kind="html", item_selector="article.card a.thumb", title_selector="h2"
    )
    assert [story.title for story in parse_listing(body, url=PAGE_URL, source=titled)] == [
        "Patriot deal",
        "Patriot battery",
    ]


def test_an_invalid_selector_is_a_parse_error_naming_it() -> None:
    source = Source(name="S", url=PAGE_URL, kind="html", item_selector="article >> a[")

    with pytest.raises(ParseError, match=r"item_selector 'article >> a\[' is not a valid CSS selector"):
        parse_listing((DATA / "ministry_news.html").read_bytes(), url=PAGE_URL, source=source)


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b'{"items": []}', "application/json", "expected an HTML page, got 'application/json'"),
        (b"%PDF-1.7 binary", "", "holds no HTML elements"),
    ],
)
def test_a_page_that_is_not_html_is_refused(body: bytes, content_type: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_listing(body, url=PAGE_URL, source=_ministry(), content_type=content_type)


def test_xhtml_content_type_is_accepted() -> None:
    body = (DATA / "ministry_news.html").read_bytes()
    stories = parse_listing(body, url=PAGE_URL, source=_ministry(), content_type="application/xhtml+xml")

    assert len(stories) == 3


@pytest.mark.parametrize(
    ("charset", "headline"),
    [
        ("windows-1250", "Łotwa i Słowacja zamawiają systemy Patriot"),
        ("Shift_JIS", "防衛省 パトリオット 配備"),
    ],
)
def test_headlines_are_read_in_the_charset_of_the_http_header(charset: str, headline: str) -> None:
    # Many ministry sites name their charset only in the Content-Type header, not in the page.
    body = f"<html><body><article class='news-card'><h2><a href='/n/1'>{headline}</a></h2></article></body>"
    content_type = f"text/html; charset={charset}"
    stories = parse_listing(body.encode(charset), url=PAGE_URL, source=_ministry(), content_type=content_type)

    assert [story.title for story in stories] == [headline]


def test_meta_charset_decides_when_the_header_names_none() -> None:
    body = (
        "<html><head><meta charset='windows-1250'></head><body><article class='news-card'><h2><a href='/n/1'>"
        "Łotwa zamawia systemy Patriot</a></h2></article></body></html>"
    ).encode("windows-1250")
    stories = parse_listing(body, url=PAGE_URL, source=_ministry(), content_type="text/html")

    assert [story.title for story in stories] == ["Łotwa zamawia systemy Patriot"]


def test_unsplittable_links_and_base_are_skipped_not_fatal() -> None:
    page = (
        b"<html><head><base href='http://[bad'></head><body>"
        b"<article><h2><a href='http://[::1/x'>Broken link</a></h2></article>"
        b"<article><h2><a href='https://ministry.example/news/1'>Good story</a></h2></article></body></html>"
    )
    source = Source(name="M", url="https://ministry.example/news", kind="html", item_selector="article h2 a")
    stories = parse_listing(page, url="https://ministry.example/news", source=source)
    assert [s.title for s in stories] == ["Good story"]


def test_a_listing_of_deeply_nested_cards_is_read_without_stalling_the_run() -> None:
    """Each card inside the one before it (20,000 deep, 1.3 MB): counting every ancestor of every link took
    ~35 s inside the run's event loop. Each card keeps its own link and title; the bound is generous."""
    import time

    cards = "".join(f"<div class='c'><a href='/n/{n}'>Story number {n}</a>" for n in range(20000))
    page = f"<html><body>{cards}{'</div>' * 20000}</body></html>".encode()
    source = Source(name="Deep", url=PAGE_URL, kind="html", item_selector="div.c a")
    started = time.perf_counter()
    stories = parse_listing(page, url=PAGE_URL, source=source)
    assert time.perf_counter() - started < 20.0
    assert [(s.title, s.url) for s in stories[:2]] == [
        ("Story number 0", "https://mod.example.gov/n/0"),
        ("Story number 1", "https://mod.example.gov/n/1"),
    ]


def test_a_utf16_listing_page_is_read() -> None:
    page = "<html><body><div class='c'><a href='/n/1'>Łotwa odbiera wyrzutnie</a></div></body></html>"
    for codec in ("utf-16-le", "utf-16-be"):
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        source = Source(name="PL", url=PAGE_URL, kind="html", item_selector="div.c a")
        stories = parse_listing(bom + page.encode(codec), url=PAGE_URL, source=source)
        assert [s.title for s in stories] == ["Łotwa odbiera wyrzutnie"]


def test_links_to_a_single_page_sites_routes_are_stories_of_their_own() -> None:
    """ "/#!/news/101" and "/#!/news/102" are two pages of a script-driven site, not anchors on its home page."""
    page = (
        b"<html><body><ul>"
        + b"".join(
            b"<li><a href='/#!/news/%d'>Battery number %d handed over</a></li>" % (n, n)
            for n in (101, 102, 103)
        )
        + b"<li><a href='/#top'>Back to top</a></li></ul></body></html>"
    )
    source = Source(name="SPA", url=PAGE_URL, kind="html", item_selector="li a")
    stories = parse_listing(page, url=PAGE_URL, source=source)
    assert [s.url for s in stories] == [
        "https://mod.example.gov/#!/news/101",
        "https://mod.example.gov/#!/news/102",
        "https://mod.example.gov/#!/news/103",
        "https://mod.example.gov/",  # an anchor is no page of its own
    ]
    assert len({s.id for s in stories}) == 4


def test_a_page_too_big_a_tree_to_parse_is_refused_before_it_is_parsed() -> None:
    # 350,000 spans (4.9 MB, under the download cap) took 450 MB to parse: more than the Lambda's 256 MB, and
    # every run would have died on it again
    body = b"<html><body><div class='x'><a href='/n/1'>Patriot deal</a></div>" + b"<span>a</span>" * 100_000
    source = Source(name="S", url=PAGE_URL, kind="html", item_selector="div.x a")
    with pytest.raises(ParseError, match=r"too big a tree to read \(200,00\d tags, more than 150,000\)"):
        parse_listing(body, url=PAGE_URL, source=source)
