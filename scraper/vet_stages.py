"""More stage rules for vetting, from round 11: cues that are not yet true, and other weapons fired.

24. *Not yet*: a delivery or service cue right after "near", "nearing", "close to", "ahead of", "ready
    for" ("the first Rafales near delivery") is still to come -> ``talks`` at most.
25. *Future condition*: a cue in a clause opened by "once", "after", "until", "when" or "as soon as" in a
    sentence that speaks of the future ("deliveries would begin only after the KAAN enters service") is
    not asserted -> ``talks`` at most; "after it entered service" in a past sentence stays.
26. *Other weapon, other clause*: "The U.S. Army fired PrSM from HIMARS, and Japanese troops fired a Type
    12 anti-ship missile": a cue whose own coordinated clause names no watched system and fires a typed
    weapon is about that weapon, not the system of the other clause.

From rounds 13-14: 42. *Victim*: the system is what was shot down or destroyed, not what did it.
43, 45-47 (``said_of_another``): the cue is said of something else than the pair (unnamed customers, a
cancelled tender, another weapon, a reaction to someone else's act).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scraper.aliases import Mention
from scraper.lexicon import DELIVERIES_BEGAN
from scraper.scopes import Event
from scraper.vet_roles import COORD, Evidence, clause_end

_NEAR = re.compile(
    r"\b(?:near|nears|nearing|neared|close\s+to|closer\s+to|ahead\s+of|prior\s+to|ready\s+for|in\s+time\s+for)"
    r"\s+(?:the\s+|their\s+|its\s+)?(?:first\s+|final\s+|initial\s+)?$"
)
_CONDITION = re.compile(r"\b(?:once|until|after|before|when|as\s+soon\s+as)\s+(?:[\w'/.-]+\s+){0,6}?$")
_FUTURE = re.compile(
    r"\b(?:will|would|shall|expected|due|planned|scheduled|set|plans?|intends?)\b|\bto\s+(?:begin|start)\b"
)
_PRESENT_CUE = re.compile(r"(?:arrives?|reach(?:es)?|enters?|lands?|comes?|begins?|starts?|gets?|is|are)\b")
_DATED = re.compile(r"\b(?:19|20)\d\d\b|\b(?:last|ago|earlier|previously)\b")
_WILL = re.compile(r"\b(?:will|shall)\b|'ll\b")
_PERFECT = re.compile(r"\b(?:had|has|have|was|were|did)\s+(?:\w+\s+)?$")
_PAST_CUE = re.compile(r"(?:\w+ed|took|sent|gave|given|got|began|begun|went|came)\b")
_REFERS = re.compile(r"\b(?:it|its|the\s+(?:system|launchers?|batter(?:y|ies)))\b")


# A maker as the subject of the sentence, up to its verb
_MAKER_SUBJECT = re.compile(
    r"\s*(?:the\s+(?:company|manufacturer|firm|group|maker|plant|factory|builder|contractor|consortium|planemaker|"
    r"plane-maker|shipyard|producer)|dassault(?:\s+aviation)?|lockheed(?:\s+martin)?|saab|boeing|raytheon|rtx|"
    r"hanwha(?:\s+aerospace)?|hyundai\s+rotem|knds|nexter|rheinmetall|kongsberg|diehl(?:\s+defence)?|mbda|baykar|"
    r"turkish\s+aerospace|tusas|embraer|airbus|leonardo|bae(?:\s+systems)?|sukhoi|almaz-antey|general\s+dynamics|"
    r"northrop(?:\s+grumman)?|krauss-maffei(?:\s+wegmann)?|elbit|iai|norinco|avic|kai|sikorsky|pzl\s+mielec)\b"
    r"(?:\s+[\w,'-]+){0,6}?\s+$"
)


_OUTPUT_TIME = re.compile(
    r"\b(?:in\s+(?:19|20)\d\d|last\s+year|this\s+year|so\s+far|to\s+date|in\s+total|since\s+(?:19|20)\d\d|"
    r"a\s+year|per\s+year|annually|each\s+year|every\s+year)\b"
)


def not_yet(low: str, cue: Event) -> bool:
    """Rules 24-25: the cue is still to come."""
    if _NEAR.search(low, max(0, cue.start - 40), cue.start):
        return True
    condition = _CONDITION.search(low, max(0, cue.start - 60), cue.start)
    if condition is None or re.search(r"[,;:]", low[condition.start() : cue.start]):
        return False
    if _PAST_CUE.match(low, cue.start):
        return False  # "after the jets were delivered" or "after it entered service": the past
    if _FUTURE.search(low, 0, condition.start()) is not None:
        return True
    # "When the first aircraft arrive, we will announce it ourselves": a present tense, then "will" in the main
    # clause (not "When India's first S-400 squadron became operational in 2021, officials said it would")
    comma = low.find(",", cue.end)
    return (
        comma >= 0
        and low.startswith(("when ", "once ", "as soon as "), condition.start())
        and _PRESENT_CUE.match(low, cue.start) is not None
        and _PERFECT.search(low, max(0, cue.start - 12), cue.start) is None
        and _DATED.search(low, condition.start(), comma) is None
        and _WILL.search(low, comma, comma + 40) is not None
    )


def other_weapon_clause(low: str, cue: Event, systems: Sequence[Mention]) -> bool:
    """Rule 26: the cue's coordinated clause names no system and fires a counted, typed weapon."""
    start = 0
    for found in COORD.finditer(low, 0, cue.start):
        start = found.end()
    end = clause_end(low, cue.end)
    if any(start <= s.start < end for s in systems) or _REFERS.search(low, start, end):
        return False
    return typed_weapon_at(low, cue.end) > 0


def victim(low: str, cue: Event, systems: Sequence[Mention], named: Sequence[Mention] = ()) -> bool:
    """Rule 42: the system is what was shot down or destroyed, not what did it ("its air force has shot
    down many of them", "Ukraine downed a Shahed"): an active cue of destruction whose clause names no
    system before it, and whose object is the system or refers back to it. ``named``: every system the
    sentence names; an "and" between two of them joins nouns, not clauses ("Israel's Arrow 3 and David's
    Sling intercepted most of them")."""
    if not _DESTRUCTION.match(low, cue.start):
        return False
    start = 0
    for found in _CLAUSE_CUT.finditer(low, 0, cue.start):
        if found.group() in ("and", "or") and _joins_systems(low, found.start(), found.end(), named):
            continue
        start = found.end()
    if any(start <= s.start < cue.start for s in systems) or _PASSIVE_BEFORE.search(low, start, cue.start):
        return False  # "Patriot batteries intercepted them", "a Patriot was destroyed": not the victim
    if _DETERMINER_BEFORE.search(low, start, cue.start):
        return False  # "a single destroyed Patriot would be a prize": an adjective, nothing happened
    if _OBJECT_BACK.match(low, cue.end):
        return True
    return any(
        0 <= s.start - cue.end <= 120
        and not _INSTRUMENT.search(low, cue.end, s.start)
        and (s.start - cue.end <= 50 or _AMONG.search(low, cue.end, s.start) is not None)
        for s in systems
    )  # "downed two Indian aircraft and later suggested that one of them was a Su-30MKI"


def _joins_systems(low: str, start: int, end: int, named: Sequence[Mention]) -> bool:
    """ "Arrow 3 and David's Sling", "F-16s and the Gripen": the conjunction sits between two system names."""
    return any(low[m.end : start].strip() in ("", "s") for m in named if m.end <= start) and any(
        low[end : m.start].strip() in ("", "the", "its", "their") for m in named if m.start >= end
    )


_DESTRUCTION = re.compile(
    r"(?:intercept\w*|(?:shot|shoots|shoot|shooting)\s+down|down(?:ed|ing)|destroy\w*|knock\w*\s+(?:down|out)|"
    r"struck|hitting|disabl\w*)\b"
)
_CLAUSE_CUT = re.compile(
    r"[;:]|\b(?:and|but|while|whereas)\b"
)  # not a comma: "Polish Patriots, the army said,"
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|be|is|are)\s+(?:\w+ly\s+)?$")
_OBJECT_BACK = re.compile(
    r"\s+(?:(?:many|most|some|all|several|dozens|hundreds|scores|one|two|three|\d+)\s+of\s+)?"
    r"(?:them|it|(?:the|these|those)\s+(?:[\w-]+\s+)?(?:drones|missiles|jets|aircraft|rockets|systems?|"
    r"batter(?:y|ies)|launchers|tanks|vehicles|helicopters))\b"
)
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|one|single|its|their|of)\s+$")
_AMONG = re.compile(r"\b(?:including|one\s+of\s+(?:them|which)|among\s+them|such\s+as)\b")
_INSTRUMENT = re.compile(r"\b(?:with|using|by|from|thanks\s+to)\b")


def said_of_another(
    low: str, cue: Event, named: bool, systems: Sequence[Mention], object_after: bool = False
) -> bool:
    """Rules 43, 45-47: the cue is said of something else than the pair. 43: an outgoing transfer to
    unnamed customers ("China has exported the system to a handful of customers", "was transferred to
    Greece instead") is no delivery to a country the sentence does not name (``named``). 45: a
    cancellation in a relative clause on a process ("ending a tender that was twice cancelled") ended
    that process, not the deal. 46: a cue right after a weapon noun ("Kalibr missiles fired from
    ships") is that weapon's. 47: a reaction's object ("condemned the test") is someone else's act, for a
    country not named after the cue (``object_after``)."""
    if not named and _OUTGOING_CUE.match(low, cue.start) and _RECIPIENT_AFTER.match(low, cue.end):
        return True  # also "the system was transferred to Greece instead": a named other recipient
    if (
        not named
        and cue.kind == "delivery"
        and _MAKER_SUBJECT.match(low, 0, cue.start)
        and _OUTPUT_TIME.search(low, cue.end)
    ):
        # "The company delivered 13 Rafales in 2023": the maker's output, to whoever bought them (not "Hyundai
        # Rotem delivered 10 K2 tanks in December", which may well be the buyer's of the sentence before)
        return True
    weapon = _WEAPON_BEFORE.search(low, max(0, cue.start - 30), cue.start)
    if weapon is not None and not any(0 <= weapon.start() - s.end <= 20 for s in systems):
        return True  # not "Storm Shadow missiles delivered to Ukraine": those are the system
    if not object_after and _REACTION.search(low, max(0, cue.start - 60), cue.start):
        return True  # not "Russia condemned the delivery of F-16 jets to Ukraine" for Ukraine
    return (
        cue.kind == "cancellation"
        and _PROCESS_THAT.search(low, max(0, cue.start - 60), cue.start) is not None
    )


_OUTGOING_CUE = re.compile(
    r"(?:export|sold|sell|deliver|suppl|sent|send|ship|transferr|gave|give|provid|donat|hand)"
)
_RECIPIENT_AFTER = re.compile(
    r"(?:\s+(?!(?:ahead|before|after|following|alongside|while|and|but|as)\b)[\w/.,-]+){0,8}?\s+to\s+(?:(?:a\s+handful\s+of\s+|several\s+|many\s+|other\s+|foreign\s+|a\s+few\s+|"
    r"dozens\s+of\s+|\d+\s+|some\s+|various\s+|export\s+)*(?:customers|countries|buyers|clients|nations|"
    r"operators|allies|partners|states)\b|an?\s+(?:(?:foreign|undisclosed|unnamed|unidentified|export|overseas|"
    r"third)\s+)?(?:customer|buyer|client|country|nation|operator|state)\b|"
    r"(?:the\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s+(?:instead|rather)\b)"
)
# "Kalibr missiles fired from ships had hit four S-300 launchers": the weapon before a participle cue
_WEAPON_BEFORE = re.compile(r"\b(?:missiles|rockets|drones|shells|projectiles|bombs)\s+$")
# "the Pentagon condemned the test": a reaction to someone else's act
_REACTION = re.compile(
    r"\b(?:(?:condemn|criticis|criticiz|denounc|protest|decri|slamm|object|oppos)\w*|(?:retaliat|rail)\w*\s+against)"
    r"\s+(?:to\s+)?(?:the|its|their|this|that)\s+(?:[\w-]+\s+)?$"
)
_PROCESS_THAT = re.compile(
    r"\b(?:tender|competition|contest|bidding|process|search|selection)\s*,?\s+(?:that|which)"
    r"\s+(?:[\w-]+\s+){0,3}$"
)


# ---- rules 10 and 15 (called from scraper.vet) --------------------------------------------------

_COUNTED_WEAPON = re.compile(
    r"\s+(?:(?:more\s+than|over|at\s+least|about|around|nearly|almost|some|up\s+to)\s+)?(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|\d+|dozens\s+of|hundreds\s+of|"
    r"a\s+salvo\s+of|a\s+barrage\s+of)\s+(?:[\w-]+\s+){0,3}?(?:missiles?|rockets?|drones?|shells?|projectiles?)\b"
)
_WEAPON_TYPE = re.compile(
    r"\b(?:ballistic|cruise|hypersonic|short-range|medium-range|long-range|intercontinental|anti-ship|artillery|"
    r"anti-tank|anti-aircraft|surface-to-air|air-to-air|type\s+\d+)\b"
)


def typed_weapon_at(low: str, at: int, typed: bool = True) -> int:
    """Where a counted weapon of a named type that starts at ``at`` ends (" more than 80 cruise and ballistic
    missiles"; any counted weapon unless ``typed``), or 0 when none does."""
    counted = _COUNTED_WEAPON.match(low, at)
    return counted.end() if counted is not None and (not typed or _WEAPON_TYPE.search(counted.group())) else 0


_REFERS_ANY = re.compile(
    r"\b(?:the|its|their|these|those|this)\s+(?:[\w-]+\s+)?(?:system|systems|battery|batteries|interceptors?|"
    r"launchers?|unit|units)\b|\bit\b"
)


def segment(ev: Evidence, country: str, at: int) -> int:
    """Which independent clause ``at`` lies in: a semicolon, or "as", "while", "when" or "whereas"
    followed by another country as a new subject, starts the next one."""
    cuts = ev.cuts.get(country)
    if cuts is None:  # worked out once per evidence and country: every cue of every hit asks
        starts = {m.start for m in ev.mentions if m.kind == "country" and m.name != country}
        cuts = [found.end() for found in re.finditer(r";", ev.low)]
        cuts.extend(found.start() for found in _SUBORDINATE.finditer(ev.low) if found.end() in starts)
        ev.cuts[country] = cuts
    return sum(1 for cut in cuts if cut <= at)


_SUBORDINATE = re.compile(r"\b(?:as|while|whereas|when)\s+(?:the\s+)?")


def apart(ev: Evidence, country: str, cue: Event, systems: Sequence[Mention]) -> bool:
    """Rule 15: the cue sits in a clause of its own that never names the system, or follows another
    country that opens a coordinated clause of its own ("Japan has agreed to buy Tomahawks, and
    Australia fired one last year")."""
    where = segment(ev, country, cue.start)
    elsewhere = all(segment(ev, country, s.start) != where for s in systems)
    if elsewhere:
        # "...; the first six were delivered in 2021", "...; deliveries began in 2022": a clause that refers back
        # to the system
        cut = ev.low.rfind(";", 0, cue.start) + 1
        elsewhere = not (
            cut > 0
            and (
                _BACK_REFERENCE.search(ev.low, cut, cue.start) is not None
                or DELIVERIES_BEGAN.match(ev.low, cue.start) is not None
            )
            and not any(m.kind == "country" and cut <= m.start < cue.start for m in ev.mentions)
        )
    return elsewhere or _later_subject(ev, country, cue, systems)


def _later_subject(ev: Evidence, country: str, cue: Event, systems: Sequence[Mention]) -> bool:
    """The cue's subject is another country that opens a clause (", and Australia fired") after every
    mention of the system and of this country, and the clause does not refer back with a pronoun ("...,
    and Germany delivered them" is said of the system)."""
    low = ev.low
    for found in _AND_SUBJECT.finditer(low, 0, cue.start):
        subject = next(
            (m for m in ev.mentions if m.kind == "country" and m.name != country and m.start == found.end()),
            None,
        )
        if subject is None or not 0 <= cue.start - subject.end <= 40 or "," in low[subject.end : cue.start]:
            continue
        if any(s.start >= found.start() for s in systems) or any(
            m.kind == "country" and m.name == country and m.start >= found.start() for m in ev.mentions
        ):
            continue
        if _BACK_REFERENCE.search(low, found.end(), clause_end(low, cue.end)) is None:
            return True
    return False


_AND_SUBJECT = re.compile(r",\s*(?:and|but)\s+(?:the\s+)?")
_BACK_REFERENCE = re.compile(
    r"\b(?:it|them|they|its|their)\b|\bthe\s+(?:first|last|remaining|final)\b(?!\s+time)|"
    r"\b(?:the|these|those|\d+|two|three|four|five|six|seven|eight|nine|ten|several|some|more)\s+(?:[\w-]+\s+)?"
    r"(?:system|systems|batter(?:y|ies)|jets?|missiles|launchers|interceptors|tanks|drones|aircraft|fighters|units|"
    r"howitzers|vehicles|helicopters)\b"
)


def other_weapon(low: str, cue: Event) -> bool:
    """Rule 10: a counted, typed weapon after the cue, or weapons the cue's relative clause hangs on
    ("the 200 missiles and 100 drones that Iran launched"), and nothing that refers back to the system."""
    return (
        typed_weapon_at(low, cue.end) > 0
        or _WEAPONS_THAT.search(low, max(0, cue.start - 60), cue.start) is not None
    ) and (_REFERS_ANY.search(low) is None)


_WEAPONS_THAT = re.compile(
    r"\b(?:missiles|rockets|drones|shells|projectiles)\s+(?:that|which)\s+(?:[\w-]+\s+){1,3}$"
)
