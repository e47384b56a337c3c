"""Light coreference across sentences: what "the system", "the jets", "it" or "air defence systems"
continue, what "the kingdom" or "it" stands for, and which weapon a story names that the watchlist does
not watch ("its HAWK batteries", "Russian Mi-17 helicopters"), so that such a phrase continues nothing.

Pure functions of the lower-cased story text and the systems already placed in its sentences; the
sentence loop in ``scraper.match`` calls them where a sentence names no system or no country.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from scraper.aliases import Mention
from scraper.lexicon import ANAPHOR_RE, GENERIC_RE, REFERRING_WORDS
from scraper.roles import CLAUSE_VERB, Place, Role, make_place
from scraper.scopes import Event

CONTINUE = 2  # sentences over which a pronoun and a country continuation reach
FAR = 8  # how far "the system" reaches back when the story has named only one system


class Finder:
    """``pattern.search(text, start, end)`` as (start, end, text), for a pattern whose every match
    begins after a non-word character or at offset 0 (word lists such as "the system", "it").

    Speed: the search runs from the non-word character before a match, so the regex starts with a
    character class and the engine skips between candidates in C instead of trying the whole
    alternation at every character (two to three times faster on news text); the match is the same."""

    __slots__ = ("_after", "_pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self._pattern = pattern
        self._after = re.compile(r"\W(?=(" + pattern.pattern + "))", pattern.flags)

    def search(self, text: str, start: int, end: int) -> tuple[int, int, str] | None:
        if start == 0 and (first := self._pattern.match(text, 0, end)) is not None:
            return first.start(), first.end(), first.group()
        found = self._after.search(text, max(0, start - 1), end)
        return None if found is None else (found.start(1), found.end(1), found.group(1))


_ANAPHOR = Finder(ANAPHOR_RE)
_GENERIC = Finder(GENERIC_RE)
_COUNTRY_ANAPHOR = Finder(
    re.compile(
        r"\bthe (?:kingdom|country|island|emirate|republic|nation|government)\b|\ba country (?=that|which)"
    )
)


_PRONOUN_SUBJECT = re.compile(r"\s*(it|they)\s+(?:has|have|had|is|are|was|were|also|already|recently)\b")
# "It took delivery of ...": a pronoun subject of a verb of buying or using, read as the subject of the
# sentence before (only when that sentence opened with a country)
_PRONOUN_BUYER = re.compile(
    r"\s*(?:(it|they)\s+(?:took|received|bought|ordered|signed|acquired|purchased|operates|fields|deployed|flies)\b|"
    # "Its long-range umbrella rests on S-300 regiments", "Their fighter fleet consists of ..." (not "Its design
    # relies on ...": the system's own)
    r"(its|their)\s+(?:[\w-]+\s+){0,2}?(?:air\s+force|army|navy|military|armed\s+forces|fleet|arsenal|inventory|"
    r"backbone|(?:air\s+)?defen[cs]es?|umbrella|shield)\b)"
)
_OPENING = re.compile(  # what may come before a sentence's subject: "But", "More recently,", "In 2019,"
    r"[\s\"'(]*(?:(?:the|but|and|yet|so|meanwhile|also|now)\s+){0,2}(?:(?:[\w-]+\s+){0,3}[\w-]+\s?,\s+)?"
)
# "Egypt, one of ...,", "Iraq's air defences", "Saudi Arabia's air force": not "Poland's neighbour
# Lithuania" or "Russia's war in Ukraine", whose subject is someone or something else
_SUBJECT_AFTER = re.compile(
    r"(?:'s|\ss)?\s*,|(?:'s|\ss)?\s+(?:[\w-]+\s+)?(?:air\s+force|army|navy|military|armed\s+forces|government|"
    r"defen[cs]e\s+ministry|ministry\s+of\s+defen[cs]e|air\s+defen[cs]es?|fleet|arsenal)\b"
)


def country_anaphor(low: str, span: tuple[int, int]) -> tuple[int, int, str] | None:
    """ "the kingdom", "the country", "a country that": a country named before, as (start, end, text)."""
    return _COUNTRY_ANAPHOR.search(low, span[0], span[1])


def service_owner(
    low: str, span: tuple[int, int], mentions: Sequence[Mention]
) -> tuple[int, int, str] | None:
    """ "The air force said it had deployed ...": the country last named with that service before the
    sentence ("the Philippine Air Force"), as (start, end, country); None when no such country."""
    sentence = low[span[0] : span[1]]
    if "the air force" not in sentence and "the navy" not in sentence and "the army" not in sentence:
        return None  # what _SERVICE_REFERENCE needs, tested first: its search costs ten times more
    found = _SERVICE_REFERENCE.search(low, span[0], span[1])
    if found is None or re.search(r"\b(?:its|their)\b", low[span[0] : found.start()]):
        return None  # "Its chief of staff said the air force ...": another country's, perhaps
    service = found.group(1)
    for mention in reversed(mentions):
        if (
            mention.kind == "country"
            and mention.end <= span[0]
            and re.match(r"(?:'s|\ss)?\s+" + service + r"\b", low[mention.end : mention.end + 24])
        ):
            return found.start(), found.end(), mention.name
    return None


_SERVICE_REFERENCE = re.compile(r"\bthe (air force|navy|army)\b(?!'s? [a-z]+ (?:of|in)\b)")


def subject_pronoun(low: str, span: tuple[int, int]) -> tuple[int, int, str] | None:
    """A sentence that opens with "It has ...", "They were ...": the subject is the country before."""
    found = _PRONOUN_SUBJECT.match(low, span[0], span[1])
    return None if found is None else (found.start(1), found.end(1), found[1])


def pronoun_buyer(low: str, span: tuple[int, int]) -> tuple[int, int, str] | None:
    """A sentence that opens with "It took delivery", "They ordered", "Its air force": the pronoun, as
    (start, end, text)."""
    found = _PRONOUN_BUYER.match(low, span[0], span[1])
    if found is None:
        return None
    group = 1 if found[1] else 2
    return found.start(group), found.end(group), found[group]


def opening_country(low: str, span: tuple[int, int], countries: Sequence[Place]) -> str | None:
    """The country a sentence opens with, followed by its verb, a comma or a possessive ("Athens has
    spent ...", "More recently, Belgrade has turned ...", "Egypt, one of ...", "Iraq's air defences"):
    its subject. Not "French hardware has been popular": an adjective."""
    if (
        countries
        and _OPENING.fullmatch(low, span[0], countries[0].start)
        and (CLAUSE_VERB.match(low, countries[0].end) or _SUBJECT_AFTER.match(low, countries[0].end))
    ):
        return countries[0].name
    return None


def last_operator(last_roles: dict[str, tuple[int, dict[str, Role]]], systems: Sequence[Place]) -> str | None:
    """The country last established as the operator of one of these systems, if any."""
    found: tuple[int, str] | None = None
    for system in systems:
        carried = last_roles.get(system.name)
        if carried is None:
            continue
        for country, role in carried[1].items():
            if role.role == "operator" and (found is None or carried[0] > found[0]):
                found = (carried[0], country)
    return None if found is None else found[1]


def continued_system(
    low: str,
    span: tuple[int, int],
    cues: Callable[[], Sequence[Event]],
    named: Sequence[Sequence[Place]],
    number: int,
    last_system: tuple[str, int] | None,
    kinds: dict[str, str],
) -> tuple[list[Place], bool]:
    """Light coreference: "the system", "the jets", "it" continue the last named system.

    A pronoun reaches two sentences back; a noun phrase reaches further while the story has named only
    one system so far (then "the system" can mean nothing else)."""
    following = number + 1 < len(named) and bool(named[number + 1])
    if not following and (last_system is None or number - last_system[1] > FAR):
        return [], False  # no system to continue, near enough
    # "Deliveries began in December." continues the system of a sentence that named one (not after "...; Poland
    # also leases MQ-9 drones.")
    if (
        last_system is not None
        and number - last_system[1] <= CONTINUE
        and (opening := _DELIVERIES_OPEN.match(low, span[0], span[1])) is not None
        and len({p.name for p in named[last_system[1]]}) == 1
    ):
        return [Place(last_system[0], opening.start(1), opening.end(1))], False
    if _REFERRING.search(low, span[0], span[1]) is None:
        return [], False  # neither "the system", "it" nor "air defence systems": the common case
    recent = last_system is not None and number - last_system[1] <= CONTINUE
    if last_system is not None:
        anaphor = _ANAPHOR.search(low, span[0], span[1])
        if anaphor is not None:
            pronoun = anaphor[2] in ("it", "they", "them")
            kind = _KIND_OF.get(anaphor[2].rsplit(" ", 1)[-1], "")
            if kind and kinds.get(last_system[0], kind) != kind:  # "the howitzers" after "Su-30 fighters"
                same = [
                    (n, p.name)
                    for n in range(max(0, number - FAR), number)
                    for p in named[n]
                    if kinds.get(p.name) == kind
                ]
                if not same:
                    return [], False
                last_system = (same[-1][1], same[-1][0])
                recent = number - last_system[1] <= CONTINUE
            only = len({p.name for sentence in named[:number] for p in sentence}) == 1
            if recent or (only and not pronoun and number - last_system[1] <= FAR):
                return [Place(last_system[0], anaphor[0], anaphor[1])], pronoun
    generic = _GENERIC.search(low, span[0], span[1])
    if generic is not None and cues():  # the sentence's stage cues, scanned only when needed
        if recent and last_system is not None:
            return [Place(last_system[0], generic[0], generic[1])], False
        if number + 1 < len(named) and named[number + 1]:
            return [Place(named[number + 1][0].name, generic[0], generic[1])], False
    return [], False


# a sentence that opens with the deliveries of the deal before: "Deliveries began in December." (narrower than
# lexicon.DELIVERIES_BEGAN: "Deliveries of ammunition to Ukraine began" is no deal of the sentence before)
_DELIVERIES_OPEN = re.compile(
    r"\W*(?:the\s+)?(?:first\s+)?(deliver(?:y|ies)(?:\s+of\s+the\s+(?:[\w-]+\s+)?(?:jets|aircraft|fighters|tanks|"
    r"systems|batteries|launchers|howitzers|drones|helicopters))?\s+(?:began|started|(?:have|has|had)\s+begun|"
    r"got\s+under\s+way))\b"
)
# One of REFERRING_WORDS as a whole word: one search, instead of listing the sentence's words (a Finder:
# most sentences have none, and the plain search tries the alternation at every character to find out).
_REFERRING = Finder(
    re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(REFERRING_WORDS, key=len, reverse=True))) + r")\b")
)
_KIND_OF = {
    **dict.fromkeys(
        ("jet", "jets", "fighter", "fighters", "aircraft", "plane", "planes", "warplane", "warplanes"), "air"
    ),
    **dict.fromkeys(("helicopter", "helicopters"), "rotor"),
    **dict.fromkeys(("tank", "tanks", "vehicle", "vehicles"), "armour"),
    **dict.fromkeys(("howitzer", "howitzers", "gun", "guns"), "artillery"),
    **dict.fromkeys(("battery", "batteries", "interceptor", "interceptors"), "air defence"),
}
# Up to three words, then the kind: "Su-30 fighters", "S-400 anti-aircraft batteries" (the longest words first).
_KIND_AFTER = re.compile(
    r"(?:[\s-]+[\w-]+){0,3}?[\s-]+(" + "|".join(sorted(_KIND_OF, key=len, reverse=True)) + r")\b"
)
# The pattern can split a run of dashes and spaces between separators and dash-only words in exponentially many
# ways (a divider of 80 dashes after "S-400": 144 s), and a chain of hyphenated words in cubically many: it reads
# a window of _KIND_REACH characters after the name, each such run as one character, and at most _KIND_TRIES
# mentions of a name (a name repeated thousands of times, "S-400-S-400-...", is no story's).
_SEPARATOR_RUN = re.compile(r"[\s-]{2,}")
_KIND_REACH = 100
_KIND_TRIES = 25


def _kind_after(low: str, end: int) -> str | None:
    window = low[end : end + _KIND_REACH]
    if end + _KIND_REACH < len(low):  # no word cut at the window's edge ("gun|ships")
        window = window[: max(window.rfind(" "), window.rfind("-"), 0)]
    window = _SEPARATOR_RUN.sub(lambda run: "-" if run[0].strip("-") == "" else " ", window)
    found = _KIND_AFTER.match(window)
    return _KIND_OF[found[1]] if found is not None else None


def system_kinds(low: str, named: Sequence[Sequence[Place]]) -> dict[str, str]:
    """What the story calls each system ("Su-30 fighters", "K9 Thunder self-propelled howitzers"), so that
    "the howitzers" does not continue the fighter named last."""
    kinds: dict[str, str] = {}
    tries: dict[str, int] = {}
    for sentence in named:
        for place in sentence:
            if place.name in kinds or tries.get(place.name, 0) >= _KIND_TRIES:
                continue
            tries[place.name] = tries.get(place.name, 0) + 1
            if (kind := _kind_after(low, place.end)) is not None:
                kinds[place.name] = kind
    return kinds


_HEAD = (
    r"system|systems|batter(?:y|ies)|missiles?|helicopters?|tanks?|jets?|fighters?|aircraft|launchers?|"
    r"interceptors?|drones?|howitzers?|guns?|vehicles?|trainers?|bombers?|frigates?|corvettes?|"
    r"submarines?|destroyers?|warships?|radars?|rifles?"
)
_NOT_MODEL = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Block|Batch|"
    r"Tranche|Lot|Phase|Increment|Flight|Standard|Series|Version|Model|Vision|Since|Until|From|Around|About|"
    r"Some|Over|Nearly|Almost|Another|Only|With|Under|Before|After|During|Between|Fiscal|Budget)\b"
)
# A model code or an acronym before a weapon noun that the watchlist does not know: "the Chinese FK-3
# system", "T-72 tanks", "Russian Mi-17 helicopters", "its HAWK batteries"; a model code may stand two
# words before its noun ("FA-50 light combat aircraft", "T-72 main battle tanks"), an acronym one.
_UNWATCHED = re.compile(
    r"(?<![\w/-])(?:[A-Za-z]{1,5}-\d{1,3}[A-Za-z]{0,2}(?:\s+[\w-]+)?|[A-Z]{3,}|(?!"
    + _NOT_MODEL
    + r")[A-Z][a-z]{2,11}\s\d{1,4})"
    r"(?:\s+[\w-]+)?\s+(?:" + _HEAD + r")\b"
)  # "BAE Systems" is a company; "Mirage 2000 jets" a model name and number, not "June 2023 jets"


_WEAPON_HEAD = re.compile(r"\s(?:" + _HEAD + r")\b")


def _unknown(found: re.Match[str], mentions: Sequence[Mention]) -> bool:
    """A weapon noun phrase that no watched alias covers or just precedes ("PAC-3 MSE interceptors")."""
    reach = {"system": 12, "country": 0}
    return not any(m.start < found.end() and found.start() < m.end + reach[m.kind] for m in mentions)


def unwatched_weapons(text: str, span: tuple[int, int], mentions: Sequence[Mention]) -> list[Place]:
    """Weapon noun phrases of a sentence that name a system the watchlist does not watch (unnamed
    places): "the Chinese FK-3 system", "T-72 tanks", "F/A-18 Hornets". Weapon nouns are rarer than
    words, so the search starts from them."""
    start, end = span
    found_all = [
        found
        for head in _WEAPON_HEAD.finditer(text, start, end)
        if (found := _UNWATCHED.search(text, max(start, head.start() - 24), head.end())) is not None
        and found.end() == head.end()
    ]
    if _MODEL_CODE.search(text, start, end) is not None:  # both need one, and most sentences have none
        found_all += _NICKNAMED.finditer(text, start, end)
        found_all += _APPOSED.finditer(text, start, end)
    return [make_place("", f.start(), f.end()) for f in sorted(found_all, key=_at) if _unknown(f, mentions)]


# A model code and its type name: "F/A-18 Hornets", "F-5 Tigers", "Su-27 Flankers" (mixed case only).
# Or a model code as the subject of a weapon noun: "The T-90M is the most modern tank" (not "COVID-19 was").
_NICKNAMED = re.compile(
    r"(?<![\w/-])(?:[A-Z]{1,2}/)?[A-Z][A-Za-z]{0,4}-\d{1,3}[A-Z]{0,2}(?:\s+[A-Z][a-z]{2,}s\b|\s+(?:is|was)\s+"
    r"(?:the|a|an|its)\s+(?:[\w-]+\s+){0,3}?(?:" + _HEAD + r")\b)"
)


# A weapon noun and the model code set beside it: "an air defence system, the FK-3," (mixed case only)
_APPOSED = re.compile(r"\b(?:" + _HEAD + r"),\s+(?:the\s+)?[A-Z][A-Za-z]{0,4}-\d{1,4}[A-Z]{0,2}\b")


# What _NICKNAMED and _APPOSED both hold ("F-16", "T-90M"): a search that starts from a literal dash is
# cheap, theirs try a look-behind or a word boundary at every character.
_MODEL_CODE = re.compile(r"-\d")


def _at(found: re.Match[str]) -> int:
    return found.start()
