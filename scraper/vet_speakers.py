"""Role rules for vetting operator hits at any stage: commentators, counterparties, industries, others'.

Alerts fire on every new operator pair and on every change of stage, so an operator at ``talks`` or
``deal`` that is really a commentator's seat is a wrong alert too. Each function explains one mention of
a country in an operator hit's evidence as something other than the operator, or returns None;
``scraper.vet`` demotes a hit only when every mention is explained.

27. *Seat*: where a speaker, analyst or firm is based ("said a Singapore-based analyst", "an analyst
    based in London") -> ``other``.
28. *Counterparty*: the country a policy is aimed at, not one that buys ("buys political insurance with
    Paris, London and Washington", "would reduce dependence on Washington", "ties with Moscow") -> other.
29. *Industry*: the country premodifies its own defence industry or exporters ("a proud moment for
    Turkish defence industry"): a maker -> ``supplier``; so is a speaker from that country in the same
    sentence ("Turkish President X called the deal a proud moment for Turkish defence industry").
30. *Another's system*: the system carries another country's adjective ("the Russian S-400", "German
    Eurofighters") and this country's adjective premodifies a different noun ("and the South Korean
    KM-SAM", "Russian military flights") -> ``other``; "Turkish crews", "Indian pilots" stay (users).
31. *Own clause, other system*: the country opens a later coordinated clause whose object is another
    watched system ("Turkey has sold TB2s widely, and Indonesia ordered Akinci drones"), the hit's
    system named only before it -> ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scraper.aliases import Mention
from scraper.vet_roles import COORD, GAP, Evidence, before, clause_end

_SEAT_AFTER = re.compile(r"-based\b")
_BASED_IN = re.compile(
    r"\b(?:analysts?|experts?|researchers?|economists?|consultan(?:ts?|cy|cies)|think[\s-]tanks?|"
    r"institutes?|firms?|compan(?:y|ies)|groups?|observers?|academics?|journalists?|correspondents?|"
    r"reporters?|bloggers?|monitors?)\s+(?:(?:who\s+is|who\s+are|which\s+is)\s+)?(?:based|headquartered)\s+in\s+"
    r"(?:the\s+)?$"
)
_COUNTERPARTY = re.compile(
    r"\b(?:insurance|ties|relations(?:hips?)?|leverage|goodwill|influence|friendship|alignment|rapprochement|"
    r"hedg(?:e|es|ing)|balanc(?:e|es|ing))\s+(?:[\w-]+\s+)?(?:with|between|toward|towards)\s+(?:the\s+)?$|"
    r"\b(?:dependen(?:ce|cy)|reliance|overreliance)\s+(?:[\w-]+\s+)?(?:on|upon)\s+(?:the\s+)?$"
)
_INDUSTRY_AFTER = re.compile(
    r"(?:'s|\ss)?\s+(?:(?:defen[cs]e|arms|military|aerospace|aviation|weapons?)\s+)+(?:industry|industries|"
    r"industrial\s+base|sector|exports?|exporters?|makers?|manufacturers?|firms?|companies|contractors?)\b"
)
_SPEAKER_AFTER = re.compile(
    r"(?:'s)?\s+(?:(?:president|prime\s+minister|premier|chancellor|leader|king|minister|defen[cs]e\s+minister|"
    r"foreign\s+minister|spokes(?:man|woman|person)|officials?|ministry|government)\b)"
)
_USER_AFTER = re.compile(  # nouns whose owner uses the system
    r"(?:'s|\ss)?\s+(?:crews?|troops|soldiers|pilots|gunners|operators|army|navy|air\s+force|forces|units?|"
    r"battalions?|brigades?|regiments?|squadrons?|marines|military(?=\s*(?:[,.;:)]|$|\s+(?:has|have|had|is|are|"
    r"was|were|will|would|operates?|operated|uses?|used|deploy\w*|fire[sd]?|received?)\b)))"
)
_ADJECTIVE_NOUN = re.compile(
    r"(?:'s|\ss)?\s+(?!(?:and|or|to|from|in|on|of|for|with|by|at|as|said|says|has|have|had|is|are|was|were|"
    r"will|would|which|that|who|after|before|since|over|officials?|government|ministry|president|leaders?|"
    r"signs|buys|orders|receives|plans|agrees|wants|operates|flies|\w+ed)\b)"  # a verb: the name is a subject
    r"[\w-]"
)
_DETERMINER = re.compile(r"(?:^|\b(?:the|a|an|its|their|and|or|in|of|on|by|with|for|at|about)\s+|,\s*)$")


def bystander(ev: Evidence, mention: Mention, systems: Sequence[Mention], country: str) -> str | None:
    """Rules 27-31 for one mention of the country: ``other`` or ``supplier``, else None."""
    low = ev.low
    if _SEAT_AFTER.match(low, mention.end) or _BASED_IN.search(before(low, mention.start)):
        return "other"  # 27
    start = ev.group(mention)[0]
    if _COUNTERPARTY.search(before(low, start)):
        return "other"  # 28
    if _INDUSTRY_AFTER.match(low, mention.end):
        return "supplier"  # 29
    if _SPEAKER_AFTER.match(low, mention.end) and any(
        m.kind == "country" and m.name == country and _INDUSTRY_AFTER.match(low, m.end) for m in ev.mentions
    ):
        return "supplier"  # 29: the seller's leader praising its own industry
    if _others_system(ev, mention, systems, country):
        return "other"  # 30
    if _own_clause_elsewhere(ev, mention, systems):
        return "other"  # 31
    return None


def _own_clause_elsewhere(ev: Evidence, mention: Mention, systems: Sequence[Mention]) -> bool:
    """Rule 31: the country opens a later coordinated clause about another watched system, and the
    hit's system is named only in earlier clauses ("Turkey sold TB2s to 30 countries, and Indonesia
    ordered Akinci drones")."""
    low = ev.low
    if not systems:
        return False
    boundary = None
    for found in COORD.finditer(low, 0, mention.start):
        boundary = found
    if boundary is None or not re.fullmatch(r"(?:the\s+)?", low[boundary.end() : mention.start]):
        return False
    if any(s.start >= boundary.start() for s in systems):
        return False
    end = clause_end(low, mention.end)
    return any(m.kind == "system" and mention.end <= m.start < end for m in ev.mentions)


def _others_system(ev: Evidence, mention: Mention, systems: Sequence[Mention], country: str) -> bool:
    """Rule 30: every mention of the system carries another country's adjective, and this one is an
    adjective of some other noun, not of the system nor of those who use it."""
    low = ev.low
    if not systems or not _demonym(mention):
        return False  # a country's name ("Russia", "Switzerland's") is a noun, not an adjective
    if _USER_AFTER.match(low, mention.end) or not _ADJECTIVE_NOUN.match(low, mention.end):
        return False
    if not _DETERMINER.search(low, max(0, mention.start - 8), mention.start):
        return False
    if any(
        0 <= s.start - mention.end <= 24 and _GAP_ONLY.fullmatch(low, mention.end, s.start) for s in systems
    ):
        return False  # "the South Korean K2": its own adjective
    return all(_owned_by_other(ev, s, country) for s in systems)


_GAP_ONLY = re.compile(rf"(?:'s|\ss)?\s+{GAP}")


def _owned_by_other(ev: Evidence, system: Mention, country: str) -> bool:
    return any(
        m.kind == "country" and m.name != country and _demonym(m) and 0 <= system.start - m.end <= 3
        for m in ev.mentions
    )


def _demonym(mention: Mention) -> bool:
    """An adjective ("Russian", "South Korean"), not a name, a possessive or a capital ("Russia",
    "Russia's", "Jakarta"): the watchlist does not say which alias is which, the ending does."""
    surface = mention.surface.lower()
    return (
        surface != mention.name.lower()
        and not surface.endswith(("'s", " s", "s'"))
        and surface.endswith(_DEMONYM_ENDINGS)
    )


# Endings of demonyms ("Russian", "Chinese", "Turkish", "Israeli", "Thai", "Czech", "Swiss", "Greek",
# "Dutch", "Emirati"): capitals ("Jakarta", "Ankara", "Warsaw") end otherwise, with a few exceptions
# such as "Tehran" and "Amman" that read as subjects where this rule asks for an adjective.
_DEMONYM_ENDINGS = ("an", "ese", "ish", "i", "ic", "ch", "ss", "ek", "ot", "ly")
