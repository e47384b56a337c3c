"""Role rules for vetting: is a country named in an operator hit's evidence really its operator?

Each rule explains one mention of the country as something else: the target of an attack or the attacker
of the system (1), the host of a foreign military (2), a border or region (3), a seller (4), a partner,
pressure, a customer's source, or the place of a handover or of use (11-13). ``scraper.vet`` demotes a
hit only when every mention is explained; see its docstring for the full list and examples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from scraper.aliases import Mention, lower_aligned, normalize
from scraper.lexicon import ON_A_MISSION, compile_lexicon
from scraper.model import Watchlist
from scraper.roles import CLAUSE_VERB, OWN_KIND_INCLUDING
from scraper.scopes import Event, judge

GAP = r"(?:[\w'./-]+\s+){0,5}?"  # a few words with no punctuation between: one noun phrase
WINDOW = 160  # characters looked back from a mention

# 1. Targets. Triggers whose object is a target; "against" needs a weapon or force noun after the country.
_ATTACK_VERB = (
    r"(?:shoot|shot|shoots|shooting)\s+down|downed|downing|downs|intercept(?:s|ed|ing)?|destroy(?:s|ed|ing)?|"
    r"struck(?!\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:deal|agreement|contract|accord|bargain))|"
    r"against|(?:response|retaliation)\s+to|(?:attack|strike|raid|assault|barrage|offensive)s?\s+(?:on|against)|"
    r"invasion\s+of|fired\s+(?:at|on|towards?|into)|aimed\s+at"
)
_AMONG = rf"(?:{GAP}[\w-]+\s?,\s*(?:including|such\s+as|among\s+them|notably|especially|mostly|mainly)\s+)?"
_TARGET_LEAD = re.compile(rf"\b(?:{_ATTACK_VERB})\s+(?:the\s+)?{_AMONG}{GAP}$")
_BARE_TARGET = re.compile(  # the country itself may be the target: "the attack on Israel", "fired at Israel"
    r"(?:(?:attack|strike|raid|assault|barrage|offensive)s?\s+(?:on|against)|invasion\s+of|fired\s+(?:at|on|"
    r"towards?|into)|aimed\s+at)\s+(?:the\s+)?$"
)
_ATTACKER_TAIL = re.compile(  # "missiles fired from Iran", "drones launched by Russia"
    r"\b(?:missiles?|rockets?|drones?|projectiles?|munitions|bombs?)\s+(?:[\w-]+\s+)?"
    r"(?:fired|launched)\s+(?:from|by)\s+(?:the\s+)?$"
)
_AMONG_THEM = re.compile(r"\s*,?\s*(?:among\s+them|including|such\s+as|notably)\s+(?:[\w-]+\s+){0,2}?$")
_OWNED_BEFORE = re.compile(r"\b(?:its|their|our)\s+(?:own\s+)?(?:[\w-]+\s+)?$")
_OWNED_AFTER = re.compile(
    r"(?:\s+[\w-]+){0,2}?\s+(?:that\s+|which\s+)?(?:it|they|we)\s+(?:had\s+|has\s+|have\s+)?"
    r"(?:deployed|operated|operates|received|bought|fielded|stationed|positioned)\b"
)
_ATTACK_DONE = (  # with the forms after "to" and "began": "used missiles to knock out", "began striking the"
    r"(?:(?:shot|shoot(?:s|ing)?)\s+down|knock(?:s|ed|ing)?\s+out|(?:took|take|takes|taken|taking)\s+out|"
    r"destroy(?:s|ed|ing)?|struck|striking|hit|hitting|down(?:ed|ing|s)|damag(?:ed|ing))"
)
_ATTACKED_BY = re.compile(rf"\b{_ATTACK_DONE}\s+by\s+(?:[\w-]+\s+){{0,2}}$")
_ATTACKS_SYSTEM = re.compile(  # the country, then within the clause an attack whose object is the system
    rf"(?:'s|\ss)?[^.;:]{{0,80}}?\b(?P<attack>{_ATTACK_DONE}|(?:strikes?|attacks?|raids?)\s+(?:on|against))\s+"
    r"(?:(?:an?|the|two|three|several|one|its|their)\s+)?"
    # "Iran's", "iran s"; not a place and then the weapon ("striking Crimea with ATACMS missiles")
    r"(?:(?!(?:with|using|from|by|in|at|on|into|to|against)\b)[\w'-]+\s+){0,2}"
)
_ADJECTIVE_USE = re.compile(  # the country premodifies a noun: "Russian cruise missiles", "Russia's region"
    r"(?:'s|\ss)?\s+(?!(?:and|or|to|from|in|on|of|for|with|by|at|as|said|says|has|have|had|is|are|was|"
    r"were|will|would|which|that|who|after|before|since|over)\b)[a-z]"
)
_DESTROYED = re.compile(  # "Israel struck Iran, destroying S-300 batteries": the attacker is no operator
    rf"\b(?:destroy(?:s|ed|ing)?|struck|hit|bomb(?:s|ed|ing)|damag(?:es|ed|ing)|knock(?:s|ed|ing)\s+out)\s+"
    rf"(?:the\s+)?{GAP}$"
)
_SHOT_DOWN = re.compile(
    r"\b(?:(?:shoot|shot|shoots|shooting)\s+down|downed|downing|intercept(?:s|ed|ing)?)\s+(?:the\s+)?{among}{gap}$".replace(
        "{gap}", GAP
    ).replace("{among}", _AMONG)
)

# 2. Hosts. A foreign military's move of the system, or its bases/forces in the country.
_MILITARY = r"(?:military|armed\s+forces|forces|troops|army|navy|air\s+force|marines|soldiers)"
_HOST_MOVE = re.compile(
    rf"\b{_MILITARY}\s+(?:[\w'-]+\s+){{0,3}}?(?:sent|send|sends|sending|deploy(?:s|ed|ing)?|install(?:s|ed|ing)?|"
    r"station(?:s|ed|ing)?|position(?:s|ed|ing)?|mov(?:e|es|ed|ing)|rush(?:es|ed|ing)?|dispatch(?:es|ed|ing)?)"
    r"\s+(?:[\w'./-]+\s+){0,10}?(?:to|in|into|on|at)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|"
    r"central|north|south|east|west)\s+)?$"
)
_HOST_RELATIVE = re.compile(
    r",\s*(?:which|who)\s+(?:(?:had|have|has|also|both|each|all|later|then)\s+){0,3}(?:sent|deployed|"
    r"stationed|positioned|based|installed|moved|rushed|dispatched)\s+(?:[\w'./-]+\s+){0,8}?(?:to|in|into|on|at)\s+"
    r"(?:the\s+)?$"
)
_HOST_BASES = re.compile(
    r"\b(?:bases?|troops|forces|soldiers|personnel|garrisons?|facilit(?:y|ies))\s+(?:in|at)\s+(?:the\s+)?"
    r"(?:(?:countries|nations|states|places)\s+)?(?:(?:such\s+as|like|including)\s+)?$"
)

# 3. Geography.
# a border; a transit country ("flew via Singapore"); where targets were ("fired at targets across Ukraine")
_GEO_LEAD = re.compile(
    r"(?:\b(?:border|frontier|boundary)\s+with|\bbordering|\bborders|\bborder\s+of|\bvia|\bby\s+way\s+of|"
    r"\b(?:stopover|stop-over|refuell?ing\s+stop)s?\s+in|"
    r"\btargets?\s+(?:in|across|throughout|around|inside|all\s+over))\s+(?:the\s+)?$"
)
_GEO_TAIL = re.compile(  # not "Ukraine hits Bryansk Oblast": a verb before the region makes it the country's act
    r"(?:'s|\ss)?\s+(?:(?!(?:hits?|struck|strikes?|attack\w*|shell\w*|bomb\w*|invade\w*|enter\w*|seiz\w*|captur\w*|"
    r"took|takes|fired|fires|launch\w*|target\w*|pound\w*|raid\w*)\b)[\w-]+\s+){0,2}?"
    r"(?:border|frontier|region|oblast|province|soil|territory)\b"
)

# 4. Sellers.
_CLAUSE_START = re.compile(r"(?:^|[,;:(]|\b(?:and|but|while|whereas|after|as|when)\s+)\s*(?:the\s+)?$")
_GIVE = (
    r"(?:sent|supplied|donated|delivered|gave|given|handed\s+over|transferred|exported|sold|shipped|lent|"
    r"leased)"
)
_SUBJECT_GIVES = re.compile(
    r"\s+(?:(?:has|have|had|also|previously|already|since|itself|reportedly|were|was|is|are|been)\s+)*"
    rf"(?P<among>among\s+(?:those|the\s+[\w-]+)\s+(?:that|which|who|to)\s+(?:have\s+|had\s+)?)?{_GIVE}\b"
)
_GIVING = re.compile(rf"\b(?:{_GIVE}|send(?:s|ing)?|suppl(?:y|ies|ying)|deliver(?:s|ing)?|donat(?:es|ing))\b")
_ELSE_SENT = re.compile(  # "the heavy weapons Prague sent to Ukraine": the recipient of other goods
    r"\b(?:weapons|equipment|arms|aid|ammunition|munitions|hardware|materiel)\s+(?:that\s+|which\s+)?"
    rf"(?:[\w'.-]+\s+){{1,3}}?(?:had\s+|has\s+|have\s+)?{_GIVE}\s+to\s+(?:the\s+)?$"
)
OWN_CREWS = re.compile(
    r"\bto\s+operate\s+(?:it|them)\b|\b(?:soldiers|troops|personnel|crews)\s+to\b|\b" + ON_A_MISSION
)  # sending one's own crews, or sending jets on a mission or an exercise: a deployment, not a gift
_USED_ADJ = re.compile(r"\b(?:second-hand|secondhand|used|surplus|refurbished|pre-owned)\s+$")
_TURNED_TO = re.compile(r"\b(?:turn|turns|turned|turning|look|looks|looked|looking)\s+to\s+(?:the\s+)?$")

# 11-13. Relations, customers, places of handover or use.
_RELATION_TAIL = re.compile(  # "China's closest military partner", "under U.S. pressure"
    r"(?:'s|\ss)?\s+(?:(?!(?:would|will|could|may|might|must|can|face[sd]?|facing|risks?|risked|is|are|was|"
    r"were|has|have|had|to|under|without|and|or)\b)[\w-]+\s+){0,2}?(?:partners?|all(?:y|ies)|neighbou?rs?|rivals?|adversar(?:y|ies)|"
    r"backers?|pressure|sanctions|objections?|opposition|warnings?|threats?|insistence)\b"
)
_RELATION_LEAD = re.compile(
    r"\b(?:pressure|sanctions|objections?|opposition|warnings?|threats?)\s+(?:from|by)\s+(?:the\s+)?$"
)
_BACKED = re.compile(
    r"-(?:backed|sponsored|funded|supported|aligned|allied|armed)\b"
)  # "Iranian-backed Houthis"
_CUSTOMER_OF = re.compile(  # "one of the largest buyers of Russian weapons"
    r"\b(?:buyers?|customers?|clients?|importers?|purchasers?|recipients?)\s+of\s+(?:the\s+)?$"
)
_HANDED_IN = re.compile(  # "the first of which it received in the United States": the seller's plant
    r"\b(?:received|handed\s+over|delivered|accepted|took\s+delivery)\s+(?:[\w'.-]+\s+){0,3}?"
    r"(?:in|at)\s+(?:the\s+)?$"
)
_USED_IN = re.compile(  # "has been used in Ukraine", "fired over Japan": where, not who
    r"\b(?:been|was|were|being)\s+(?:used|fired|flown|tested|combat-tested)\s+(?:[\w'.-]+\s+){0,4}?"
    r"(?:in|inside|over|across)\s+(?:the\s+)?$"
)
_WHO_GAVE = re.compile(  # "ordered by Cyprus, which handed them over"
    rf",\s*(?:which|who)\s+(?:(?:has|have|had|later|then|also|eventually)\s+)*(?:{_GIVE}|handed\s+"
    r"(?:it|them)\s+over|passed\s+(?:it|them)\s+on)\b"
)

# ", and", "; but", or a bare "; ". Written to start with one character class (the same matches as
# "(?:,\s*|;\s*)(?:and|...)\s+|;\s+"), so that the engine jumps from comma to semicolon in C instead of
# trying the alternation at every character: the clause rules search whole evidence sentences with it.
COORD = re.compile(r"[,;](?:\s*(?:and|but|while|whereas)\s+|(?<=;)\s+)")


@dataclass(slots=True)
class Evidence:
    """One evidence sentence, normalised and lower-cased, with its mentions and cues."""

    text: str
    low: str
    mentions: tuple[Mention, ...]
    stages: tuple[tuple[str, tuple[str, ...]], ...]
    found: list[Event] | None = None
    cuts: dict[str, list[int]] = field(default_factory=dict)  # per country: where its clauses start
    statuses: dict[int, str] = field(default_factory=dict)  # per cue start: what judge() says of it
    country_mentions: list[Mention] | None = None
    groups: dict[Mention, tuple[int, int]] = field(default_factory=dict)  # per country mention: group_of()

    def status(self, cue: Event) -> str:
        """judge() of one of this sentence's cues over the whole sentence; every hit's rules ask, so cached."""
        found = self.statuses.get(cue.start)
        if found is None:
            found = self.statuses[cue.start] = judge(cue, self.low, (0, len(self.low)), self.events)
        return found

    @property
    def countries(self) -> list[Mention]:
        """The country mentions, in order (every role rule asks)."""
        if self.country_mentions is None:
            self.country_mentions = [m for m in self.mentions if m.kind == "country"]
        return self.country_mentions

    def group(self, mention: Mention) -> tuple[int, int]:
        """group_of() of one of this sentence's country mentions; every role rule asks, so the groups of all
        of them are found at once, in one walk along the list (each mention's own walk was quadratic in a
        list of thousands of names)."""
        if not self.groups:
            self.groups = groups_of(self.low, self.countries)
        return self.groups[mention]

    @property
    def events(self) -> list[Event]:
        """Cues and scope triggers, scanned the first time a stage rule asks (role rules do not)."""
        if self.found is None:
            scanned = compile_lexicon(self.stages).scan(self.low)
            self.found = [Event(kind, start, end) for kind, start, end in scanned]
        return self.found


def read_evidence(sentence: str, watchlist: Watchlist) -> Evidence:
    text = " ".join(normalize(sentence).split())
    return Evidence(text, lower_aligned(text), watchlist.index.find(text, text.islower()), watchlist.stages)


# ---- roles ----------------------------------------------------------------------------------------


def roles(
    ev: Evidence, mine: Sequence[Mention], systems: Sequence[Mention], country: str
) -> list[str | None]:
    """Per mention of the country: ``other`` or ``supplier`` when a rule explains it, else None."""
    verdicts: list[str | None] = []
    for mention in mine:
        group = ev.group(mention)
        verdicts.append(
            _target(ev, mention, group, systems)
            or _host(ev, group, country)
            or _geography(ev, group)
            or _seller(ev, mention, group, systems, country)
            or _relation(ev, mention, group)
        )
    return verdicts


_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)(?:the\s+)?$")


def group_of(low: str, countries: Sequence[Mention], mention: Mention) -> tuple[int, int]:
    """Start and end of the coordinated list of countries the mention belongs to ("Poland, Norway and
    Canada")."""
    index = countries.index(mention)
    first = last = index
    while first > 0 and _joined(low, countries[first - 1], countries[first]):
        first -= 1
    while last + 1 < len(countries) and _joined(low, countries[last], countries[last + 1]):
        last += 1
    return countries[first].start, countries[last].end


def groups_of(low: str, countries: Sequence[Mention]) -> dict[Mention, tuple[int, int]]:
    """group_of() of every country mention: each run of mentions listed together, found in one walk."""
    groups: dict[Mention, tuple[int, int]] = {}
    first = 0
    for index in range(len(countries)):
        if index + 1 == len(countries) or not _joined(low, countries[index], countries[index + 1]):
            span = (countries[first].start, countries[index].end)
            for mention in countries[first : index + 1]:
                groups.setdefault(mention, span)
            first = index + 1
    return groups


def _joined(low: str, one: Mention, two: Mention) -> bool:
    """Listed together: "Poland, Norway and Canada", not "the threat from Russia, Poland ordered"."""
    found = _LIST_JOIN.fullmatch(low, one.end, two.start)
    return found is not None and not (
        low[one.end : two.start].strip() == "," and CLAUSE_VERB.match(low, two.end)
    )


def before(low: str, at: int) -> str:
    return low[max(0, at - WINDOW) : at]


def _target(ev: Evidence, mention: Mention, group: tuple[int, int], systems: Sequence[Mention]) -> str | None:
    """Rule 1: the country is what was attacked, or attacked, or shot the system down."""
    low = ev.low
    lead = before(low, group[0])
    for system in systems:
        attack = (
            _ATTACKS_SYSTEM.fullmatch(low, mention.end, system.start) if system.start > mention.end else None
        )
        if (
            attack is not None
            and not any(  # "Ukraine confirmed a Russian drone damaged its Leopard": not Ukraine's
                m.kind == "country"
                and m.name != mention.name
                and mention.end < m.start < attack.start("attack")
                for m in ev.mentions
            )
            # "a drone damaged two of its Leopard 2 tanks", "an Iron Dome battery it had deployed": its owner, hit
            and not _OWNED_BEFORE.search(low, max(0, system.start - 30), system.start)
            and not _OWNED_AFTER.match(low, system.end)
        ):
            return "other"  # "its JF-17 jets fired missiles that knocked out an S-400 system": the attacker
    if systems and all(_TARGET_LEAD.search(before(low, s.start)) for s in systems):
        # "Ukrainian crews used the system to shoot down Russian Kinzhal missiles": the shooter is no
        # operator of the Kinzhal ("Russian", inside the target phrase, is); "destroyed Iranian S-300
        # batteries": the target's owner does operate the system.
        for system in systems:
            shot = _SHOT_DOWN.search(before(low, system.start)) or _DESTROYED.search(
                before(low, system.start)
            )
            if shot is None or mention.end > system.start - len(shot.group()):
                return None
        return "other"
    tail = _ATTACKER_TAIL.search(lead)
    launched = tail is not None and any(  # "missiles launched by Russia, among them Kinzhal": its own weapons
        group[0] - len(lead) + tail.start() <= s.start < group[0] or _AMONG_THEM.match(low, group[1], s.start)
        for s in systems
    )
    if (tail is not None and not launched) or _ATTACKED_BY.search(lead):
        return "other"  # "ballistic missiles fired from Iran", "batteries knocked out by Israeli strikes"
    found = _TARGET_LEAD.search(lead)
    if found is None:
        return None
    if _BARE_TARGET.search(lead) is None and not _ADJECTIVE_USE.match(low, mention.end):
        return None  # "sanctions against Turkey": a country's name, not an adjective of a target
    if any(
        group[0] - len(lead) + found.start() < s.start < group[1] + 40
        # "shot down two Indian military aircraft on Wednesday, one of them a French-built Rafale"
        or (s.start > group[1] and OWN_KIND_INCLUDING.fullmatch(low, group[1], s.start))
        for s in systems
    ):
        return None  # the system is in the target phrase
    return "other"


def _other_country_before(ev: Evidence, at: int, country: str, slack: int = 2) -> bool:
    return any(
        m.kind == "country" and m.name != country and at - slack - 12 <= m.end <= at for m in ev.mentions
    )


def _host(ev: Evidence, group: tuple[int, int], country: str) -> str | None:
    """Rule 2: another country's military put the system here, or keeps its forces here."""
    lead = before(ev.low, group[0])
    offset = group[0] - len(lead)
    moved = _HOST_MOVE.search(lead)
    if moved is not None and _other_country_before(ev, offset + moved.start(), country):
        return "other"  # "the U.S. military installed THAAD in South Korea"
    relative = _HOST_RELATIVE.search(lead)
    if relative is not None and _other_country_before(ev, offset + relative.start(), country):
        return "other"  # "Germany and the Netherlands, which had both stationed Patriot batteries in Turkey"
    based = _HOST_BASES.search(lead)
    if based is not None and _other_country_before(ev, offset + based.start(), country):
        return "other"  # "to protect American bases in countries such as Saudi Arabia"
    return None


def _geography(ev: Evidence, group: tuple[int, int]) -> str | None:
    """Rule 3: the country is a border or the owner of a region."""
    if _GEO_LEAD.search(before(ev.low, group[0])) or _GEO_TAIL.match(ev.low, group[1]):
        return "other"
    return None


def _seller(
    ev: Evidence, mention: Mention, group: tuple[int, int], systems: Sequence[Mention], country: str
) -> str | None:
    """Rule 4: the subject of an outgoing transfer, the origin of a used system, the one turned to."""
    low = ev.low
    lead = before(low, group[0])
    other_goods = _ELSE_SENT.search(lead)
    if other_goods is not None and not any(
        group[0] - len(lead) + other_goods.start() <= s.start < group[0] for s in systems
    ):
        return "other"
    if _TURNED_TO.search(lead):
        return "supplier"  # "Morocco has turned to the United States and Israel"
    if _USED_ADJ.search(before(low, mention.start)) and any(
        0 <= s.start - mention.end <= 20 for s in systems
    ):
        return "supplier"  # "second-hand Israeli F-16s"
    if _WHO_GAVE.match(low, group[1]):
        return "supplier"  # "originally ordered by Cyprus, which handed them over"
    if _CLAUSE_START.search(lead) is None:
        return None
    gives = _SUBJECT_GIVES.match(low, group[1])
    if gives is None or OWN_CREWS.search(low):
        return None
    until = clause_end(low, gives.end())
    if systems and not any(gives.end() <= s.start < until for s in systems):
        return None  # the transfer is of something else
    if gives.group("among"):
        return "supplier"  # "Poland, Norway and Canada were among those that sent Leopards"
    recipient = any(
        m.kind == "country"
        and m.name != country
        and gives.end() < m.start < until
        and re.search(r"\bto\s+(?:the\s+)?$", low[max(0, m.start - 8) : m.start])
        for m in ev.mentions
    )
    return "supplier" if recipient else None  # "Spain has sent Leopard 2 tanks ... to Ukraine"


def _relation(ev: Evidence, mention: Mention, group: tuple[int, int]) -> str | None:
    """Rules 11-13: a partner, pressure, a customer's source, a place of handover or of use."""
    low = ev.low
    lead = before(low, group[0])
    tail = _RELATION_TAIL.match(low, mention.end)
    if tail is not None and tail.group().endswith(("backer", "backers")) and _GIVING.search(low):
        tail = None  # "Ukraine's backers, including Germany, have sent IRIS-T systems": the backed receives
    if tail is not None or _RELATION_LEAD.search(lead) or _BACKED.match(low, mention.end):
        return "other"  # "China's closest military partner", "under U.S. pressure", "Iranian-backed"
    if _CUSTOMER_OF.search(before(low, mention.start)) and _ADJECTIVE_USE.match(low, mention.end):
        return "supplier"  # "buyers of Russian weapons"
    if _HANDED_IN.search(lead):
        return "supplier"  # "received in the United States": handed over at the maker's plant
    used = _USED_IN.search(lead)
    if used is not None and any(
        m.kind == "country" and m.end <= group[0] - len(lead) + used.start() for m in ev.mentions
    ):
        return "other"  # "the Russian ministry said the Su-57 has been used in Ukraine"
    return None


def clause_end(low: str, at: int) -> int:
    found = COORD.search(low, at)
    return len(low) if found is None else found.start()
