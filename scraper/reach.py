"""Which cue of a sentence speaks of which system and which country (``scraper.match`` step 5-6).

A sentence can name several systems and several countries and carry several stage cues. These
functions decide, from clauses (cut at terminators), lists, relative clauses and prepositions, which
system a cue gives a stage ("shelved the F-35 and will spend the money on Typhoons": the F-35 only),
which countries it reaches ("arrived in Poland", a cue of its own clause), whose role it is (a giver's
sale is not its operator stage), and which countries of a sentence speak of which system ("the
Franco-Italian SAMP/T" belongs to SAMP/T only). Pure functions over lower-cased text and offsets.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from scraper.lexicon import (
    ANAPHOR_RE,
    COMPASS,
    DEAL_NOUN,
    DELIVERIES_BEGAN,
    PREMODIFIER,
    STAGE_KINDS,
    TRANSFER,
)
from scraper.roles import (
    ACQUIRE_WORD,
    CLAUSE_VERB,
    COMMA_SUBJECT,
    OWN_VERB,
    Place,
    follows_suit,
    gapped_subject,
    is_demonym,
    possessive,
)
from scraper.scopes import Event, noun_cue
from scraper.vet_stages import typed_weapon_at

_STAGES = frozenset(STAGE_KINDS)


def _of_unwatched(
    low: str,
    cue: Event,
    systems: Sequence[Place],
    unwatched: Sequence[Place],
    clauses: Sequence[tuple[int, int]],
) -> bool:
    """Whether the weapon nearest the cue in its clause is one the watchlist does not watch."""
    start, end = _clause_of(cue.start, clauses)
    candidates = [p for p in [*systems, *unwatched] if start <= p.start < end] or [*systems, *unwatched]

    def distance(place: Place) -> int:
        return max(place.start - cue.end, cue.start - place.end, 0)

    nearest = min(candidates, key=distance)
    # "supplied Mirage 2000 jets and a SAMP/T battery": the system is listed with the other weapon
    return not nearest.name and not any(
        _LISTED_AFTER.fullmatch(low, nearest.end, s.start) for s in systems if start <= s.start < end
    )


# A word that makes a new predicate after "and" ("and bought", "and requested", "and is studying"), not a list
_VERBISH = (
    r"(?:\w+ed|\w+ing|bought|sold|sent|got|took|chose|won|made|paid|built|gave|buys|orders|signs|gets|receives|wants|"
    r"seeks|sought|plans|asks|expects|hopes|needs|requests|studies|considers|eyes|turns|opts|switches|looks|is|are|"
    r"was|were|has|have|had|will|would|could|may|might|then|instead)\b"
)
_LISTED_AFTER = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)(?!(?:[\w$.,-]+\s+){0,2}"
    + _VERBISH
    + r")(?:[\w$.,-]+\s+){0,3}"
)


_REVERSAL = re.compile(
    r"\b(?:(?:lift|drop|withdr[ae]w|abandon)\w*\s+(?:its|their|the|his|her)\s+(?:\w+\s+)?(?:objections?|veto|"
    r"opposition|block|ban|embargo|freeze|suspension|hold|reservations?)|resum(?:e|ed|es|ing)|revived|reinstated|"
    r"unfroze|unfrozen|unblocked|back on track|(?:finally|eventually|later|ultimately)\s+(?:complet|deliver|"
    r"sign|went ahead|approv)\w*)"
)


_CAUSE_AFTER = re.compile(
    r"\s+(?:(?:was|came)\s+(?:as\s+)?(?:a\s+)?(?:response|reaction|retaliation|punishment)\s+(?:to|for)|followed|"
    r"came\s+after|was\s+triggered\s+by|stemmed\s+from|resulted\s+from)\b"
)
_SUBORDINATE = re.compile(r"\b(?:after|before|because|since|when)\s*$")
_CONTEST = re.compile(r"\b(?:competition|tender|contest|bidding|bids?|race|search)\b")
_THEN = re.compile(r"\s+(?:later|then|subsequently|eventually|afterwards|instead)\b")


def _cancels_other(
    low: str, cue: Event, systems: Sequence[Place], clauses: Sequence[tuple[int, int]]
) -> bool:
    """ "Turkey was removed from the programme after it took delivery of the S-400": a cancellation in a
    clause that names no system does not reach the system of the clause that follows "after" (or "and
    later", "and then")."""
    if _CAUSE_AFTER.match(low, cue.end) and all(s.start >= cue.end for s in systems):
        return True  # "The expulsion followed Turkey's delivery of Russian S-400 systems": its cause
    start, end = _clause_of(cue.start, clauses)
    if any(start <= s.start < end for s in systems) or not (
        _SUBORDINATE.search(low, max(start, end - 10), end)
        # "scrapped the competition in 2015, ..., and later turned to Russia for the S-400": what came next (a
        # contest only: "cancelled the deal, and instead the Su-35s went to Iran" cancels the Su-35s)
        or (low.endswith("and", start, end) and _THEN.match(low, end) and _CONTEST.search(low, start, end))
    ):
        return False
    return all(s.start >= end for s in systems)


_ATTACKER_AFTER = re.compile(
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+)?(?:fired|launched|attacked|struck|invaded|shelled|bombed|attacks|fires|launches)\b"
)
_FRONTED_CLAUSE = re.compile(
    r"\W*(?:(?:in|on|by|during|late|early)\s+[\w ]{1,25}?,\s+)?(?:after|when|since|because|although|though|while|"
    r"once|before|until)\s+[^,;]{3,140}?,\s"
)


def clauses_of(
    low: str,
    span: tuple[int, int],
    events: Sequence[Event],
    countries: Sequence[Place] = (),
    bystander: bool = False,
    systems: Sequence[Place] = (),
) -> list[tuple[int, int]]:
    """The sentence cut at its terminators ("but", "however", "which", ";"); a relative clause after a
    comma also ends at the comma where its head's verb resumes ("Algeria, which received them from
    Russia, now flies them"). ``countries``: those the sentence names ("..., and Estonia received" opens a
    clause with a subject of its own); ``systems``: those it names ("Turkey operates the S-400, Greece has the
    S-300": a system on each side of a country's comma clause). ``bystander``: the clauses that connect a
    bystander (match.find_hits): none cut around a relative clause, which still says something of its head, and
    one cut at ", and it ..."."""
    cuts = [span[0], span[1]] + [
        e.end for e in events if e.kind == "term" and not (bystander and low[e.start : e.end] in _RELATIVES)
    ]
    if not bystander:
        cuts.extend(_relative_ends(low, span, events))
    # ", and analysts suspected ...": a coordinated clause with a subject of its own (not ", and flies
    # Rafale fighters" or ", and deliveries began", whose cue follows at once)
    cuts.extend(
        e.end
        for e in events
        if e.kind == "clause"
        and low.startswith(", ", e.start - 2)
        and not any(
            c.kind in _STAGES
            and e.end < c.start <= e.end + 12
            and not _SUBJECT_WORD.search(low, e.end, c.start)
            # (", and Estonia received ...": a subject of its own, unless a giver, whose recipient may be named
            # before: "Ukraine asked for more Patriot systems, and Germany delivered the first battery")
            and not (
                not TRANSFER.match(low, c.start)
                and any(e.end < n.start and n.end <= c.start for n in countries)
            )
            for c in events
        )  # (", and in 2018 it signed a contract": a subject of its own after all)
        # "..., and its air force" (for a bystander, "..., and it has since hosted Germany's minister" is a clause
        # of its own too)
        and (bystander or not low.startswith(("it ", "its ", "they ", "their "), e.end + 1))
    )
    # "Sweden is offering the Gripen, the United States is promoting the F-16, and France ...": after a sentence that
    # opens with a country, its verb and a system, a clause after a comma whose subject is another country with its
    # own verb and system (not "During a visit by France's president, Serbia signed ...", nor "Poland signed for the
    # K2 tanks, Germany was left out, and the first batch arrived")
    if (
        systems
        and countries
        and low[span[0] : countries[0].start].strip() in ("", "the")
        and OWN_VERB.match(low, countries[0].end)
    ):
        for c in countries[1:]:
            comma = COMMA_SUBJECT.search(low, max(span[0], c.start - 6), c.start)
            if comma is None or not OWN_VERB.match(low, c.end):
                continue
            close = low.find(",", c.end, span[1])
            if any(s.end <= comma.start() for s in systems) and any(
                c.end < s.start < (span[1] if close < 0 else close) for s in systems
            ):
                cuts.append(comma.start() + 1)
    cuts.sort()
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _relative_ends(low: str, span: tuple[int, int], events: Sequence[Event]) -> list[int]:
    ends = []
    for term in events:
        if term.kind != "term" or not _RELATIVE_TERM.search(low, max(span[0], term.start - 8), term.end):
            continue
        close = low.find(", ", term.end, span[1])
        if close > 0 and (
            any(e.kind in _STAGES and close < e.start <= close + 14 for e in events)
            or _RESUMES.match(low, close + 2)
            is not None  # "..., which has operated S-400s since 2019, as ..."
        ):
            ends.append(close + 1)
    return ends


_SUBJECT_WORD = re.compile(r"\b(?:it|they|he|she|we)\b")
_RESUMES = re.compile(  # the head's own verb after the relative clause: ", which ... in 2019, is the tale"
    r"(?:as|while|whereas|although|though|because|so|but|yet|and\s+(?:is|was|has|had|will)|"
    r"(?:is|are|was|were|remains|remained|will|would|could|can|says|said)\s+(?!\w+ed\b))\b"
)


_RELATIVE_TERM = re.compile(  # ", which", ", with which", and "a NATO member with which"
    r"(?:,\s*|\b(?:with|in|of|for|to|from|by|under|through)\s+)(?:which|who|whom|whose)$"
)


def relative_clause(low: str, clause: tuple[int, int]) -> bool:
    """Whether a clause is a relative one closed by a comma: its countries are not the subject of what
    follows it."""
    return low.endswith(("which", "who", "whose", "whom"), 0, clause[0]) and low.startswith(
        ",", clause[1] - 1
    )


def _outside_relatives(
    low: str, clauses: Sequence[tuple[int, int]], start: int, places: Sequence[Place]
) -> list[Place]:
    """The places not inside a relative clause closed before ``start`` ("Algeria, which received them from
    Russia, now flies them": Russia is in the closed clause)."""
    closed = [c for c in clauses if c[1] <= start and relative_clause(low, c)]
    return [p for p in places if not any(a <= p.start < b for a, b in closed)]


def _clause_of(position: int, clauses: Sequence[tuple[int, int]]) -> tuple[int, int]:
    for start, end in clauses:
        if start <= position < end:
            return start, end
    return clauses[-1]


def start_of(place: Place) -> int:
    return place.start


_LIST_GAP = re.compile(  # not "dropped its Su-35 order and bought J-10C jets": a new verb
    r"^(?:(?:\s+[\w-]+(?![\w-])){0,2}|(?:\s+(?!(?:from|by|to|for|of|with|in|at|on|and|or|last|next|this|early|"
    r"late|week|month|year|day|today|yesterday|ago|now|since)\b)[a-z-]+(?![\w-])){3})"
    r"\s*(?:,|\band\b|\bor\b|as well as|&)\s+(?!(?:[\w$.,-]+\s+)?(?:bought|ordered|signed|received|"
    r"got|took|chose|selected|picked|eyes|eyed|wants|wanted|seeks|sought|plans|planned|purchased|acquired|buys|"
    r"orders|signs|gets|receives|turns|turned|opts|opted|switches|switched|looks|looked|is|are|was|were|has|"
    r"have|had|will|would|could|may|might|then|instead)\b)(?:[\w$.,-]+\s+){0,2}$"
)
# "..., and its Rafale jets are performing well": the later system is the subject of a clause of its own
_OWN_PREDICATE = re.compile(
    r"(?:'s|s')?(?:\s+[\w-]+){0,2}?\s+(?:is|are|was|were|has|have|had|will|would|could|arrived|arrive|arrives)\b"
)
# The objects of one verb may each carry a few words ("40 F-16 Block 70 fighters from the United States and 20
# Eurofighter Typhoons"): a cue before them all gives each its stage (not "belongs", whose suppliers are nearer)
_WIDE_LIST_GAP = re.compile(
    r"^(?:\s+(?!(?:is|are|was|were|has|have|had|will|would|which|that|who|but|to)\b)[\w.-]+(?![\w.-])){0,6}\s*"
    r"(?:,|\band\b|\bor\b|as well as|&)\s+(?!(?:[\w$.,-]+\s+)?" + _VERBISH + r")(?:[\w$.,-]+\s+){0,2}$"
)


def belongs(
    low: str,
    country: Place,
    system: Place,
    systems: Sequence[Place],
    cues: Sequence[Event] = (),
    countries: Sequence[Place] = (),
) -> bool:
    """Whether a country speaks of this system when the sentence names several.

    "the Franco-Italian SAMP/T" in a sentence about Patriot belongs to SAMP/T only; in "K2 tanks and K9
    howitzers from South Korea, and Apache helicopters from the United States" each supplier belongs to
    the nearest list of systems, while a subject named before every system ("Poland ordered ...") speaks
    of them all; other countries (subjects, objects) speak of every system in the sentence. A verb is no
    premodifier: in "Poland ordered K2 tanks and K9 howitzers" Poland is the subject of both (``cues``:
    the sentence's stage cues). A country listed after another ("in service with Poland, Norway and
    Finland") goes where the list's first country goes (``countries``: the sentence's)."""
    if _made_for_another(low, country, system, systems, countries):
        return False  # "American-built F-16s and Russian-built Su-27s", "U.S.-made F-14s and Russian MiG-29s"
    names = {s.name for s in systems}
    if len(names) == 1:
        return True
    if (
        0 <= system.start - country.end <= 30
        and PREMODIFIER.match(low[country.end : system.start])
        and not any(country.end <= cue.start < system.start for cue in cues)
    ):
        return True  # "took delivery of the Russian S-400": its own premodifier, not "howitzers from Korea"
    for other in systems:
        near = other.name != system.name and 0 <= other.start - country.end <= 30
        if (
            near
            and PREMODIFIER.match(low[country.end : other.start])
            and not any(country.end <= cue.start < other.start for cue in cues)
        ):
            # "Israel's Arrow 3 and David's Sling": a possessive owns the whole list ("the Franco-Italian
            # SAMP/T and the Patriot": an adjective only its noun)
            return possessive(low, country) and system.name in _listed_with(low, other, systems)
    if country.start < min(s.start for s in systems):
        return True
    head = country
    # not a new clause's subject ("..., and Poland signed", "and the Hellenic Air Force flies")
    if not (
        CLAUSE_VERB.match(low, country.end)
        or possessive(low, country)
        or _ACTOR_AFTER.match(low, country.end)
    ):
        for earlier in reversed([c for c in countries if c.end <= country.start]):
            if not _LISTED.fullmatch(low, earlier.end, head.start):
                break
            head = earlier
    before = [g for g in _lists(low, systems) if g[-1].end <= head.start]
    if not before or not _AFTER_NOUN.search(low, max(0, head.start - 12), head.start):
        return True  # a subject or an object: it speaks of every system in the sentence
    return any(p.name == system.name for p in before[-1])  # "howitzers from South Korea"


# a maker's adjective before a weapon the watchlist does not name ("Russian-built Su-27", "U.S.-made F-14"): it
# speaks of the weapons after it, up to the next country's
_MAKER_OF_OTHER = re.compile(
    r"-(?:made|built|designed|supplied|produced|manufactured)\s+(?:[\w-]+\s+){0,2}?[a-z]{1,4}-?\d"
)


def _made_for_another(
    low: str, country: Place, system: Place, systems: Sequence[Place], countries: Sequence[Place]
) -> bool:
    """A maker's adjective before a weapon the watchlist does not name speaks of the weapons after it, up to
    the next country's: not of a system named before it, nor of one after another country."""
    made = _MAKER_OF_OTHER.match(low, country.end)
    if made is None or any(country.end <= s.start < made.end() for s in systems):
        return False  # not "South Korean-built K2 tanks": a watched system's own maker
    return system.end <= country.start or any(
        made.end() <= c.start < system.start and c.name != country.name for c in countries
    )


_ACTOR_AFTER = re.compile(
    r"\s+(?:air\s+force|army|navy|military|armed\s+forces|government|ministry|defen[cs]e|officials|troops|forces)\b"
)
_LISTED = re.compile(r"(?:'s|\ss)?\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)(?:the\s+)?")
_AFTER_NOUN = re.compile(r"\b(?:from|by|to|for|of|with)\s+(?:the\s+)?$")


_WEAPON_KINDS = r"(?:aircraft|jets|fighters|warplanes|weapons|equipment|hardware|arms|platforms)"
_GENERIC_WEAPONS = re.compile(r"\s+(?:[\w.-]+\s+){0,2}?" + _WEAPON_KINDS + r"\b")
_OBJECT_ENDS = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|although)\b|\s(?:but|while|whereas|although)\s")


def _object_end(low: str, at: int) -> int:
    """Where a verb's object (a list of what it uses) ends: the next turn or clause."""
    end = _OBJECT_ENDS.search(low, at)
    return len(low) if end is None else end.start()


_GENERIC_USED = re.compile(
    r"\s+(?:(?:large|small)\s+numbers\s+of\s+|a\s+(?:mix|fleet|range)\s+of\s+|mostly\s+|mainly\s+)?"
    r"(?!(?:the|its|their|these|those|such|them)\b)(?:[\w.-]+\s+){0,2}?(?:" + _WEAPON_KINDS + r"|types)\b"
)
_BEFORE_GERUND = re.compile(r"\b(?:before|after|since|while|when)\s+$")
_TALKS_OBJECT = re.compile(
    r"\s+(?:the|its|their|those|these)\s+(?:[\w-]+\s+)?(?:talks|negotiations|discussions)\b"
)


def other_object(low: str, cue: Event, systems: Sequence[Place], countries: Sequence[Place] = ()) -> bool:
    """ "sending much of its Soviet-era arsenal to Ukraine": the transfer is of something else; "has
    relied on Moscow for most of its air power": the reliance is on a country, not on this system."""
    text = low[cue.start : cue.end]
    if text.startswith("rel") and text.endswith(" on"):
        if _GENERIC_WEAPONS.match(low, cue.end) is not None and not any(
            cue.end <= s.start < cue.end + 100 for s in systems
        ):
            # "an air force that has relied on American aircraft": not the Typhoons it ordered (but "relies on
            # ageing aircraft, among them MiG-29s" names the system after all)
            return True
        return any(
            _THE_GAP.fullmatch(low, cue.end, c.start) is not None
            and _COUNTRY_OBJECT_END.match(low, c.end) is not None
            for c in countries
        ) and not any(cue.end <= s.start <= cue.end + 50 for s in systems)  # "relied on Washington for F-16s"
    if (
        cue.kind == "deployment"
        and _USES.fullmatch(text)
        and (generic := _GENERIC_USED.match(low, cue.end)) is not None
        and not any(cue.end <= s.start < _object_end(low, generic.end()) for s in systems)
    ):
        # "India operates large numbers of Russian-designed aircraft, and U.S. officials worry about exposing the
        # F-35": what it operates is named, and it is not this system
        return True
    if text.startswith("mov") and text.endswith(" to"):  # "moved tactical nuclear weapons to Belarus"
        carried = text[text.index(" ") + 1 : -3]
        return (
            not any(cue.start <= s.start < cue.end for s in systems)
            and not ANAPHOR_RE.fullmatch(carried)
            and _OF_THEM.search(carried) is None  # "moved a regiment of them to the border"
        )
    if (
        cue.kind == "cancellation"
        and text.endswith("ing")
        and _BEFORE_GERUND.search(low, max(0, cue.start - 12), cue.start)
        and _TALKS_OBJECT.match(low, cue.end)
    ):
        # "Days before suspending the talks, the UAE ordered 80 Rafales": talks about something said before
        comma = low.find(",", cue.end)
        return comma > 0 and not any(cue.end <= s.start < comma for s in systems)
    if text.startswith("drop"):  # "drops Sukhoi deal, turns to Rafale": the dropped deal is named inside
        named = _DROPPED.match(text)
        return (
            named is not None
            and _GENERIC_DEAL.fullmatch(named.group(1)) is None
            and not any(  # "dropped the Russian deal for 24 Su-35 fighters" names its system after all
                cue.start <= s.start < cue.end or _DEAL_FOR.fullmatch(low, cue.end, s.start) for s in systems
            )
        )
    if (
        cue.kind == "deployment"
        and _FIRES.fullmatch(text)
        and (fired := typed_weapon_at(low, cue.end, typed=False))
    ):
        # "two days after Russia fired more than 80 cruise missiles at Ukrainian cities": those missiles (not
        # "six Kinzhal hypersonic missiles", "four ballistic missiles, among them ATACMS", nor the system that
        # fired them: "Ukrainian Patriot batteries fired two surface-to-air missiles")
        # "fired 18 missiles from the air, sea and land in a short window, among them six Kinzhal ... and three
        # Iskander missiles": a place or time phrase may come first, and the list runs to its clause's end
        named = _NAMED_AFTER_LIST.match(low, fired) or _PHRASE_THEN_LIST.match(low, fired)
        listed = 0
        if named is not None:
            close = _LIST_CLOSES.search(low, named.end(), named.end() + 160)
            listed = max(named.end() + 30, close.start()) if close is not None else named.end() + 30
            # not past a country that may open a clause of its own ("..., and Ukraine's Patriot batteries"; an
            # adjective is part of an item: "among them Iranian-made Shaheds")
            listed = min(
                [listed] + [c.start for c in countries if named.end() <= c.start and not is_demonym(low, c)]
            )
        return not any(
            cue.end <= s.start < fired
            or (named is not None and named.end() <= s.start < listed)
            or (fired <= s.start and _JOINED_AFTER.fullmatch(low, fired, s.start))  # "... and Shahed drones"
            or (
                0 <= cue.start - s.end <= 25
                and "," not in low[s.end : cue.start]
                and not any(s.end <= c.start < cue.start for c in countries)  # "after Russia fired"
            )
            for s in systems
        )
    if cue.kind == "deployment" and _USES.fullmatch(text.rpartition(" ")[2]):  # "still flies" too
        # "India operates Russian air defence systems that Washington regards as a risk for the F-35": a
        # weapon noun phrase of its own is what is operated, not a system named elsewhere in the sentence
        used = _OTHER_WEAPONS.match(low, cue.end)
        # only when a relative clause about the phrase follows: "modern American jets, the F-35 and the F-16",
        # "Iranian drones known as Shahed-136" name the system after all
        return (
            used is not None
            and not any(cue.end <= s.start < used.end() for s in systems)
            and (
                _ABOUT_IT.match(low, used.end()) is not None
                # or the phrase closes a relative clause: "Pakistan, which operates Chinese and Turkish armed
                # drones, criticised the purchase"
                or (
                    _RELATIVE_LEAD.search(low, max(0, cue.start - 30), cue.start) is not None
                    and low.startswith((",", " ,"), used.end())
                    # not "which flies modern American jets, the F-16 and the Apache," (the phrase named after all)
                    and not _NAMED_AFTER_LIST.match(low, used.end())
                    and not any(
                        _APPOSED.fullmatch(low, used.end(), s.start) for s in systems if s.start > used.end()
                    )
                )
            )
        )
    if text.endswith("use of"):  # "the first use of revised export rules", "the use of its airspace"
        return _USE_OF_OTHER.match(low, cue.end) is not None and not any(
            cue.end <= s.start <= cue.end + 40 for s in systems
        )
    if not _gives(text):
        return False
    if _NOT_WEAPONS_BEFORE.search(low, max(0, cue.start - 30), cue.start):
        return True  # "with some technology transferred to the kingdom": what was transferred is named before
    if _WEAPONS_IT_GIVES.search(low, max(0, cue.start - 40), cue.start):
        # "no longer publishes lists of the weapons it supplies to Ukraine": weapons in general (but not "the
        # weapons we supply, such as the Storm Shadow", "the equipment it sent included two IRIS-T launchers")
        return _NAMED_AFTER.match(low, cue.end) is None
    recipient = _RECIPIENT.match(low, cue.end)
    if recipient is None or len(recipient.group(1).split()) < 2 or _WEAPON_NOUN.search(recipient.group(1)):
        return False  # "handed several of its own batteries to Ukraine" is the system
    return not any(cue.end <= s.start < recipient.end() for s in systems)


_JOINED_AFTER = re.compile(r"\s*(?:,|\s+and|\s+as\s+well\s+as)\s+(?:[\w-]+\s+){0,2}")
_APPOSED = re.compile(r"\s*,\s*(?:the\s+|its\s+|their\s+)?")
_NAMED_AFTER_LIST = re.compile(r"\s*,?\s+(?:including|among\s+them|such\s+as|notably|like)\b")
_RELATIVES = frozenset(("which", "who", "whose", "whom"))
# "but the deal collapsed", "but the sale was cancelled": a cancelled deal named by its noun
_DEAL_BEFORE = re.compile(
    r"\b(?:the|that|this)\s+" + DEAL_NOUN + r"\s+(?:was|had\s+been|has\s+been|is)\s+(?:\w+ly\s+)?$"
)
_DEAL_FELL = re.compile(DEAL_NOUN + r"\s")
_PHRASE_THEN_LIST = re.compile(
    r"\s+(?:from|in|at|over|across|on|during|into|towards?|overnight)\b[^.;:]{0,60}?,\s*"
    r"(?:including|among\s+them|among\s+which|of\s+which)\b"
)
_LIST_CLOSES = re.compile(r"[.;:]|\s-\s|,\s+(?:while|but|as|after|when|and\s+(?:the|its|their))\b")
_FIRES = re.compile(r"fir(?:es|ed|e|ing)|launch(?:es|ed|ing)?")
_USES = re.compile(r"operat(?:es|ed|e|ing)|fl(?:ies|ew|y|ying|own)|us(?:es|ed|e|ing)|field(?:s|ed|ing)?")
_OTHER_WEAPONS = re.compile(  # "Russian air defence systems", "older Chinese-made jets": a kind, not a name
    r"\s+(?:(?:its|their|the|a|an|some|several|many)\s+)?(?:(?:older|ageing|aging|new|modern|armed|"
    r"[\w-]+(?:ian|ese|ish|an|i)(?:\s+and\s+[\w-]+(?:ian|ese|ish|an|i))?|"
    r"[\w-]+-(?:made|built|supplied|designed))\s+){1,2}"
    r"(?:(?:air|missile)\s+defen[cs]e\s+|surface-to-air\s+|"
    r"long-range\s+|medium-range\s+|short-range\s+)?(?:systems|batteries|jets|fighters|aircraft|tanks|drones|"
    r"missiles|helicopters|howitzers|launchers|interceptors|equipment|hardware|weapons)\b"
)
_WEAPONS_IT_GIVES = re.compile(
    r"\b(?:weapons|arms|equipment|materiel|hardware)\s+(?:that\s+|which\s+)?(?:it|they|we)\s+"
    r"(?:(?:has|have|had|will|would|is|are)\s+)?(?:\w+ly\s+)?$"
)
_NAMED_AFTER = re.compile(
    r"[^.;]{0,60}?\b(?:such\s+as|including|like|included|includes|include|among\s+them)\b"
)
_NOT_WEAPONS_BEFORE = re.compile(
    r"\b(?:technology|technologies|know-how|production|expertise|funds|money|cash|training|data|"
    r"intelligence|jobs|work)\s+(?:(?:was|were|is|are|being|been|to\s+be)\s+)?(?:\w+ly\s+)?$"
)
_RELATIVE_LEAD = re.compile(r",\s*(?:which|who)\s+(?:also\s+|already\s+|now\s+|still\s+)?$")
_ABOUT_IT = re.compile(  # a relative clause that says something of the phrase, not "that include F-16s"
    r",?\s+(?:that|which|whose)\s+(?!(?:include|includes|included|including|comprise|comprises|are|were|is|was)\b)"
)
_USE_OF_OTHER = re.compile(  # what is used is no weapon: a rule, a power, a place, money
    r"\s+(?:[\w-]+\s+){0,2}?(?:rules?|powers?|laws?|funds?|money|airspace|territory|(?:air\s*)?bases?|ports?|"
    r"facilities|sanctions|vetoe?s?|loopholes?|provisions?|clauses?|exemptions?|waivers?|"
    r"authority|mechanisms?|frameworks?|procedures?)\b"
)
_THE_GAP = re.compile(r"\s+(?:the\s+)?")
# what ends a country relied on: "on Moscow for", not "on U.S.-made"
_COUNTRY_OBJECT_END = re.compile(r"\s*(?:for\b|,|;|\.|and\b|to\b|as\b|$)")
_DEAL_FOR = re.compile(r"\s+(?:for|of)\s+(?:[\w$.,-]+\s+){0,3}")
_OF_THEM = re.compile(r"\bof\s+(?:them|it|those|these)$")
_DROPPED = re.compile(
    r"drop\w*\s+(?:(?:its|the|their|a)\s+)?((?:(?!(?:its|the|their|a)\s)[\w-]+\s+){1,2}?)[\w-]+$"
)
_GENERIC_DEAL = re.compile(
    r"(?:(?:planned|proposed|intended|long-awaited|long-delayed|stalled|troubled|controversial|costly|"
    r"multibillion|multi-billion|billion-dollar|\$[\d.,]+|[\d.,]+|billion|million|arms|weapons?|fighter|jet|"
    r"aircraft|missile|defen[cs]e|air|tank|helicopter|drone|submarine|warship|purchase|procurement|"
    r"acquisition|export|sale|government-to-government|g2g|\d{4})\s+){1,2}"
)
_WEAPON_NOUN = re.compile(
    r"\b(?:its|their|the|these|those|several|some|\d+|two|three|four|five|six)\s+(?:own\s+)?"
    r"(?:batter(?:y|ies)|launchers?|interceptors?|jets|fighters|tanks|howitzers|systems?)\b"
)


_RECIPIENT = re.compile(r"((?:\s+[\w'.-]+){1,6}?)\s+to\s+(?:the\s+)?[a-z]")


def _listed_with(
    low: str, anchor: Place, systems: Sequence[Place], gap: re.Pattern[str] | None = None
) -> set[str]:
    """The systems named in one list with ``anchor``: "K2 tanks and K9 howitzers arrived"."""
    return next({p.name for p in g} for g in _lists(low, systems, gap) if anchor in g)


def _lists(low: str, systems: Sequence[Place], gap: re.Pattern[str] | None = None) -> list[list[Place]]:
    """The systems of a sentence in text order, grouped into lists ("K2 tanks and K9 howitzers")."""
    joins = gap or _LIST_GAP
    ordered = sorted(systems, key=start_of)
    groups: list[list[Place]] = [[ordered[0]]]
    for place in ordered[1:]:
        between = low[groups[-1][-1].end : place.start]
        # "M1A2 Abrams tanks" is two aliases of one system: one item of its list
        if joins.match(between) or (place.name == groups[-1][-1].name and not between.strip()):
            groups[-1].append(place)
        else:
            groups.append([place])
    return groups


def staged_cues(
    low: str,
    span: tuple[int, int],
    judged: Sequence[tuple[Event, str]],
    other: Sequence[bool],
    system: Place,
    systems: Sequence[Place],
    clauses: Sequence[tuple[int, int]],
    unwatched: Callable[[], Sequence[Place]],
    names_system: bool,
) -> list[tuple[Event, str]]:
    """The cues that give ``system`` a stage in this sentence, with that stage, whichever country they
    reach (worked out once per system, not once per country). ``other``: the cue is of another object;
    ``names_system``: the sentence names a system (rather than continuing one with "it")."""
    staged: list[tuple[Event, str]] = []
    for (cue, status), of_other in zip(judged, other, strict=True):
        stage = _stage_of(low, cue, status, system, systems, clauses)
        if not stage or of_other:
            continue
        if unwatched() and _of_unwatched(low, cue, systems, unwatched(), clauses):
            continue  # "after cancelling a deal for Russian Mi-17 helicopters"
        if stage == "cancellation" and _REVERSAL.search(low, cue.end, span[1]):
            continue  # "blocked the sale before dropping its objection", "later completed"
        if stage == "cancellation" and names_system and _cancels_other(low, cue, systems, clauses):
            continue  # "removed from the programme after it took delivery of the S-400"
        staged.append((cue, stage))
    return staged


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
        if (
            cue.kind == "deployment"
            and start <= system.start
            and 0 <= cue.start - system.end <= 30
            and _SHOOTS.match(low, cue.start)
            and _SUBJECT_GAP.fullmatch(low, system.end, cue.start)
        ):
            # "Ukraine's Patriot battery shot down a Kinzhal missile": the shooter is used as well as its target
            return "talks" if status == "modal" else cue.kind
        inside = [s for s in systems if start <= s.start < end] or list(systems)
        # "Brazil picked the Gripen over France's Rafale ..., and signed a contract": not the one passed over
        chosen = [
            s
            for s in inside
            if cue.kind == "talks"
            or s.end > cue.start
            # the cue of its relative clause: "the F-16, which Washington had offered" (not the cue after it closes:
            # "the F-16, which Washington had offered, and signed a deal")
            or (
                (rel := _RELATIVE_AFTER.search(low, s.end, cue.start)) is not None
                and "," not in low[rel.end() : cue.start]
            )
            or not _PASSED_OVER.search(low, max(0, s.start - 90), s.start)
        ]
        if chosen and len(chosen) < len(inside):
            if system not in chosen:
                return ""
            inside = chosen
        nearest = min(  # a system inside the cue is its object: "drops Su-35 plan, eyes J-10C"
            inside,
            key=lambda s: (
                0
                if cue.start <= s.start < cue.end
                # or its object just after it: "ordered Rafales and signed a contract for 48 Turkish KAAN jets"
                # (not an attack's object: "After receiving the HIMARS, Ukraine destroyed a Russian S-400")
                or (
                    cue.kind != "deployment"
                    and cue.end <= s.start
                    and _OBJECT_AFTER.fullmatch(low, cue.end, s.start) is not None
                    # a noun only through "for"/"of": not "Turkey's S-400 purchase cost it the F-35"
                    and (
                        _DEAL_NOUN_CUE.search(low, cue.start, cue.end) is None
                        or low.startswith((" for ", " of "), cue.end)
                    )
                )
                else min(abs(s.start - cue.end), abs(cue.start - s.end))
            ),
        )
        # "the NASAMS, which it already operates, and the Patriot": a relative clause's cue is its head's
        head = next((s for s in systems if _RELATIVE_HEAD.fullmatch(low, s.end, start)), None)
        if head is not None and head.name != system.name:
            return ""
        # a list after the verb ("bought Rafale fighters from France and Typhoon jets"), whatever came before it
        wide = cue.end <= min(system.start, nearest.start) and not _OWN_PREDICATE.match(low, system.end)
        if head is None and system.name not in _listed_with(
            low, nearest, inside, _WIDE_LIST_GAP if wide else None
        ):
            return ""  # "shelved the F-35 and will spend the money on Typhoons": the F-35 only
    if status == "modal":
        return "talks"
    if (
        cue.kind == "talks"
        and _BUYING.fullmatch(low, cue.start, cue.end)
        and (
            (
                low.endswith(",", 0, cue.start - 1)
                and not low.startswith((" nothing", " none", " no "), cue.end)
            )
            or (
                low.endswith(("after ", "since "), 0, cue.start)
                # what was bought is the system ("after buying the S-400", not "after buying ammunition"), and no
                # modal holds the sentence ("would face higher costs after ordering more K2 tanks")
                and (
                    _BOUGHT_OBJECT.fullmatch(low, cue.end, system.start) is not None
                    # "received the first batch of AH-64E Apache helicopters, four years after ordering 24"
                    or (system.end <= cue.start and _BOUGHT_BACK.match(low, cue.end) is not None)
                )
                and _MODAL_BEFORE.search(low, max(0, cue.start - 80), cue.start) is None
            )
        )
    ):
        # "Morocco has turned to the United States, ordering F-16 fighters": what it did; "was removed from the
        # programme after buying the S-400": what it had done before
        return "deal"
    return cue.kind


_BUYING = re.compile(r"buying|purchasing|acquiring|procuring|ordering")
_BOUGHT_OBJECT = re.compile(r"\s+(?:[\w'.$-]+\s+){0,4}?")
_BOUGHT_BACK = re.compile(
    r"\s+(?:\d[\d,]*|them|it|one|two|three|four|five|six|eight|ten|twelve|dozens|(?:the|its|their)\s+(?:[\w.'-]+\s+)?"
    r"(?:system|systems|jets|aircraft|batteries|tanks|fighters|launchers|missiles|drones|helicopters|howitzers))\b"
)
_MODAL_BEFORE = re.compile(r"\b(?:would|could|may|might|will|should|must|wo\s+n't|won't)\b[^.;:]*$")
_RELATIVE_AFTER = re.compile(r",\s*(?:which|that|whose)\b")
_PASSED_OVER = re.compile(
    r"\b(?:rather\s+than|instead\s+of|in\s+place\s+of|in\s+preference\s+to|(?:picked|chose|chosen|selected|"
    r"preferred|favou?red)\b[^,;:.]{0,60}?\bover)\s+(?:the\s+)?(?:[\w'./-]+\s+){0,4}?$"
)
_DEAL_NOUN_CUE = re.compile(r"(?:purchase|deal|contract|order|agreement|sale|acquisition|buy)s?$")
# the words between a cue and its object: "a contract for 48 Turkish", "bought two more"
_OBJECT_AFTER = re.compile(
    r"\s+(?:(?:for|of)\s+)?(?:(?!(?:and|or|but|with|to|from|by|in|as)\s)[\w-]+\s+){0,3}"
)


# "arrived in Poland", "landed at an air base in northern India"
_PLACE_BEFORE = re.compile(r"\b(?:in|at|to|near)\s+(?:the\s+)?" + COMPASS + "$")
_OPENS_CLAUSE = re.compile(r"(?:[,;]\s*(?:and\s+|but\s+)?|\b(?:and|but)\s+)(?:the\s+)?\s*$")
_PRONOUN_BEFORE = re.compile(r"\b(?:it|they)\s+(?:(?:has|have|had|also|then|first|finally)\s+)*$")
# What one country is to another: "Greece's NATO ally", "Spain, its northern neighbour,"
RELATION_NOUN = r"(?:ally|allies|rival|neighbou?r|partner|foe|enemy|adversary)\b"
_RELATION = re.compile(  # "Greece's NATO ally" (the alias may have taken the "'s" with it)
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+){0,2}" + RELATION_NOUN
)
_GIVER_BEFORE = re.compile(r"\b(?:from|by)\s+(?:the\s+)?$")
_PASSIVE_LEAD = re.compile(
    r"\b(?:been|was|were|is|are|being)\s+(?:(?:now|already|all|also|finally|since)\s+)?$"
)
_BY_AFTER = re.compile(r"(?:\s+[\w,-]+){0,4}?\s+by\b")
_THERE = re.compile(r"\s+(?:there|here)\b")


_SHOOTS = re.compile(r"(?:sh(?:ot|oots|oot|ooting)\s+down|downed|intercept\w*)\b")  # an interceptor's work
_TO_BEFORE = re.compile(r"\bto\s+(?:the\s+)?$")
_GIVING_PARTICIPLE = re.compile(
    r"(?:supplying|sending|delivering|providing|donating|shipping|transferring)\b"  # not "giving pilots warning"
)
_SUBJECT_GAP = re.compile(
    r"(?:'s|s'|\ss)?\s+(?:[\w-]+\s+){0,2}?(?:(?:has|have|had)\s+)?(?:also\s+|already\s+)?"
)
_RELATIVE_HEAD = re.compile(r"\s*,\s*(?:which|that)")


def cue_reaches(
    low: str,
    cue: Event,
    where: Sequence[Place],
    mine: Sequence[Place],
    clauses: Sequence[tuple[int, int]],
    makers: frozenset[str],
    later: Sequence[Event],
    system: Place | None = None,
    systems: Sequence[Place] = (),
) -> bool:
    """A cue speaks of the countries in its clause; with none there, of the nearest one (``system`` among the
    sentence's ``systems``: the one the cue is read for). A country just
    after another cue's preposition is that cue's ("in service with Poland, and under contract for
    Egypt": Egypt's contract, not Egypt's service)."""
    if not where:
        return True  # a country carried over from an earlier sentence
    if any(c.start > cue.end and follows_suit(low, c, mine, system, systems) for c in where):
        # "..., and Canada and Norway followed with smaller batches": the verb before is theirs too
        return True
    # "After Iran fired 180 missiles at Israel, Washington sent a THAAD battery": the attacker of a fronted clause,
    # when the main clause has a subject of its own (not "When Turkey bought the S-400, the U.S. removed it")
    if (
        all(_ATTACKER_AFTER.match(low, c.end) for c in where)
        and (fronted := _FRONTED_CLAUSE.match(low, clauses[0][0], clauses[-1][1])) is not None
        and cue.start >= fronted.end()
        and all(c.start < fronted.end() for c in where)
        and any(fronted.end() <= c.start < cue.start for c in mine)
    ):
        return False
    if later and all(_governed_by_other(low, _list_head(low, c, mine), later) for c in where):
        return False
    if _THERE.match(
        low, cue.end
    ):  # "every salvo fired there ... cannot be sent to Tallinn": a place named before
        return any(c.start < cue.start for c in where)
    start, end = _clause_of(cue.start, clauses)
    if (
        low.startswith(", ", cue.start - 2)
        and cue.kind == "delivery"
        and _GIVING_PARTICIPLE.match(low, cue.start)
    ):
        # "Germany has become Ukraine's largest backer after the United States, supplying IRIS-T systems": the
        # participle's subject is the main clause's, and the one it helps receives
        return any(
            c.start < cue.start
            # "Turkey, supplying TB2 drones to Ukraine, ...", not "..., sending Shahed drones to Kyiv" (an attack)
            or (
                not low.startswith(("sending", "shipping"), cue.start)
                and _TO_BEFORE.search(low, cue.end, c.start) is not None
            )
            for c in where
        )
    # who receives: "took delivery", "arrived", or a delivery in the passive without its giver ("all of
    # which have now been delivered")
    receiving = ACQUIRE_WORD.match(low, cue.start) is not None or (
        cue.kind == "delivery"
        and _PASSIVE_LEAD.search(low, max(start, cue.start - 30), cue.start) is not None
        and _BY_AFTER.match(low, cue.end) is None
    )
    if receiving:  # who receives: the subject, or "arrived in Poland"
        for c in where:
            head = _list_head(low, c, mine)  # "delivered to Poland and Romania": Romania receives too
            if (
                start <= c.start < cue.start
                or (head.start < cue.end + 60 and _PLACE_BEFORE.search(low[cue.end : head.start]))
                or (cue.end < c.start < end and gapped_subject(low, c))  # "... in 2021 and Estonia in 2025"
            ):
                return True
        if any(start <= c.start < cue.start for c in mine):
            return False
    if _PRONOUN_BEFORE.search(low, max(start, cue.start - 30), cue.start) and not any(
        start <= c.start < cue.start for c in mine
    ):
        # "Turkey, Greece's ally, was removed ... after it took delivery of Russian S-400s": "it" is the
        # country nearest before its clause that is no maker and no possessor of an ally or rival
        sentence_start = clauses[0][0]
        subjects = [  # a country that opens a clause: "Algeria receives ...", "..., and Turkey was removed"
            c
            for c in mine
            if c.start < start
            and c.name not in makers
            and not _RELATION.match(low, c.end)
            and (
                not low[sentence_start : c.start].strip()
                or _OPENS_CLAUSE.search(low, sentence_start, c.start)
            )
        ]
        if subjects:
            return any(c.name == subjects[-1].name for c in where)
    inside = [c for c in mine if start <= c.start < end]
    if (
        receiving
    ):  # "..., which it received from China in 2022": the giver does not receive; nor does a country
        # after the cue that is no place ("after taking delivery of the S-400, a system India also operates")
        inside = [
            c
            for c in inside
            if c.start < cue.start
            or (
                not _GIVER_BEFORE.search(low, cue.end, c.start)
                and _PLACE_BEFORE.search(low, max(cue.end, c.start - 40), c.start) is not None
            )
        ]
    if inside and all(c.name in makers for c in inside):
        if cue.kind == "deployment":  # "Algeria ... flies Russian-made Su-30s": its subject, not what follows
            before_cue = _outside_relatives(
                low, clauses, start, [c for c in mine if c.start < cue.start and c.name not in makers]
            )
            subject = max(before_cue, key=start_of) if before_cue else None
            return any(
                (subject is not None and c.name == subject.name) or start <= c.start < end for c in where
            )
        return True  # "..., after Washington approved the sale", "deliveries of tanks built in Korea"
    if inside:
        # "Spain, which has a Patriot battery stationed in Turkey": a relative clause whose countries all come
        # after its verb is said of its head as well (not a noun: "India, which protested the sale of F-16s to
        # Pakistan", "Russia, which warned against the deployment of Tomahawks in Germany")
        if (
            all(c.start > cue.start for c in inside)
            and not noun_cue(low[cue.start : cue.end])
            and any(_RELATIVE_HEAD.fullmatch(low, c.end, start) for c in where)
        ):
            return True
        return any(start <= c.start < end for c in where)
    if (
        cue.kind == "cancellation"
        and (
            _DEAL_FELL.match(low, cue.start)
            or _DEAL_BEFORE.search(low, max(start, cue.start - 40), cue.start)
        )
    ) or (cue.kind == "delivery" and DELIVERIES_BEGAN.match(low, cue.start)):
        # "Croatia agreed to buy 12 F-16s from Israel, but the deal collapsed", "but the sale was cancelled",
        # "Poland signed for K2 tanks; deliveries began in 2022": the deal of the parties of the clause before
        before = [(a, b) for a, b in clauses if b <= start]
        return bool(before) and any(before[-1][0] <= c.start < before[-1][1] for c in where)
    candidates = mine
    if receiving and any(c.name not in makers for c in mine):
        candidates = [
            c for c in mine if c.name not in makers
        ]  # "Russia's S-400, whose parts arrived": the buyer's
    # not a country inside a closed relative clause before the cue ("Algeria, which received them from
    # Russia, now flies them": Algeria flies them)
    candidates = _outside_relatives(low, clauses, start, candidates) or candidates
    nearest = min(candidates, key=lambda c: (c.start > cue.start, abs(c.start - cue.start)))
    if nearest.name == where[0].name:
        return True
    # "Poland and Germany, which have also ordered F-35s": the head of the relative clause is the whole list
    head = _list_head(low, nearest, mine)
    return nearest.start < cue.start and head.start <= where[0].start < nearest.start


def giver_of(
    low: str,
    cue: Event,
    where: Sequence[Place],
    clauses: Sequence[tuple[int, int]],
    mine: Sequence[Place] = (),
) -> bool:
    """ "India received 36 Rafales from France", "took delivery of the Russian S-400" (``where`` holds the
    supplier's mentions): a receiving cue is the sale of the country it names as the giver, in its own
    clause (SPEC: a supplier's stage describes its sale). A country listed after the giver gives too
    ("from the United States, Germany and the Netherlands"; ``mine``: the sentence's countries)."""
    if ACQUIRE_WORD.match(low, cue.start) is None:
        return False
    _, end = _clause_of(cue.start, clauses)
    return any(
        cue.end < c.start < end
        and c.start - cue.end <= 60
        and (
            _GIVER_BEFORE.search(low, cue.end, c.start)
            or (
                cue.end < (head := _list_head(low, c, mine)).start
                and _GIVER_BEFORE.search(low, cue.end, head.start)
                # not the subjects of a new clause: "from Denmark and Norway, Belgium and Sweden pledged more"
                and not CLAUSE_VERB.match(low, (end_of_list := _list_end(low, c, mine)).end)
                and not possessive(low, end_of_list)  # "and Slovenia's government said it would pay"
            )
            # the supplier named before what was received: "took delivery of the Russian S-400"
            or (
                _RECEIVED_ADJECTIVE.fullmatch(low, cue.end, c.start) is not None
                and (is_demonym(low, c) or possessive(low, c))
            )
        )
        and not _RECEIVED_OTHER.search(low, cue.end, c.start)  # "received an offer from Russia"
        for c in where
    )


_RECEIVED_ADJECTIVE = re.compile(r"\s+(?:of\s+)?(?:(?:the|its|their|a|an|first|new|more|\d+)\s+){0,2}")


_RECEIVED_OTHER = re.compile(
    r"\b(?:offers?|approval|letters?|requests?|invitations?|proposals?|assurances?|guarantees?|permission|"
    r"green\s+light|go-ahead|aid|funding|money|loans?|credits?|support|training|visits?|calls?|delegations?|"
    r"warnings?|threats?|complaints?|questions?|answers?|bids?)\b"
)


def _list_end(low: str, country: Place, mine: Sequence[Place]) -> Place:
    """The last country of the list the country is in ("Belgium and Sweden": Sweden); a list closed by
    "and" ends there ("Denmark and Norway, Belgium and Sweden pledged": Norway's ends at Norway)."""
    index = next((i for i, c in enumerate(mine) if c.start == country.start), len(mine) - 1)
    closed = index > 0 and _JOINED.search(low[mine[index - 1].end : mine[index].start]) is not None
    while index + 1 < len(mine) and _COUNTRY_LIST.match(gap := low[mine[index].end : mine[index + 1].start]):
        joined = _JOINED.search(gap) is not None
        if closed and not joined:
            break
        closed = closed or joined
        index += 1
    return mine[index] if mine else country


_JOINED = re.compile(r"\b(?:and|or)\b")


def _list_head(low: str, country: Place, mine: Sequence[Place]) -> Place:
    """The first country of the list the country ends ("for Australia and Egypt": Australia)."""
    ordered = mine  # in text order, as the sentence's countries are
    index = next((i for i, c in enumerate(ordered) if c.start == country.start), 0)
    while index > 0 and _COUNTRY_LIST.match(low[ordered[index - 1].end : ordered[index].start]):
        index -= 1
    return ordered[index] if ordered else country


def later_cues(cue: Event, cues: Sequence[Event]) -> list[Event]:
    """The stage cues after ``cue`` of another kind: one of them may govern a country named after it."""
    return [o for o in cues if o.start >= cue.end and o.kind != cue.kind and o.kind in _STAGES]


def _governed_by_other(low: str, country: Place, later: Sequence[Event]) -> bool:
    """Whether the country comes just after one of the later cues' prepositions ("under contract for")."""
    return any(
        other.end <= country.start <= other.end + 25
        and _PREP_END.search(low, other.end, country.start) is not None
        for other in later
    )


_PREP_END = re.compile(r"\s+(?:for|to|with|by)\s+(?:the\s+)?$")


def cue_role(
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
    if role != "operator" or not where or not _gives(text):
        return role
    after = low[cue.end : cue.end + 60]
    recipient = [
        c
        for c in mine
        if cue.end < c.start <= cue.end + 60 and re.search(r"\bto (?:the )?$", low[cue.end : c.start][-12:])
    ]
    if recipient:  # "sold the system to Slovenia, Estonia and Latvia": every one of the list receives
        ordered = sorted(mine, key=start_of)
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


@lru_cache(maxsize=4096)
def _gives(cue: str) -> bool:
    """A cue of giving ("sold", "handed over"), not of receiving ("took delivery"); cues repeat, so cached."""
    return TRANSFER.search(cue) is not None and ACQUIRE_WORD.match(cue) is None


def stage_cues(events: Sequence[Event]) -> list[Event]:
    """The stage cues among a sentence's events (the rest are scope triggers)."""
    return [e for e in events if e.kind in _STAGES]
