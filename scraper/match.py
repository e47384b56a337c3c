"""Story + watchlist -> hits: which (system, country) pairs a story connects, in what role and stage.

How a hit is decided (pure: no I/O, environment or clock):

1. The title and the text are normalised and split into sentences (``scraper.sentences``); a wire
   dateline's place name is not a mention.
2. The watchlist's compiled alias index finds every system and country mention in one pass. An alias
   marked ambiguous (turkey, Georgia, Leopard, Patriot, K2 ...) counts only in a defence context: a
   defence word or an unambiguous system in its sentence, or such context across the story; in mixed-case
   text an ambiguous alias written all in lower case ("roast turkey") never counts.
3. One lexicon pass (``scraper.lexicon``) finds stage cues and scope triggers. Each cue is asserted,
   modal (future, intention, condition: counts as ``talks``) or negated (negation, denial, doubt:
   dropped), NegEx/ConText style (``scraper.scopes``): triggers before and after it with bounded
   scopes, pseudo-triggers and terminators. Lexicons ship in code; ``watchlist.stages`` adds phrases.
4. A pair is connected when the system and the country share a sentence. A sentence without a named
   system continues the last one named ("the system", "the jets", "it"); one with a generic phrase
   ("air defence systems") and a cue takes the system named next door. A sentence with a system but no
   country continues the countries last connected to it.
5. Roles come from the words around each country (``scraper.roles``); the story's role is the most
   explicit one. The stage is ``cancellation`` if asserted, else the most advanced asserted stage, else
   ``mention``; the evidence is the sentence that carried it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from scraper.aliases import AliasIndex, Mention, build_index, normalize
from scraper.lexicon import (
    ANAPHOR_RE,
    DEFENCE_RE,
    GENERIC_RE,
    PREMODIFIER,
    SENSE_RE,
    TRANSFER,
    compile_lexicon,
)
from scraper.model import STAGE_ORDER, Hit, Story, Watchlist
from scraper.roles import EXPLICIT, WEAK, Place, Role, sentence_roles
from scraper.scopes import Event, judge
from scraper.sentences import dateline_end, is_lowercase_style, split_sentences

_STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGE_ORDER)}
_ROLE_RANK = {"operator": 2, "supplier": 1, "other": 0}
_STAGES = frozenset(("talks", "deal", "delivery", "deployment", "cancellation"))
_CONTINUE = 2  # sentences over which coreference and country continuation reach
_FAR = 8  # how far "the system" reaches back when the story has named only one system


@dataclass(slots=True)
class _Pair:
    roles: list[tuple[Role, int]] = field(default_factory=list)  # (role, sentence)
    stages: list[tuple[str, int, str]] = field(default_factory=list)  # (stage, sentence, role there)


def find_hits(story: Story, watchlist: Watchlist) -> tuple[Hit, ...]:
    """One hit per (system, country) the story connects, with its role, stage and evidence."""
    index: AliasIndex = watchlist.index or build_index(watchlist.systems, watchlist.countries)
    title = normalize(story.title).strip()
    body = normalize(story.text).strip()
    text = f"{title}\n\n{body}" if title else body
    body_start = len(title) + 2 if title else 0
    title_first = bool(title)
    skip_until = body_start + dateline_end(body)
    mentions = [m for m in index.find(text) if not (body_start <= m.start < skip_until)]
    if not any(m.kind == "system" for m in mentions) or not any(m.kind == "country" for m in mentions):
        return ()  # the common case in a feed, and the fast one
    lowercase = is_lowercase_style(body or title)
    spans = ([(0, len(title))] if title else []) + split_sentences(body, body_start, lowercase)
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer ("İ"): keep offsets aligned
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    starts = [start for start, _ in spans]
    per_sentence: list[list[Mention]] = [[] for _ in spans]
    for mention in mentions:
        per_sentence[bisect.bisect_right(starts, mention.start) - 1].append(mention)
    sentence_events, wanted = _scan(low, spans, per_sentence, watchlist.stages)

    story_context = _story_has_context(low, mentions)
    vetoed = _everyday_senses(low, spans, per_sentence)
    origins = _origins(watchlist)
    named: list[list[Place]] = []
    countries_by_sentence: list[list[Place]] = []
    for number, span in enumerate(spans):
        here = per_sentence[number]
        kept = [
            m
            for m in here
            if _counts(m, low, span, here, lowercase, story_context)
            and not (m.ambiguous and m.surface.lower() in vetoed)
        ]
        named.append([Place(m.name, m.start, m.end) for m in kept if m.kind == "system"])
        countries_by_sentence.append([Place(m.name, m.start, m.end) for m in kept if m.kind == "country"])

    unwatched: dict[int, list[Place]] = {}  # filled when first needed: most sentences never ask

    def unwatched_in(number: int) -> list[Place]:
        if number not in unwatched:
            start, end = spans[number]
            unwatched[number] = [
                Place("", found.start(), found.end())
                for head in _WEAPON_HEAD.finditer(text, start, end)  # weapon nouns are rarer than words
                if (found := _UNWATCHED.search(text, max(start, head.start() - 24), head.end())) is not None
                and found.end() == head.end()
                and _unknown(found, per_sentence[number])
            ]
        return unwatched[number]

    kinds = _kinds(low, named)
    pairs: dict[tuple[str, str], _Pair] = {}
    last_system: tuple[str, int] | None = None
    last_country: str | None = None
    last_roles: dict[str, tuple[int, dict[str, Role]]] = {}
    for number, span in enumerate(spans):
        events = sentence_events[number]
        cues = [e for e in events if e.kind in _STAGES]
        systems = named[number]
        pronoun_only = False
        if (
            not systems and wanted[number] and not unwatched_in(number)
        ):  # "its HAWK batteries": another system
            systems, pronoun_only = _continued_system(low, span, cues, named, number, last_system, kinds)
        countries = countries_by_sentence[number]
        # "The kingdom signed ...": the system's last operator, else the last country named
        target = _last_operator(last_roles, systems) or last_country
        if systems and target and target not in {c.name for c in countries}:
            anaphor = _COUNTRY_ANAPHOR.search(low, span[0], span[1])
            if anaphor is None and named[number]:  # "It has also signed for KAAN fighters from Turkey"
                pronoun = _PRONOUN_SUBJECT.match(low, span[0], span[1])
                anaphor = None if pronoun is None else (pronoun.start(1), pronoun.end(1), pronoun[1])
            if anaphor is not None and (countries or named[number]):  # "The country has also ordered K2 ..."
                countries = sorted([*countries, Place(target, anaphor[0], anaphor[1])], key=_start)
        if systems:
            clauses = _clauses(span, events)
            judged = [(cue, judge(cue, low, span, events)) for cue in cues]
            places = [
                Place(cue.kind, cue.start, cue.end) for cue in cues if not _other_object(low, cue, systems)
            ]
            for system in {place.name: place for place in systems}.values():
                origin = origins.get(system.name, frozenset())
                mine = [c for c in countries if _belongs(low, c, system, systems)]
                if mine:
                    previous = last_roles.get(system.name, (0, {}))[1]
                    users: frozenset[str] = frozenset()
                    if system.name not in {n.name for n in named[number]} or _OWN_START.match(
                        low, span[0], span[1]
                    ):
                        # "Some of its interceptors were sent to Israel": "its" is the last operator
                        users = frozenset(n for n, r in previous.items() if r.role == "operator")
                    roles = sentence_roles(low, span, system, mine, places, origin, users)
                    if pronoun_only:  # "it" continues a system but may not bring in a new country
                        roles = {name: previous[name] for name in roles if name in previous}
                    recent = number - last_roles.get(system.name, (-_FAR - 1, {}))[0] <= _FAR
                    bystanders = system.name not in {n.name for n in named[number]}
                    if (
                        roles
                        and recent
                        and all(
                            r.role == "supplier" or (bystanders and r.role == "other") for r in roles.values()
                        )
                    ):
                        # "The system was handed over by Moscow and is on combat duty", "the squadrons
                        # are deployed along the border with Pakistan": the user goes on
                        for name, role in previous.items():
                            if role.role == "operator" and name not in roles:
                                roles[name] = Role("operator", WEAK)
                elif (carried := last_roles.get(system.name)) and number - carried[0] <= _FAR:
                    roles = carried[1]
                elif last_country and _COUNTRY_ANAPHOR.search(low, span[0], span[1]):
                    roles = {last_country: Role("operator", WEAK)}  # "the kingdom relies on the Patriot"
                else:
                    continue
                if mine and roles:
                    last_roles[system.name] = (number, roles)
                for country, role in roles.items():
                    pair = pairs.setdefault((system.name, country), _Pair())
                    pair.roles.append((role, number))
                    where = [c for c in mine if c.name == country]
                    for cue, status in judged:
                        stage = _stage_of(low, cue, status, system, systems, clauses)
                        if (
                            stage
                            and unwatched_in(number)
                            and _of_unwatched(cue, systems, unwatched[number], clauses)
                        ):
                            continue  # "after cancelling a deal for Russian Mi-17 helicopters"
                        if stage == "cancellation" and _REVERSAL.search(low, cue.end, span[1]):
                            continue  # "blocked the sale before dropping its objection", "later completed"
                        if (
                            stage == "cancellation"
                            and named[number]
                            and _cancels_other(low, cue, systems, clauses)
                        ):
                            continue  # "removed from the programme after it took delivery of the S-400"
                        if stage and _other_object(low, cue, systems):
                            continue
                        if stage and _cue_reaches(low, cue, where, mine, clauses, origin):
                            if (
                                stage == "delivery"
                                and low.startswith("sen", cue.start)
                                and _TROOPS.search(low, span[0], span[1])
                            ):
                                stage = "deployment"  # sending a battery with its own soldiers
                            tag = _tag(low, cue, where, mine, role.role, clauses)
                            pair.stages.append((stage, number, tag))
        if named[number]:
            last_system = (named[number][0].name, number)
        if countries_by_sentence[number]:
            last_country = countries_by_sentence[number][0].name
    return tuple(_hit(story.id, key, pair, text, spans, title_first) for key, pair in sorted(pairs.items()))


def _last_operator(
    last_roles: dict[str, tuple[int, dict[str, Role]]], systems: Sequence[Place]
) -> str | None:
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


_MAY_REFER = re.compile(
    "|".join(
        f"(?:{p.pattern})"
        for p in (
            ANAPHOR_RE,
            GENERIC_RE,
            re.compile(r"\bthe (?:kingdom|country|island)\b|\ba country (?=that|which)"),
        )
    )
)


class _Finder:
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


_REFERS = _Finder(_MAY_REFER)
_ANAPHOR = _Finder(ANAPHOR_RE)
_GENERIC = _Finder(GENERIC_RE)
_TROOPS = _Finder(re.compile(r"\b(?:troops|soldiers|personnel|service members)\b"))
_COUNTRY_ANAPHOR = _Finder(
    re.compile(
        r"\bthe (?:kingdom|country|island|emirate|republic|nation|government)\b|\ba country (?=that|which)"
    )
)


_HEAD = (
    r"system|systems|batter(?:y|ies)|missiles?|helicopters?|tanks?|jets?|fighters?|aircraft|launchers?|"
    r"interceptors?|drones?|howitzers?|guns?|vehicles?"
)
# A model code or an acronym before a weapon noun that the watchlist does not know: "the Chinese FK-3
# system", "T-72 tanks", "Russian Mi-17 helicopters", "its HAWK batteries".
_UNWATCHED = re.compile(
    r"(?<![\w/-])(?:[A-Za-z]{1,5}-\d{1,3}[A-Za-z]{0,2}|[A-Z]{3,})(?:\s+[\w-]+)?\s+(?:" + _HEAD + r")\b"
)  # "BAE Systems" is a company


_WEAPON_HEAD = re.compile(r"\s(?:" + _HEAD + r")\b")


def _unknown(found: re.Match[str], mentions: Sequence[Mention]) -> bool:
    """A weapon noun phrase that no watched alias covers or just precedes ("PAC-3 MSE interceptors")."""
    reach = {"system": 12, "country": 0}
    return not any(m.start < found.end() and found.start() < m.end + reach[m.kind] for m in mentions)


def _of_unwatched(
    cue: Event, systems: Sequence[Place], unwatched: Sequence[Place], clauses: Sequence[tuple[int, int]]
) -> bool:
    """Whether the weapon nearest the cue in its clause is one the watchlist does not watch."""
    start, end = _clause_of(cue.start, clauses)
    candidates = [p for p in [*systems, *unwatched] if start <= p.start < end] or [*systems, *unwatched]

    def distance(place: Place) -> int:
        return max(place.start - cue.end, cue.start - place.end, 0)

    return not min(candidates, key=distance).name


_REVERSAL = re.compile(
    r"\b(?:(?:lift|drop|withdr[ae]w|abandon)\w*\s+(?:its|their|the|his|her)\s+(?:\w+\s+)?(?:objections?|veto|"
    r"opposition|block|ban|embargo|freeze|suspension|hold|reservations?)|resum(?:e|ed|es|ing)|revived|reinstated|"
    r"unfroze|unfrozen|unblocked|back on track|(?:finally|eventually|later|ultimately)\s+(?:complet|deliver|"
    r"sign|went ahead|approv)\w*)"
)
_SUBORDINATE = re.compile(r"\b(?:after|before|because|since|when)\s*$")


def _cancels_other(
    low: str, cue: Event, systems: Sequence[Place], clauses: Sequence[tuple[int, int]]
) -> bool:
    """ "Turkey was removed from the programme after it took delivery of the S-400": a cancellation in a
    clause that names no system does not reach the system of the clause that follows "after"."""
    start, end = _clause_of(cue.start, clauses)
    if any(start <= s.start < end for s in systems) or not _SUBORDINATE.search(
        low, max(start, end - 10), end
    ):
        return False
    return all(s.start >= end for s in systems)


_PRONOUN_SUBJECT = re.compile(r"\s*(it|they)\s+(?:has|have|had|is|are|was|were|also|already|recently)\b")


def _clauses(span: tuple[int, int], events: Sequence[Event]) -> list[tuple[int, int]]:
    """The sentence cut at its terminators ("but", "however", "which", ";")."""
    cuts = [span[0]] + [e.end for e in events if e.kind == "term"] + [span[1]]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _clause_of(position: int, clauses: Sequence[tuple[int, int]]) -> tuple[int, int]:
    for start, end in clauses:
        if start <= position < end:
            return start, end
    return clauses[-1]


def _start(place: Place) -> int:
    return place.start


_LIST_GAP = re.compile(r"^(?:\s+[\w-]+){0,2}\s*(?:,|and|or|as well as|&)\s+(?:[\w$.,-]+\s+){0,2}$")


def _belongs(low: str, country: Place, system: Place, systems: Sequence[Place]) -> bool:
    """Whether a country speaks of this system when the sentence names several.

    "the Franco-Italian SAMP/T" in a sentence about Patriot belongs to SAMP/T only; in "K2 tanks and K9
    howitzers from South Korea, and Apache helicopters from the United States" each supplier belongs to
    the nearest list of systems, while a subject named before every system ("Poland ordered ...") speaks
    of them all; other countries (subjects, objects) speak of every system in the sentence."""
    names = {s.name for s in systems}
    if len(names) == 1:
        return True
    for other in systems:
        near = other.name != system.name and 0 <= other.start - country.end <= 30
        if near and PREMODIFIER.match(low[country.end : other.start]):
            return False
    ordered = sorted(systems, key=_start)
    if country.start < ordered[0].start:
        return True
    groups: list[list[Place]] = [[ordered[0]]]
    for place in ordered[1:]:
        if _LIST_GAP.match(low[groups[-1][-1].end : place.start]):
            groups[-1].append(place)
        else:
            groups.append([place])
    before = [g for g in groups if g[-1].end <= country.start]
    if not before or not _AFTER_NOUN.search(low, max(0, country.start - 12), country.start):
        return True  # a subject or an object: it speaks of every system in the sentence
    return any(p.name == system.name for p in before[-1])  # "howitzers from South Korea"


_AFTER_NOUN = re.compile(r"\b(?:from|by|to|for|of|with)\s+(?:the\s+)?$")


def _other_object(low: str, cue: Event, systems: Sequence[Place]) -> bool:
    """ "sending much of its Soviet-era arsenal to Ukraine": the transfer is of something else."""
    text = low[cue.start : cue.end]
    if text.startswith("mov") and text.endswith(" to"):  # "moved tactical nuclear weapons to Belarus"
        carried = text[text.index(" ") + 1 : -3]
        return not any(cue.start <= s.start < cue.end for s in systems) and not ANAPHOR_RE.fullmatch(carried)
    if not TRANSFER.search(text) or _ACQUIRE_WORD.match(text):
        return False
    recipient = _RECIPIENT.match(low, cue.end)
    if recipient is None or len(recipient.group(1).split()) < 2 or _WEAPON_NOUN.search(recipient.group(1)):
        return False  # "handed several of its own batteries to Ukraine" is the system
    return not any(cue.end <= s.start < recipient.end() for s in systems)


_OWN_START = re.compile(
    r"\s*(?:(?:some|several|many|most|all|one|two|three|four|five|\d+)\s+of\s+)?(?:its|their)\s"
)
_WEAPON_NOUN = re.compile(
    r"\b(?:its|their|the|these|those|several|some|\d+|two|three|four|five|six)\s+(?:own\s+)?"
    r"(?:batter(?:y|ies)|launchers?|interceptors?|jets|fighters|tanks|howitzers|systems?)\b"
)
_RECIPIENT = re.compile(r"((?:\s+[\w'.-]+){1,6}?)\s+to\s+(?:the\s+)?[a-z]")


def _listed_with(low: str, anchor: Place, systems: Sequence[Place]) -> set[str]:
    """The systems named in one list with ``anchor``: "K2 tanks and K9 howitzers arrived"."""
    ordered = sorted(systems, key=_start)
    groups: list[list[Place]] = [[ordered[0]]]
    for place in ordered[1:]:
        if _LIST_GAP.match(low[groups[-1][-1].end : place.start]):
            groups[-1].append(place)
        else:
            groups.append([place])
    return next({p.name for p in g} for g in groups if anchor in g)


def _stage_of(
    low: str,
    cue: Event,
    status: str,
    system: Place,
    systems: Sequence[Place],
    clauses: Sequence[tuple[int, int]],
) -> str:
    """The stage a judged cue gives this system: systems in the cue's clause, else the nearest one."""
    if status in ("negated", "hypothetical") or (status == "modal" and cue.kind == "cancellation"):
        return ""
    if len({s.name for s in systems}) > 1:
        start, end = _clause_of(cue.start, clauses)
        inside = [s for s in systems if start <= s.start < end] or list(systems)
        nearest = min(inside, key=lambda s: min(abs(s.start - cue.end), abs(cue.start - s.end)))
        if system.name not in _listed_with(low, nearest, inside):
            return ""  # "shelved the F-35 and will spend the money on Typhoons": the F-35 only
    return "talks" if status == "modal" else cue.kind


def _cue_reaches(
    low: str,
    cue: Event,
    where: Sequence[Place],
    mine: Sequence[Place],
    clauses: Sequence[tuple[int, int]],
    makers: frozenset[str],
) -> bool:
    """A cue speaks of the countries in its clause; with none there, of the nearest one."""
    if not where:
        return True  # a country carried over from an earlier sentence
    start, end = _clause_of(cue.start, clauses)
    if _ACQUIRE_WORD.match(low, cue.start):  # who receives: the subject, or "arrived in Poland"
        for c in where:
            if start <= c.start < cue.start or (
                c.start < cue.end + 60
                and re.search(r"\b(?:in|at|to|near)\s+(?:the\s+)?$", low[cue.end : c.start])
            ):
                return True
        if any(start <= c.start < cue.start for c in mine):
            return False
    inside = [c for c in mine if start <= c.start < end]
    if inside and cue.kind in ("deal", "delivery") and all(c.name in makers for c in inside):
        return True  # "..., after Washington approved the sale", "deliveries of tanks built in Korea"
    if inside:
        return any(start <= c.start < end for c in where)
    nearest = min(mine, key=lambda c: (c.start > cue.start, abs(c.start - cue.start)))
    return nearest.name == where[0].name


def _tag(
    low: str,
    cue: Event,
    where: Sequence[Place],
    mine: Sequence[Place],
    role: str,
    clauses: Sequence[tuple[int, int]],
) -> str:
    """The role a cue speaks of: "Germany delivered IRIS-T to Ukraine" is Ukraine's delivery and
    Germany's sale, so the giver's operator stage does not take it."""
    text = low[cue.start : cue.end]
    if role == "operator" and text.startswith(("give", "gave", "giv")) and text.endswith(" away"):
        return "supplier"  # "to replace those given away": the giver's stage, not its operator stage
    if role != "operator" or not where or not TRANSFER.search(text) or _ACQUIRE_WORD.match(text):
        return role
    after = low[cue.end : cue.end + 60]
    recipient = [
        c
        for c in mine
        if cue.end < c.start <= cue.end + 60 and re.search(r"\bto (?:the )?$", low[cue.end : c.start][-12:])
    ]
    if recipient:  # "sold the system to Slovenia, Estonia and Latvia": every one of the list receives
        ordered = sorted(mine, key=_start)
        for country in ordered[ordered.index(recipient[0]) + 1 :]:
            if not _COUNTRY_LIST.match(low[recipient[-1].end : country.start]):
                break
            recipient.append(country)
    if recipient and all(c.name != where[0].name for c in recipient) and after:
        return "supplier"
    return role


_COUNTRY_LIST = re.compile(
    r"\s*(?:,\s*|and\s+|or\s+)(?:the\s+)?$"
)  # ", and Switzerland picked it": a new clause
_ACQUIRE_WORD = re.compile(r"t(?:ook|ake|akes|aking|aken) delivery|receiv|arriv|landed|reached|gets\b|got\b")


def _scan(
    low: str,
    spans: Sequence[tuple[int, int]],
    per_sentence: Sequence[Sequence[Mention]],
    stages: Sequence[tuple[str, tuple[str, ...]]],
) -> tuple[list[list[Event]], list[bool]]:
    """Cues of the sentences that can matter: those naming a system, or referring back to one.

    Also says which sentences those are: one that neither names a system nor may refer to one ("the
    system", "it", "air defence systems", "the kingdom") needs no coreference look-up later."""
    lexicon = compile_lexicon(tuple(stages))
    count = len(spans)
    systems = [any(m.kind == "system" for m in mentions) for mentions in per_sentence]
    first = next((n for n in range(count) if systems[n]), count)
    wanted = [
        systems[n] or (n + 1 >= first and _REFERS.search(low, start, end) is not None)
        for n, (start, end) in enumerate(spans)
    ]
    events: list[list[Event]] = []
    for number, (start, end) in enumerate(spans):
        found = lexicon.scan(low, start, end) if wanted[number] else []
        events.append([Event(kind, s, e) for kind, s, e in found])
    return events, wanted


_ORIGINS: dict[int, tuple[tuple[object, ...], dict[str, frozenset[str]]]] = {}


def _origins(watchlist: Watchlist) -> dict[str, frozenset[str]]:
    """Each system's maker countries, derived once per watchlist (the entry keeps its systems alive,
    so an id is never reused while it is cached)."""
    cached = _ORIGINS.get(id(watchlist.systems))
    if cached is not None and cached[0] is watchlist.systems:
        return cached[1]
    origins = {entity.name: frozenset(entity.origin) for entity in watchlist.systems}
    if len(_ORIGINS) >= 64:
        _ORIGINS.clear()
    _ORIGINS[id(watchlist.systems)] = (watchlist.systems, origins)
    return origins


def _story_has_context(low: str, mentions: Sequence[Mention]) -> bool:
    """A story about defence: an unambiguous system named, or a defence word somewhere."""
    if any(m.kind == "system" and not m.ambiguous for m in mentions):
        return True
    return DEFENCE_RE.search(low) is not None


def _everyday_senses(
    low: str, spans: Sequence[tuple[int, int]], per_sentence: Sequence[Sequence[Mention]]
) -> set[str]:
    """Ambiguous aliases that the story uses in an everyday sense somewhere ("Typhoon Gaemi made
    landfall", "the Space Shuttle Challenger"): they are not the weapon anywhere in that story."""
    vetoed: set[str] = set()
    for number, mentions in enumerate(per_sentence):
        start, end = spans[number]
        for m in mentions:  # the everyday word must be close: one clause, not the other end of a sentence
            if m.ambiguous and SENSE_RE.search(
                low, max(start, m.start - _SENSE_REACH), min(end, m.end + _SENSE_REACH)
            ):
                vetoed.add(m.surface.lower())
    return vetoed


_SENSE_REACH = 80


def _counts(
    mention: Mention,
    low: str,
    span: tuple[int, int],
    sentence: Sequence[Mention],
    lowercase: bool,
    story_context: bool,
) -> bool:
    """An ambiguous alias counts only in a defence context (SPEC: false friends)."""
    if not mention.ambiguous:
        return True
    if not lowercase and mention.surface.islower():
        return False  # "roast turkey", "a snow leopard", "a true patriot"
    if mention.kind == "country" and any(m.kind == "system" and not m.ambiguous for m in sentence):
        return True
    if DEFENCE_RE.search(low, span[0], span[1]):
        return True
    if mention.kind == "system":
        return story_context and (lowercase or not mention.surface.islower())
    return story_context and any(m.kind == "system" and m is not mention for m in sentence)


def _continued_system(
    low: str,
    span: tuple[int, int],
    cues: Sequence[Event],
    named: Sequence[Sequence[Place]],
    number: int,
    last_system: tuple[str, int] | None,
    kinds: dict[str, str],
) -> tuple[list[Place], bool]:
    """Light coreference: "the system", "the jets", "it" continue the last named system.

    A pronoun reaches two sentences back; a noun phrase reaches further while the story has named only
    one system so far (then "the system" can mean nothing else)."""
    recent = last_system is not None and number - last_system[1] <= _CONTINUE
    if last_system is not None:
        anaphor = _ANAPHOR.search(low, span[0], span[1])
        if anaphor is not None:
            pronoun = anaphor[2] in ("it", "they", "them")
            kind = _KIND_OF.get(anaphor[2].rsplit(" ", 1)[-1], "")
            if kind and kinds.get(last_system[0], kind) != kind:  # "the howitzers" after "Su-30 fighters"
                same = [
                    (n, p.name)
                    for n in range(max(0, number - _FAR), number)
                    for p in named[n]
                    if kinds.get(p.name) == kind
                ]
                if not same:
                    return [], False
                last_system = (same[-1][1], same[-1][0])
                recent = number - last_system[1] <= _CONTINUE
            only = len({p.name for sentence in named[:number] for p in sentence}) == 1
            if recent or (only and not pronoun and number - last_system[1] <= _FAR):
                return [Place(last_system[0], anaphor[0], anaphor[1])], pronoun
    if cues:
        generic = _GENERIC.search(low, span[0], span[1])
        if generic is not None:
            if recent and last_system is not None:
                return [Place(last_system[0], generic[0], generic[1])], False
            if number + 1 < len(named) and named[number + 1]:
                return [Place(named[number + 1][0].name, generic[0], generic[1])], False
    return [], False


_KIND_OF = {
    **dict.fromkeys(
        ("jet", "jets", "fighter", "fighters", "aircraft", "plane", "planes", "warplane", "warplanes"), "air"
    ),
    **dict.fromkeys(("helicopter", "helicopters"), "rotor"),
    **dict.fromkeys(("tank", "tanks", "vehicle", "vehicles"), "armour"),
    **dict.fromkeys(("howitzer", "howitzers", "gun", "guns"), "artillery"),
    **dict.fromkeys(("battery", "batteries", "interceptor", "interceptors"), "air defence"),
}
_KIND_AFTER = re.compile(
    r"(?:[\s-]+[\w-]+){0,3}?[\s-]+(" + "|".join(sorted(_KIND_OF, key=len, reverse=True)) + r")\b"
)


def _kinds(low: str, named: Sequence[Sequence[Place]]) -> dict[str, str]:
    """What the story calls each system ("Su-30 fighters", "K9 Thunder self-propelled howitzers"), so that
    "the howitzers" does not continue the fighter named last."""
    kinds: dict[str, str] = {}
    for sentence in named:
        for place in sentence:
            if place.name not in kinds and (found := _KIND_AFTER.match(low, place.end)) is not None:
                kinds[place.name] = _KIND_OF[found[1]]
    return kinds


def _hit(
    story_id: str, key: tuple[str, str], pair: _Pair, text: str, spans: Sequence[tuple[int, int]], title: bool
) -> Hit:
    system, country = key
    best = max(
        pair.roles, key=lambda item: (item[0].strength, item[1] > 0 or not title, _ROLE_RANK[item[0].role])
    )[0]
    role = best.role
    stages = [s for s in pair.stages if s[2] == role] or pair.stages
    if any(s[2] == role for s in pair.stages) and best.strength < EXPLICIT:
        stages = [s for s in pair.stages if s[2] == role]
    if role == "supplier":  # a supplier sells and delivers; using the system would make it an operator
        stages = [s for s in stages if s[0] != "deployment"]
    stage, sentence = "mention", pair.roles[0][1]
    cancelled = [s for s in stages if s[0] == "cancellation"]
    if cancelled:
        stage, sentence = "cancellation", cancelled[0][1]
    elif stages:
        top = max(stages, key=lambda s: (_STAGE_RANK[s[0]], -s[1]))
        stage, sentence = top[0], top[1]
    start, end = spans[sentence]
    evidence = " ".join(text[start:end].split())
    return Hit(story_id, system, country, role, stage, evidence)
