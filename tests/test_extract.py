"""Article main-text extraction: measured quality on hand-written pages, and the behaviour around it.

The pages in tests/data/pages are written in the shapes of real news sites (wire, ministry, manufacturer,
blog with comments, cookie banner, inline ads, related stories, most-read sidebar, paywall teaser, div
soup, table layout, <main> with many divs, share buttons and author bio, AMP, headings and lists, <br>
paragraphs); each NAME.txt holds the text a reader would call the article. `pytest -s` shows the table.
"""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scraper.extract import extract_main_text, extract_published, extract_title, parse_date
from scripts.eval_extract import evaluate, format_table, score

PAGES = Path(__file__).parent / "data" / "pages"


def test_quality_on_the_page_corpus() -> None:
    rows = evaluate(PAGES)
    print()
    print(format_table(rows))

    assert len(rows) >= 14
    for name, got, _ in rows:
        assert got.recall >= 0.8, f"{name}: recall {got.recall:.3f}"
        assert got.noise <= 0.25, f"{name}: noise {got.noise:.3f}"
    total = sum((got for _, got, _ in rows), start=score("", ""))
    assert total.recall >= 0.9
    assert total.noise <= 0.1
    baseline = sum((base for _, _, base in rows), start=score("", ""))
    assert total.f1 > baseline.f1 + 0.15  # clearly better than taking every visible string


def test_paragraphs_are_separated_by_blank_lines_and_whitespace_is_folded() -> None:
    html = """<html><body><article>
      <p>The   first   battery\n arrived in\tApril, the ministry said on Monday morning.</p>
      <p>Crews will  train on the system for six months before it becomes operational.</p>
    </article></body></html>"""

    assert extract_main_text(html) == (
        "The first battery arrived in April, the ministry said on Monday morning.\n\n"
        "Crews will train on the system for six months before it becomes operational."
    )


def test_double_br_splits_paragraphs_inside_one_div() -> None:
    html = (
        "<html><body><div class='story'>The contract covers forty launchers and their missiles, officials "
        "said.<br><br>Deliveries are due to begin in 2027 and end two years later, the ministry added."
        "</div><div class='nav-links'><a href='/a'>Home</a> <a href='/b'>World</a></div></body></html>"
    )

    assert extract_main_text(html).split("\n\n") == [
        "The contract covers forty launchers and their missiles, officials said.",
        "Deliveries are due to begin in 2027 and end two years later, the ministry added.",
    ]


def test_a_link_list_beside_the_article_is_not_main_text() -> None:
    item = "<li><a href='/s/{n}'>Another story about fighter jets number {n}</a></li>"
    links = "".join(item.format(n=n) for n in range(9))
    html = f"""<html><body><div class="col"><p>Sweden has signed a contract for two more
      surveillance aircraft, the procurement agency said, with deliveries expected in 2028 and 2029.</p>
      <p>The aircraft will replace older radar planes that have flown since the 1990s.</p></div>
      <div class="col"><h3>Latest</h3><ul>{links}</ul></div></body></html>"""

    text = extract_main_text(html)
    assert "surveillance aircraft" in text
    assert "Another story" not in text


def test_script_content_and_hidden_blocks_never_leak() -> None:
    html = """<html><body><article><p>Norway received the last of its fighter jets this week at
      the air base, completing a fleet of fifty-two aircraft ordered a decade ago.</p>
      <script>var secret = "tracking pixel";</script><div style="display: none">Hidden promo text</div>
      <div hidden>Another hidden message for bots</div></article></body></html>"""

    text = extract_main_text(html)
    assert "fifty-two aircraft" in text
    assert "tracking" not in text and "Hidden" not in text and "bots" not in text


def test_a_page_without_text_gives_empty_text() -> None:
    assert extract_main_text(b"<html><body><nav><a href='/'>Home</a></nav></body></html>") == ""
    assert extract_main_text("") == ""


def test_bytes_are_decoded_by_their_declared_charset() -> None:
    html = (
        '<html><head><meta charset="iso-8859-1"></head><body><article><p>Der Vertrag für die '
        "Luftverteidigung wurde am Montag in Berlin unterzeichnet, teilte das Ministerium mit.</p>"
        "</article></body></html>"
    ).encode("iso-8859-1")

    assert "für die Luftverteidigung" in extract_main_text(html)


def test_bytes_are_decoded_by_the_charset_of_the_http_header() -> None:
    html = (
        "<html><body><article><p>Łotwa i Słowacja podpisały w poniedziałek umowę na dostawę baterii "
        "systemu Patriot, poinformowało ministerstwo obrony.</p></article></body></html>"
    ).encode("windows-1250")

    text = extract_main_text(html, content_type="text/html; charset=windows-1250")
    assert text.startswith("Łotwa i Słowacja podpisały")


def test_a_byte_the_header_charset_does_not_define_is_replaced_not_the_whole_page_lost() -> None:
    # 0x81 has no character in windows-1252: the page still reads, with one replacement mark
    html = (
        b"<html><body><article><p>The ministry said the \x93first battery\x94 arrived on Monday \x81 "
        b"and will be operational by the end of the year.</p></article></body></html>"
    )

    text = extract_main_text(html, content_type="text/html; charset=ISO-8859-1")
    assert "\u201cfirst battery\u201d arrived on Monday \ufffd and" in text


def test_a_byte_order_mark_outranks_the_header_charset() -> None:
    html = (
        codecs.BOM_UTF8
        + (
            "<html><body><article><p>Türkiye took delivery of the first battery on Monday, the "
            "ministry said in a statement.</p></article></body></html>"
        ).encode()
    )

    assert extract_main_text(html, content_type="text/html; charset=windows-1250").startswith("Türkiye")


def test_json_ld_article_body_is_the_fallback_for_script_rendered_pages() -> None:
    html = """<html><head><script type="application/ld+json">{"@type": "NewsArticle",
      "articleBody": "Greece has taken delivery of its first new frigate.\\nIt will sail home next month."}
      </script></head><body><div id="app"></div></body></html>"""

    assert extract_main_text(html) == (
        "Greece has taken delivery of its first new frigate.\n\nIt will sail home next month."
    )


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("01_wire.html", "Turkey weighs second air defence purchase as talks with Rome advance"),
        ("08_sidebar_mostread.html", "Egypt and China discuss J-10C fighter sale, officials say"),  # h1
        ("11_table_layout.html", "Greece takes delivery of first Belharra frigate"),  # <title> minus site
    ],
)
def test_title(page: str, title: str) -> None:
    assert extract_title((PAGES / page).read_bytes()) == title


@pytest.mark.parametrize(
    ("page", "published"),
    [
        ("01_wire.html", datetime(2025, 3, 4, 9, 12, tzinfo=UTC)),  # article:published_time
        ("05_cookie_banner.html", datetime(2025, 4, 2, 8, 20, tzinfo=UTC)),  # JSON-LD, +03:00
        ("04_blog_comments.html", datetime(2025, 2, 10, 18, 30, tzinfo=UTC)),  # first <time datetime>
        ("11_table_layout.html", None),
    ],
)
def test_published(page: str, published: datetime | None) -> None:
    assert extract_published((PAGES / page).read_bytes()) == published


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-04T09:12:00Z", datetime(2025, 3, 4, 9, 12, tzinfo=UTC)),
        ("2025-03-04", datetime(2025, 3, 4, tzinfo=UTC)),
        ("Tue, 04 Mar 2025 10:12:00 +0100", datetime(2025, 3, 4, 9, 12, tzinfo=UTC)),
        ("12 March 2025", datetime(2025, 3, 12, tzinfo=UTC)),
        ("March 12, 2025 9:12 PM UTC", datetime(2025, 3, 12, 21, 12, tzinfo=UTC)),
        ("Posted on 3rd Sept. 2024", datetime(2024, 9, 3, tzinfo=UTC)),
        ("17.03.2025. 08:45", datetime(2025, 3, 17, 8, 45, tzinfo=UTC)),
        ("2 hours ago", None),
        ("31 February 2025", None),
        ("", None),
        # .NET's DateTime.MinValue with a local offset, and the largest year: no date, never an error
        ("0001-01-01T00:00:00+01:00", None),
        ("Fri, 31 Dec 9999 20:00:00 -0500", None),
        ("1 January 1601", None),  # before any news feed: a placeholder, not a date
        ("Mon, 01 Jan 0001 00:00:00 GMT", None),  # not 2001, as email.utils would read it
        ("Sat, 01 Jan 0050 00:00:00 GMT", None),
    ],
)
def test_parse_date(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_pathologically_deep_markup_stays_fast() -> None:
    import time

    for tag in ("div", "span"):
        html = f"<html><body>{f'<{tag}>' * 3000}<p>{'The launcher, the radar, ' * 20}</p></body></html>"
        started = time.perf_counter()
        text = extract_main_text(html)
        assert text.startswith("The launcher, the radar,")
        assert time.perf_counter() - started < 5.0  # was minutes before the one-pass block index


def test_hostile_pages_under_the_size_cap_do_not_stall_a_run() -> None:
    """Pages a run may fetch (under its 5 MB cap) that took minutes, blocking the whole run past its deadline:
    60,000 nested inline elements around a paragraph (91 s), 40,000 short paragraphs (195 s). The bound is
    far above what they take now (a few seconds) and far below what they took."""
    import time

    nested = (
        "<span>" * 60000 + "<p>India has received the S-400 system, officials said.</p>" + "</span>" * 60000
    )
    flat = "".join(
        f"<p>Paragraph {n} of a very long page about nothing in particular.</p>" for n in range(40000)
    )
    for body, first in ((nested, "India has received"), (flat, "Paragraph 0 ")):
        started = time.perf_counter()
        text = extract_main_text(f"<html><body><article>{body}</article></body></html>".encode())
        assert text.startswith(first)
        assert time.perf_counter() - started < 40.0


def test_a_utf8_page_its_server_labels_iso_8859_1_still_reads_as_utf8() -> None:
    # Servers that send "charset=ISO-8859-1" for every page are common; the bytes are valid UTF-8.
    html = (
        '<html><head><meta charset="utf-8"></head><body><article><p>Türkiye and Łotwa signed for more '
        "Patriot interceptors on Monday, the ministry said in a statement.</p></article></body></html>"
    ).encode()

    text = extract_main_text(html, content_type="text/html; charset=ISO-8859-1")
    assert text.startswith("Türkiye and Łotwa signed")


@pytest.mark.parametrize(
    "wrapper",
    [
        '<form id="form1" method="post" action="./news.aspx">{}</form>',  # ASP.NET WebForms: the whole page
        '<div class="article-body has-ads">{}</div>',
        '<div class="story-body comments-enabled">{}</div>',
        '<div class="entry-content share-enabled">{}</div>',
        '<form id="aspnetForm" class="page-wrapper sidebar-layout"><h1>S-400 squadron</h1>{}</form>',  # its h1 keeps it
    ],
)
def test_a_page_wrapped_in_a_form_or_flagged_classes_keeps_its_article(wrapper: str) -> None:
    body = "".join(
        f"<p>{p}</p>"
        for p in (
            "India has received the fourth squadron of the S-400 system, officials said on Monday.",
            "The squadron will be stationed in the north after acceptance trials are complete.",
            "Two more squadrons are due by the end of next year under the 2018 contract.",
        )
    )
    page = f"<html><body><nav><a href='/'>Home</a></nav>{wrapper.format(body)}</body></html>"
    assert extract_main_text(page).startswith("India has received the fourth squadron")


def test_a_search_form_and_a_comments_block_are_still_dropped() -> None:
    page = (
        "<html><body><article><p>Poland signed a contract for more Patriot batteries on Tuesday.</p>"
        "<p>The first units are due in 2027, the ministry said.</p></article>"
        "<form class='search'><p>Search the site</p><input name='q'></form>"
        "<form role='search'><p>Search our archive.</p><p>By country.</p><p>By system.</p></form>"
        "<form style='display: none'><p>Sign up.</p><p>Weekly news.</p><p>Free of charge.</p></form>"
        "<div class='comments'><p>Great news for Poland, finally some real air defence here.</p></div>"
        "</body></html>"
    )
    text = extract_main_text(page)
    assert "Patriot" in text and "Search" not in text and "Great news" not in text and "Sign up" not in text


@pytest.mark.parametrize(
    "section",
    [
        '<section class="more-from-section">{}</section>',
        '<div class="also-read">{}</div>',
        '<aside-box class="read-next">{}</aside-box>',
        '<div id="upNext">{}</div>',
        '<div class="more-stories">{}</div>',
        '<div class="further-reading">{}</div>',
        '<div class="recommendations">{}</div>',
    ],
)
def test_teasers_of_other_stories_inside_the_article_are_not_its_text(section: str) -> None:
    # Another story's dek under its headline link reads as a sentence of this one: "Turkey has taken delivery of
    # a second S-400 batch" in a story about Poland would be a delivery alert for Turkey.
    teasers = (
        "<h2>More from Europe</h2>"
        "<div><a href='/a'>Turkey and the S-400</a><p>Turkey has taken delivery of a second batch of S-400 "
        "components, according to its procurement agency.</p></div>"
        "<div><a href='/b'>Romania weighs options</a><p>Romania received its first Patriot battery from the "
        "United States last month, officials said.</p></div>"
    )
    page = (
        "<html><body><article><h1>Poland signs for more Patriot batteries</h1>"
        "<p>Poland signed a contract on Tuesday for the second phase of its air defence programme, the defence "
        "ministry said in Warsaw.</p><p>The agreement covers twelve more batteries to be delivered from 2027, "
        f"officials added at the signing ceremony.</p>{section.format(teasers)}</article></body></html>"
    )
    text = extract_main_text(page)
    assert text.startswith("Poland signed a contract on Tuesday")
    assert "twelve more batteries" in text
    assert "Turkey" not in text and "Romania" not in text and "More from Europe" not in text


@pytest.mark.parametrize("cls", ["article-more", "more-content", "story-next-page", "entry-also"])
def test_a_class_naming_the_content_keeps_its_text_beside_a_teaser_word(cls: str) -> None:
    page = (
        f"<html><body><div class='{cls}'><p>Poland signed a contract on Tuesday for twelve more Patriot "
        "batteries, the defence ministry said in Warsaw.</p><p>The first are due in 2027, officials said at "
        "the ceremony.</p></div></body></html>"
    )
    assert extract_main_text(page).startswith("Poland signed a contract on Tuesday")


@pytest.mark.parametrize(
    "wrapper",
    [
        '<div id="__next"><div class="layout">{}</div></div>',  # Next.js's root, with no h1 to protect it
        '<div class="post">{}</div>',
    ],
)
def test_more_or_next_alone_in_a_class_is_no_teaser(wrapper: str) -> None:
    body = (
        "<p class='headline'>Poland signs for more Patriot batteries</p>"
        "<p>Poland signed a contract on Tuesday for twelve more Patriot batteries, the ministry said in Warsaw.</p>"
        "<div class='read-more-wrap'><p>The first are due in 2027, officials said at the signing ceremony.</p>"
        "<p>The deal is the largest in the programme's second phase, the ministry added.</p></div>"
        "<div class='more'><p>Crews will train in the United States from next spring, it said.</p></div>"
    )
    text = extract_main_text(f"<html><body>{wrapper.format(body)}</body></html>")
    assert "twelve more Patriot batteries" in text
    assert "due in 2027" in text and "largest in the programme" in text and "Crews will train" in text


def test_a_page_of_unclosed_nested_tags_is_read_in_bounded_time() -> None:
    # finding the best container walked every ancestor of every block: 8,000 unclosed "<div><p>" took 9 s,
    # 100,000 more than 5 minutes (a stalled run). A bound far above what it takes now, not a speed goal.
    import time

    page = (
        "<html><body>" + "<div><p>Poland signed for Patriot systems. " * 24_000 + "</body></html>"
    ).encode()
    started = time.process_time()
    text = extract_main_text(page, content_type="text/html")
    assert time.process_time() - started < 20.0
    assert text.startswith("Poland signed for Patriot systems.")


def test_the_main_text_is_cut_at_a_hundred_thousand_characters() -> None:
    # a 1 MB paragraph went whole to the matcher (feed text is cut at 20,000 characters)
    page = (
        b"<html><body><article><p>"
        + b"Poland signed for Patriot systems. " * 30_000
        + b"</p></article></body></html>"
    )
    text = extract_main_text(page, content_type="text/html")
    assert 99_000 < len(text) <= 100_000 and text.endswith("systems.")


def test_of_two_equal_copies_of_an_article_the_first_is_read() -> None:
    # the linear rewrite of the container search took the last of two containers of equal worth; a long link
    # list between them makes the page's body worth less than either
    copy = (
        "<div class='{c}'><p>{w} signed a contract for Patriot systems on Tuesday, the defence ministry said in a "
        "statement.</p><p>The first batteries arrive in two years, officials said at a press conference.</p></div>"
    )
    links = (
        "<ul>" + "".join(f"<li><a href='/x{n}'>Link number {n} here</a></li>" for n in range(60)) + "</ul>"
    )
    page = (
        f"<html><body>{copy.format(c='a', w='Poland')}{links}{copy.format(c='b', w='Norway')}</body></html>"
    )
    assert extract_main_text(page.encode(), content_type="text/html").startswith("Poland signed")
