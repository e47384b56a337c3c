"""Listing pages (`kind: html`) -> stories: the links that `item_selector` picks out of a news page.

Pure: takes the bytes the fetcher got. Per matched element, the link is the element itself when it is
an ``<a href>``, else its first link inside, else the link around it. `title_selector` and
`date_selector` are looked up in the item's *container*: the largest ancestor of the matched element
that holds no other matched element (for "article h2 a" that is the ``<article>`` card), so they
never pick up a neighbour's headline or date.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError

from scraper.dedupe import page_fragment
from scraper.errors import ParseError
from scraper.extract import parse_date, read_html, too_many_tags, utf16_as_utf8
from scraper.model import Source, Story
from scraper.parse import MAX_ITEMS, canonical_link, story_id

_MARKUP = re.compile(rb"<(?:[a-zA-Z][a-zA-Z0-9-]*[\s>/]|!doctype)", re.IGNORECASE)
_HTML_TYPES = ("html", "xml")  # text/html, application/xhtml+xml; a blank type is sniffed


@dataclass(frozen=True, slots=True)
class ParsedListing:
    """The stories read from a listing page, and the ids of those left out beyond ``MAX_ITEMS``."""

    stories: tuple[Story, ...]
    left_out: tuple[str, ...] = ()


def parse_listing(body: bytes, *, url: str, source: Source, content_type: str = "") -> tuple[Story, ...]:
    """The stories linked from a listing page (``read_listing`` without what it left out)."""
    return read_listing(body, url=url, source=source, content_type=content_type).stories


def read_listing(
    body: bytes, *, url: str, source: Source, content_type: str = "", listed: Collection[str] | None = None
) -> ParsedListing:
    """The stories linked from a listing page, in page order, one per distinct URL, at most ``MAX_ITEMS``.

    A page linking to more keeps, when its links are known (``listed``: the ids its source listed
    last time, the links left out too), like a feed its newest: first the links not in ``listed``
    (a link added anywhere on the page is read, at the bottom of an archive too), then dated links
    newest first, then the page's order. When they are not (``None``: a first read, a page too
    long to remember, or one an older build read), it keeps its first ``MAX_ITEMS`` as every build
    did, so the selection an older build recorded is not read as news. The ids of the rest are
    ``left_out``.

    Raises ParseError when the page is not HTML, the selector is invalid, or it matches nothing
    usable: no element, no http(s) link, or links none of which has a title (the message names the
    selector, which is usually what changed when a site is redesigned).
    """
    if content_type and not any(kind in content_type.lower() for kind in _HTML_TYPES):
        raise ParseError(url, f"expected an HTML page, got {content_type.split(';')[0].strip()!r}")
    if not source.item_selector:
        raise ParseError(url, f"source {source.name!r} has kind: html but no item_selector")
    if _MARKUP.search(utf16_as_utf8(body)) is None:
        raise ParseError(url, "the page holds no HTML elements")
    if oversized := too_many_tags(body):  # its tree would take more memory than the run has
        raise ParseError(url, f"the page is too big a tree to read ({oversized})")
    soup = read_html(body, content_type)
    items = _select(soup, source.item_selector, url, "item_selector")
    if not items:
        raise ParseError(url, f"item_selector {source.item_selector!r} matched nothing")
    base = _base_url(soup, url)
    matched = {id(item) for item in items}
    holders = _holders(items)
    stories: dict[str, Story] = {}
    for item in items:
        try:
            story = _story(item, _container(item, matched, holders), base, source, url)
        except ValueError:  # a link urllib cannot split ("http://[::1/x"): skip that item
            continue
        if story is None:
            continue
        key = canonical_link(story.url)
        known = stories.get(key)
        if known is None or (not known.title and story.title):
            stories[key] = story
    if not stories:
        raise ParseError(
            url, f"item_selector {source.item_selector!r} matched {len(items)} elements but no http(s) link"
        )
    titled = tuple(story for story in stories.values() if story.title)
    if not titled:  # image-only links ("a.thumb"): zero stories would look like a quiet source
        raise ParseError(
            url,
            f"item_selector {source.item_selector!r} matched {len(items)} links but none has a title; "
            "set title_selector",
        )
    if len(titled) <= MAX_ITEMS:
        return ParsedListing(titled)
    return _kept(titled, listed)


def _kept(stories: tuple[Story, ...], listed: Collection[str] | None) -> ParsedListing:
    """The ``MAX_ITEMS`` stories a long page keeps (see ``read_listing``), in page order."""
    if listed is None:
        return ParsedListing(stories[:MAX_ITEMS], tuple(story.id for story in stories[MAX_ITEMS:]))

    def rank(index: int) -> tuple[bool, bool, float, int]:
        published = stories[index].published
        newest_first = -published.timestamp() if published else 0.0
        return (stories[index].id in listed, published is None, newest_first, index)

    order = sorted(range(len(stories)), key=rank)
    keep = set(order[:MAX_ITEMS])
    return ParsedListing(
        tuple(story for index, story in enumerate(stories) if index in keep),
        tuple(story.id for index, story in enumerate(stories) if index not in keep),
    )


def _select(scope: Tag, selector: str, url: str, option: str) -> list[Tag]:
    try:
        return list(scope.select(selector))
    except (SelectorSyntaxError, ValueError, NotImplementedError) as exc:
        raise ParseError(url, f"{option} {selector!r} is not a valid CSS selector: {exc}") from exc


def _base_url(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        try:
            return urljoin(url, str(base["href"]).strip())
        except ValueError:  # an unusable <base href> ("http://[bad"): resolve against the page
            return url
    return url


def _holders(items: list[Tag]) -> Counter[int]:
    """Per element, how many of ``items`` it contains, counted up to 2 (all ``_container`` asks): a walk up
    from an item stops at an ancestor that holds two already, as do all above it. Counting every ancestor of
    every item took minutes on a listing of deeply nested cards."""
    holders: Counter[int] = Counter()
    for item in items:
        for parent in item.parents:
            seen = holders[id(parent)]
            holders[id(parent)] = seen + 1
            if seen >= 2:
                break
    return holders


def _container(item: Tag, matched: set[int], holders: Counter[int]) -> Tag:
    """The largest ancestor of `item` (or item itself) that holds no other matched element.

    `holders` counts, per element, how many matched elements it contains (up to 2).
    """
    container = item
    for parent in item.parents:
        if parent.name in ("body", "html", "[document]") or holders[id(parent)] > 1 or id(parent) in matched:
            break
        container = parent
    return container


def _link_of(item: Tag) -> Tag | None:
    if item.name == "a" and item.get("href"):
        return item
    inner = item.find("a", href=True)
    if isinstance(inner, Tag):
        return inner
    outer = item.find_parent("a", href=True)
    return outer if isinstance(outer, Tag) else None


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _story(item: Tag, container: Tag, base: str, source: Source, page_url: str) -> Story | None:
    link = _link_of(item)
    if link is None:
        return None
    absolute = urljoin(base, str(link["href"]).strip())
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None  # javascript:, mailto:, tel:, data:
    absolute, _, fragment = absolute.partition("#")
    if page_fragment(fragment):  # a single-page site's route ("#!/news/101") names a page; an anchor does not
        absolute += "#" + fragment
    title = ""
    if source.title_selector:
        found = _select(container, source.title_selector, page_url, "title_selector")
        title = _text(found[0]) if found else ""
    if not title:
        title = _text(link) or str(link.get("title") or "").strip()
    if not title:
        image = link.find("img", alt=True)
        title = str(image["alt"]).strip() if isinstance(image, Tag) else ""
    published = None
    if source.date_selector:
        for node in _select(container, source.date_selector, page_url, "date_selector"):
            published = _date_of(node)
            if published:
                break
    if published is None:
        time_tag = container.find("time")
        published = _date_of(time_tag) if isinstance(time_tag, Tag) else None
    return Story(
        id=story_id(None, absolute, title, ""),
        title=" ".join(title.split()),
        text=_teaser(container, title),
        url=absolute,
        published=published,
        feed=source.name,
    )


def _date_of(node: Tag) -> datetime | None:
    for value in (node.get("datetime"), node.get("content"), node.get("title"), _text(node)):
        if value:
            found = parse_date(str(value))
            if found:
                return found
    return None


def _teaser(container: Tag, title: str) -> str:
    """The first paragraph of the item's card that is not its headline (many listings show one)."""
    for paragraph in container.find_all("p"):
        text = _text(paragraph)
        if len(text) >= 40 and text != title:
            return text
    return ""
