"""The story behind a vetted hit, read only when a rule needs it, and the one rule that reads it.

``scraper.vet`` re-reads hits against their evidence sentence; a few rules must look at the rest of the
story (which sentence the evidence was, which seller the story names for the system). The story is
normalised, split and scanned for mentions at most once per story, and only when such a rule runs.

The headline's protagonist (``protagonist``) is read from the title alone.

14. *Story's seller as a demonym*: "the Portuguese aircraft" where the story says the jets were bought
    from Portugal -> ``supplier``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.aliases import Mention, lower_aligned, normalize
from scraper.model import Story, Watchlist
from scraper.sentences import dateline_end, is_lowercase_style, split_sentences, writes_no_capitals
from scraper.vet_roles import WINDOW, Evidence, group_of


@dataclass(slots=True)
class StoryView:
    """The story's normalised text, sentences and mentions, computed only when a rule needs them."""

    low: str
    spans: list[tuple[int, int]]
    mentions: tuple[Mention, ...]


def view(story: Story, watchlist: Watchlist, cache: list[StoryView]) -> StoryView:
    """The story's view, computed on first use and kept in ``cache`` for the other hits of the story."""
    if cache:
        return cache[0]
    title = " ".join(normalize(story.title).split())
    body = normalize(story.text).strip()
    text = f"{title}\n\n{body}" if title else body
    start = len(title) + 2 if title else 0
    body_spans = split_sentences(body, start, is_lowercase_style(body or title))
    spans = ([(0, len(title))] if title else []) + body_spans
    skip = start + dateline_end(body)
    mentions = tuple(
        m
        for m in watchlist.index.find(text, writes_no_capitals(body, title))
        if not (start <= m.start < skip)
    )
    cache.append(StoryView(lower_aligned(text), spans, mentions))
    return cache[0]


_PLATFORM_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:aircraft|jets?|fighters?|planes?|tanks?|batter(?:y|ies)|systems?|launchers?|"
    r"drones?|helicopters?|ships?|frigates?|submarines?|guns?|howitzers?|vehicles?)\b"
)
_BOUGHT_FROM = re.compile(
    r"\b(?:bought|buys?|buying|purchased?|purchasing|acquired?|acquiring|ordered|imported|received|leased)\b"
    r"[^.;]{0,80}?\bfrom\s+(?:the\s+)?$"
)
_NOUN_AFTER = re.compile(r"\s+(?!(?:and|or|in|on|to|from|for|with|by|at|as|during|after|before)\b)[a-z]")


def source_adjective(
    ev: Evidence, mention: Mention, system: str, story: Story, watchlist: Watchlist, cache: list[StoryView]
) -> str | None:
    """Rule 14: "the Portuguese aircraft" where the story says the jets were bought from Portugal: a
    demonym before a noun names the seller the story gave for this system, not an operator. The
    purchase must be of the hit's system: it is named shortly before the seller."""
    if mention.surface.lower() == mention.name.lower() or not _PLATFORM_AFTER.match(ev.low, mention.end):
        return None
    seen = view(story, watchlist, cache)
    countries = [m for m in seen.mentions if m.kind == "country"]
    for other in countries:
        adjective = other.surface.lower() != other.name.lower() and _NOUN_AFTER.match(seen.low, other.end)
        if other.name == mention.name and not adjective:
            # a seller after "from" is a country's name; "from Germany, Ukrainian officials said"
            # lists no second seller
            first = group_of(seen.low, countries, other)[0]
            bought = _BOUGHT_FROM.search(seen.low, max(0, first - WINDOW), first)
            if bought is not None and any(
                m.kind == "system" and m.name == system and max(0, first - WINDOW) <= m.start < first
                for m in seen.mentions
            ):
                return "supplier"
    return None


def protagonist(story: Story, country: str, watchlist: Watchlist) -> bool:
    """The headline opens with the country's name ("Lithuania orders tanks"): the story is about what it
    does, and one body sentence calling it a neighbour or a host does not make it a bystander of a
    pair at talks or deal; only a strong stage is re-read against it."""
    title = normalize(story.title).lstrip()
    first = next((m for m in watchlist.index.find(title, title.islower()) if m.kind == "country"), None)
    return (
        first is not None
        and first.start == 0
        and first.name == country
        and first.surface.lower() == first.name.lower()
    )
