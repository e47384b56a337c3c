"""Feed bytes -> stories. Parsing never fetches: it takes the bytes it is given.

Two paths give the same ``Story`` values (the golden-feed tests hold them to it):
- a fast path for well-formed RSS 2.0 and Atom 1.0 on lxml (no entity expansion, no network, no huge
  trees), 4-6x cheaper in CPU than feedparser on the golden feeds;
- feedparser (its HTML sanitiser and URI rewriting switched off: we keep plain text only) for anything
  the fast path does not fully understand: RSS 1.0/RDF, broken XML, odd encodings, DOCTYPEs, xml:base,
  unusual dates or duplicated fields. The fast path bails out rather than guess.

Limits against hostile feeds: at most ``MAX_ITEMS`` newest entries, titles cut at ``MAX_TITLE`` and texts
at ``MAX_TEXT`` characters.
"""

from __future__ import annotations

import codecs
import contextlib
import email.utils
import hashlib
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from time import struct_time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from scraper.dedupe import is_global_guid, page_fragment
from scraper.errors import ParseError
from scraper.model import Story

MAX_ITEMS = 500
MAX_TITLE = 500
MAX_TEXT = 20_000
MAX_ID = 512  # longer GUIDs and links are hashed into the id

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Local names feedparser maps onto the fields we read: if one appears under a name we do not handle
# (media:title, dc:description, atom:link inside RSS, dcterms:issued ...), the fast path defers to feedparser.
_FIELD_NAMES = frozenset(
    {"title", "link", "guid", "id", "description", "summary", "content", "encoded", "body", "fullitem"}
    | {"pubDate", "date", "published", "updated", "issued", "modified", "created"}
)
_RSS_FIELDS = frozenset(
    {"title", "link", "guid", "description", f"{_CONTENT}encoded", "pubDate", f"{_DC}date"}
)
_ATOM_FIELDS = frozenset(f"{_ATOM}{n}" for n in ("title", "id", "summary", "content", "published", "updated"))
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure"}
    | {"footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre"}
    | {"section", "table", "td", "th", "tr", "ul"}
)
_HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_W3DTF = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?")
_RFC822_ZONES = frozenset({"GMT", "UT", "UTC", "Z"})
# feedparser maps C1 control characters to their windows-1252 meaning; so do we, to agree with it.
_CP1252 = {c: bytes([c]).decode("cp1252") for c in range(128, 160) if c not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """Stories from one feed body, with how they were read (for the run report and the benchmark)."""

    stories: tuple[Story, ...]
    entries: int  # entries in the document
    dropped: int  # older entries left out beyond MAX_ITEMS
    parser: str  # "lxml" or "feedparser"
    note: str = ""  # feedparser's complaint about a partly broken feed that still had entries
    cut_short: bool = False  # the root never closed: the last entry was kept back (see _cut_short)


@dataclass(slots=True)
class _Entry:
    """An entry as both paths read it, before markup becomes text."""

    guid: str = ""
    link: str = ""
    link_from_guid: bool = False  # RSS guid / Atom id standing in for a missing link
    title: str = ""
    title_html: bool = True
    text: str = ""
    text_html: bool = True
    published: datetime | None = None


class _Unsupported(Exception):
    """The fast path met something it does not fully understand; feedparser takes over."""


def parse_feed(body: bytes, *, url: str, feed_name: str, content_type: str = "") -> tuple[Story, ...]:
    """Stories of an RSS/Atom/RDF feed, newest ``MAX_ITEMS`` at most; ParseError when nothing is readable."""
    return read_feed(body, url=url, feed_name=feed_name, content_type=content_type).stories


def read_feed(
    body: bytes, *, url: str, feed_name: str, content_type: str = "", fast: bool = True
) -> ParsedFeed:
    """Like ``parse_feed`` with the details; ``fast=False`` forces the feedparser path (for tests)."""
    if not body.strip():
        raise ParseError(url, "empty body: no feed to read")
    entries: list[_Entry] | None = None
    parser, note = "lxml", ""
    if fast:
        try:
            entries = _lxml_entries(body, content_type)
        except _Unsupported:
            entries = None
    if entries is None:
        repaired = _repaired_refs(body)
        if repaired is not body:  # the only fault may have been a reference to no character: lxml again
            body = repaired
            try:
                entries = _lxml_entries(body, content_type) if fast else None
            except _Unsupported:
                entries = None
    if entries is None:
        parser = "feedparser"
        try:
            entries, note = _feedparser_entries(body, url, content_type)
        except ParseError:
            raise
        except Exception as exc:  # feedparser on hostile bytes: UnicodeDecodeError, KeyError, ...
            raise ParseError(url, f"unreadable feed ({type(exc).__name__}: {exc})") from exc
    cut = bool(entries) and _cut_short(body)
    if cut:
        # A connection dropped mid-body with no length to check it by: the last item may be cut mid-text, and
        # recorded so it would never be read whole. It waits for the next run; the others are whole.
        entries = entries[:-1]
        note = "; ".join(
            n for n in (note, "the feed ends before its closing tag (cut short?): its last item waits") if n
        )
    kept = _newest(entries, MAX_ITEMS)
    stories: list[Story] = []
    skipped = 0
    for entry in kept:
        try:
            story = _to_story(entry, url, feed_name)
        except ValueError:  # e.g. a link like "http://[::1" that urllib cannot split: skip the entry
            skipped += 1
            continue
        if story is not None:
            stories.append(story)
    if skipped:
        note = "; ".join(n for n in (note, f"{skipped} entries with unusable links skipped") if n)
    return ParsedFeed(
        _unshare_ids(_unshare_guids(stories)), len(entries), len(entries) - len(kept), parser, note, cut
    )


# A numeric character reference, as bytes (a feed in UTF-16 is left alone).
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _xml_char(point: int) -> bool:
    return (
        point in (0x9, 0xA, 0xD)
        or 0x20 <= point <= 0xD7FF
        or 0xE000 <= point <= 0xFFFD
        or 0x10000 <= point <= 0x10FFFF
    )


def _repaired_refs(body: bytes) -> bytes:
    """``body`` with each reference to no XML character replaced: a UTF-16 surrogate pair written as two
    references ("&#xD83D;&#xDE80;", a common generator bug) becomes the one character it means, anything else
    ("&#0;", "&#x110000;", "&#99999999999;") U+FFFD. One such reference in one item made the whole feed
    unreadable (feedparser raised on it). ``body`` itself when there is none."""
    if b"&#" not in body:
        return body
    found = False

    def point(match: re.Match[bytes]) -> int:
        digits = match.group(1) or match.group(2)
        if len(digits.lstrip(b"0")) > 8:
            return -1
        return int(digits, 16) if match.group(1) else int(digits)

    def fix(match: re.Match[bytes]) -> bytes:
        nonlocal found
        code = point(match)
        if _xml_char(code):
            return match.group(0)
        found = True
        if 0xD800 <= code <= 0xDBFF:  # a high surrogate: its low one follows as the next reference
            after = _CHAR_REF.match(body, match.end())
            if after is not None and 0xDC00 <= (low := point(after)) <= 0xDFFF:
                return b"&#x%X;" % (0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
        if 0xDC00 <= code <= 0xDFFF:  # a low surrogate: dropped when its high one took it in
            before = body.rfind(b"&#", 0, match.start())
            previous = _CHAR_REF.match(body, before) if before >= 0 else None
            if (
                previous is not None
                and previous.end() == match.start()
                and 0xD800 <= point(previous) <= 0xDBFF
            ):
                return b""
        return b"&#xFFFD;"

    repaired = _CHAR_REF.sub(fix, body)
    return repaired if found else body


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: scripts and styles dropped, blocks spaced, whitespace folded.

    libxml2's HTML parser (the one beautifulsoup4 drives with its "lxml" builder) walked directly:
    13x cheaper than building a soup, which dominated the cost of a feed (see README, Performance).
    """
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    fragment = _CONTROL.sub(" ", fragment)
    try:
        root = etree.fromstring(fragment, _html_parser())
    except ValueError:  # lxml refuses a str that carries an encoding declaration
        root = etree.fromstring(fragment.encode("utf-8"), _utf8_html_parser())
    if root is None:
        return ""
    parts: list[str] = []
    for event, node in etree.iterwalk(root, events=("start", "end")):
        tag = node.tag
        if tag in _BLOCK_TAGS:
            parts.append(" ")
        if event == "start":
            if node.text and tag not in _HIDDEN_TAGS:
                parts.append(node.text)
        elif node.tail:
            parts.append(node.tail)
    return " ".join("".join(parts).split())


_PARSERS = threading.local()


def _html_parser() -> etree.HTMLParser:
    """One parser per thread, reused: building an lxml parser per fragment cost a third of a feed's
    parse time (bench/run.py). A parser must not be shared between threads, hence thread-local."""
    parser = getattr(_PARSERS, "html", None)
    if parser is None:
        parser = _PARSERS.html = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    return parser


def _utf8_html_parser() -> etree.HTMLParser:
    parser = getattr(_PARSERS, "utf8", None)
    if parser is None:
        parser = _PARSERS.utf8 = etree.HTMLParser(
            no_network=True, remove_comments=True, remove_pis=True, encoding="utf-8"
        )
    return parser


def story_id(guid: str | None, link: str | None, title: str, text: str, *, site: str = "") -> str:
    """Stable id: the GUID when present, else the canonical link, else a hash of title and text.

    A GUID that is not unique by its form (``is_global_guid``: "1001", "news") is only unique
    within its publisher: given ``site``, the id is scoped to it ("guid:site:1001"). The run asks
    for that only when another site's story holds the plain id already (``scraper.run``)."""
    guid = (guid or "").strip()
    if guid:
        if site and not is_global_guid(guid):
            guid = f"guid:{site}:{guid}"
        return guid if len(guid) <= MAX_ID else "guid-sha1:" + _sha1(guid)
    if link:
        canonical = canonical_link(link)
        return canonical if len(canonical) <= MAX_ID else "link-sha1:" + _sha1(canonical)
    return "sha1:" + _sha1(f"{title}\n{text}")[:20]


def canonical_link(link: str) -> str:
    """A link without what varies between shares of one page: case of scheme/host, default port,
    fragment (but a single-page site's route, ``page_fragment``), tracking parameters."""
    parts = urlsplit(link.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, {"http": 80, "https": 443}.get(scheme)) else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, page_fragment(parts.fragment)))


def _sha1(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()


def _clip(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _plain(value: str, is_html: bool, limit: int) -> str:
    raw = value[: limit * 8]  # a 1 MB title is cut before bs4 spends time on it
    return _clip(html_to_text(raw) if is_html else " ".join(raw.split()), limit)


# The common link, an absolute http(s) URL that urljoin returns unchanged: lower-case scheme, plain ASCII
# host, no path parameters (";"), no tab or space, no empty "?" or "#" (urljoin would drop those).
_PLAIN_ABSOLUTE = re.compile(
    r"https?://[A-Za-z0-9.\-]+(?::[0-9]+)?(?:/[A-Za-z0-9\-._~%!$&'()*+,=:@/]*)?"
    r"(?:\?[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]+)?(?:#[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]+)?"
)


def _to_story(entry: _Entry, url: str, feed_name: str) -> Story | None:
    title = _plain(entry.title, entry.title_html, MAX_TITLE)
    text = _plain(entry.text, entry.text_html, MAX_TEXT)
    if not title and not text:
        return None
    if _PLAIN_ABSOLUTE.fullmatch(entry.link):
        link = entry.link  # what urljoin and the checks below give it, without parsing it twice
    elif entry.link_from_guid and urlsplit(entry.link).scheme not in ("http", "https"):
        link = ""  # a guid such as "item-42" or "tag:..." is an id, not a page on the feed's site
    else:
        link = urljoin(url, entry.link) if entry.link else ""
        if urlsplit(link).scheme not in ("http", "https"):
            link = ""  # javascript:, data:, tag: ... never reach an alert
    guid = entry.guid[: MAX_ID * 4]
    return Story(
        id=story_id(guid, link, title, text),
        title=title,
        text=text,
        url=link,
        published=entry.published,
        feed=feed_name,
        guid=guid,
    )


def _unshare_guids(stories: list[Story]) -> tuple[Story, ...]:
    """A GUID that one feed gives to items with different links (a CMS that puts "news" or its home
    page on every item) identifies none of them: each falls back to its link, or to its title and
    text, and keeps no GUID, so none is taken for another and none joins another's event."""
    pages: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for story in stories:
        if story.guid.strip():
            pages[story.guid.strip()].add((story.url, "", "") if story.url else ("", story.title, story.text))
    shared = {guid for guid, seen in pages.items() if len(seen) > 1}
    if not shared:
        return tuple(stories)
    return tuple(
        replace(story, id=story_id(None, story.url, story.title, story.text), guid="", guid_id=story.id)
        if story.guid.strip() in shared
        else story
        for story in stories
    )


def _unshare_ids(stories: tuple[Story, ...]) -> tuple[Story, ...]:
    """A link that one feed gives to different items without a GUID (a ministry feed linking every item to its
    news page) identifies none of them: each falls back to a hash of its title and text, remembering the link's
    id in ``guid_id`` so that the item stored under it before keeps it (``scraper.run``, by its link and title).
    The same item listed twice stays one story, and so do items that share a GUID as well (the feed says they
    are one item)."""
    items: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for story in stories:
        if not story.guid.strip():
            items[story.id].add((story.title, story.text))
    shared = {story_id for story_id, seen in items.items() if len(seen) > 1}
    if not shared:
        return stories
    return tuple(
        replace(story, id=story_id(None, None, story.title, story.text), guid_id=story.guid_id or story.id)
        if story.id in shared and not story.guid.strip()
        else story
        for story in stories
    )


# The closing tag of a feed's root element: ``</rss>``, ``</feed>``, ``</rdf:RDF>`` (any prefix, any case).
_CLOSING_ROOT = re.compile(rb"</\s*(?:[\w.-]+:)?(?:rss|feed|rdf)\s*>", re.I)


def _cut_short(body: bytes) -> bool:
    """Whether the document never closes its root element: the connection dropped mid-body. Whatever a server
    puts after the closing tag (a comment, a script, stray bytes) does not count as a cut."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in body[:4]:
        # UTF-16 or UTF-32, with a byte order mark or without ("<\x00?\x00"): the bytes of its tags are not
        # ASCII; not checked (unchecked, each run dropped its last item as cut short, for good)
        return False
    # anywhere: more than 64 KB of junk after the closing tag (looked for in the last 64 KB only) read as a cut,
    # and the last item waited for good
    return _CLOSING_ROOT.search(body) is None


def _newest(entries: list[_Entry], limit: int) -> list[_Entry]:
    """The ``limit`` newest entries (undated ones count as oldest), in document order."""
    if len(entries) <= limit:
        return entries
    floor = datetime.min.replace(tzinfo=UTC)
    order = sorted(range(len(entries)), key=lambda i: entries[i].published or floor, reverse=True)
    return [entries[i] for i in sorted(order[:limit])]


# --- feedparser path -------------------------------------------------------------------------------


def _feedparser_entries(body: bytes, url: str, content_type: str) -> tuple[list[_Entry], str]:
    import feedparser  # imported here: a run whose feeds all take the fast path never pays for it

    # RFC 3023 makes text/xml without a charset US-ASCII; real feeds ignore that, so only pass an
    # explicit charset on.
    headers = {"content-type": content_type} if "charset" in content_type.lower() else {}
    result = feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    note = ""
    if result.get("bozo"):
        note = f"{type(result.get('bozo_exception')).__name__}: {result.get('bozo_exception')}"
    if not result.entries:
        if result.get("bozo") or not result.get("version"):
            raise ParseError(url, f"not a readable RSS or Atom feed ({note or 'no feed element'})")
        return [], note
    atom = str(result.get("version", "")).startswith("atom")
    return [_from_feedparser(e, atom) for e in result.entries], note


def _from_feedparser(entry: Any, atom: bool) -> _Entry:
    title_type = entry.get("title_detail", {}).get("type", "text/plain")
    body = next((c for c in entry.get("content", ()) if c.get("value")), None)
    if body is None:
        body = {
            "value": entry.get("summary", ""),
            "type": entry.get("summary_detail", {}).get("type", "text/html"),
        }
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    guid = entry.get("id", "") or ""
    link = entry.get("link", "") or ""
    return _Entry(
        guid=guid,
        link=link,
        link_from_guid=bool(entry.get("guidislink")) and link == guid,
        title=entry.get("title", "") or "",
        title_html=not atom or title_type in _HTML_TYPES,
        text=body.get("value", "") or "",
        text_html=not atom or body.get("type", "text/html") in _HTML_TYPES,
        published=_from_struct(stamp) if stamp else None,
    )


def _from_struct(stamp: struct_time) -> datetime | None:
    try:
        return utc_date(datetime(*stamp[:6], tzinfo=UTC))
    except (TypeError, ValueError):
        return None


# --- lxml fast path ---------------------------------------------------------------------------------


def _lxml_entries(body: bytes, content_type: str) -> list[_Entry]:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True,
        remove_pis=True,
    )  # fmt: skip
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise _Unsupported from exc
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or root.xpath("boolean(//@xml:base)"):
        raise _Unsupported
    encoding = codec_name(info.encoding or "utf-8")
    charset = header_charset(content_type)
    if encoding is None or (charset is not None and codec_name(charset) != encoding):
        raise _Unsupported  # the header and the document disagree: feedparser's rules decide
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None or root.find("item") is not None:
            raise _Unsupported
        return [_rss_entry(item) for item in channel.iterfind("item")]
    if root.tag == f"{_ATOM}feed":
        return [_atom_entry(entry) for entry in root.iterfind(f"{_ATOM}entry")]
    raise _Unsupported  # RSS 1.0/RDF, Atom 0.3, not a feed at all


def codec_name(name: str) -> str | None:
    """Python's name for a charset label ("latin-1" -> "iso8859-1"), None for an unknown one or for a codec
    that decodes no text ("undefined" always fails, "base64" and "rot13" are no text encodings; a NUL in the
    label)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        return None
    # codecs' own mark of a bytes-to-bytes or str-to-str codec, which bytes.decode refuses
    if not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        return None
    return info.name


def header_charset(content_type: str) -> str | None:
    """The charset label of a Content-Type header value, as written."""
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return None


def _fields(node: etree._Element, handled: frozenset[str]) -> dict[str, etree._Element]:
    """The handled child elements by tag; anything ambiguous sends the feed to feedparser."""
    found: dict[str, etree._Element] = {}
    for child in node:
        tag = child.tag
        if not isinstance(tag, str):
            raise _Unsupported  # an unexpanded entity reference
        if tag in handled:
            if tag in found:
                raise _Unsupported  # feedparser's first-or-last rules differ per field
            found[tag] = child
        elif etree.QName(tag).localname in _FIELD_NAMES and tag != f"{_ATOM}link":
            raise _Unsupported
    return found


def _text(node: etree._Element | None) -> str:
    if node is None:
        return ""
    if len(node):
        raise _Unsupported  # markup inside a text field (unescaped HTML)
    return _as_feedparser(node.text or "")


def _as_feedparser(value: str) -> str:
    """feedparser's last touches on every value: undo UTF-8 read as Latin-1, map C1 to windows-1252.

    feedparser re-encodes every document to UTF-8 before parsing it, so it tries the undo whatever
    the document declared: a UTF-8 feed that declares ISO-8859-1 reads "Türkiye", not "TÃ¼rkiye"."""
    value = value.strip()
    if value.isascii():
        return value  # nothing to undo or map: most values of most feeds (bench/run.py: -20% parse CPU)
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("iso-8859-1").decode("utf-8")
    return value.translate(_CP1252)


def _link_text(value: str) -> str:
    value = value.replace("&amp;", "&")  # feedparser's fix for over-escaped query strings
    return re.sub(r"&([A-Za-z0-9_]+);", r"&\g<1>", value)


def _rss_entry(item: etree._Element) -> _Entry:
    f = _fields(item, _RSS_FIELDS)
    guid_el = f.get("guid")
    guid = _text(guid_el)
    link_el = f.get("link")
    link = _text(link_el)
    if link_el is not None and not link:
        raise _Unsupported  # an empty <link> blanks or keeps the guid link depending on order
    from_guid = (
        not link and bool(guid) and guid_el is not None and guid_el.get("isPermaLink", "true") == "true"
    )
    if from_guid:
        link = guid
    content = _text(f.get(f"{_CONTENT}encoded"))
    date_el = f.get("pubDate")
    published: datetime | None = None
    if date_el is not None:
        published = _rfc822(_text(date_el))
    else:
        dc_date = f.get(f"{_DC}date")
        published = _w3dtf(_text(dc_date)) if dc_date is not None else None
    return _Entry(
        guid=guid,
        link=_link_text(link),
        link_from_guid=from_guid,
        title=_text(f.get("title")),
        text=content or _text(f.get("description")),
        published=published,
    )


def _atom_entry(entry: etree._Element) -> _Entry:
    f = _fields(entry, _ATOM_FIELDS)
    guid = _text(f.get(f"{_ATOM}id"))
    link = ""
    for el in entry.iterfind(f"{_ATOM}link"):  # feedparser: the last alternate HTML link wins
        rel = el.get("rel", "alternate")
        kind = el.get("type", "application/atom+xml" if rel == "self" else "text/html").lower()
        kind = {"html": "text/html", "xhtml": "application/xhtml+xml"}.get(kind, kind)
        if rel == "alternate" and kind in _HTML_TYPES and el.get("href"):
            link = _as_feedparser(el.get("href", ""))
    title, title_html = _atom_text(f.get(f"{_ATOM}title"))
    text, text_html = "", True
    content = f.get(f"{_ATOM}content")
    if content is not None and not content.get("src"):
        text, text_html = _atom_text(content)
    if not text:
        text, text_html = _atom_text(f.get(f"{_ATOM}summary"))
    stamp = f.get(f"{_ATOM}published")
    if stamp is None:
        stamp = f.get(f"{_ATOM}updated")
    return _Entry(
        guid=guid,
        link=_link_text(link or guid),
        link_from_guid=not link and bool(guid),
        title=title,
        title_html=title_html,
        text=text,
        text_html=text_html,
        published=_w3dtf(_text(stamp)) if stamp is not None else None,
    )


def _atom_text(node: etree._Element | None) -> tuple[str, bool]:
    """An Atom text construct as (value, is_html)."""
    if node is None:
        return "", True
    kind = node.get("type", "text").lower()
    if kind in ("text", "text/plain"):
        return _text(node), False
    if kind in ("html", "text/html"):
        return _text(node), True
    if kind in ("xhtml", "application/xhtml+xml"):
        children = list(node)
        if len(children) != 1 or children[0].tag != f"{_XHTML}div" or (node.text or "").strip():
            raise _Unsupported
        div = children[0]
        inner = (div.text or "") + "".join(
            etree.tostring(child, encoding="unicode", with_tail=True) for child in div
        )
        return _as_feedparser(inner), True
    raise _Unsupported  # base64 or another media type


def _rfc822(value: str) -> datetime | None:
    """An RSS date; anything feedparser might read differently goes to feedparser."""
    tokens = value.split()
    zone = tokens[-1] if tokens else ""
    if not (zone.upper() in _RFC822_ZONES or re.fullmatch(r"[+-]\d{4}", zone)):
        raise _Unsupported
    if placeholder_year(value):
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError) as exc:  # a year of 11 digits overflows
        raise _Unsupported from exc
    return utc_date(when)


def _w3dtf(value: str) -> datetime | None:
    if not _W3DTF.fullmatch(value):
        raise _Unsupported
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _Unsupported from exc
    return utc_date(when)


_FOUR_DIGIT_YEAR = re.compile(r"\s(\d{4})\s")
# A date before this is a placeholder (.NET's DateTime.MinValue "0001-01-01", an epoch read wrongly), not news.
_EARLIEST_YEAR = 1970


def placeholder_year(rfc822: str) -> bool:
    """Whether an RFC 822 date writes a four-digit year before 1970 ("01 Jan 0001"), which ``email.utils``
    would read as 2001 (its rule for two-digit years)."""
    year = _FOUR_DIGIT_YEAR.search(rfc822)
    return year is not None and int(year[1]) < _EARLIEST_YEAR


def utc_date(when: datetime | None) -> datetime | None:
    """``when`` in UTC (a naive time taken as UTC), or None when it is no real date: outside what UTC can
    hold ("0001-01-01T00:00:00+01:00", the year 9999 west of Greenwich) or before 1970. One item's
    impossible date leaves that item undated; it never fails its feed."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        when = when.astimezone(UTC)
    except OverflowError:
        return None
    return when.replace(microsecond=0) if when.year >= _EARLIEST_YEAR else None
