"""Domain values shared by every stage: stories, hits and the watchlist.

All values are frozen; collections are tuples. Construct watchlists through
``scraper.watchlist`` (which validates and compiles the alias index), not by hand,
except in tests of pure code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

_T = TypeVar("_T")

# A deal's lifecycle, in order; `cancellation` stands outside the order and always wins.
STAGE_ORDER: tuple[str, ...] = ("mention", "talks", "deal", "delivery", "deployment")
STAGES: tuple[str, ...] = (*STAGE_ORDER, "cancellation")
STRONG_STAGES: frozenset[str] = frozenset({"delivery", "deployment", "cancellation"})
ROLES: tuple[str, ...] = ("operator", "supplier", "other")


def stage_rank(stage: str) -> int:
    """Rank of a stage in the lifecycle; cancellation ranks above everything."""
    if stage == "cancellation":
        return len(STAGE_ORDER)
    return STAGE_ORDER.index(stage)


def constructor(cls: type[_T]) -> Callable[..., _T]:
    """A function that makes an instance of a frozen slots dataclass from all its fields, in order: the
    same object as ``cls(...)``, made in a third of the time (a frozen class's ``__init__`` sets each
    field through ``object.__setattr__``; this sets the slots directly). For the matcher's hot paths."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    namespace.update({f"_set_{name}": getattr(cls, name).__set__ for name in names})
    sets = "".join(f"    _set_{name}(obj, {name})\n" for name in names)
    exec(f"def make({', '.join(names)}):\n    obj = _new(_cls)\n{sets}    return obj\n", namespace)
    return namespace["make"]


@dataclass(frozen=True, slots=True)
class Story:
    """One news item as the matcher sees it: plain text only, no markup."""

    id: str  # stable: GUID, else canonical link, else a hash of title+text
    title: str
    text: str  # summary or extracted article text, plain
    url: str = ""
    published: datetime | None = None  # timezone-aware (UTC) when known
    feed: str = ""  # name of the source that carried it
    guid: str = ""
    # The id its GUID gave it before that GUID turned out shared by several items of its feed
    # (scraper.parse): an item stored under it earlier keeps it (scraper.run).
    guid_id: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """A (story, system, country) connection with its role and asserted stage."""

    story_id: str
    system: str
    country: str
    role: str  # operator | supplier | other
    stage: str  # one of STAGES
    evidence: str  # the sentence(s) that carried the stage

    def to_json(self) -> dict[str, str]:
        """The SPEC's hit line: {"id", "system", "country", "role", "stage", "evidence"}."""
        return {
            "id": self.story_id,
            "system": self.system,
            "country": self.country,
            "role": self.role,
            "stage": self.stage,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Source:
    """A feed (RSS/Atom) or a listing page (kind: html) from the watchlist."""

    name: str
    url: str
    kind: str = "feed"  # feed | html
    item_selector: str | None = None
    title_selector: str | None = None
    date_selector: str | None = None
    full_text: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    """A watched system or country with the names it goes by."""

    name: str  # canonical: used in hits, alerts and storage
    aliases: tuple[str, ...]  # includes the canonical name
    exclude: tuple[str, ...] = ()  # phrases that veto an overlapping alias match
    ambiguous: tuple[str, ...] = ()  # aliases that count only in a defence context
    origin: tuple[str, ...] = ()  # systems: canonical names of the maker countries
    line: int = 0  # line in the watchlist file, for messages


@dataclass(frozen=True, slots=True)
class Watch:
    """Which pairs alert, how, and to whom."""

    systems: tuple[str, ...]
    countries: tuple[str, ...]
    alert_on: tuple[str, ...] = ("new", "stage")  # new | stage | every
    notify: tuple[str, ...] = ("slack", "email")  # channels; unconfigured ones are skipped
    min_sources: int = 1  # independent sources required before delivery/deployment alerts


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily window during which a channel's alerts are held for one digest."""

    channel: str
    start: str  # "HH:MM"
    end: str  # "HH:MM"; may be earlier than start (overnight)
    tz: str = "UTC"


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """The watchlist's optional `alerts:` section."""

    digest_after: int = 5  # more alerts than this in one run become one digest
    quiet_hours: tuple[QuietHours, ...] = ()
    failing_after: int = 5  # consecutive failed runs before a "feed failing" alert
    max_attempts: int = 5  # sends of one alert on one channel before it is reported failed
    alert_backlog: bool = False  # alert a feed's backlog on its first run instead of seeding


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A validated watchlist with its aliases compiled once (``index``)."""

    feeds: tuple[Source, ...]
    systems: tuple[Entity, ...]
    countries: tuple[Entity, ...]
    watches: tuple[Watch, ...] = ()  # empty: every system x every country, defaults
    stages: tuple[tuple[str, tuple[str, ...]], ...] = ()  # extra cue phrases per stage
    alerts: AlertSettings = AlertSettings()
    path: str = ""
    index: Any = field(default=None, compare=False, hash=False, repr=False)

    def current_pair(self, system: str, country: str) -> tuple[str, str] | None:
        """A stored pair's names as the watchlist has them now: a canonical name stays; a former one that is
        now an alias of exactly one entry (renamed, the old name kept as an alias) becomes that entry's name;
        None when either name is in no entry any more."""
        found = _current_name(self.systems, system), _current_name(self.countries, country)
        return (found[0], found[1]) if found[0] and found[1] else None

    def former_pairs(self, system: str, country: str) -> list[tuple[str, str]]:
        """The keys a pair may be stored under from before one of its entries was renamed: one name kept,
        the other any alias of its entry that names no other entry, as ``current_pair`` maps them back."""
        keys: list[tuple[str, str]] = []
        for entities, name in ((self.systems, system), (self.countries, country)):
            entity = next((e for e in entities if e.name == name), None)
            others = {e.name.casefold() for e in entities}
            for alias in entity.aliases if entity else ():
                if alias.casefold() not in others:
                    keys.append((alias, country) if entities is self.systems else (system, alias))
        return [k for k in dict.fromkeys(keys) if self.current_pair(*k) == (system, country)]

    def watch_for(self, system: str, country: str) -> Watch | None:
        """The first watch covering the pair; every pair is watched when there are none."""
        if not self.watches:
            return Watch(systems=(system,), countries=(country,))
        for watch in self.watches:
            if system in watch.systems and country in watch.countries:
                return watch
        return None


def _current_name(entities: tuple[Entity, ...], name: str) -> str | None:
    """``name`` if an entity has it, else the one entity that lists it as an alias (any case)."""
    if any(e.name == name for e in entities):
        return name
    folded = name.casefold()
    owners = [e.name for e in entities if any(a.casefold() == folded for a in e.aliases)]
    return owners[0] if len(owners) == 1 else None
