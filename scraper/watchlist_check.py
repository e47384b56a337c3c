"""Warnings and a summary for a loaded watchlist (`python handler.py validate`).

``scraper.watchlist`` refuses what is wrong; this module warns about what is risky (an alias that is
an everyday word and not marked ambiguous, an alias inside another entry's, an alias two entries
share) and summarises what is watched.
"""

from __future__ import annotations

import re

from scraper.aliases import alias_form, alias_key, is_acronym, normalize
from scraper.model import Entity, Watchlist
from scraper.watchlist import line_order

# Everyday English words and common first names that are also the name of a country or a weapon
# system. An alias equal to one of these floods the matcher unless it is marked `ambiguous`.
_COMMON_WORDS = frozenset(
    (
        *("us", "chad", "jordan", "georgia", "turkey", "turkeys", "polish", "poles", "guinea", "jersey"),
        *("sofia", "washington", "america", "emirates", "caesar", "bradley", "abrams"),
        *("patriot", "patriots", "triumph", "viper", "typhoon", "javelin", "leopard", "stinger", "harpoon"),
        *("tomahawk", "reaper", "apache", "felon", "fulcrum", "challenger", "taurus", "scalp", "eagle"),
        *("falcon", "lightning", "thunder", "shadow", "arrow", "panther", "sling", "dome", "iron dome"),
        *("mamba", "hawk", "spike", "storm", "phoenix", "hornet", "raptor", "sentinel", "guardian"),
        *("predator", "fury", "trophy", "k2", "k9"),
    )
)


def check_watchlist(wl: Watchlist) -> list[str]:
    """Warnings for risky aliases: common words, an alias inside another entry's, shared aliases."""
    warnings: list[str] = []
    owners: dict[str, tuple[str, Entity, str]] = {}
    entries = [("system", e) for e in wl.systems] + [("country", e) for e in wl.countries]
    for kind, entity in entries:
        flagged = {alias_form(a) for a in entity.ambiguous}
        for alias in entity.aliases:
            key = alias_key(alias)
            where = f"{wl.path}:{entity.line}: {kind} '{entity.name}'"
            if not is_acronym(alias) and _words(alias) in _COMMON_WORDS and alias_form(alias) not in flagged:
                warnings.append(
                    f"{where}: alias '{alias}' is a common English word or name; mark it ambiguous "
                    "(needs a defence context) or remove it"
                )
            acronym = is_acronym(alias)
            owner = owners.setdefault(key + ("!" if acronym else ""), (kind, entity, alias))
            if owner[1] is not entity:
                warnings.append(
                    f"{where}: alias '{alias}' is also an alias of {owner[0]} '{owner[1].name}' "
                    f"(line {owner[1].line}); only the first entry will get its matches"
                )
                continue
            # An alias in any case ("usa") matches another entry's capitals-only acronym ("USA") too.
            other = owners.get(key if acronym else key + "!")
            if other is not None and other[1] is not entity:
                written = alias if acronym else other[2]
                warnings.append(
                    f"{where}: alias '{alias}' and alias '{other[2]}' of {other[0]} '{other[1].name}' "
                    f"(line {other[1].line}) both match '{written}'; only one entry will get those matches"
                )
    warnings.extend(_nested_aliases(wl, entries))
    warnings.extend(_shadowed_watches(wl))
    return sorted(warnings, key=line_order)


def _shadowed_watches(wl: Watchlist) -> list[str]:
    """A watch every pair of which an earlier watch names too, so it never applies: the first watch naming a
    pair decides its alerts (a narrow watch before a catch-all is the way to write exceptions)."""
    warnings: list[str] = []
    earlier: set[tuple[str, str]] = set()
    for number, watch in enumerate(wl.watches):
        pairs = {(s, c) for s in watch.systems for c in watch.countries}
        if pairs <= earlier:
            warnings.append(
                f"{wl.path}: watches[{number}] never applies: every pair it names is named by an earlier watch, "
                "which decides its alerts (the first watch naming a pair wins): put the narrower watch first"
            )
        earlier |= pairs
    return warnings


def _words(alias: str) -> str:
    return " ".join(normalize(alias).lower().replace("-", " ").split())


def _nested_aliases(wl: Watchlist, entries: list[tuple[str, Entity]]) -> list[str]:
    """An alias that appears as whole words inside another entry's alias, e.g. "Korea" in "North Korea".

    The longer alias wins where it appears, so this is only worth a look; flagged ambiguous aliases
    are taken as reviewed.
    """
    tokens = [(kind, entity, alias, _tokens(alias)) for kind, entity in entries for alias in entity.aliases]
    by_first: dict[str, list[tuple[str, Entity, str, tuple[str, ...]]]] = {}
    for item in tokens:
        for token in set(item[3]):
            by_first.setdefault(token, []).append(item)
    warnings = []
    for kind, entity, alias, words in tokens:
        if alias_form(alias) in {alias_form(a) for a in entity.ambiguous}:
            continue
        for other_kind, other, outer, outer_words in by_first.get(words[0], ()) if words else ():
            if other is entity or len(outer_words) <= len(words):
                continue
            if any(
                outer_words[i : i + len(words)] == words for i in range(len(outer_words) - len(words) + 1)
            ):
                warnings.append(
                    f"{wl.path}:{entity.line}: {kind} '{entity.name}': alias '{alias}' is inside "
                    f"'{outer}' of {other_kind} '{other.name}'; the longer name wins where it appears"
                )
                break
    return warnings


def _tokens(alias: str) -> tuple[str, ...]:
    """Words of an alias, split also where letters turn into digits ("S400" -> "s", "400")."""
    spaced = re.sub(r"(?<=[^\W\d_])(?=\d)", " ", normalize(alias).lower())
    return tuple(re.split(r"[\s\-]+", spaced.strip()))


def summarize_watchlist(wl: Watchlist) -> str:
    """One paragraph for `validate`: what is read, what is watched, and how alerts go out."""
    html = sum(1 for feed in wl.feeds if feed.kind == "html")
    feeds = f"{len(wl.feeds)} feed{'s' if len(wl.feeds) != 1 else ''}" + (
        f" ({html} HTML pages)" if html else ""
    )
    parts = [
        f"{feeds}, {len(wl.systems)} systems, {len(wl.countries)} countries "
        f"({len(wl.systems) * len(wl.countries):,} pairs)"
    ]
    if not wl.watches:
        parts.append("every pair is watched, alerting on new and stage changes")
    if len(wl.watches) > 1:
        parts.append("the first watch naming a pair decides its alerts")
    for watch in wl.watches:
        systems = _names(watch.systems, wl.systems, "systems")
        countries = _names(watch.countries, wl.countries, "countries")
        extra = f", {watch.min_sources} sources before delivery/deployment" if watch.min_sources > 1 else ""
        how = f"alert on {'/'.join(watch.alert_on)} via {'/'.join(watch.notify)}"
        parts.append(f"{systems} x {countries}: {how}{extra}")
    cues = sum(len(phrases) for _, phrases in wl.stages)
    if cues:
        parts.append(f"{cues} extra stage cue{'s' if cues != 1 else ''}")
    settings = wl.alerts
    parts.append(
        f"digest above {settings.digest_after} alerts, "
        + (
            "backlog alerted on a feed's first run"
            if settings.alert_backlog
            else "first run of a feed seeds silently"
        )
        + (f", {len(settings.quiet_hours)} quiet-hours window(s)" if settings.quiet_hours else "")
    )
    return "; ".join(parts) + "."


def _names(chosen: tuple[str, ...], entities: tuple[Entity, ...], noun: str) -> str:
    if len(chosen) == len(entities):
        return f"all {noun}"
    if len(chosen) <= 4:
        return ", ".join(chosen)
    return f"{len(chosen)} {noun}"
