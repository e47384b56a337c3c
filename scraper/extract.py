"""Article pages -> the main text the matcher sees, plus the headline and publication time.

Pure functions over HTML the caller already fetched. The method follows readability/boilerpipe in
spirit: first drop what is never article text (scripts, navigation, asides, share, cookie, comment,
ad and paywall blocks, by tag, ARIA role and class/id words), then split the page into text blocks,
score each block (long, sentence-like, few links: good; link lists: bad) and keep the one subtree
whose blocks add up to the most article-like text. Paragraphs come out separated by blank lines.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from scraper.parse import codec_name, header_charset, placeholder_year, utc_date


def _words(text: str) -> frozenset[str]:
    """A word list written as text, which reads better than a column of quoted strings."""
    return frozenset(text.split())


# Never article text, whatever their class says.
_DROP_TAGS = _words(
    "script style noscript template iframe object embed svg canvas video audio map form button input "
    "select textarea label nav header footer aside figcaption dialog menu amp-ad amp-embed "
    "amp-sidebar amp-social-share amp-analytics amp-consent amp-sticky-ad amp-iframe amp-list "
    "amp-carousel"
)
_DROP_ROLES = _words(
    "navigation banner contentinfo complementary dialog alertdialog search menu menubar toolbar"
)
# Class/id words that mark boilerplate no matter what else the class says.
_STRONG_WORDS = _words(
    "share sharing sharebar social comment comments disqus cookie cookies consent onetrust gdpr "
    "paywall newsletter subscribe subscription signup ad ads advert adverts advertisement "
    "advertising dfp gpt taboola outbrain sponsored promo promoted pullquote breadcrumb breadcrumbs"
)
# Class/id words that mark boilerplate unless the class also names the content.
_WEAK_WORDS = _words(
    "related recommended recirculation trending popular mostread most sidebar rail widget nav navbar "
    # other stories' teasers inside the article ("more-from-section", "also-read", "read-next", "further-reading"):
    # word pairs, as "more" or "next" alone name the article's own parts ("read-more-wrap", Next.js's "__next")
    "more-from more-stories more-news read-next up-next upnext readnext also-read alsoread further-reading "
    "may-like recommendations suggested suggestions "
    "menu footer header masthead banner tags tag keywords topics meta byline dateline author bio "
    "caption credit copyright disclaimer rating reactions print toolbar utility modal popup overlay "
    "dek standfirst synopsis subtitle strapline kicker eyebrow jump skip hidden"
)
_CONTENT_WORDS = frozenset(
    ["article", "articlebody", "body", "content", "entry", "main", "post", "story", "text", "prose"]
)
_PROTECTED_TAGS = frozenset({"html", "body", "main", "article"})

_BLOCK_TAGS = _words(
    "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table "
    "tbody td tfoot th thead tr ul"
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BREAK = "\x00"
_SPACE = re.compile(r"\s+")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_BYLINE = re.compile(
    r"^(by|posted|published|updated|written by|photo|image|source|last modified)\b|"
    r"^\W*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\W*$",
    re.IGNORECASE,
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•)\s+")


@dataclass(frozen=True, slots=True)
class _Block:
    """A run of text that renders as one paragraph, with where it sits and how much of it is links."""

    element: Tag  # the block-level element that holds the run
    tag: str
    text: str
    link_chars: int

    @property
    def link_density(self) -> float:
        return self.link_chars / max(len(self.text), 1)


def extract_main_text(html: bytes | str, *, url: str = "", content_type: str = "") -> str:
    """The article body as plain paragraphs separated by blank lines; "" when the page has none.

    `url` is accepted for symmetry with the fetcher and for future site rules; it is not fetched.
    `content_type` is the page's Content-Type header: its charset decides how the bytes are read.
    """
    soup = read_html(html, content_type)
    title = _title_from(soup)
    json_body = _json_ld_body(soup)
    body = soup.body or soup
    _strip_boilerplate(body)
    blocks = list(_blocks(body))
    container = _best_container(blocks)
    inside = None if container is None else {id(container), *(id(d) for d in container.descendants)}
    kept = [b for b in blocks if inside is None or id(b.element) in inside]
    paragraphs = _select_paragraphs(kept, title)
    text = "\n\n".join(paragraphs)
    # Pages that hide the body behind scripts often still carry it in their JSON-LD.
    if len(text) < 200 and len(json_body) > 2 * len(text):
        text = "\n\n".join(p for p in (_fold(line) for line in json_body.splitlines()) if p)
    return _bounded(text)


MAX_TEXT = 100_000  # characters of main text: a long read has 30,000-60,000; a 1 MB paragraph is no article


def _bounded(text: str) -> str:
    """At most MAX_TEXT characters, cut at the last paragraph (else word) break before it."""
    if len(text) <= MAX_TEXT:
        return text
    cut = text.rfind("\n\n", 0, MAX_TEXT)
    if cut < MAX_TEXT // 2:
        cut = max(text.rfind(" ", 0, MAX_TEXT), MAX_TEXT // 2)
    return text[:cut].rstrip()


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types a server gives a page it did not label (or labelled by its file name): the bytes decide.
_UNLABELLED_TYPES = frozenset({"", "text/plain", "application/octet-stream", "binary/octet-stream"})
_MARKUP_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)[\s>/]", re.IGNORECASE
)


def not_a_page(body: bytes, content_type: str = "") -> str:
    """Why ``body`` is no HTML page to read a story from ("application/pdf", "no HTML markup"); "" when it
    is one. A PDF, an image or a JSON answer read as text would replace a feed's summary with garbage."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in _HTML_TYPES:
        return ""
    if kind not in _UNLABELLED_TYPES:
        return kind
    return "" if _MARKUP_START.search(utf16_as_utf8(body[:16384])) else "no HTML markup"


# Tags (opening and closing) a page may have to be parsed: a parsed element costs about 1 KB, and a page of 350,000
# elements (4.9 MB, under the download cap) took 450 MB, more than the Lambda has. Real article and listing pages
# have a few thousand; 150,000 tags are at most 75,000 elements, about 90 MB.
MAX_TAGS = 150_000


def too_many_tags(body: bytes) -> str:
    """Why ``body`` is too big a tree to parse ("200,000 tags, more than 150,000"); "" when it is not."""
    tags = body.count(b"<")  # an upper bound of the elements, in UTF-8 and in UTF-16 alike
    return f"{tags:,} tags, more than {MAX_TAGS:,}" if tags > MAX_TAGS else ""


def utf16_as_utf8(body: bytes) -> bytes:
    """A UTF-16 page (its byte order mark says so) as UTF-8, for looking at its markup as bytes; else ``body``."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16", errors="replace").encode("utf-8")
    return body


def extract_title(html: bytes | str, *, content_type: str = "") -> str:
    """The headline: og:title, then twitter:title, then the first h1, then <title> without the site name."""
    return _title_from(read_html(html, content_type))


def extract_published(html: bytes | str, *, content_type: str = "") -> datetime | None:
    """The publication time from the page's metadata, JSON-LD or first <time datetime>, in UTC."""
    soup = read_html(html, content_type)
    for key, value in (
        ("property", "article:published_time"),
        ("itemprop", "datePublished"),
        ("name", "parsely-pub-date"),
        ("name", "pubdate"),
        ("name", "publish-date"),
        ("name", "date"),
        ("name", "dc.date"),
        ("name", "DC.date.issued"),
    ):
        tag = soup.find("meta", attrs={key: value})
        if isinstance(tag, Tag):
            found = parse_date(str(tag.get("content") or ""))
            if found:
                return found
    for item in _json_ld(soup):
        found = parse_date(str(item.get("datePublished") or ""))
        if found:
            return found
    time_tag = soup.find("time", attrs={"datetime": True})
    if isinstance(time_tag, Tag):
        return parse_date(str(time_tag.get("datetime") or ""))
    return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_RFC_2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_NUMERIC_DMY = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_NUMERIC_YMD = re.compile(r"\b(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})\b")
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?")


def parse_date(text: str) -> datetime | None:
    """A date in ISO 8601, RFC 2822, "12 March 2025", "March 12, 2025" or "17.03.2025" form, in UTC.

    A time without a zone is taken as UTC; text without a recognisable date gives None.
    """
    text = _fold(text)
    if not text:
        return None
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return utc_date(datetime.fromisoformat(candidate))
    except ValueError:
        pass
    if _RFC_2822.match(text):
        if placeholder_year(text):
            return None
        try:
            return utc_date(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
    year = month = day = 0
    if match := _DAY_MONTH_YEAR.search(text):
        day, month, year = int(match[1]), _MONTHS.get(match[2].lower(), 0), int(match[3])
    if not month and (match := _MONTH_DAY_YEAR.search(text)):
        month, day, year = _MONTHS.get(match[1].lower(), 0), int(match[2]), int(match[3])
    if not month and (match := _NUMERIC_YMD.search(text)):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not month and (match := _NUMERIC_DMY.search(text)):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    if not month:
        return None
    hour = minute = second = 0
    if clock := _CLOCK.search(text):
        hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        meridiem = (clock[4] or "").lower().replace(".", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    try:
        return utc_date(datetime(year, month, day, hour, minute, second, tzinfo=UTC))
    except ValueError:
        return None


def read_html(html: bytes | str, content_type: str = "") -> BeautifulSoup:
    """Parse a page with lxml, reading its bytes as a browser would (WHATWG encoding sniffing).

    A byte order mark decides first, then the charset of the HTTP Content-Type, and only then
    ``<meta charset>`` (which bs4 sniffs when no encoding is given): pages in windows-1250 or
    Shift_JIS often say so in the header alone.
    """
    if isinstance(html, bytes) and not html.startswith(_BOMS):
        charset = _charset(content_type)
        if charset and charset != "utf-8" and not html.isascii() and _is_utf8(html):
            # A server that labels every page ISO-8859-1 while the page is UTF-8 is common; text in
            # a real single-byte or CJK charset is practically never valid UTF-8 as a whole.
            charset = "utf-8"
        if charset:
            # Decoded here, not through bs4's from_encoding: given a codec that one byte does not fit
            # (0x81 in windows-1252), lxml returns an empty document. Browsers replace such bytes.
            # a codec with no "replace" ("idna"): read as if no charset was given
            with contextlib.suppress(UnicodeError):
                html = html.decode(charset, errors="replace")
    try:
        return BeautifulSoup(html, "lxml")
    except ValueError:
        # a <meta charset> that bs4 hands on to lxml and lxml refuses ("\x00utf-8", "undefined") stopped the
        # run: read the bytes as UTF-8 if they are, else as windows-1252, as a browser falls back
        if isinstance(html, str):
            raise
        text = html.decode("utf-8") if _is_utf8(html) else html.decode("cp1252", errors="replace")
        return BeautifulSoup(text, "lxml")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _charset(content_type: str) -> str | None:
    """The Python codec named by a Content-Type's charset, None when absent or unknown."""
    label = header_charset(content_type)
    name = codec_name(label) if label else None  # a misspelt one: <meta charset> and sniffing decide
    # The WHATWG Encoding Standard reads these labels as windows-1252 (curly quotes at 0x93).
    return "cp1252" if name in ("ascii", "iso8859-1") else name


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _title_from(soup: BeautifulSoup) -> str:
    for key, value in (("property", "og:title"), ("name", "twitter:title"), ("property", "twitter:title")):
        tag = soup.find("meta", attrs={key: value})
        if isinstance(tag, Tag) and _fold(str(tag.get("content") or "")):
            return _fold(str(tag.get("content")))
    h1 = soup.find("h1")
    if isinstance(h1, Tag) and _fold(h1.get_text()):
        return _fold(h1.get_text())
    if soup.title and soup.title.string:
        # "Headline | Site" or "Site :: Headline": the longest part is the headline.
        parts = _TITLE_SEPARATORS.split(_fold(soup.title.string))
        return max(parts, key=len)
    return ""


def _json_ld(soup: BeautifulSoup) -> Iterator[dict[str, object]]:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _json_ld_body(soup: BeautifulSoup) -> str:
    for item in _json_ld(soup):
        body = item.get("articleBody")
        if isinstance(body, str) and body.strip():
            return body
    return ""


def _class_words(tag: Tag) -> set[str]:
    """The words of an element's classes and id, but for state flags ("has-ads", "comments-enabled"): they say
    what a page's body carries or allows, not that the element is that thing."""
    names = [*(tag.get("class") or []), str(tag.get("id") or "")]
    words: set[str] = set()
    for name in names:
        parts = [word for word in _WORD_SPLIT.split(_CAMEL.sub(" ", name).lower()) if word]
        if parts and (parts[0] in _FLAG_FIRST or parts[-1] in _FLAG_LAST):
            continue
        words.update(parts)
        words.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))  # "read next", not "read" and "next"
    return words


_FLAG_FIRST = frozenset({"has", "no", "with", "without", "is", "show", "hide"})
_FLAG_LAST = frozenset({"enabled", "disabled", "eligible", "allowed", "active", "on", "off"})


def _dropped_by_name(tag: Tag) -> bool:
    """Never article text by its tag name. A form is a search or comment box, but a whole-page form (ASP.NET
    WebForms) holds the article: that one is judged as any element is (its role, hidden, classes, its h1)."""
    return tag.name in _DROP_TAGS and not (tag.name == "form" and len(tag.find_all("p", limit=3)) == 3)


def _is_boilerplate(tag: Tag) -> bool:
    name = tag.name
    if name in _PROTECTED_TAGS or tag.get("itemprop") == "articleBody":
        return False
    if _dropped_by_name(tag):
        return True
    if tag.get("role") in _DROP_ROLES or tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    style = str(tag.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    words = _class_words(tag)
    if not words:
        return False
    if words & _STRONG_WORDS:
        return True
    return bool(words & _WEAK_WORDS) and not words & _CONTENT_WORDS


def _strip_boilerplate(root: Tag) -> None:
    """Remove boilerplate subtrees in place; one that holds the page's h1 by class alone is kept."""
    doomed: list[Tag] = []
    stack = [root]
    while stack:  # pre-order, not descending into what is already doomed
        for child in reversed(stack.pop().contents):
            if not isinstance(child, Tag):
                continue
            if _is_boilerplate(child) and (_dropped_by_name(child) or child.find("h1") is None):
                doomed.append(child)  # (a wrapper named "post-header" or "tag-x" may hold the article)
            else:
                stack.append(child)
    for tag in doomed:
        tag.decompose()


def _blocks(root: Tag) -> Iterator[_Block]:
    """Text runs of the page in document order, each attributed to the block element that holds it."""
    holds_blocks = _inline_holding_blocks(root)
    stack: list[tuple[Tag, Iterator[PageElement]]] = [(root, iter(root.children))]
    runs: dict[int, list[tuple[str, bool]]] = {id(root): []}
    link_depth: list[bool] = [False]
    # the block element each open element's text belongs to (the nearest block at or above it, else the
    # root): kept beside the stack, so that deep nesting costs one step per element, not a walk up the stack
    owners: list[Tag] = [root]
    while stack:
        owner, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            link_depth.pop()
            owners.pop()
            if owner.name in _BLOCK_TAGS or not stack:
                yield from _flush(owner, runs.pop(id(owner), []))
            else:
                # inline element done: its text already went to the enclosing block's run
                runs.pop(id(owner), None)
            continue
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):
                runs.setdefault(id(owners[-1]), []).append((str(child), link_depth[-1]))
            continue
        if not isinstance(child, Tag):
            continue
        if child.name == "br":
            runs.setdefault(id(owners[-1]), []).append((_BREAK, False))
            continue
        is_block = child.name in _BLOCK_TAGS or id(child) in holds_blocks
        if is_block:
            # a block interrupts the enclosing run: what came before is a paragraph of its own
            block_owner = owners[-1]
            yield from _flush(block_owner, runs.pop(id(block_owner), []))
            runs[id(block_owner)] = []
            runs[id(child)] = []
        stack.append((child, iter(child.children)))
        link_depth.append(link_depth[-1] or child.name == "a")
        owners.append(child if child.name in _BLOCK_TAGS else owners[-1])


def _inline_holding_blocks(root: Tag) -> set[int]:
    """Ids of elements with a block element somewhere inside (an <a> around a card), in one pass."""
    holding: set[int] = set()
    for tag in reversed(root.find_all(True)):  # descendants before their ancestors
        if any(
            isinstance(child, Tag) and (child.name in _BLOCK_TAGS or id(child) in holding)
            for child in tag.contents
        ):
            holding.add(id(tag))
    return holding


def _flush(owner: Tag, run: list[tuple[str, bool]]) -> Iterator[_Block]:
    if not run:
        return
    text = "".join(piece for piece, _ in run)
    link_chars = sum(len(_fold(piece)) for piece, in_link in run if in_link)
    pieces = [_fold(part) for part in text.split(_BREAK)]
    total = sum(len(p) for p in pieces) or 1
    for piece in pieces:
        if piece:
            # links are spread over the split parts in proportion to their length
            yield _Block(owner, owner.name, piece, round(link_chars * len(piece) / total))


def _value(block: _Block) -> float:
    """How much a block argues that its subtree is the article: long prose +, link lists -."""
    size = len(block.text)
    if block.link_density > 0.5:
        return -2.0 * size
    if block.tag in _HEADINGS:
        return 0.0
    sentence = block.text[-1:] in '.!?"”’)' or block.text.count(". ") >= 1
    if block.tag in ("li", "dt", "dd"):
        return 0.5 * size if size >= 40 and block.link_density < 0.2 else -0.3 * size
    if size >= 80 or (size >= 40 and sentence):
        return size * (1.0 - block.link_density)
    return -0.3 * size


def _best_container(blocks: list[_Block]) -> Tag | None:
    """The element whose blocks add up to the most article-like text; the deepest one on a tie."""
    if not blocks:
        return None
    # Each block's value goes to its own element, then every element's total to its parent's, children before
    # parents (reverse document order): linear in the page. Adding each block's value to each of its ancestors
    # was quadratic in the nesting (25,000 unclosed "<div><p>" took minutes).
    root = blocks[0].element
    while root.parent is not None:
        root = root.parent
    order: list[Tag] = [root, *(node for node in root.descendants if isinstance(node, Tag))]
    totals: dict[int, float] = {}
    for block in blocks:
        totals[id(block.element)] = totals.get(id(block.element), 0.0) + _value(block)
    depth = {id(root): 0}
    for element in order[1:]:
        depth[id(element)] = depth[id(element.parent)] + 1
    for element in reversed(order[1:]):
        if (total := totals.get(id(element))) is not None:
            totals[id(element.parent)] = totals.get(id(element.parent), 0.0) + total
    if max(totals.values()) <= 0:
        return None
    # on a tie the first in document order, as when each block added its value to its ancestors in turn
    scored = [element for element in order if id(element) in totals]
    return max(scored, key=lambda element: (round(totals[id(element)], 3), depth[id(element)]))


MAX_PARAGRAPHS = 1000  # blocks kept as main text; a long article has a few hundred


def _select_paragraphs(blocks: list[_Block], title: str) -> list[str]:
    """The blocks worth showing: no link lists, no headline, bylines or repeats (pull quotes)."""
    kept = [
        b.text
        for b in blocks
        if b.link_density <= 0.5
        and b.tag != "h1"
        and b.text != title
        and not (len(b.text) < 100 and _BYLINE.search(b.text))
    ]
    # a page of tens of thousands of blocks is no article: it must not stall the run
    del kept[MAX_PARAGRAPHS:]
    result: list[str] = []
    for text in kept:
        if len(text) < 300 and any(text != other and text in other for other in kept):
            continue  # a pull quote or teaser repeating a sentence of the body
        if result and result[-1] == text:
            continue
        result.append(text)
    return result
