"""Feeds written by strangers: entity bombs, external entities, huge feeds and fields, bad bytes.

Each case shows what the parser actually does with the document, and that it stays fast.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scraper.errors import ParseError
from scraper.parse import MAX_ITEMS, MAX_TITLE, parse_feed, read_feed

URL = "https://hostile.example/feed.xml"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Bomb</title>
<item><title>Laughs &lol9;</title><guid>bomb-1</guid><description>Before &lol9; after</description></item>
</channel></rss>"""


def _xxe(path: Path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{path}">]>
<rss version="2.0"><channel><title>Leak</title>
<item><title>Leak &xxe;</title><guid>xxe-1</guid><description>Body &xxe;</description></item>
</channel></rss>""".encode()


def _items(n: int) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><guid>big-{i}</guid>"
        f"<pubDate>{_rfc822(i)}</pubDate><description>Entry number {i}.</description></item>"
        for i in range(n)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()
    )


def _rfc822(i: int) -> str:
    # Item i is i minutes older than item 0, scrambled in document order so "newest" is not "first".
    minutes = (i * 7919) % 10_000
    day, rest = divmod(minutes, 24 * 60)
    return f"{1 + day:02d} Oct 2025 {rest // 60:02d}:{rest % 60:02d}:00 GMT"


def test_billion_laughs_is_not_expanded() -> None:
    started = time.process_time()
    result = read_feed(BILLION_LAUGHS, url=URL, feed_name="Bomb")
    spent = time.process_time() - started
    # The fast path refuses documents with a DOCTYPE; feedparser drops the entity declarations, so the
    # reference stays as literal text instead of growing to 10^9 "lol"s.
    assert result.parser == "feedparser"
    (story,) = result.stories
    assert "lollol" not in story.title + story.text
    assert story.title == "Laughs &lol9;"
    assert spent < 2.0


def test_external_entity_does_not_read_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-7f3a")
    result = read_feed(_xxe(secret), url=URL, feed_name="Leak")
    (story,) = result.stories
    assert "CANARY" not in story.title + story.text + story.url
    assert story.title == "Leak &xxe;"  # the reference is left as it was written


def test_ten_thousand_items_keep_the_newest_within_bounded_time() -> None:
    body = _items(10_000)
    started = time.monotonic()
    result = read_feed(body, url=URL, feed_name="Big")
    assert time.monotonic() - started < 10.0  # generous: it takes well under a second here
    assert result.parser == "lxml"
    assert result.entries == 10_000
    assert result.dropped == 10_000 - MAX_ITEMS
    assert len(result.stories) == MAX_ITEMS
    # The 500 newest are kept (minutes 9500..9999 after the start), in document order.
    newest = [f"big-{i}" for i in range(10_000) if (i * 7919) % 10_000 >= 10_000 - MAX_ITEMS]
    assert [s.guid for s in result.stories] == newest


def test_one_megabyte_title_is_truncated() -> None:
    huge = "S-400 " * 180_000  # ~1 MB
    body = (
        f'<rss version="2.0"><channel><title>T</title><item><title>{huge}</title>'
        f"<guid>huge-1</guid><description>short</description></item></channel></rss>"
    ).encode()
    started = time.monotonic()
    (story,) = parse_feed(body, url=URL, feed_name="T")
    assert time.monotonic() - started < 5.0
    assert len(story.title) <= MAX_TITLE
    assert story.title.startswith("S-400 S-400")


def test_invalid_utf8_is_read_with_a_note_not_a_crash() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>'
        b"<item><title>Bad \xff\xfe bytes \xc3\x28 here</title><guid>bad-1</guid>"
        b"<description>Readable text.</description></item></channel></rss>"
    )
    result = read_feed(body, url=URL, feed_name="Bad")
    assert result.parser == "feedparser"
    (story,) = result.stories
    assert story.text == "Readable text."
    assert "bytes" in story.title
    assert "encoding" in result.note.lower() or "utf-8" in result.note.lower()


def test_malformed_html_in_summaries_gives_text() -> None:
    body = (
        b'<rss version="2.0"><channel><title>x</title><item><title>&lt;b&gt;Bold</title><guid>m-1</guid>'
        b"<description><![CDATA[<div><p>Open <b>tags <i>never</div> closed</p></table> <<<>>> end]]>"
        b"</description></item></channel></rss>"
    )
    (story,) = parse_feed(body, url=URL, feed_name="M")
    assert story.title == "Bold"
    assert story.text.startswith("Open tags never")
    assert story.text.endswith("end")


def test_malformed_xml_with_no_entries_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not a readable RSS or Atom feed"):
        parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut off', url=URL, feed_name="X")


def test_deeply_nested_markup_is_refused_or_flattened_quickly() -> None:
    nested = "<div>" * 50_000 + "deep" + "</div>" * 50_000
    body = (
        f'<rss version="2.0"><channel><title>x</title><item><title>Nest</title><guid>n-1</guid>'
        f"<description><![CDATA[{nested}]]></description></item></channel></rss>"
    ).encode()
    started = time.monotonic()
    (story,) = parse_feed(body, url=URL, feed_name="N")
    assert time.monotonic() - started < 5.0
    assert story.title == "Nest"


def test_an_entry_with_an_unsplittable_link_is_skipped_and_the_rest_kept() -> None:
    body = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
        b"<item><title>bad</title><link>http://[::1</link><guid>g1</guid></item>"
        b"<item><title>good</title><link>https://news.example/good</link></item></channel></rss>"
    )
    assert [s.title for s in parse_feed(body, url="https://feed.example/rss", feed_name="F")] == ["good"]


def test_a_broken_encoding_declaration_is_a_parse_error_not_a_crash() -> None:
    body = b"<?xml version='1.0' encoding='bogus\xff'?><rss><channel><item><title>x</title></item></channel></rss>"
    with pytest.raises(ParseError, match=r"feed\.example"):
        parse_feed(body, url="https://feed.example/rss", feed_name="F")
