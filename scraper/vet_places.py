"""More role rules for vetting, from round 11: hosts of foreign units, places of use, helpers, donors.

Each function explains one mention of a country in an operator hit's evidence as something other than
the operator, or returns None. ``scraper.vet`` demotes a hit only when every mention is explained.

17. *Unit host*: the country is where another country's units are stationed, based or remain ("Germany
    and the Netherlands, whose Patriot units were stationed in Turkey", "the U.S. Army's launcher will
    remain in the Philippines") -> ``other``.
18. *Place of use*: the country is where another country's forces fired or shot something down ("British
    jets shot down Iranian drones over Iraq and Syria") -> ``other``.
19. *Helpers*: the country premodifies instructors, advisers, technicians ("trained alongside U.S. Air
    Force instructors") -> ``supplier``.
20. *Donor's adjective*: the country's adjective on the system, which the clause says reached or was
    sent to another country ("the first Danish F-16s reached Ukraine") -> ``supplier``.
21. *Maker in someone's inventory*: the maker's adjective on the system that another's forces are built
    around or equipped with ("its air defence is built around the Chinese HQ-9") -> ``supplier``.
22. *Speaker of its own pledge*: "The Dutch said all the jets they promised had been delivered": the
    speaker is the giver -> ``supplier``.
23. *Mission host*: "the Netherlands sent F-35s to Poland under an air policing mission": a country's own
    forces sent on a mission, not a transfer -> ``other``.

From rounds 13-14: 18 also over a list of places and for combat in a place where another country's
adjective is on the system ("Turkish Leopards saw combat in northern Syria"); 44. *Seller's
possessive*: "has bought Israel's Arrow 3" -> ``supplier``; 48. *Other weapon's clause*: the country's
own coordinated clause is about a weapon the watchlist does not watch ("Russia has supplied Iran with
Yak-130 jets, and Tehran has sent Shaheds") -> ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scraper.aliases import Mention
from scraper.coref import unwatched_weapons
from scraper.sentences import dateline_end
from scraper.vet_roles import COORD, GAP, Evidence, before, clause_end

_UNIT = (
    r"(?:units?|brigades?|battalions?|regiments?|divisions?|squadrons?|battlegroups?|contingents?|"
    r"detachments?|military|armed\s+forces|forces|troops|army|navy|air\s+force|marines|soldiers)"
)
_OWNS_UNIT = re.compile(  # at a country's end: "'s 45th Panzer Brigade", " and German Patriot units"
    rf"(?:'s|\ss)?(?:\s+and\s+(?:the\s+)?[\w-]+(?:'s)?)?\s+(?:[\w/.-]+\s+){{0,3}}?{_UNIT}\b|,\s*whose\s+{GAP}{_UNIT}\b"
)
_STAYS_IN = re.compile(
    r"\b(?:stationed|based|deployed|positioned|garrisoned|remain(?:s|ed)?|stay(?:s|ed)?)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:in|at|on)\s+(?:the\s+)?$"
)
_USED_OVER = re.compile(
    r"\b(?:shot\s+down|shoot\s+down|downed|intercepted|struck|fired|flew|flying|patrolled|bombed|used|"
    r"in\s+combat|sorties|missions)\b"
    r"[^,;.]{0,80}?\b(?:over|above|across)\s+(?:the\s+)?(?:[\w'-]+\s?,\s+){0,4}$"  # (" , " in wire copy)
)
# "Turkish Leopards saw combat ... in northern Syria": asked only when another country premodifies the system
_COMBAT_IN = re.compile(
    r"\b(?:saw|seen|in)\s+combat\b[^,;.]{0,80}?\bin\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|"
    r"central)\s+)?$"
)
_HELPERS_AFTER = re.compile(
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+){0,2}?(?:instructors?|trainers?|advis[eo]rs?|technicians?|contractors?|"
    r"engineers?|mechanics?)\b"
)
_BESIDE = re.compile(r"\b(?:alongside|with|by|under|from)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?$")
_ARRIVED_TO = re.compile(
    r"[\w/-]*\s+(?:[\w-]+\s+){0,4}?(?:reached|arrived\s+in|(?:were|was|have\s+been|had\s+been)\s+"
    r"(?:sent|delivered|shipped|transferred|handed\s+over|donated|flown)\s+to)\s+(?:the\s+)?$"
)
_INVENTORY = re.compile(
    r"\b(?:built\s+around|based\s+on|equipped\s+with|rel(?:y|ies|ied|ying)\s+on|armed\s+with|consists?\s+of|"
    r"includes?|including)\s+(?:the\s+|a\s+|an\s+)?$"
)
_SAID = re.compile(r"(?:\s+(?:defence|defense|foreign)\s+ministry)?\s+(?:said|says|announced|confirmed)\b")
_OWN_PLEDGE = re.compile(
    r"\b(?:they|it|we)\s+(?:had\s+|have\s+|has\s+)?(?:promised|pledged|donated|offered|committed)\b"
)
_SENT_TO = re.compile(rf"\b(?:sent|sends|send|dispatched|deployed|rotated)\s+{GAP}to\s+(?:the\s+)?$")
_MISSION = re.compile(
    r"\b(?:mission|air[\s-]policing|to\s+police|rotation|rotational|exercises?|drills?|temporar(?:y|ily))\b"
)


def explain(
    ev: Evidence, mention: Mention, systems: Sequence[Mention], country: str, origin: Sequence[str]
) -> str | None:
    """Rules 17-23 for one mention of the country: ``other`` or ``supplier``, else None."""
    low = ev.low
    start = ev.group(mention)[0]
    lead = before(low, start)
    offset = start - len(lead)
    for rule in (_STAYS_IN, _USED_OVER):
        found = rule.search(lead)
        if found is not None and _actor_before(ev, offset + found.start(), country, units=rule is _STAYS_IN):
            return "other"  # 17, 18
    combat = _COMBAT_IN.search(lead)
    if combat is not None and any(
        m.kind == "country"
        and m.name != country
        and 0 <= s.start - m.end <= 3
        and s.end <= offset + combat.start()
        for s in systems
        for m in ev.mentions
    ):
        return "other"  # 18: "Turkish Leopards saw combat in northern Syria"; not "jets ... saw combat in Ukraine"
    if _HELPERS_AFTER.match(low, mention.end) and _BESIDE.search(lead):
        return "supplier"  # 19: "Indian technicians installed the S-400" stays India's
    adjective = [
        s
        for s in systems
        if 0 <= s.start - mention.end <= 20 and _NOUN_GAP.fullmatch(low, mention.end, s.start)
    ]
    if adjective and _BOUGHT.search(lead):
        return "supplier"  # 44: "has bought Israel's Arrow 3"
    for system in adjective:
        if _arrived_elsewhere(ev, system, country):
            return "supplier"  # 20
        if mention.name in origin and _INVENTORY.search(lead):
            return "supplier"  # 21
    if _SAID.match(low, mention.end) and _OWN_PLEDGE.search(low, mention.end):
        return "supplier"  # 22
    if systems and _other_weapon_clause(ev, mention, systems):
        return "other"  # 48: "Russia has supplied Iran with Yak-130 jets, and Tehran has sent Shaheds"
    if systems and _owns_other_weapon(ev, mention, systems):
        # 48: "The Gripen plan was blocked, which also derailed interest in South Korea's FA-50"
        return "other"
    sent = _SENT_TO.search(lead)
    if (
        sent is not None
        and _actor_before(ev, offset + sent.start(), country, units=False)
        and _MISSION.search(low, mention.end, _clause_end(low, mention.end))
    ):
        return "other"  # 23
    return None


_BOUGHT = re.compile(
    r"\b(?:bought|buys|buying|buy|ordered|orders|order|purchased|purchases|purchase|acquired|acquires|acquire|"
    r"procured|chose|chosen|selected|picked|leased|leases)\s+(?:the\s+)?$"
)


def _other_weapon_clause(ev: Evidence, mention: Mention, systems: Sequence[Mention]) -> bool:
    """Rule 48: the country's coordinated clause is about a weapon the watchlist does not watch and never
    names the system."""
    start = 0
    for found in COORD.finditer(ev.low, 0, mention.start):
        start = found.end()
    end = clause_end(ev.low, mention.end)
    if any(start <= s.start < end for s in systems):
        return False
    return any(start <= p.start < end for p in unwatched_weapons(ev.text, (start, end), ev.mentions))


def _owns_other_weapon(ev: Evidence, mention: Mention, systems: Sequence[Mention]) -> bool:
    """Rule 48 too: the country is the possessor of a weapon the watchlist does not watch, and no system
    follows it in its clause."""
    low = ev.low
    if not (low.startswith(("'s ", "' "), mention.end) or mention.surface.endswith("'s")):
        return False
    end = clause_end(low, mention.end)
    if any(mention.end <= s.start < end for s in systems):
        return False
    if any(s.end <= mention.start and "," not in low[s.end : mention.start] for s in systems):
        return False  # "The Gripens will replace Thailand's F-5s": the system's buyer owns the old fleet
    if (code := _OWNED_CODE.match(ev.text, mention.end)) is not None:
        # not a watched system's code ("Egypt's F-16s")
        return not any(
            m.start < code.end() and code.start() < m.end for m in ev.mentions if m.kind == "system"
        )
    return any(
        0 <= p.start - mention.end <= 3 for p in unwatched_weapons(ev.text, (mention.end, end), ev.mentions)
    )


# A model code after a possessive: "South Korea's FA-50", "Pakistan's JF-17s" (not "COVID-19" or "FY-2025": a
# weapon's code has one to three capitals and one to three digits)
_OWNED_CODE = re.compile(r"(?:'s)?\s[A-Z]{1,3}-\d{1,3}[A-Z]{0,3}s?\b")


_NOUN_GAP = re.compile(r"(?:'s|\ss)?\s+(?:[\w-]+\s+){0,2}?")


def _clause_end(low: str, at: int) -> int:
    found = _CLAUSE_END.search(low, at)
    return len(low) if found is None else found.start()


_CLAUSE_END = re.compile(r"[;.]|,\s*(?:and|but|while)\s")  # a sentence's full stop ends it too


def _actor_before(ev: Evidence, at: int, country: str, *, units: bool) -> bool:
    """Another country acts before ``at``, and this one does not: with ``units``, the other country owns
    the units or military that stay ("Germany's brigade", "the Netherlands, whose units")."""
    skip = dateline_end(ev.text)  # "MANILA/TOKYO - ": the dateline's cities are no actors
    earlier = [m for m in ev.mentions if m.kind == "country" and skip <= m.start and m.end <= at]
    if any(m.name == country for m in earlier) or not earlier:
        return False
    if not units:
        return True
    return any(_OWNS_UNIT.match(ev.low, m.end) is not None for m in earlier)


def _arrived_elsewhere(ev: Evidence, system: Mention, country: str) -> bool:
    """The system, right after the country's adjective, reached or was sent to another country."""
    for m in ev.mentions:
        if m.kind == "country" and m.name != country and m.start > system.end:
            return _ARRIVED_TO.fullmatch(ev.low, system.end, m.start) is not None
    return False
