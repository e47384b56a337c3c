"""Who does what in one sentence: the role of each country towards a system.

Roles follow SPEC: ``operator`` (acquires, is offered, orders, receives, deploys, operates, tests, loses),
``supplier`` (makes, sells, delivers to someone else) and ``other`` (hosts another country's system,
speaks, objects, is a target). The rules read the words around a country mention, the way an analyst
would: a premodifier ("Russian-made S-400", "Turkey's S-400s"), its preposition ("from Russia", "to
Warsaw", "with France", "in South Korea" after a deployment), its verb as subject ("Germany delivered",
"Poland signed") or as object ("supply Ukraine with"). A maker country is a supplier unless it is the
one deploying or using the system; a country with no clue is an operator unless another country in
the sentence plainly is, in which case it is ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scraper.lexicon import COMPASS, DEPLOY, FUNDING, PREMODIFIER, SPEAKER_AFTER, SUPPLY_PARTICIPLE, TRANSFER
from scraper.model import constructor

EXPLICIT, WEAK = 2, 1

_TURN = re.compile(r"[,;:]|\b(?:yet|but|and|while)\b")
_REACTS_TO = re.compile(  # the country's own verb (not "dropped its objections to the sale")
    r"(?:'s|\ss)?\s+(?:(?:\w+ly|also|has|have|had|again|openly|sharply)\s+){0,2}(?:(?:condemn|criticis|criticiz|"
    r"denounc|protest|decri|slamm)\w*|objec(?:ts|ted|ting)\s+to|oppos(?:es|ed|ing)|(?:retaliat|rail)\w*\s+against)"
    # (not a complaint about its own deal: "criticised the delay in F-16 deliveries")
    r"\s+(?:the|its|their|this|that)\s+(?!(?:delays?|slow\w*|pace|costs?|price|terms|conditions|suspension|freeze|"
    r"halt|hold|cancellation|decision|refusal)\b)(?:[\w.'-]+\s+){0,3}?$"
)
_LOST_TO = re.compile(
    r"\s+(?:has\s+|have\s+|had\s+)?(?:lost|loses|losing)\b[^.;:]{0,80}?\bto\s+(?:a\s+|an\s+|the\s+)?"
    # not its own: "lost the F-35 programme to its S-400 purchase", "to friendly Patriot fire"
    r"(?:(?!(?:its|their|own|friendly)\b)[\w.'-]+\s+){0,3}$"
)
_FOLLOWED = re.compile(
    r"\s+(?:(?:later|soon|quickly|then|also|have|has|had)\s+)?followed(?:\s+suit)?\b(?!\s+(?:by|the|a|an|up)\b)"
)
_IN_YEAR = r"in\s+(?:19|20)\d\d"
_CLAUSE_ENDS = r"\s*(?:[,.;]|$)"
_GAPPED_DATE = re.compile(r"\s+" + _IN_YEAR + _CLAUSE_ENDS)  # the date branch of _GAPPED alone
_GAP_BEFORE = re.compile(r"(?:,\s*|\s)and\s+(?:the\s+)?$")
_LEAD_PREPOSITION = re.compile(r"\b(?:from|to|by|with|for|of|in|at)\s+(?:the\s+)?$")
_GAPPED = re.compile(  # no verb of its own: a date, or a count and its noun, then the end of the clause
    r"\s+(?:" + _IN_YEAR + r"|(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|twelve|a\s+dozen)\s+"
    r"(?:more\s+)?(?:[\w-]+\s+){0,2}?(?:jets|fighters|aircraft|tanks|launchers|systems|batteries|howitzers|drones|"
    r"helicopters))" + _CLAUSE_ENDS
)
# (a count in brackets after each: "Germany (35), the Czech Republic (24) and Greece (20)")
_COORDINATION = re.compile(
    r"^(?:\s*\(\s*\d[\d,]*\s*\))?\s*(?:,\s*(?:the\s+)?|,?\s*(?:and|or)\s+(?:the\s+)?|&\s*|/\s*|-)$"
)
_BARE_COMMA = re.compile(r"\s*,\s*$")
CLAUSE_VERB = re.compile(
    r"(?:'s|\ss)?\s+(?:(?:has|have|had|is|are|was|were|will|would|could|should|may|might|must|also|then|now|"
    r"already|quickly|recently|finally|later)\b|\w+ed\b|(?:bought|sold|got|took|won|chose|made|sent|gave|"
    r"paid|began|agreed|signed|says|said)\b)"
)
# A clause after a comma whose subject is a country with a verb of its own: ", the United States is promoting the
# F-16" (not a speaker: "..., Washington says"; also read by scraper.reach)
COMMA_SUBJECT = re.compile(r",\s+(?:the\s+)?$")
OWN_VERB = re.compile(
    r"\s+(?:has|have|had|is|are|was|were|will|would|could|should|may|might|must|bought|sold|took|chose|sent|gave|"
    r"paid|signed|agreed|ordered|received|offered|promoted|operates|flies)\b"
)
# The word before a country, past one article: "(\w+)\s+(?:the\s+|a\s+|...)?$" searched in the text
# before it, matched instead on that text reversed (a search anchored at the end tries every start).
_PREPOSITION_REVERSED = re.compile(
    r"\s+(?:(?:eht|a|na|sti|rieht|gniruobhgien|gnirobhgien|lartnec|nrehtron|nrehtuos|nretsae|nretsew)\s+(\w+)(?!\w)|"
    r"(\w+)(?!\w))"
)
# words of receiving ("took delivery", "arrived"), not of giving; reach.py asks them of cues too
ACQUIRE_WORD = re.compile(
    r"t(?:ook|ake|akes|aking|aken) delivery|receiv|arriv|landed|touch|unloaded|offloaded|reached|gets\b|got\b"
)
_ACQUIRE = re.compile(ACQUIRE_WORD.pattern)
# one's own people sent with a system: sending them is a deployment, not a gift (also read by scraper.match)
TROOPS = re.compile(
    r"\b(?:troops|soldiers|personnel|service members|crews of its own|its own crews|"
    # a sent unit of the system itself ("additional Patriot air defence battalions", "an S-400 battalion"), not a
    # recipient's ("enough to equip two battalions", "a tank battalion")
    r"(?:air defen[cs]e|missile|patriot|thaad|s-[34]00) battalions?)\b"
)
_SPEECH = re.compile(r"\b(?:said|says|told|tells|visit\w*|meeting|summit|speaking|interview|conference)\b")


@dataclass(frozen=True, slots=True)
class Place:
    """A span in the text with a canonical name: a country mention, a system mention or a cue."""

    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Role:
    """A country's role in one sentence and how sure the words are (EXPLICIT or WEAK)."""

    role: str
    strength: int


make_place = constructor(Place)  # Place(name, start, end), faster (the matcher makes tens per sentence)
_make_role = constructor(Role)


def _preposition(before: str) -> str:
    """The last word of ``before`` when whitespace (and at most one article) follows it: "sold to the "
    gives "to"; "" when ``before`` does not end in whitespace."""
    found = _PREPOSITION_REVERSED.match(before[::-1])
    return "" if found is None else (found.group(1) or found.group(2))[::-1]


def _groups(low: str, countries: Sequence[Place]) -> list[list[Place]]:
    """Countries joined by "and", "," or "or" share a role ("France and Italy agreed to supply ...")."""
    groups: list[list[Place]] = []
    for country in countries:
        gap = low[groups[-1][-1].end : country.start] if groups else ""
        if (
            groups
            and _COORDINATION.match(gap)
            and not (gap.endswith("the ") and SPEAKER_AFTER.match(low, country.end))
            and not (_BARE_COMMA.match(gap) and CLAUSE_VERB.match(low, country.end))
        ):
            groups[-1].append(country)  # not "..., the Slovak defence ministry said"
        else:  # nor "the threat from Russia, Poland ordered": a phrase, then the subject of a new clause
            groups.append([country])
    return groups


def gapped_subject(low: str, first: Place, last: Place | None = None) -> bool:
    """ "Romania received its first HIMARS in 2021 and Estonia in 2025": a subject after "and" with no verb of its
    own (a date, or a count and its noun), whose verb is the one before it."""
    return (
        _GAP_BEFORE.search(low, max(0, first.start - 10), first.start) is not None
        and _GAPPED.match(low, (last or first).end) is not None
    )


def follows_suit(
    low: str,
    place: Place,
    places: Sequence[Place],
    system: Place | None = None,
    systems: Sequence[Place] = (),
) -> bool:
    """ "Poland delivered 14 Leopard 2A4s, and Canada, Norway, Spain and Portugal followed with smaller batches": a
    country (or the list it heads or sits in) that "followed", doing what the subject before it did (for ``system``,
    unless it followed with another of ``systems``: "and the UK followed with Storm Shadow")."""
    if low.find("followed", place.end, place.end + 200) < 0:  # the common case, and a cheap one
        return False
    last = place
    for other in sorted(places, key=lambda p: p.start):
        if other.start >= last.end and _COORDINATION.match(low[last.end : other.start]):
            last = other
    return _follows(low, last, system, systems)


def _follows(low: str, last: Place, system: Place | None, systems: Sequence[Place]) -> bool:
    if low.find("followed", last.end, last.end + 40) < 0:
        return False
    followed = _FOLLOWED.match(low, last.end)
    if followed is None:
        return False
    named = [s for s in systems if followed.end() <= s.start <= followed.end() + 50]
    return not named or system is None or any(s.name == system.name for s in named)


def sentence_roles(
    low: str,
    span: tuple[int, int],
    system: Place,
    countries: Sequence[Place],
    cues: Sequence[Place],
    origin: frozenset[str],
    known: frozenset[str] = frozenset(),
    others: Sequence[Place] = (),
) -> dict[str, Role]:
    """Role of every country of the sentence ``span`` towards ``system`` (cues carry their stage kind); ``others``:
    the sentence's systems ("... and the UK followed with Storm Shadow" follows for the Storm Shadow only).

    ``known``: countries already established as operators when the system is only referred to ("the
    battery"); another country named beside such a reference defaults to ``other``, not ``operator``.
    """
    start, _ = span
    groups = _groups(low, countries)
    subjects = _deploy_subjects(low, start, groups, cues, system)
    found: dict[int, tuple[str, int]] = {}
    followers: dict[str, tuple[str, int]] = {}  # countries of a list that "followed", with the role they take
    for number, group in enumerate(groups):
        guess = _explicit_role(low, span, group, system, cues, origin, groups, number, subjects, known)
        if guess is not None:
            found[number] = guess
    for number, group in enumerate(groups):
        # "Romania received its first HIMARS in 2021 and Estonia in 2025": a gapped verb, the role of the one before;
        # "..., and Canada and Norway followed with smaller batches": whatever role it had, the one before's
        followed = _follows(low, group[-1], system, others)
        if (number in found and not followed) or not (followed or gapped_subject(low, group[0], group[-1])):
            continue
        # the subject before it: not a maker's adjective ("bought American Patriot systems in 2018 and Romania in
        # 2017"), nor a country after a preposition ("to Ukraine in 2023 and Slovakia 13 jets")
        subject = next(
            (
                n
                for n in range(number - 1, -1, -1)
                if not is_demonym(low, groups[n][-1])
                and not _MADE.match(low, groups[n][-1].end)  # "U.S.-made HIMARS"
                and not _LEAD_PREPOSITION.search(low, max(start, groups[n][0].start - 12), groups[n][0].start)
            ),
            None,
        )
        # (but "delivered HIMARS to Ukraine in 2022 and Poland in 2023": a date after a recipient makes a second one)
        previous = groups[number - 1]
        if (
            _GAPPED_DATE.match(low, group[-1].end)
            and _LEAD_PREPOSITION.search(low, max(start, previous[0].start - 12), previous[0].start)
            is not None
        ):
            subject = number - 1
        if subject is None or subject not in found or found[subject][0] not in ("operator", "supplier"):
            continue
        # "... to Ukraine, and Canada, Norway and Spain followed": the list after "and" followed, not the recipient
        after_recipient = (
            followed
            and len(group) > 1
            and _LEAD_PREPOSITION.search(low, max(start, group[0].start - 12), group[0].start) is not None
        )
        tail = next(
            (
                k
                for k in range(1, len(group))
                if after_recipient
                and re.search(r"\band\b", low[group[k - 1].end : group[k].start]) is not None
            ),
            0,
        )
        if tail:
            followers.update((c.name, found[subject]) for c in group[tail:])
        else:
            found[number] = found[subject]
    has_operator = any(role == "operator" for role, _ in found.values())
    has_user = any(c.name not in origin for c in countries)
    roles: dict[str, Role] = {}
    for number, group in enumerate(groups):
        for country in group:
            role, strength = followers.get(country.name) or found.get(number, ("", 0))
            if (
                country.name in origin
                and role == "operator"
                and has_user
                and number not in subjects
                and any(c.name not in origin for c in group)  # a maker listed with a user
            ):
                role, strength = "supplier", EXPLICIT  # "Germany and Israel signed for Arrow 3"
            if not role:
                if country.name in origin:
                    role, strength = "supplier", WEAK
                elif (
                    has_operator
                    or (known and country.name not in known)
                    or (SPEAKER_AFTER.match(low, group[-1].end) and _other_user(low, groups, number, origin))
                    # "Sweden is offering the Gripen, the United States is promoting the F-16": a clause of its own
                    or (
                        system.end < group[0].start
                        and number > 0
                        and COMMA_SUBJECT.search(low, max(start, group[0].start - 6), group[0].start)
                        is not None
                        and OWN_VERB.match(low, group[-1].end) is not None
                    )
                ):
                    role, strength = "other", WEAK
                else:
                    role, strength = "operator", WEAK
            new = _make_role(role, strength)
            old = roles.get(country.name)  # "Poland ... Warsaw": the clearest mention wins
            if old is None or (new.strength, _RANK[new.role]) > (old.strength, _RANK[old.role]):
                roles[country.name] = new
    return roles


_RANK = {"operator": 2, "supplier": 1, "other": 0}


def _own_at_work(low: str, owner: str, system: Place, cue: Place) -> bool:
    """A maker's own system at work with another country in the sentence: "Israel's Arrow 3 intercepted a
    missile launched by the Iranian-backed Houthis" (``owner``, from the country's last two letters to the
    system, ends in a possessive; a use cue follows the system)."""
    return (
        owner.rstrip().endswith(("'s", " s"))
        and 0 <= cue.start - system.end <= 40
        and "," not in low[system.end : cue.start]
        and re.search(r"\bby\b", low[cue.start : cue.end + 12]) is None  # "Sweden's Gripens flown by Hungary"
    )


def _served_by(low: str, country: Place, system: Place) -> bool:
    """ "U.S. Army THAAD", "RAF Typhoons": the system belongs to the country's armed service."""
    if not 0 <= system.start - country.end <= 30:
        return False
    return _SERVICE_BEFORE.fullmatch(low, country.end, system.start) is not None or (
        _SERVICE_NAME.fullmatch(low, country.start, country.end) is not None
        and len(low[country.end : system.start].split()) <= 1
    )


def _giver_before(low: str, cue: Place, groups: Sequence[Sequence[Place]], group: Sequence[Place]) -> bool:
    """Another country right before a giving cue, as its subject: "Britain sent ...", not "British Defence
    Secretary Grant Shapps says RAF Typhoon jets, sent ..."."""
    return any(
        g is not group and 0 <= cue.start - g[-1].end <= 30 and "," not in low[g[-1].end : cue.start]
        for g in groups
    )


def possessive(low: str, country: Place) -> bool:
    """ "Germany's", "Turkey s" (tokenised): the mention took the possessive with it, or one follows."""
    return low.endswith(("'s", "s'"), 0, country.end) or low.startswith(("'s ", " s "), country.end)


def _owns(low: str, country: Place, system: Place) -> bool:
    """ "Germany's Patriot", "the Bundeswehr's Patriot", "German air force Patriot": the owner before it."""
    if not 0 <= system.start - country.end <= 30:
        return False
    if possessive(low, country):
        return len(low[country.end : system.start].split()) <= 2  # the possessive, then at most one word
    return _served_by(low, country, system)


def _verb_between(low: str, country: Place, system: Place, cues: Sequence[Place]) -> bool:
    """ "Russia deployed S-400s", "Russia fired Kinzhal missiles": a verb, not a premodifier (unlike
    "Russian-supplied", "Turkey's")."""
    gap = low[country.end : system.start]
    # (a cue may run past the system: "France sent four Rafale jets as part of its Pegase mission")
    if gap[:1].isspace() and any(country.end <= c.start < system.start for c in cues):
        return True
    # "Slovakia completes MiG-29 transfer to Ukraine", "The Netherlands completed F-16 deliveries to ...":
    # a verb whose object the system names, not "Slovakia's MiG-29" ("Spain keeps Patriot battery in
    # Turkey" stays a premodifier: without it the host would be read as the user)
    return (
        _HEADLINE_VERB.fullmatch(gap) is not None
        and not is_demonym(low, country)
        and any(_names_transfer(low, system, c) for c in cues)
    )


def _names_transfer(low: str, system: Place, cue: Place) -> bool:
    """The system names the transfer cue right after it: "MiG-29 transfer", "F-16 deliveries"."""
    return (
        cue.start > system.end
        and _SYSTEM_NOUN_GAP.fullmatch(low, system.end, cue.start) is not None
        and _NOUN.match(low, cue.start, cue.end) is not None
    )


_HEADLINE_VERB = re.compile(r"\s+[a-z]+(?:[^s's]s|ed)\s+")


def _other_user(low: str, groups: Sequence[Sequence[Place]], number: int, origin: frozenset[str]) -> bool:
    """Another country that could be the user: not a maker, not only a speaker."""
    return any(
        n != number and any(c.name not in origin for c in g) and not SPEAKER_AFTER.match(low, g[-1].end)
        for n, g in enumerate(groups)
    )


def _deploy_subjects(
    low: str, start: int, groups: Sequence[Sequence[Place]], cues: Sequence[Place], system: Place
) -> set[int]:
    """Groups that are the subject of a deployment cue: "Russia has deployed", "The Netherlands deployed"."""
    subjects: set[int] = set()
    near = [  # the deployment cue that follows each group closely (most sentences have none)
        (number, group, cue)
        for number, group in enumerate(groups)
        if (cue := _first_cue_after(cues, group[-1].end)) is not None
        and cue.name == "deployment"
        and cue.start - group[-1].end <= 60
    ]
    if not near:
        return subjects
    owners = {n for n, g in enumerate(groups) if _possessor(low, g[-1])}
    for number, group, cue in near:
        if number in owners:
            continue  # "one of Russia's largest customers, operating ...": a possessor, not the subject
        before = low[max(start, group[0].start - 30) : group[0].start]
        if _preposition(before) in _NOT_SUBJECT:
            continue
        if _PASSIVE.search(low, max(start, cue.start - 20), cue.start):
            continue  # "launchers had been destroyed": no agent
        if any(
            g[0].start > group[-1].end
            and g[0].start < cue.start
            and not _where_forces_are(low, start, group, g, cue, system)
            for n, g in enumerate(groups)
            if n not in owners
        ):
            continue
        subjects.add(number)
    return subjects


def _where_forces_are(
    low: str, start: int, group: Sequence[Place], other: Sequence[Place], cue: Place, system: Place
) -> bool:
    """ "U.S. forces at Al Dhafra Air Base in the UAE fired Patriot interceptors": a country after a force, in a
    place phrase, is where the force is, not the subject of the verb that follows, when the system is that verb's
    object (not "Russian forces in Syria received S-400s after a Turkish F-16 downed a Russian jet")."""
    return (
        0 <= system.start - cue.end <= 30
        and _FORCES_AFTER.match(low, group[-1].end) is not None
        and _preposition(low[max(start, other[0].start - 30) : other[0].start]) in _FORCES_PLACE
        and not {c.name for c in other} & {c.name for c in group}
    )


_TO_OWN_FORCES = re.compile(
    r"\bto\s+(?:its|their)\s+(?:own\s+)?(?:[\w-]+\s+)?(?:army|armies|air\s+force|navy|forces|troops|military|units)\b"
)
_FORCE_NOUN = r"(?:forces|troops|units|brigades?|army|military|air\s+force|navy|divisions?|regiments?|battalions?|crews?)"
_EQUIPPED_WITH = (
    r"\s+(?:(?:is|are|was|were|has\s+been|have\s+been|had\s+been|now)\s+)*(?:equipped|armed|fitted)\s+with\b"
)
_EQUIPPED_TAIL = re.compile(r"(?:'s|\ss)?" + _EQUIPPED_WITH)
_EQUIPPED = re.compile(
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+){0,2}?"
    + _FORCE_NOUN
    + r"(?:\s+(?:in|at|near)\s+[\w.'-]+(?:\s+[\w.'-]+){0,3}?)?"
    + _EQUIPPED_WITH
)
_FORCES_IN_BEFORE = re.compile(r"\b" + _FORCE_NOUN + r"\s+(?:in|at|near)\s+(?:the\s+)?$")
_JOINED = re.compile(r",|\band\b")
_FORCES_PLACE = frozenset(("in", "at", "near", "outside", "inside"))
_FORCES_AFTER = re.compile(
    r"(?:'s|\ss)?\s+(?:forces|troops|military|army|navy|air\s+force|units|crews|soldiers)\b"
)
_POSSESSIVE_MARK = re.compile(r"(?:'s?|\s+s)(?=\s)")


def _possessor(low: str, place: Place) -> bool:
    """ "Russia's largest arms customers": a country that owns a noun other than a weapon or an actor."""
    end = place.end
    if not low.endswith(("'s", "s'"), place.start, end):
        mark = _POSSESSIVE_MARK.match(low, end)
        if mark is None:
            return False
        end = mark.end()
    return not (_ACTOR.match(low, end) or _SYSTEM_NOUN.match(low, end) or _EVENT_NOUN.match(low, end))


# "Ukraine's request to buy ...": the owner of an event noun is its agent
_EVENT_NOUN = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:requests?|plans?|decisions?|purchases?|orders?|bids?|offers?|interest|deals?|contracts?|"
    r"acquisitions?|attempts?|efforts?|push|move|intention|desire|needs?|choice|selection|procurement|"
    r"deliver(?:y|ies)|deployments?|use|arsenal|inventory|fleet|stocks?)\b"
)


_PASSIVE_GIVEN = re.compile(  # "were later given to Ukraine"
    r"\b(?:is|are|was|were|be|been|being)\s+(?:(?:\w+ly|later|then|also|since|now|all|finally|eventually)\s+)?$"
)
_OWNERSHIP = re.compile(r"(?:transferr|sold|sell|donat|hand|gave|give|given|supplied|deliver)")
_OWN = re.compile(
    r"\b(?:its|their)\s+(?:own\s+)?(?:[\w-]+\s+)?(?:batter(?:y|ies)|launchers?|interceptors?|units?|jets|"
    r"systems?)\s+(?:were|was|have\s+been|had\s+been|are|is)\b"
)
_WEAPON_NOUN = re.compile(
    r"\b(?:batter(?:y|ies)|launchers?|interceptors?|jets|fighters|tanks|howitzers|systems?)\b"
)


_EXCEPTING = frozenset(("outside", "beyond", "besides", "except", "than", "unlike"))
_NOT_SUBJECT = (
    frozenset(
        (
            "from",
            "by",
            "to",
            "with",
            "in",
            "at",
            "into",
            "for",
            "of",
            "on",
            "against",
            "over",
            "near",
            "via",
            "under",
        )
    )
    | _EXCEPTING
)
_BUYER_BY = re.compile(
    r"(?:bought|ordered|purchased|acquired|operated|used|flown|fielded|received|requested|leased|rented)\s"
)
_SAID_IN = re.compile(
    r"\b(?:said|says|told|tells|speaking|spoke)\s+(?:[\w-]+\s+){0,2}(?:in|at)\s+(?:the\s+)?$"
)
_MAY = re.compile(r"\b(?:could|would|might|may)\s+$")
# "announced that it would hand over a third Patriot system", "said Canada would donate four tanks": a promise
_PROMISED = re.compile(
    r"\b(?:said|says|announced|announces|pledged|promised|confirmed|agreed|decided)\b[^,;:]{0,50}?\s+would\s+$"
)
_FORCES_IN = re.compile(
    r"\b(?:its|their|his|her)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:brigades?|troops|forces|units?|battalions?|"
    r"divisions?|bases?|soldiers|contingents?|garrisons?|regiments?|squadrons?)\s+"
    r"(?:(?:stationed|based|deployed|serving)\s+)?in\s+(?:the\s+)?$"
)
_SPEAKER_IN = re.compile(  # "the defence ministry in Berlin said": where a speaker sits
    r"\b(?:ministry|officials?|government|embassy|spokes\w+|authorities|sources?|diplomats?|analysts?|"
    r"headquarters|correspondents?|reporters?)\s+(?:in|at)\s+(?:the\s+)?$"
)
_OBJECT_GAP = re.compile(r"\s+(?:(?:a|an|the|some|several|two|three|four|five|\d+)\s+)?$")
_PRONOUN_SUBJECT = re.compile(r"\b(?:it|they)\s+(?:\w+\s+){0,2}$")
_SYSTEM_NOUN = re.compile(
    r"[\s-]+(?:[\w-]+\s+)?(?:jets?|fighters?|aircraft|warplanes?|tanks?|system|systems|missiles?|drones?|"
    r"launchers?|howitzers?|guns?|batter(?:y|ies)|helicopters?|interceptors?|vehicles?|rockets?|ships?|"
    r"submarines?)\b(?![\s-]+(?:footage|video|images?|"
    r"strikes?|attacks?|makers?|industry|programmes?|programs?|manufacturers?|compan(?:y|ies)|exports?|sales?))"
)
_SAYS_NO_SUBJECT = re.compile(
    r"\b(?:said|says|say|claimed|claims|confirmed|confirms|reported|reports)\s+(?!(?:it|they|its|their|that)\b)|"
    r"\bcredit(?:s|ed)?\s+(?:it\s+|them\s+)?with|\bprais(?:e|es|ed)\s+(?:it\s+|them\s+)?for"
)
_OBJECT_RELATIVE = re.compile(r"(?:'s|s'|\ss)?\s*(?:[\w-]+\s+){0,2}?(?:that|which)\s+(?:the\s+)?")
_ATTACK = re.compile(
    r"sh(?:ot|oots|oot|ooting) down|downed|downing|downs|intercept|destroy|struck|hitting|knock(?:s|ed|ing)? (?:out|down)|"
    r"br(?:ought|ings?|inging) down|"
    r"engag(?:e|es|ed|ing)\b"
)
# the owner of a giving noun, up to the system it gives
_GIVING_OF = re.compile(
    r"(?:(?:'s?|\s+s)\s+(?:[\w-]+\s+)?|\s+)(?:deliver(?:y|ies)|shipments?|transfers?|exports?|sales?|supplies|donations?|"
    r"hand-?overs?)\s+of\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,6}$"  # "... of HIMARS launchers and M1A2T"
)
_FIRE_AT = r"\b(?:fir(?:e|ed|es|ing)|launch(?:|ed|es|ing)|lobb(?:ed|ing)|hurl(?:ed|ing))\b[^.;:]{0,70}\bat\s+"
_FIRED_AT = re.compile(_FIRE_AT + r"(?:the\s+)?$")  # a weapon fired at a country: the country is the target
# a system fired at: "fires missiles at Patriot batteries", "launched drones at a Ukrainian IRIS-T launcher"
_FIRED_AT_SYSTEM = re.compile(_FIRE_AT + r"(?:the\s+|an?\s+)?(?:[\w'-]+\s+)?$")
# "fired rockets at Israel, which relies on Iron Dome": the target opens a clause of its own
_OWN_CLAUSE = re.compile(r"(?:'s|\ss)?\s*,\s*(?:which|whose|where|who)\b")
_INTERCEPTED = re.compile(
    r"\b(?:intercept\w*|sh(?:ot|oots?|ooting)\s+down|knock\w*\s+down|downed|destroy\w*|air\s+defen[cs]es?)\b"
)
_ACTOR = re.compile(
    r"[\s-]+(?:[\w-]+\s+)?(?:army|forces|military|air\s+force|navy|troops|soldiers|crews?|government|ministry|"
    r"defen[cs]e|president|officials?|authorities|commanders?|units?|brigades?|operators?|pilots|gunners|marines|"
    r"armed|state|side|leaders?|minister|parliament|council|agency|companies|company|firm|industry|customers?|"
    r"buyers?)\b"
)
_DEMONYM_END = ("an", "ish", "ese", "i", "ch", "ic", "ean", "ian")


# capitals whose names end like a demonym: "Tehran has been trying to buy", "Paris", "Hanoi"
_CAPITALS = frozenset(
    {"paris", "helsinki", "tbilisi", "yerevan", "tehran", "amman", "delhi", "taipei", "hanoi"}
)


def is_demonym(low: str, place: Place) -> bool:
    """ "Russian", "Turkish", "Israeli": an adjective, not the country's own name; a capital only before a noun
    ("the Helsinki summit"), not as a subject ("Tehran has been trying to buy")."""
    raw = low[place.start : place.end]
    surface = raw.rstrip("s'").rstrip()
    if surface == place.name.lower() or not surface.endswith(_DEMONYM_END) or " " in surface:
        return False
    return raw.removesuffix("'s").removesuffix("'").strip() not in _CAPITALS or not CLAUSE_VERB.match(
        low, place.end
    )


_MADE = re.compile(r"-?(?:made|built|designed|supplied|produced|manufactured|donated)\b")
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$")
_SYSTEM_NOUN_GAP = re.compile(r"(?:s|'s)?\s+(?:[\w-]+\s+)?")  # "F-16 deliveries", "MiG-29s' transfer"
_NOUN = re.compile(r"(?:deliver(?:y|ies)|sale|shipment|hand-?over|transfer\b|offer\b|offers\b)")
_EXPORT = re.compile(r"\s+(?:the\s+)?(?:re-?)?(?:export|sale|transfer|deliver)")
_GOVERNMENT = ("government", "ministry", "president", "prime minister", "cabinet")
_GOVERNMENT_ACTS = (
    "approv",
    "order",
    "sign",
    "bought",
    "buy",
    "purchas",
    "agree",
    "clear",
    "select",
    "chose",
    "award",
)
_REPORTING = re.compile(r"\s+(?:says|said|told|warned|added|insisted|argued|reported|claimed|stressed)\b")
_MADE_IN = re.compile(
    r"\b(?:built|made|produced|manufactured|assembled|designed|developed)\s+(?:by\s+(?:[\w.-]+\s+){1,3})?"
    r"(?:in|by)\s+(?:the\s+)?$"
)
_CONFLICT = re.compile(
    r"\b(?:war|conflict|crisis|fighting|invasion|tensions?|attacks?|strikes?|unrest)\s+(?:in|on|over)\s+(?:the\s+)?$"
)
# "Russia's full-scale invasion of Ukraine", "after Russia invaded Ukraine": both sides of an invasion are
# its parties, not users of a system the sentence names for another reason
_INVADED = re.compile(r"\b(?:invasions?\s+of|invad(?:ed|ing|es))\s+(?:the\s+)?$")
_INVADES = re.compile(
    r"(?:'s|\ss)?\s+(?:(?:full-scale|full\s+scale|large-scale|renewed|illegal|unprovoked|brutal|"
    r"\d{4})\s+)*invasion\b"
)
# the invader as a verb's subject, with a time word before: "since Russia invaded", not "Israel invaded"
_INVADER = re.compile(r"\s+invaded\b")
_TIME_LEAD = re.compile(r"\b(?:since|after|when|before|until|as)\s+(?:the\s+)?$")
_NEW_CONJUNCT = re.compile(r"\s(?:and|but|while)\s|,")
_PASSIVE_AFTER = re.compile(
    r"\s*(?:was|were|is|are|has\s+been|had\s+been|have\s+been)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn)\b"
)


# "in the war with Iran", "during the 12-day war between Israel and Iran", "since Russia's war on Ukraine", "fought
# a war with Argentina", "Georgia's 2008 war with Russia": a time or a setting (not "the war in Ukraine", where its
# systems are used, nor "a trade war with Washington", nor "The conflict between Armenia and Azerbaijan saw TB2
# drones destroy ...", the sentence's subject, nor "lost the 2020 war with Azerbaijan after TB2 drones ...")
_WAR_WITH = re.compile(
    r"(?:\b(?:in|during|since|after|before|amid|throughout|following|of|from|fought|waged)\s+(?:the\s+|its\s+|"
    r"their\s+|an?\s+|[\w.-]+(?:'s|\ss)\s+)?|(?:'s|\ss)\s+)(?:[\w-]+\s+){0,2}?(?<!trade\s)(?<!tariff\s)(?<!price\s)"
    r"(?:(?:war|conflict|fighting|clashes|hostilities)\s+(?:with|between|against)|war\s+on)\s+(?:the\s+)?"
    r"(?:[\w.-]+(?:\s+[\w.-]+)?\s+and\s+(?:the\s+)?)?$"
)


def in_invasion(low: str, sentence_start: int, country: Place) -> bool:
    """A country named in an invasion ("since Russia's full-scale invasion of Ukraine", "after Russia invaded
    Ukraine"): a time or a cause the sentence gives, not a party to its systems."""
    before = low[max(sentence_start, country.start - 40) : country.start]
    return (
        _INVADED.search(before) is not None
        or _WAR_WITH.search(low, max(sentence_start, country.start - 70), country.start) is not None
        or _INVADES.match(low, country.end) is not None
        or (_INVADER.match(low, country.end) is not None and _TIME_LEAD.search(before) is not None)
    )


# who backs another's defence with its own ships or forces: "backed by U.S. warships", "with help from two U.S. Navy
# destroyers"
_HELPER_BEFORE = re.compile(
    r"\b(?:with\s+(?:the\s+)?(?:help|support|assistance)\s+(?:of|from)|helped\s+by|backed\s+by|supported\s+by|"
    r"assisted\s+by|aided\s+by)\s+(?:the\s+|two\s+|three\s+|several\s+|\d+\s+)?$"
)
_HELPER_ASSETS = re.compile(
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+){0,2}?(?:destroyers?|warships?|ships?|frigates?|jets|fighters|aircraft|planes|navy|"
    r"air\s+force|forces|troops|crews|batteries|interceptors)\b"
)
_BACK_TO = re.compile(r"\b(?:back|returned|return|returning|returns)\s+to\s+(?:the\s+)?$")
_BUYER_FROM = re.compile(  # not "has on order from the United States": the seller
    r"(?<!\bhas on )(?<!\bhave on )(?<!\bhad on )\b(?:orders?|contracts?|requests?|demand|interest|enquir(?:y|ies)|"
    r"inquir(?:y|ies)|bookings?)\s+"
    r"(?:[\w-]+\s+){0,1}from\s+(?:the\s+)?$"
)
_FORCES_FROM = re.compile(
    r"\b(?:units?|crews?|troops|soldiers|personnel|squadrons?|detachments?|contingents?|regiments?|battalions?)\s+"
    r"from\s+(?:the\s+)?$"
)
_SERVICE_BEFORE = re.compile(
    r"(?:'s|\ss)?\s+(?:royal\s+)?(?:air\s+force|air\s+and\s+space\s+force|aerospace\s+forces|navy|army|marines|"
    r"marine\s+corps|military|armed\s+forces|coast\s+guard|(?:air|naval|ground|land|space|air\s+defen[cs]e)\s+"
    r"forces|national\s+guard|troops|forces)(?:'s|\ss)?\s+(?:(?:new|newest|latest|own|upgraded|modern|older|"
    r"ageing|aging|first|\d+|[a-z-]*\d[\w-]*)\s+)?"
)
# a country's alias that names its armed service ("RAF Typhoons", "Bundeswehr Patriot batteries")
_SERVICE_NAME = re.compile(
    r"(?:royal\s+air\s+force|raf|royal\s+navy|british\s+army|bundeswehr|luftwaffe|idf|israel\s+defen[cs]e\s+forces|"
    r"pla|people's\s+liberation\s+army)(?:'s|\ss)?"
)
_LISTED_AFTER = re.compile(r"\b(in|over|across)\s+(?:(?:the\s+)?[a-z][\w'-]*\s*,\s*){2,4}$")
_PLACE_THEN_COUNTRY = re.compile(
    r"\b(?:in|near|outside)\s+(?!(?:service|use|operation|combat|action|storage|talks|turn|particular|addition|"
    r"total|the\s+end|the\s+meantime|the\s+past|part|short|fact|return|response|practice|principle|january|"
    r"february|march|april|may|june|july|august|september|october|november|december|early|late|mid)\b)"
    r"(?:[a-z'.-]+\s+){0,2}[a-z'.-]+,\s*$"
)
_TARGET_NOUN = re.compile(
    r"\b(?:targets?|positions?|sites?|bases?|depots?|cities|towns?|villages?|infrastructure|command\s+posts?|"
    r"systems?|batter(?:y|ies)|launchers?|radars?)\b"
)
_ATTACKS_AFTER = re.compile(
    r"(?:'s|\ss)?\s+(?:air\s+|missile\s+|drone\s+)?(?:strikes|attacks|raids|bombardment)\b"
)
_MISSIONS = re.compile(r"\b(?:strikes?|missions|sorties|raids|bombing|combat)\b")
_WATERS = re.compile(r"(?:'s|\ss)?\s+(?:territorial\s+)?(?:waters|airspace|skies|territory|soil)\b")
_RAF_BASE = re.compile(  # "RAF Lakenheath" is a base; "RAF Typhoon jets", "RAF pilots" are the service
    r"(?:raf|royal\s+air\s+force)\s+(?!(?:typhoons?|eurofighters?|f-35\w*|jets?|aircraft|fighters?|pilots?|crews?|"
    r"units?|squadrons?|stocks?|personnel|officers?|chief|aircrew|tankers?|planes?|helicopters?)\b)[a-z]"
)
_SERVICE_WITH = re.compile(r"\b(?:service|serv(?:es|ed|ing)|debut)\b")
_THREAT_FROM = re.compile(
    r"\b(?:threats?|attacks?|strikes?|pressure|aggression|invasion|fire|barrages?|incursions?|raids?|danger|"
    r"menace|warnings?|objections?|opposition|criticism|protests?|retaliation|shelling|bombardment|hostility|"
    r"provocations?)\s+(?:[\w-]+\s+)?from\s+(?:the\s+)?$"
)
# "less than 600 kilometres from Berlin", "miles away from Taiwan": a distance, no seller (unless a journey's:
# "after a voyage of 20,000 km from South Korea")
_DISTANCE_FROM = re.compile(
    r"\b(?:kilomet(?:er|re)s?|km|miles?|met(?:er|re)s?|away)\s+(?:away\s+)?from\s+(?:the\s+)?$"
)
_JOURNEY = re.compile(
    r"\b(?:voyage|journey|flights?|flew|flown|sailed|sailing|trip|travell?ed|ferried|shipped|drove|driven)\b"
)
_FROM_PLACE_IN = re.compile(  # "shipped from Changwon in South Korea"
    r"\bfrom\s+(?:(?!(?:has|have|had|is|are|was|were|been|and|or|to|for|with|by|during|against|over|since|after|before|"
    r"its|their|his|her|can|could|will|would|may|might|must|should|\w+ing|\w+ed)\b)[\w'.-]+\s+){1,6}?"
    r"(?:in|at)\s+(?:the\s+)?" + COMPASS + "$"
)
_FROM_BASE_IN = re.compile(  # "flying from RAF Akrotiri in Cyprus", "fired from launchers positioned in Belarus"
    r"\b(?:from|out\s+of)\s+(?:(?:raf|royal\s+air\s+force)\s+[\w'.-]+|(?:[\w'.-]+\s+){0,3}?(?:air\s*bases?|bases?|"
    r"airfields?|air\s+stations?|naval\s+stations?|airports?|carriers?|launchers?|launch\s+sites?|positions?|sites?)"
    r"(?:\s+(?:at|of)\s+[\w'.-]+)?)"  # "from the British base at Akrotiri on Cyprus"
    r"(?:\s+(?:positioned|located|based|stationed|deployed|parked))?\s+(?:in|at|on)\s+(?:the\s+)?"
    + COMPASS
    + "$"
)
# What a country's own forces hold: "Israel's layered defences also include", "Russia's arsenal includes"
# a country's own stock of weapons: "Israel's layered defences", "America's fleet"
_OWN_STOCK = (
    r"('s|\ss)?\s+(?:[\w-]+\s+){0,3}?(?:defen[cs]es|arsenal|inventory|fleet|air\s+force|army|navy|military|"
    r"armed\s+forces)"
)
_OWN_INVENTORY = re.compile(
    _OWN_STOCK + r"\s+(?:now\s+|also\s+|already\s+|currently\s+)?(?:include|includes|included|comprises?|"
    r"features?|consists?\s+of)\b"
)
# "Israel's layered defences, including the Arrow 3, David's Sling and Iron Dome, intercepted ..."
_OWN_INCLUDING = re.compile(_OWN_STOCK + r"\s*,?\s+(?:including|such\s+as|among\s+them)\b")
_LIST_ENDS = re.compile(r"\b(?:who|which|that|it|they|is|are|was|were|has|have|had|while|whose)\b")
# A system moving under its own owners: "S-400s fly into", "F-35s were moved to", "batteries redeployed to"
_MOVED = re.compile(
    r"(?:s|'s)?\s+(?:[\w-]+\s+){0,3}?(?:(?:have|has|had|were|was|are|is|been|being)\s+)*(?:fl(?:y|ies|ew|own|ying)|"
    r"mov(?:e|es|ed|ing)|(?:re)?deploy(?:s|ed|ing)?|rotat(?:e|es|ed|ing)|airlift(?:s|ed|ing)?|ferr(?:y|ies|ied|ying))"
    r"\s+(?:back\s+)?(?:in)?to\s+(?:the\s+)?$"
)
_KILL = (
    r"(?:shot\s+down|shoots?\s+down|shooting\s+down|downed|destroy(?:ed|s|ing)|brought\s+down|knocked\s+out|"
    r"intercept(?:ed|s|ing)?)"
)
_KILL_BEFORE = re.compile(  # "shot down a Russian Kinzhal", "destroyed two S-400 launchers" (not "destroyed in")
    r"\b"
    + _KILL
    + r"\s+(?:(?:an?|the|its|their|two|three|four|five|six|several|\d+|dozens\s+of|many|more)\s+){0,2}"
    + r"(?:(?!(?:in|on|at|over|near|by|from|to|with|for|of|above|across|outside|inside|during)\b)[\w-]+\s+)?$"
)
# "to shoot down Russian cruise missiles and hundreds of Shahed attack drones": the later items of the list
_KILL_LIST_BEFORE = re.compile(
    r"\b"
    + _KILL
    + r"\s+(?:(?!(?:in|on|at|over|near|by|from|to|with|for|above|across|outside|inside|during|of)\b)[\w-]+"
    + r"(?:,\s+|\s+)){1,6}?(?<=[\w-]\s|,\s)(?:(?:and|or|as\s+well\s+as)\s+|(?<=,\s))"
    + r"(?:(?:hundreds|dozens|scores|thousands|many|several|some|\d+)\s+of\s+)?"
    + r"(?:(?:the|a|an|\d+|two|three|four|five|six|several)\s+)?(?:[\w-]+\s+)?$"
)
# what may follow an item of such a list (not a verb of its own: "and several Patriot systems guard Kyiv")
_LIST_ITEM_END = re.compile(
    r"(?:'s|s)?(?:\s+(?:attack|cruise|ballistic|hypersonic|kamikaze|[\w-]*range|drones?|missiles?|jets?|fighters?|"
    r"bombers?|aircraft|helicopters?|tanks?|launchers?|systems?|batter(?:y|ies)|rockets?|interceptors?|units?)){0,3}"
    r"(?:\s*(?:[.,;:]|$)|\s+(?:launched|fired|sent|over|from|by|in|near|at|during|on|that|which|and|or)\b)"
)
_KILLED_AMONG = re.compile(  # "had destroyed all 18 missiles Russia launched overnight, six of them Kinzhals"
    r"\b"
    + _KILL
    + r"\s+(?:(?!\b(?:using|with|by|from|aboard)\b)[^.;]){0,100}?,\s+(?:including\s+)?(?:[\w-]+\s+)?of\s+(?:them|which)\s+"
    + r"(?:[\w-]+\s+){0,2}$"
)
_WHERE_IT_FELL = frozenset(("over", "above", "near", "in", "across", "outside"))
# "has used them against Kinzhal and Iskander missiles", "to defend against Russian Iskanders": the weapon a
# defence is used against is the other side's (not "campaigned against the F-35 purchase": no defence here)
_AGAINST_BEFORE = re.compile(
    r"\b(?:us(?:ed|es|e|ing)|deployed|defen[cd]\w*|protect\w*|shield\w*|effective|prov(?:ed|en)|success\w*|"
    r"intercept\w*|interceptors?|batter(?:y|ies)|systems?)\s+(?:[\w-]+\s+){0,5}?against\s+"
    r"(?:(?:the|incoming|some|many|most|several|waves\s+of|salvos\s+of|\d+|two|three|four|five|six)\s+)*"
    r"(?:(?!(?:using|with|by|from|of|in|on|at|for|to|bought|supplied)\b)[\w'-]+(?<!ing)\s+){0,3}$"
)
# "jets of its own air force": its own, not the other side's
_OWN_AFTER = re.compile(r"(?:\s+[\w-]+){0,3}?\s+(?:of|from)\s+(?:its|their)\s+own\b")
_WHICH_AFTER_SUBJECT = re.compile(r",\s*which\b")
# "the Israeli military says Arrow 3 intercepted most of the missiles": a maker's own forces at work
_FORCE_SPEAKER = re.compile(
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+){0,2}?(?:military|army|armed\s+forces|forces|air\s+force|navy|troops|crews?|"
    r"defen[cs]e\s+ministry)\b"
)
_CLAIMS_KILLED = re.compile(  # "Pakistani claims that the battery there had been destroyed": the claimant struck
    r"(?:'s|\ss)?\s+(?:said|says|claimed|claims)\s+(?:(?:that\s+)?(?:[\w-]+\s+){1,4}?(?:had|has|have|was|were)\s+"
    r"been|to\s+have)\s+" + _KILL + r"\b"  # "claims to have destroyed the system there"
)
_KILLED_IT = re.compile(  # "the S-400 that Pakistan (said it had) destroyed": after an object relative only
    r"(?:'s|\ss)?\s+(?:(?:said|says|claimed|claims)\s+(?:that\s+)?(?:it|they)\s+)?(?:had\s+|has\s+|have\s+)?"
    + _KILL
    + r"\b"
)
_OBJECT_RELATIVE = re.compile(r"\b(?:that|which)\s+$")
_DEPLOYED_TO = re.compile(r"(?:re)?(?:deploy|station|mov|relocat|rotat)\w*\s+(?:[\w.'-]+\s+){0,2}?to\s")
_VISITING = re.compile(r"\b(?:allied|nato|foreign|visiting)\s+(?:[\w-]+\s+)?$")  # "the allied Patriots"
# What makes foreign forces in a country visitors, not its new equipment: "for a drill", "air policing"
_VISIT = re.compile(
    r"\b(?:drills?|exercises?|air\s+policing|rotations?|rotational|rotated|missions?|nato|deterren\w+|"
    r"reinforc\w+|eastern\s+flank|visit\w*|withdrawn|temporar\w+|air\s+bases?|stationed)\b"
)
# "American Patriot units stationed at Al Udeid": after a maker's adjective, units or troops stationed or based are a
# force of its own (not "sales were based on", nor an export: "Chinese J-10C fighters based in Pakistan")
_STATIONED_AFTER = re.compile(
    r"(?:'s|s)?(?:\s+(?!(?:and|or|to|for|from|that|which|who|it|they)\b)[\w-]+){0,3}?\s+(?:units?|troops|forces|"
    r"crews?|soldiers|squadrons?|detachments?|contingents?|personnel)\s+(?:(?:have|has|had)\s+been\s+|"
    r"(?:is|are|was|were)\s+)?(?:stationed|based)\b(?!\s+on\b)"
)
_OWNER_BEFORE = re.compile(r"(?:'s|s'|\bits|\btheir)\s+$")
_OWN_GAP = re.compile(r"(?:'s|s'|\ss)?\s+own\s+")
_STATIONED = re.compile(r"station|(?:is|are|was|were|been)\s+(?:\w+\s+)?based")
_WHERE_OR_TO = frozenset(("in", "to", "over", "above", "into", "for", "inside"))
_IN_OR_TO = frozenset(("in", "to", "into", "for", "inside"))
_STOPPED_BY = re.compile(  # "were stopped by Israel's"
    r"\b(?:was|were|been|being)\s+(?:\w+\s+)?(?:stopped|intercepted|engaged|repelled|repulsed|shot\s+down|downed|"
    r"brought\s+down|knocked\s+down|destroyed)\s+by\s+(?:the\s+)?$"
)
_SOLD_TO_MANY = re.compile(
    r"\b(?:sold|exported|delivered|supplied|operated|used|flown|fielded)\s+(?:to|by)\s+(?:[\w-]+\s+){0,4}?(?:countries|"
    r"nations|customers|buyers|air\s+forces|armies|operators|users)\s*,?\s*(?:including|among\s+them)\s+(?:the\s+)?$"
)
_THEIR_OWN = re.compile(r"\s+(?:say|says|said)\s+(?:that\s+)?(?:their|its)\s+(?:[\w-]+\s+){0,2}?")
_RELIED_ON = re.compile(r"\brel(?:y|ies|ied|ying)\s+(?:\w+ly\s+)?on\s+(?:the\s+)?$")
# A weapon that can reach a country threatens it: "could reach Berlin", "within range of much of Germany"
_PLACE_NOUN = re.compile(
    r"(?:'s|\ss)?\s+(?:(?:northern|southern|eastern|western|own)\s+)?(?:borders?|airspace|territory|skies|"
    r"coast(?:line)?|soil|waters|cities|towns|shores)\b"
)
_TOWARDS = re.compile(r"\b(?:reach(?:ed|es|ing)?|hit|hits|struck|strikes?|striking|violat\w+)\s+(?:the\s+)?$")
_IN_REACH = re.compile(
    r"\b(?:(?:can|could|would|able\s+to)\s+(?:easily\s+|quickly\s+)?(?:reach|hit|strike)|"
    r"(?:within|in|into)\s+(?:striking\s+|easy\s+)?range\s+of)\s+"
    r"(?:(?:much|most|all|parts?|the\s+whole)\s+of\s+)?(?:the\s+)?$"
)
_AID_AFTER = re.compile(
    r"(?:'s|\ss)?\s+(?:military\s+|security\s+|financial\s+|foreign\s+)?(?:aid|assistance|funding|financing|"
    r"loans?|credits?|grants?|money|dollars)\b"
)
_MONEY = re.compile(r"\$|\b(?:billion|million|dollars|euros)\b")
_BYSTANDER_NOUN = re.compile(
    r"(?:'s|\ss)?[\s-]+(?:sanctions|pressure|objections?|concerns?|opposition|threats?|territory|airspace|soil|"
    r"positions|targets|cities|media|press|economy|markets?|interests|embargo|restrictions|export\s+controls)\b"
)
_THANKS = re.compile(r"\b(?:thank\w*|grateful\s+to|gratitude\s+to)\b")
_AWAY = re.compile(
    r"\b(?:stopover|transit|visit\w*|trip|meeting|summit|talks|conference|exhibition|"
    r"(?:air|trade|arms|defen[cs]e)\s+shows?)\b"
)


OWN_KIND_INCLUDING = re.compile(  # the demonym's weapons, then the system as one of them
    r"\s+(?:[\w-]+\s+)?(?:aircraft|jets|fighters|warplanes|planes|tanks|batteries|systems|drones|helicopters)\b"
    # "were brought down", not "destroyed several batteries, including": the latter's are the target's
    r"(?:\s+(?:were|was|have\s+been|had\s+been|has\s+been)\s+(?:\w+ly\s+)?(?:(?:shot|brought|knocked)\s+down|"
    r"destroyed|lost|damaged|downed|hit)(?:\s+[\w-]+){0,4}?)?"
    r"(?:\s+(?:on|in|over|during|near|since|last|this)(?:\s+[\w-]+){1,3}?)?"  # "six Indian aircraft on May 7, including"
    r"\s*,?\s+(?:including|such\s+as|among\s+them|(?:[\w-]+\s+)?of\s+them)\s+(?:[\w-]+\s+){0,3}?"
)
_CAPTURED = re.compile(
    # "captured a Russian Pantsir" (not "seized the initiative with ATACMS strikes")
    r"\b(?:captured|seized|captures|seizes|capturing|seizing)\s+(?:(?:an?|the|some|several|two|three|\d+)\s+)?"
    r"(?:(?!(?:with|in|on|at|of|to|for|by|using|from)\b)[\w-]+\s+){0,2}$"
    # "towed captured Western armour, including a Leopard 2", "an exhibition of captured equipment, where a Bradley"
    r"|\b(?:of|displayed|displays|displaying|towed|showed|shows|showing|exhibited|paraded|parades|put)\s+captured\b"
    r"[^.;]{0,120}$"
)
_ACQUIRED_LEAD = re.compile(
    r"\b(?:buy|buys|bought|buying|receive[sd]?|receiving|order(?:s|ed)?|acquire[sd]?|acquiring|purchase[sd]?|got|get|"
    r"gets|took|take|sold|sells?|sent|sends?|supplie[sd]|supply|delivere?d?|delivers|donated|gave|gives?|lease[sd]?)\s+"
    r"(?:[\w-]+\s+){0,3}$"
)
_RATHER = re.compile(r"\b(?:rather\s+than|instead\s+of|unlike|than)\b")


_WITH_OWN = re.compile(r"\b(?:with|using)\s+(?:its|their|his|her)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}$")
_REFUSED = re.compile(
    r"\b(?:not|n't|never|refus\w*\s+to|declin\w*\s+to|rul(?:ed|es|ing)\s+out|no\s+plans?\s+to)\s+"
    r"(?:(?!yet\b)\w+\s+)?$"  # not "has not yet sent": it will
)
_INSTEAD = re.compile(
    r"\b(?:instead|but\s+(?:has|have|will|did|is|are)?\s*(?:\w+\s+)?(?:sen[dt]|deliver|donat|hand|give|gave|transfer))"
)
# "signed an agreement in May to provide 30 of the jets", "offering to fly all of its MiG-29s to Ramstein", "has
# asked to send 14 tanks from its own fleet": the signer, the offerer, the asker gives
_TO_GIVE = re.compile(
    r"(?:\s+(?!(?:with|from|by|for|that|which|who|is|are|was|were|be|set|will|would)\b)[\w$.-]+){0,5}?\s+to\s+"
    r"(?:(?:refurbish|buy|purchase|finance|fund|repair)\s+and\s+)?(?:provide|supply|deliver|send|give|donate|transfer|"
    r"hand\s+over)\b"
    # not equipping itself: "to provide its air force with 30 more Rafale jets"
    r"(?!\s+(?:its|their|the)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:army|armies|air\s+force|navy|forces|troops|"
    r"military|units|brigades|squadrons)\b)"
)
# what a country sends and keeps: "to Romania for maintenance and pilot training", "in NATO air policing missions"
_KEPT = re.compile(
    r"\b(?:maintenance|training|repairs?|upgrades?|overhauls?|servicing|exercises?|drills?|policing|missions?|"
    r"patrols?)\b"
)
_OFFER_OWN = re.compile(
    r"\s+to\s+(?:fly|send|give|hand\s+over|transfer|donate|provide)\s+(?:all\s+|some\s+|part\s+)?(?:of\s+)?(?:its|their)\b"
)
_FROM_OWN = re.compile(
    r"\bfrom\s+(?:its|their)\s+own\s+(?:stocks?|fleet|inventory|inventories|arsenal|reserves?|holdings?)\b"
)
_ITS_OWN = re.compile(
    r"(?:\s+over)?\s+(?:(?:any|some|all|one|two|three|part|most)\s+of\s+)?(?:its|their)\s+(?:own\s+)?"
)
# the system itself manned: "a Patriot unit manned by", "the Patriot battery at Rzeszow is manned by" (not "a
# checkpoint manned by Ukrainian soldiers" after the system)
_MANNED_SYSTEM = re.compile(
    r"(?:s|'s)?(?:\s+[\w-]+){0,3}?\s+(?:(?:is|are|was|were|has\s+been|have\s+been)\s+)?(?:now\s+|still\s+|also\s+)?"
    r"(?:manned|crewed|staffed|operated|run)\s+by\s+(?:the\s+)?"
)
_CREW_AFTER = re.compile(
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+)?(?:troops|soldiers|crews?|personnel|forces|service\s*members|units)\b"
)
_GOES_ON = re.compile(
    r",\s*saying\b|\b(?:and|but|yet)\s+(?:said|says|has|had|was|bought|signed|deployed|received)\b"
)
_SANCTIONS_AFTER = re.compile(r"(?:'s|\ss)?(?:-imposed|-led)?\s+sanctions\b")
_WARNER_AFTER = re.compile(  # a warning of what a deal would bring, or a verb against someone else's deal
    r"(?:'s|\ss)?(?:\s+[\w.-]+){0,3}?,?\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|repeatedly\s+|long\s+|privately\s+)?"
    r"(?:(?:warn(?:s|ed)?|caution(?:s|ed)?|argu(?:es|ed)|made\s+(?:it\s+)?clear)(?=(?:\s+[\w.-]+){0,2}?\s+that\s+"
    r"[^.;]{0,120}?\b(?:would|could|might|will)\b)|"
    r"threaten(?:s|ed)?|criticis(?:es|ed)|criticiz(?:es|ed)|condemn(?:s|ed)|oppos(?:es|ed)|object(?:s|ed)\s+to)\b"
    r"(?!\s+to\b|[^.;]{0,100}?\b(?:it|its|they|their|we|our)\b)"  # "it sent", "warned it would", "threatened to"
)


def _struck(low: str, sentence_start: int, first: Place, last: Place, system: Place) -> bool:
    """ "Ukraine shot down a Kinzhal", "the S-400 that Pakistan said it had destroyed": the shooter is no
    operator of the weapon it downed; "its J-10Cs shot down Indian Rafales": nor the loser of the shooter."""
    # every kill phrase holds one of these; most sentences have none (a cheap test before the regexes)
    near = low[max(sentence_start, min(system.start, first.start) - 40) : max(system.end, last.end) + 160]
    if "down" not in near and "destroy" not in near and "knocked out" not in near and "intercept" not in near:
        return False
    kill = (
        _KILL_BEFORE.search(low, max(sentence_start, system.start - 40), system.start)
        or _KILLED_AMONG.search(low, max(sentence_start, system.start - 150), system.start)
        or (
            _KILL_LIST_BEFORE.search(low, max(sentence_start, system.start - 90), system.start)
            if _LIST_ITEM_END.match(low, system.end)
            else None
        )
    )
    if kill is not None and (
        last.end <= kill.start()
        or (
            system.end <= first.start <= system.end + 40
            and _preposition(low[system.end : first.start]) in _WHERE_IT_FELL
        )
    ):
        return True  # "shot down a Kinzhal over Kyiv": where it fell is no user either
    if system.end <= first.start:
        if _KILL_BEFORE.search(low, max(sentence_start, first.start - 40), first.start):
            return True
        if system.end + 90 < first.start:
            return False
        return _CLAIMS_KILLED.match(low, last.end) is not None or (
            _OBJECT_RELATIVE.search(low, system.end, first.start) is not None
            and _KILLED_IT.match(low, last.end) is not None
        )
    return False


def _forces_at_work(
    low: str,
    sentence_end: int,
    group: Sequence[Place],
    groups: Sequence[Sequence[Place]],
    system: Place,
    cues: Sequence[Place],
) -> bool:
    """ "The Israeli military says the Arrow 3 system has intercepted most of the missiles", "with the Arrow 3
    system engaging missiles": a maker's forces, alone in the sentence, reporting the system's use."""
    last = group[-1]
    if len(groups) > 1 or not (last.end <= system.start <= last.end + 80):
        return False
    if _FORCE_SPEAKER.match(low, last.end) is None:
        return False
    cue = _first_cue_after(cues, system.end)
    return (
        cue is not None
        and cue.name == "deployment"
        and cue.start - system.end <= 50
        and cue.end <= sentence_end
        and not _PASSIVE.search(low, max(system.end, cue.start - 20), cue.start)
        and re.search(r"\bby\b", low[cue.start : cue.end + 12]) is None  # "operated by the Kurdish allies"
    )


def _used_elsewhere(
    low: str,
    sentence_start: int,
    group: Sequence[Place],
    groups: Sequence[Sequence[Place]],
    where: frozenset[str] = _WHERE_OR_TO,
) -> bool:
    """Whether another country of the sentence is where the system is, or what it was sent to ("in
    Ukraine", "sent to Ukraine"): that one may be its user."""
    return any(
        _preposition(low[max(sentence_start, g[0].start - 30) : g[0].start]) in where
        for g in groups
        if g is not group
    )


def _visitors(
    low: str,
    group: Sequence[Place],
    groups: Sequence[Sequence[Place]],
    system: Place,
    moved: bool = False,
    sentence_end: int | None = None,
) -> bool:
    """Whether another country's adjective stands before the system ("Russian S-400s", "U.S. F-35s", not
    "Russian-made"), or (``moved``) another country moves it ("Russia flew an S-400 battery"), or sends or
    brings it for a drill said before ``sentence_end``."""
    return any(
        g is not group
        and (
            (
                _MOVER.fullmatch(low, g[-1].end, system.start) is not None
                or (
                    _SENDER.fullmatch(low, g[-1].end, system.start) is not None
                    and _DRILL.search(low, g[-1].end, len(low) if sentence_end is None else sentence_end)
                    is not None
                )
            )
            if moved
            else (
                g[-1].end <= system.start <= g[-1].end + 3
                and (is_demonym(low, g[-1]) or low[g[-1].start : g[-1].end] in ("u.s.", "u.k.", "us", "uk"))
                and not _MADE.match(low, g[-1].end)
            )
        )
        for g in groups
        if g[-1].end <= system.start
    )


_OBJECT_TO = re.compile(r"(?:s|'s)?\s+(?:[\w-]+\s+){0,3}?(?:in)?to\s+(?:the\s+)?")  # "an S-400 battery to"
_MOVER = re.compile(  # "Russia has flown an", "the Netherlands moved two"
    r"(?:'s)?\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|now\s+|already\s+)?(?:fl(?:ew|own|ies)|moved|(?:re)?deployed|"
    r"rotated|airlifted|ferried)\s+(?:[\w-]+\s+){0,3}?"
)
# "Russia temporarily brought one of its own S-400 battalions to Serbia for a joint exercise": a unit sent or
# brought visits only for a drill, a rotation or a stay said to be temporary (not "sent HIMARS to Ukraine, the
# Pentagon said after a NATO meeting", nor a gift "as part of the EU military assistance mission")
_SENDER = re.compile(
    r"(?:'s)?\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|temporarily\s+|briefly\s+)?(?:brought|sent|dispatched)\s+"
    r"(?:[\w-]+\s+){0,4}?"
)
_DRILL = re.compile(
    r"\b(?:drills?|exercises?|war\s+games|air\s+policing|rotations?|rotational|temporar\w+|briefly)\b"
)


_STRUCK_LEAD = re.compile(
    r"\b(?:destroy(?:ed|s|ing)?|struck|(?:strikes?|attacks?|raids?)\s+on|hit|hits|hitting|damag(?:ed|es|ing)|"
    r"knock(?:ed|s|ing)\s+out|took\s+out|takes\s+out)\s+(?:(?:an?|the|two|three|several|\d+)\s+)?$"
)
_AID_VERB = (
    r"(?:helped|helps|supported|supports|backed|backs|aided|aids|armed|arms|assisted|assists|bolstered)"
)
_AIDED = re.compile(r"\b(?:has\s+|have\s+|had\s+)?" + _AID_VERB + r"\s+(?:the\s+)?$")
# "Germany has become Ukraine's second-largest military backer", "Ukraine's main backers"
_BACKER_AFTER = re.compile(
    r"(?:'s|s'|\ss)?\s+(?:[\w-]+\s+){0,3}?(?:backers?|supporters?|donors?|sponsors?|arms\s+suppliers?)\b"
)
_AIDS_AFTER = re.compile(
    r"\s+(?:(?:has|have|had|also|long|already|since|strongly|heavily)\s+){0,3}(?:" + _AID_VERB + r"|become\s+"
    r"(?:[\w'-]+\s+){1,4}?(?:backer|supporter|donor|sponsor))\b"
)


def _explicit_role(
    low: str,
    sentence: tuple[int, int],
    group: Sequence[Place],
    system: Place,
    cues: Sequence[Place],
    origin: frozenset[str],
    groups: Sequence[Sequence[Place]],
    number: int,
    subjects: set[int],
    known: frozenset[str] = frozenset(),
) -> tuple[str, int] | None:
    sentence_start, sentence_end = sentence
    first, last = group[0], group[-1]
    is_origin = {country.name for country in group} <= origin
    if _MADE.match(low, last.end):
        return "supplier", EXPLICIT  # "the American-made system", "Turkish-built drones"
    if (
        last.end < system.start
        and (kit := _EQUIPPED.match(low, last.end))
        and 0 <= system.start - kit.end() <= 60
    ):
        # "Russian units in Ukraine are equipped with the Pantsir": its forces' own
        return "operator", EXPLICIT
    if (
        (forces := _FORCES_IN_BEFORE.search(low, max(sentence_start, first.start - 40), first.start))
        is not None
        and _EQUIPPED_TAIL.match(low, last.end)
        # another country's forces ("Russian units in Ukraine"), not "Frontline brigades in Ukraine are equipped"
        and any(g is not group and 0 <= forces.start() - g[-1].end <= 24 for g in groups)
    ):
        return "other", EXPLICIT  # "Russian units in Ukraine are equipped with": where the forces are
    if _struck(low, sentence_start, first, last, system):
        return "other", EXPLICIT  # the side that shot down, or lost, the other side's weapon
    if (
        last.end <= system.start
        and (against := _AGAINST_BEFORE.search(low, max(sentence_start, system.start - 90), system.start))
        and last.end <= (word := low.rindex("against", against.start(), system.start))
        and last.end <= against.start() + 40
        # no other country before "against" (one after it owns the weapon: "against Russian Iskanders")
        and not any(last.end <= g[0].start < word for g in groups if g is not group)
        and not _OWN_AFTER.match(low, system.end)
    ):
        return "other", EXPLICIT  # "Ukraine has used the Patriot against Kinzhal missiles": the other side's
    if (
        last.end <= system.start
        and (fired := _FIRED_AT_SYSTEM.search(low, max(sentence_start, system.start - 90), system.start))
        and last.end <= fired.start()
        and not any(last.end <= g[0].start < fired.start() for g in groups if g is not group)
    ):
        return "other", EXPLICIT  # "Russia fires missiles at Patriot batteries": the other side's target
    if is_origin and _forces_at_work(low, sentence_end, group, groups, system, cues):
        return "operator", EXPLICIT  # "the Israeli military says Arrow 3 intercepted": the maker's own use
    if (
        system.end <= first.start
        and _MANNED_SYSTEM.fullmatch(low, system.end, first.start)
        and _CREW_AFTER.match(low, last.end)
    ):
        return "operator", EXPLICIT  # "a Patriot unit manned by German and Dutch troops": theirs
    if (
        not is_origin
        and (warned := _WARNER_AFTER.match(low, last.end))
        and warned.end() <= system.start
        and not _GOES_ON.search(low, warned.end(), system.start)
        # someone else's deal, named after the verb: "objected to the sale of F-35 jets to Turkey", "threatened
        # Cairo with sanctions over the Su-35 deal" (not "opposed the F-35 purchase": its own)
        and any(
            warned.end() <= g[0].start < sentence_end
            and not _SANCTIONS_AFTER.match(low, g[-1].end)  # "despite U.S. sanctions"
            for g in groups
            if g is not group
        )
    ):
        # "Washington argued that operating the S-400 alongside the F-35 could expose its secrets to Moscow": a
        # warning about someone else's deal (not "warned it would buy")
        return "other", EXPLICIT
    if len(groups) > 1 and any(c.name == "delivery" and TRANSFER.match(low, c.start) for c in cues):
        # "Germany has helped Ukraine, supplying IRIS-T systems", "Germany, Ukraine's largest backer, sends ...":
        # the one helped receives, the helper gives
        if _AIDED.search(low, max(sentence_start, first.start - 24), first.start) or _BACKER_AFTER.match(
            low, last.end
        ):
            return "operator", EXPLICIT
        if _AIDS_AFTER.match(low, last.end):
            return "supplier", EXPLICIT
    if (
        # a maker's own, which would default to its seller (anyone else's defaults to its user), alone in the
        # sentence: "America's fleet includes F-35s, the jets cancelled for Turkey" is Turkey's story
        is_origin
        and len({c.name for g in groups for c in g}) == 1
        and system.start > last.end
        and (
            ((own := _OWN_INVENTORY.match(low, last.end)) and own.end() <= system.start)
            or (
                # the system in the list, then a use: not "such as the Patriots it sells", "including reservists ...,
                # while demand for its Arrow 3 abroad"
                (own := _OWN_INCLUDING.match(low, last.end))
                and own.end() <= system.start
                and not _LIST_ENDS.search(low, own.end(), system.start)
                and (after := _first_cue_after(cues, system.end)) is not None
                and after.name == "deployment"
            )
        )
        and (own.group(1) or low.endswith(("'s", "s'", " s"), last.start, last.end) or is_demonym(low, last))
    ):
        return "operator", EXPLICIT  # "Israel's layered defences also include ... Iron Dome": its own
    if number in subjects and is_origin and known and {c.name for c in group} <= known:
        return "operator", EXPLICIT  # "the United States deployed the battery": the maker deploying its own
    if system.start <= first.start and last.end <= system.end:  # inside "the British-French missiles"
        return ("supplier", EXPLICIT) if is_origin else ("operator", EXPLICIT)
    if _served_by(low, last, system) and not any(
        TRANSFER.match(low, c.start) and _giver_before(low, c, groups, group) for c in cues
    ):
        # "U.S. Air Force F-15Es", "the Royal Navy's Tomahawks": the user ("Britain sent 14 British Army
        # Challenger 2s to Ukraine" is a giver's stock)
        return "operator", EXPLICIT
    if (
        0 <= system.start - last.end <= 90
        and _GIVING_OF.match(low, last.end, system.start)
        and (is_origin or _recipient_after(low, groups, system.end, system.end + 40))
    ):
        return "supplier", EXPLICIT  # "Washington's deliveries of HIMARS", "the Dutch transfer of F-16s to"
    # A premodifier of the system: "Russian-made S-400", "Turkey's S-400s", "the U.S. Patriot".
    if (
        0 <= system.start - last.end <= 30
        and PREMODIFIER.match(low[last.end : system.start])
        and not _verb_between(low, last, system, cues)
    ):
        gap = low[last.end : system.start]
        maker_between = any(last.end <= c.start < system.start for g in groups for c in g)
        if SUPPLY_PARTICIPLE.search(gap) and not maker_between:  # "India's Russian-made S-400": Russia's
            return "supplier", EXPLICIT
        if not is_origin or (
            _OWN_GAP.fullmatch(gap) and low.startswith(("'s", " s", "s'"), last.end - 2, system.start)
        ):
            # "Israel's own Arrow 3 interceptors": a maker's own are in its service
            return "operator", EXPLICIT
        if len(groups) <= 2 and _STRUCK_LEAD.search(low, max(sentence_start, first.start - 30), first.start):
            return "operator", EXPLICIT  # "Ukraine destroyed a Russian S-400 battery": the maker lost its own
        after = _first_cue_after(cues, system.end)
        users = any(
            c.name not in origin
            for g in groups
            # a target uses nothing
            if not _IN_REACH.search(low, max(sentence_start, g[0].start - 40), g[0].start)
            for c in g
        )
        owner = low[max(0, last.end - 2) : system.start]
        if (
            after is not None
            and after.name == "deployment"
            and (
                not users
                or (
                    _own_at_work(low, owner, system, after)
                    and not any(  # "Germany has put Israel's Arrow 3 into service": Germany's now
                        g[-1].end <= first.start
                        and not {c.name for c in g} <= origin
                        and _preposition(low[max(sentence_start, g[0].start - 30) : g[0].start])
                        not in _NOT_SUBJECT
                        # not "Iran fired missiles at Israeli cities, which Israel's Arrow 3 intercepted" (a
                        # relative clause with no other user in it)
                        and not (
                            (which := _WHICH_AFTER_SUBJECT.search(low, g[-1].end, first.start)) is not None
                            and all(
                                {c.name for c in h} <= origin for h in groups if h[0].start > which.start()
                            )
                        )
                        for g in groups
                    )
                )
            )
        ):
            return "operator", EXPLICIT  # "Israel's Iron Dome intercepted ..."
        if (
            owner.rstrip().endswith(("'s", " s"))
            and _STOPPED_BY.search(low, max(sentence_start, first.start - 40), first.start)
            # not "In Ukraine, missiles were intercepted by Germany's IRIS-T" or "..., which Berlin supplied
            # to Ukraine": a country where it is, or that got it, is its user
            and not _used_elsewhere(low, sentence_start, group, groups)
        ):
            return "operator", EXPLICIT  # "most were stopped by Israel's Arrow 3": its own at work
        if _STATIONED_AFTER.match(low, system.end) and not _OWNER_BEFORE.search(
            low, max(sentence_start, first.start - 8), first.start
        ):
            return "operator", EXPLICIT  # "American Patriot units stationed at Al Udeid": a force's own
        return "supplier", EXPLICIT
    before = low[max(sentence_start, first.start - 40) : first.start]
    if _HELPER_BEFORE.search(before) and _HELPER_ASSETS.match(low, last.end):
        # "intercepted most of the missiles, backed by U.S. warships": a helper's own ships
        return "other", EXPLICIT
    reporting = _REPORTING.match(low, last.end) if len(groups) > 1 and before.rstrip().endswith(",") else None
    if reporting is not None and len(low[reporting.end() : sentence_end].split()) <= 6:
        return "other", WEAK  # "..., Washington says": the closing reporting clause, not "Moscow said it had"
    if ("thank" in before or "grat" in before) and _THANKS.search(before[-25:]):
        return "supplier", EXPLICIT  # "thanking the United States, Germany and the Netherlands"
    preposition = _preposition(before)
    if (
        not preposition
        and (place_then := _PLACE_THEN_COUNTRY.search(before)) is not None
        # not a fronted phrase: "In Asia, Taiwan took delivery ..."
        and low[sentence_start : first.start - len(before) + place_then.start()].strip(" \"'-")
    ):
        preposition = "in"  # "targets in Raqqa, Syria": the country of the place named before it
    elif (
        not preposition
        and (listed := _LISTED_AFTER.search(before)) is not None
        # not the subject after a fronted place: "In Latakia, Syria, Russia has deployed S-400 batteries"
        and not OWN_VERB.match(low, last.end)
        and not ((verb := _first_cue_after(cues, last.end)) is not None and verb.start - last.end <= 1)
    ):
        preposition = listed.group(1)  # "missions in Libya, Mali, Iraq and Syria": the list's preposition
    cue_before = _last_cue_before(cues, first.start, 90)

    def other_subject() -> bool:  # the agent comes before its host; asked by few rules, so on demand
        names = {c.name for c in group}
        return any(
            (
                n in subjects
                or _FORCES_FROM.search(low, max(sentence_start, groups[n][0].start - 40), groups[n][0].start)
            )
            and {c.name for c in groups[n]} - names
            and groups[n][0].start < first.start
            for n in range(len(groups))
        ) or bool(known and not names & known)

    if preposition in _EXCEPTING:
        return None  # "the first country outside Israel to field it": not the one fielding it
    if not is_origin and (
        _INVADED.search(before)
        or _INVADES.match(low, last.end)
        or (_INVADER.match(low, last.end) and _TIME_LEAD.search(before))
    ):
        return "other", EXPLICIT  # "shortly after Russia's invasion of Ukraine, Poland ordered K2 tanks"
    if preposition == "including" and _SOLD_TO_MANY.search(before):
        return "operator", EXPLICIT  # "sold to around 10 countries, including Poland, Egypt and Australia"
    if (
        not is_origin  # "German officials say their IRIS-T systems have shot down drones in Ukraine": a seller's
        and last.end <= system.start
        and (speaker := SPEAKER_AFTER.match(low, last.end)) is not None
        and _THEIR_OWN.fullmatch(low, speaker.end(), system.start) is not None
        # "their Patriots sent to Ukraine" (not "their F-35I jets operated over Tehran": a target's sky)
        and not _used_elsewhere(low, sentence_start, group, groups, _IN_OR_TO)
    ):
        return "operator", EXPLICIT  # "Israeli officials say their F-35I jets operated over Tehran"
    if preposition in ("in", "at", "on") and _FROM_BASE_IN.search(before) and not possessive(low, last):
        return "other", EXPLICIT  # "flying out of RAF Akrotiri on Cyprus", "from bases in Jordan": a host
    if preposition == "on" and _RELIED_ON.search(before):
        return "other", EXPLICIT  # "a country that has relied on Moscow for its air power": a past supplier
    if system.end <= first.start and _IN_REACH.search(before):
        return "other", EXPLICIT  # "Iskanders ... could reach Berlin", "within range of Germany": a target
    if preposition in ("at", "from", "to", "in", "near") and _RAF_BASE.match(low, first.start):
        return "other", EXPLICIT  # "arrived at RAF Lakenheath", "flying from RAF Akrotiri": a base
    if preposition == "from":
        if _BUYER_FROM.search(before):
            return "operator", EXPLICIT  # "new Patriot orders from Germany": the buyer
        if _FORCES_FROM.search(before) and not (
            cue_before is not None and cue_before.name in ("talks", "deal", "delivery")
        ):
            # "Patriot units from Germany were deployed in Slovakia": its forces; not "Ukraine has received two
            # Patriot units from Germany" or "India ordered five S-400 squadrons from Russia": what was given
            return "operator", EXPLICIT
        if _DISTANCE_FROM.search(before) and not _JOURNEY.search(
            low, max(sentence_start, first.start - 80), first.start
        ):
            return "other", EXPLICIT
        if _THREAT_FROM.search(before):
            return "other", EXPLICIT  # "the threat from Russia", "pressure from Washington": no seller
        return "supplier", EXPLICIT
    if preposition == "by":
        if SPEAKER_AFTER.match(low, last.end):
            return None  # "claims by Iranian officials": a source, not a party
        if _MADE_IN.search(before[-30:]):
            return "supplier", EXPLICIT  # "the NASAMS, built by Norway's Kongsberg"
        if _BUYER_BY.search(before[-30:]) or (cue_before is not None and cue_before.name == "deployment"):
            return "operator", EXPLICIT  # "fighters bought by India"
        if SUPPLY_PARTICIPLE.search(before) or (
            cue_before is not None
            and TRANSFER.search(low, cue_before.start, cue_before.end)
            and not _ACQUIRE.match(low, cue_before.start, cue_before.end)
        ):
            return "supplier", EXPLICIT  # "handed over to the Estonian army by South Korea's Hanwha"
        return "other", EXPLICIT
    if preposition == "with":
        if is_origin:
            return "supplier", EXPLICIT
        if cue_before is not None and first.start - cue_before.end <= 40:
            if cue_before.name == "deployment" and _SERVICE_WITH.search(low, cue_before.start, first.start):
                return "operator", EXPLICIT  # "entered service with the Polish air force"
            if cue_before.name in ("deal", "talks"):
                # "the F-16 deal with Turkey": the buyer; "Argentina signed with Denmark": the seller
                buyer_before = any(
                    not {c.name for c in g} <= origin and g[-1].end <= cue_before.start
                    for g in groups[:number]
                )
                return ("supplier", EXPLICIT) if buyer_before else ("operator", EXPLICIT)
        return "other", WEAK
    if preposition == "via":
        return "other", EXPLICIT
    if preposition == "to" and is_origin and _BACK_TO.search(before):
        return "supplier", EXPLICIT  # "send its Russian-made S-400s back to Russia": the maker it came from
    if (
        preposition in ("to", "into")
        and system.end <= first.start
        and (
            (_MOVED.match(low, system.end, first.start) and _visitors(low, group, groups, system))
            or (
                _OBJECT_TO.fullmatch(low, system.end, first.start)
                and _visitors(low, group, groups, system, moved=True, sentence_end=sentence_end)
            )
        )
        # a drill, a rotation: not "German IRIS-T systems were moved to Ukraine"
        and _VISIT.search(low, sentence_start, sentence_end)
    ):
        # "Russian S-400s fly into Serbia for a drill", "Russia flew an S-400 battery to Serbia": the host
        return "other", EXPLICIT
    if preposition in ("to", "for", "into"):
        if cue_before is not None:
            text = low[cue_before.start : cue_before.end]
            if cue_before.name == "deployment" and DEPLOY.match(text) and other_subject():
                return "other", EXPLICIT  # hosts: "Russia deployed S-400s to Belarus"
            owners = [g for g in groups if g is not group and _served_by(low, g[-1], system)]
            if (
                DEPLOY.match(text)
                and owners
                and not _giver_before(low, cue_before, [g for g in groups if g not in owners], group)
            ):
                # "a U.S. Army THAAD battery sent to Israel": the Army runs it there; "Britain sent 14 British
                # Army Challenger 2s to Ukraine" is a gift
                return "other", EXPLICIT
            if (
                text.startswith(("offer", "sold", "sell"))
                and first.start - cue_before.end <= 20
                and not any(g[-1].end <= cue_before.start for g in groups if g is not group)
            ):
                return "operator", EXPLICIT  # "the jets were later offered to Iran": a buyer, not a host
            if TRANSFER.search(text) and not _ACQUIRE.match(text):
                between = low[cue_before.end : first.start]
                named_between = cue_before.end <= system.start < first.start or _WEAPON_NOUN.search(between)
                if not named_between and len(between.split()) > 3:
                    return None  # "sending much of its old arsenal to Ukraine": not this system
                givers = [g for g in groups if g[-1].end <= cue_before.start and g is not group]
                if (
                    known
                    and givers
                    and not {c.name for c in givers[-1]} & known
                    and not _possessor(low, givers[-1][-1])
                ):
                    return (
                        "operator",
                        EXPLICIT,
                    )  # "and Germany has handed several of its batteries to Ukraine"
                if known and not givers and _OWN.search(low, sentence_start, cue_before.start):
                    return "other", EXPLICIT  # "some of its interceptors were sent to Israel": a host
                owned = _OWNERSHIP.match(text) and _PASSIVE_GIVEN.search(
                    low, max(sentence_start, cue_before.start - 24), cue_before.start
                )
                if (other_subject() and not owned) or (
                    number > 0 and text.startswith("sen") and TROOPS.search(low, cue_before.end, sentence_end)
                ):
                    # "sending a THAAD battery and troops to operate it to Israel"; but "the system was transferred
                    # to Greece" (passive, an ownership verb): a new owner, not a host
                    return "other", EXPLICIT
                return "operator", EXPLICIT
            owned_by = re.match(r"(?:'s|\ss)\s", low[last.end : last.end + 3]) is not None
            if preposition == "for" and cue_before.name in ("deal", "talks") and not owned_by:
                return "operator", EXPLICIT
        return None
    if preposition in ("in", "at", "inside", "near", "over", "across", "within", "around", "off", "along"):
        if (
            preposition == "at"
            and _FIRED_AT.search(low, max(sentence_start, first.start - 90), first.start)
            and not _INTERCEPTED.search(low, sentence_start, sentence_end)
            and not _OWN_CLAUSE.match(low, last.end)
        ):
            # "has fired large numbers of the same missiles at Ukrainian cities": the target; not "intercepted
            # missiles fired at Saudi cities", where the target is the defender, who may operate the system
            return "other", EXPLICIT
        if _MADE_IN.search(before) or _FROM_PLACE_IN.search(before):
            return "supplier", EXPLICIT  # "tanks built in South Korea"
        if _SPEAKER_IN.search(before):
            return None  # "the defence ministry in Berlin said": where a speaker sits says nothing
        if _FORCES_IN.search(before):
            return "other", EXPLICIT  # "ordered 18 tanks for its brigade in Lithuania": where the brigade is
        if _WATERS.match(low, last.end):
            return "other", EXPLICIT  # "during testing in U.S. waters", "in Polish airspace": a place
        if _ATTACKS_AFTER.match(low, last.end):
            return "other", EXPLICIT  # "badly damaged in Israeli strikes": the attacker
        if _AWAY.search(before) or _SAID_IN.search(before) or _CONFLICT.search(before):
            return "other", EXPLICIT  # where something was said, or a stopover
        if (
            cue_before is not None
            and cue_before.name == "deployment"
            and (
                other_subject()
                # "Patriot batteries from Germany now stationed in Poland": stationing is a force's
                or (
                    _STATIONED.match(low, cue_before.start) is not None
                    and any(
                        g[-1].end <= cue_before.start
                        and _preposition(low[max(sentence_start, g[0].start - 30) : g[0].start]) == "from"
                        for g in groups
                        if g is not group
                    )
                )
                or (
                    # "the allied Patriots, deployed near Sliac in central Slovakia, have since been withdrawn",
                    # "Spanish Typhoons were deployed to Graf Ignatievo air base in Bulgaria"
                    (
                        _VISITING.search(low, max(sentence_start, system.start - 30), system.start)
                        or (
                            _DEPLOYED_TO.match(low, cue_before.start, first.start) is not None
                            and _visitors(low, group, groups, system)
                        )
                    )
                    and _VISIT.search(low, sentence_start, sentence_end) is not None
                )
            )
        ):
            # a host: "the THAAD battery the US deployed in South Korea", "the allied Patriots, deployed near
            # Sliac in central Slovakia"
            return "other", EXPLICIT
        if (
            cue_before is not None
            and cue_before.name == "deployment"
            and _ATTACK.match(low, cue_before.start)
            and cue_before.end <= system.start < first.start
        ):
            return "other", EXPLICIT  # "shot down a Kinzhal over Kyiv": where the target fell
        if (
            cue_before is not None
            and _ATTACK.match(low, cue_before.start)
            and _TARGET_NOUN.search(low, cue_before.end, first.start)
        ):
            return "other", EXPLICIT  # "struck targets in Raqqa, Syria": where the targets were
        if (
            preposition in ("around", "off", "near", "along")
            and cue_before is not None
            and cue_before.name == "deployment"
            and first.start - cue_before.end < 40
        ):
            return "other", WEAK  # "exercises around the island", "deployed near the Finnish border"
        if (
            (
                preposition in ("over", "across")
                # "French Rafales have flown missions in Libya, Mali, Iraq and Syria": another's aircraft
                or (
                    preposition == "in"
                    and any(g is not group and 0 <= system.start - g[-1].end <= 30 for g in groups)
                )
            )
            and cue_before is not None
            and low.startswith("fl", cue_before.start)
            and _MISSIONS.search(low, cue_before.start, first.start)
        ):
            # "flying strike missions over Iraq and Syria": the theatre, not the user
            return "other", EXPLICIT
        if (
            cue_before is not None
            and cue_before.name in ("delivery", "deployment")
            and first.start - cue_before.end < 40
        ):
            if (
                cue_before.name == "deployment"
                and any(
                    g is not group
                    and g[-1].end <= system.start
                    and (
                        _owns(low, g[-1], system)
                        # "A Spanish Patriot battery has been stationed at Incirlik air base in Turkey"
                        or (
                            _STATIONED.match(low, cue_before.start) is not None
                            # not a maker's export ("Chinese J-10C fighters based in Pakistan"), nor an owner's
                            and not {c.name for c in g} <= origin
                            and not _OWNER_BEFORE.search(low, max(sentence_start, g[0].start - 8), g[0].start)
                            and 0 <= system.start - g[-1].end <= 30
                            and PREMODIFIER.match(low[g[-1].end : system.start]) is not None
                        )
                    )
                    for g in groups
                )
            ):
                return "other", EXPLICIT  # "Germany's Patriot batteries are deployed in Poland": a host
            if (
                preposition in ("over", "above")
                and _ATTACK.match(low, cue_before.start)
                and _PASSIVE.search(low, max(sentence_start, cue_before.start - 20), cue_before.start)
                and system.end <= cue_before.start
                # several countries on the way, or another's weapon (not "An F-16 was shot down over Ukraine")
                and (len(group) > 1 or any(g is not group and g[-1].end <= system.start for g in groups))
            ):
                return "other", EXPLICIT  # "were destroyed over Iraq, Syria and Jordan": where they fell
            if _AID_AFTER.match(low, last.end) and _MONEY.search(low, cue_before.end, first.start):
                # "receives $1.3 billion a year in U.S. military aid": money, no place
                return "other", EXPLICIT
            return "operator", EXPLICIT  # "arrived in Poland", "now operational in Ukraine"
        return None
    if preposition == "against":
        return "other", EXPLICIT
    if cue_before is not None and first.start - cue_before.end <= 12:
        text = low[cue_before.start : cue_before.end]
        direct = _OBJECT_GAP.match(low[cue_before.end : first.start]) is not None
        if cue_before.name == "deployment" and cue_before.end <= first.start and direct:
            if _ATTACK.match(low, cue_before.start) and 0 < system.start - cue_before.end <= 60:
                return "operator", EXPLICIT  # "shot down Indian aircraft, including a Rafale": India lost it
            return (
                "other",
                EXPLICIT,
            )  # a target: "shot down a Russian missile", "intercept North Korean missiles"
        if TRANSFER.search(text) and not _ACQUIRE.match(text) and first.start - cue_before.end <= 2:
            return "operator", EXPLICIT  # "supply Ukraine with", "offered Turkey"
    if cue_before is not None and cue_before.start < first.start < cue_before.end:
        if cue_before.name == "cancellation" and not is_origin:
            return "operator", EXPLICIT  # "removing Turkey from the F-35 programme" (not "the Russian deal")
        if low.startswith("ask", cue_before.start):
            return "supplier", EXPLICIT  # "Kyiv asked Berlin for more systems"
    if (
        is_demonym(low, last)
        and _SYSTEM_NOUN.match(low, last.end)
        and low.endswith(("the ", "its "), 0, first.start)
    ):
        return ("supplier", EXPLICIT) if is_origin else ("operator", EXPLICIT)  # "the French jet"
    including = (
        system.start > last.end and OWN_KIND_INCLUDING.fullmatch(low, last.end, system.start) is not None
    )
    if (
        not is_origin
        and is_demonym(low, last)
        and low.startswith(low[system.start : system.end], last.end + 1)
        # at work, not given: "Danish F-16s donated to Ukraine, like Norwegian F-16s, arrived"
        and (after := _first_cue_after(cues, last.end)) is not None
        and after.name == "deployment"
        and not TRANSFER.search(low, sentence_start, sentence_end)
    ):
        # "Qatari Patriot batteries, working alongside American Patriot units": the system named again, its own
        return "operator", EXPLICIT
    # ("Indian military aircraft, one of them a Rafale": "military" names no actor there)
    if (
        not is_origin
        and len(groups) > 1
        and is_demonym(low, last)
        and (including or not _ACTOR.match(low, last.end))
    ):
        if including and not _RATHER.search(low, last.end, system.start):
            if _ACQUIRED_LEAD.search(low, max(sentence_start, first.start - 40), first.start):
                # "Romania will buy 32 Norwegian jets, all of them F-16s": the seller's
                return "supplier", EXPLICIT
            return "operator", EXPLICIT  # "five Indian aircraft were brought down, including three Rafales"
        return "other", EXPLICIT  # "Russian drone footage", "Chinese territory", "the Polish border"
    if last.end <= system.start and _CAPTURED.search(low, last.end, system.start):
        # "Russia later towed captured Western armour, including a Leopard 2": a trophy
        return "other", EXPLICIT
    if not is_origin and len(groups) > 1 and _BYSTANDER_NOUN.match(low, last.end):
        return "other", EXPLICIT  # "under the threat of U.S. sanctions"
    if (
        possessive(low, last)
        and _PLACE_NOUN.match(low, last.end)
        and _TOWARDS.search(low, max(sentence_start, first.start - 24), first.start)
    ):
        return "other", EXPLICIT  # "the drones took hours to reach Israel's borders": a target's territory
    if (
        last.end < system.start
        and (work := _REFURBISHES.match(low, last.end)) is not None
        and work.end() <= system.start
        and _bought_for_another(low, groups, last.name, system.end, sentence_end)
    ):
        return "supplier", EXPLICIT  # "The Netherlands will refurbish F-16 jets for Romania": a donor
    # Subject of the next cue: the nearest country before it ("one of Russia's customers" owns a noun).
    if _possessor(low, last):
        return None
    cue_after = _first_cue_after(cues, last.end)
    if cue_after is None or cue_after.start - last.end > 80:
        return None
    if (
        last.end < system.start <= cue_after.end + 40
        and _REACTS_TO.match(low, last.end, cue_after.start) is not None
        # the system is what the reaction is about: not "objected to the EU plan, yet bought Leopard 2A7 tanks"
        and _TURN.search(low, cue_after.end, system.start) is None
    ):
        # "China retaliated against the THAAD deployment": a reaction to another's act
        return "other", EXPLICIT
    if (
        system.start > last.end
        and low.find("los", last.end, system.start) >= 0
        and _LOST_TO.match(low, last.end, system.start) is not None
    ):
        # "Russia lost an S-400 launcher to a Ukrainian ATACMS strike": the other side's weapon
        return "other", EXPLICIT
    pronoun = _PRONOUN_SUBJECT.search(low, max(sentence_start, cue_after.start - 16), cue_after.start)
    if pronoun is not None:
        if number != 0 and not (
            # "Colombia's government said it would buy": "it" is the speaking country just named
            SPEAKER_AFTER.match(low, last.end) is not None
            and cue_after.name
            in ("talks", "deal", "delivery")  # buying, not "said it had shot down hundreds"
            # not "said it was destroyed": "it" is the system
            and _PASSIVE_AFTER.match(low, low.index(" ", pronoun.start())) is None
            and pronoun.start() - last.end <= 40
            and not any(last.end < g[0].start < pronoun.start() for g in groups)
        ):
            return None  # "... if it takes delivery": "it" is the sentence's first country
    else:
        if any(
            last.end < g[0].start < cue_after.start
            and not _possessor(low, g[-1])
            and not _where_forces_are(low, sentence_start, group, g, cue_after, system)
            # "one of the largest buyers of Russian weapons and already flies": an adjective of an object (but
            # "turns down Ukrainian request": the adjective owns the event itself)
            and not (
                is_demonym(low, g[-1])
                and not _ACTOR.match(low, g[-1].end)
                # ("Russian jets launched": the demonym's noun is the verb's subject, unless a new predicate
                # begins in between: "... Russian weapons and already flies")
                and _NEW_CONJUNCT.search(low, g[-1].end, cue_after.start) is not None
            )
            for g in groups
        ):
            return None
        if last.end < system.start < cue_after.start and not (
            # "Slovakia completes MiG-29 transfer to Ukraine": the system names the transfer, whose giver it is
            _names_transfer(low, system, cue_after) and _recipient_after(low, groups, cue_after.end)
        ):
            return None  # "footage showed Leopard tanks abandoned": the cue is said of the system
    speaker = SPEAKER_AFTER.match(low, last.end)
    if (
        speaker is not None
        and len(groups) > 1
        and pronoun is None
        # not "the Czech government approved the purchase": a government's own act
        and not (
            low.endswith(_GOVERNMENT, speaker.start(), speaker.end())
            and low.startswith(_GOVERNMENT_ACTS, cue_after.start)  # not "opposes", "protested", "tracked"
            and cue_after.start - speaker.end() <= 12
            and _REPORTING.search(low, speaker.end(), cue_after.start) is None
        )
    ):
        return None
    following = _first_cue_after(cues, cue_after.end)
    close = following is not None and following.start - cue_after.end <= 25
    # "is considering sending", "agreed to send", "approved donating a Patriot system to Ukraine"
    leading = cue_after.name == "talks" or low.startswith(("agree", "decide", "approv"), cue_after.start)
    if (
        leading
        and close
        and following
        and TRANSFER.match(low, following.start)
        # "approved donating a Patriot system to Ukraine" (not "approved the sale": the approval is the deal)
        and (
            not low.startswith("approv", cue_after.start)
            or low.endswith("ing", following.start, following.end)
        )
        # not "the jets that the Netherlands promised Ukraine have been handed over": a new predicate
        and not _PASSIVE.search(low, max(sentence_start, following.start - 20), following.start)
    ):
        cue_after = following  # "Italy is considering sending a battery to Ukraine"
    if (leading or cue_after.name == "deal") and close and following and FUNDING.match(low, following.start):
        cue_after = following  # "Germany has agreed to pay for two Patriot systems ..."
    if FUNDING.match(low, cue_after.start):  # a funder pays for someone else's systems, or buys its own
        beneficiary = any(  # "... for Ukraine", "the batteries it is paying for will reach Ukraine"
            g[0].start > cue_after.end
            and re.search(r"\b(?:for|to|reach|reaches|in)\s+(?:the\s+)?$", low[g[0].start - 12 : g[0].start])
            for g in groups
        )
        return ("supplier" if beneficiary else "operator"), EXPLICIT
    if (
        cue_after.name in ("deal", "talks")
        and (bought := _BUYS.search(low, cue_after.start, max(cue_after.end, system.start))) is not None
        and not _NOT_BEFORE.search(low, max(sentence_start, bought.start() - 12), bought.start())
        and _bought_for_another(low, groups, last.name, system.end, sentence_end)
    ):
        # "Canada bought a NASAMS system from the United States for Ukraine": a donor
        return "supplier", EXPLICIT
    target = (
        0 <= system.start - cue_after.end <= 60
        and not any(cue_after.end <= t.start < system.start for t in cues if t.name == "term")
        # not the instrument: "has never brought down an aircraft with its S-400 missiles"
        and not _WITH_OWN.search(low, cue_after.end, system.start)
    )
    # "the S-400 that Pakistan said it had destroyed": the system is the object of the country's attack
    target = target or (
        _OBJECT_RELATIVE.fullmatch(low, system.end, first.start) is not None
        # not "the IRIS-T systems that Ukraine says destroyed most cruise missiles": the system did it
        and _SAYS_NO_SUBJECT.search(low, last.end, cue_after.start) is None
    )
    if cue_after.name == "deployment" and _ATTACK.match(low, cue_after.start) and target:
        return "other", EXPLICIT  # "shot down a Russian Kinzhal": the system was the target
    text = low[cue_after.start : cue_after.end]
    passive = (
        _PASSIVE.search(low, max(sentence_start, cue_after.start - 20), cue_after.start) is not None
        # "Japan is shipping Patriot interceptors to the United States": a progressive, the active giver to a
        # country (not "Poland is sending more K2 tanks to its eastern border", nor a maker that "is sending" its
        # own batteries with its troops, which the stage reads as a deployment)
        and (
            is_origin
            or not text.partition(" ")[0].endswith("ing")
            or not _recipient_after(low, groups, system.end, system.end + 40)
        )
        # but a maker that "is offering" or "is selling" its system is a seller
        and not (is_origin and text.startswith(("offering", "selling", "exporting")))
    )
    if _ACQUIRE.match(text) or passive:
        if (
            is_origin
            and len(groups) > 1
            and not passive
            # not "Russian forces in Syria received" (their own), but "hosts Russian forces and has taken delivery"
            and not (
                _FORCES_AFTER.match(low, last.end) and not _JOINED.search(low, last.end, cue_after.start)
            )
        ):
            # "a Russian cargo plane carrying the S-400 landed near Ankara" (not "Russian forces in Syria received")
            return "supplier", EXPLICIT
        return "operator", EXPLICIT
    if is_origin and (len(groups) > 1 or known) and cue_after.name in ("delivery", "deal"):
        return "supplier", EXPLICIT  # the maker signing or delivering, with a buyer in the sentence
    if (
        TRANSFER.match(text)
        and _MAY.search(low, max(sentence_start, cue_after.start - 12), cue_after.start)
        and not (
            _PROMISED.search(low, max(sentence_start, cue_after.start - 70), cue_after.start)
            and not _KEPT.search(low, cue_after.end, sentence_end)
        )
    ):
        return "operator", EXPLICIT  # "Turkey could transfer its S-400s": it still holds them
    if (
        TRANSFER.match(text)
        and not text.startswith("deliver")  # "did not deliver its promised tanks on time": late, not refused
        and _REFUSED.search(low, max(sentence_start, cue_after.start - 30), cue_after.start)
        and (own := _ITS_OWN.match(low, cue_after.end))
        # the system itself, not "refused to sell its F-35s to Turkey after Ankara bought the S-400"
        and 0 <= system.start - own.end() <= 12
        and not _INSTEAD.search(low, system.end, sentence_end)
    ):
        return "operator", EXPLICIT  # "Greece will not send its Patriots to Ukraine": it keeps them
    if cue_after.name == "delivery" and _NOUN.match(text) and _recipient_after(low, groups, cue_after.end):
        return "supplier", EXPLICIT  # "Slovakia completes MiG-29 transfer to Ukraine"
    if (
        cue_after.name in ("deal", "talks")
        and not _ACQUIRE.match(text)
        and not _KEPT.search(low, cue_after.end, sentence_end)
    ):
        if text.startswith("offer") and _OFFER_OWN.match(low, cue_after.end):
            return "supplier", EXPLICIT  # "offering to fly all of its MiG-29s to Ramstein"
        give = _TO_GIVE.match(low, cue_after.end)
        if (
            give is not None
            and give.end() <= system.end + 60
            and not any(cue_after.end <= g[0].start < give.end() for g in groups)
            and (cue_after.name == "deal" or _FROM_OWN.search(low, give.end(), sentence_end))
            # not "to deliver 180 K2 tanks to its army"
            and not _TO_OWN_FORCES.search(low, give.end(), sentence_end)
        ):
            return "supplier", EXPLICIT  # "signed an agreement to provide 30 of the jets"
    if cue_after.name in ("delivery", "deal", "talks") and TRANSFER.match(text) and not _NOUN.match(text):
        if text.startswith("approv") and _EXPORT.match(low, cue_after.end):
            return "supplier", EXPLICIT  # "Britain refused to approve the export": the exporter's government
        if text.startswith(("offer", "approv")) and not is_origin:
            return "operator", EXPLICIT  # "Poland approved the purchase"
        if text.startswith("sen") and TROOPS.search(low, cue_after.end, sentence_end):
            return "operator", EXPLICIT  # sending its own battery and troops is a deployment
        return "supplier", EXPLICIT
    if is_origin and text.startswith("offer") and len(groups) > 1:
        return "supplier", EXPLICIT  # "Russia has been pressing its own offer of the Su-57E to India"
    if cue_after.name == "cancellation" and (
        (is_origin and len(groups) > 1) or _EXPORT.match(low, cue_after.end)
    ):
        return "supplier", EXPLICIT  # "the US removed Turkey from ...", "Switzerland blocks re-export"
    return "operator", EXPLICIT


_NOT_BEFORE = re.compile(r"\b(?:not|n't|never)\s+$")
_OWN_FORCES_AFTER = re.compile(
    r"(?:'s|\ss|')?\s+(?:own\s+)?(?:army|armed\s+forces|forces|military|air\s+force|navy|defen[cs]es?|troops|soldiers)\b"
)
_PRODUCTS_AFTER = re.compile(
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+)?(?:weapons?|arms|equipment|hardware|systems?|jets?|tanks?|aircraft|fighters?|"
    r"missiles?|drones?|industry|compan(?:y|ies)|firms?|makers?|manufacturers?|products|exports?)\b"
)
_CLAUSE_CUT = re.compile(r"[;:]|,\s*(?:and|but|while|whereas|which|who)\b|\b(?:but|while|whereas)\b")
_BUYS = re.compile(  # or has refurbished: "agreed to refurbish 100 Leopard 1A5 tanks for Ukraine"
    r"\b(?:buy|buys|bought|buying|purchas\w*|order(?:s|ed|ing)?|acquir\w*|refurbish\w*)\b"
)
# a country's own work on weapons for another: "will refurbish", "is overhauling" (no cue of its own)
_REFURBISHES = re.compile(
    r"\s+(?:(?:has|have|had|is|are|was|were|will|would|plans\s+to|agreed\s+to|is\s+to|also|now|to)\s+){0,3}"
    r"(?:refurbish|overhaul|recondition)\w*\s"
)
# the country a purchase is for, or a gift of what was bought is to
_FOR_ANOTHER = re.compile(
    r"(?:(?<!\bnot\s)\bfor|\b(?:donate|donated|donating|give|gave|giving|send|sent|sending|hand(?:ed|ing)?\s+over|"
    r"transfer(?:red|ring)?|deliver(?:ed|ing)?)\s+(?:it|them|the\s+[\w-]+)\s+to)\s+(?:the\s+)?$"
)


def _bought_for_another(
    low: str, groups: Sequence[Sequence[Place]], name: str, position: int, end: int
) -> bool:
    """Whether another country soon after ``position``, in the same clause, is the one a purchase is for ("bought
    ... for Ukraine", "agreed to buy a NASAMS and donate it to Ukraine"; not "the first export order for the
    Turkish warplane", "ordered 54, and Germany has ordered 100 for the Bundeswehr")."""
    return any(
        position < g[0].start <= min(end, position + 90)
        and g[0].name != name
        and _FOR_ANOTHER.search(low, max(0, g[0].start - 40), g[0].start) is not None
        and _CLAUSE_CUT.search(low, position, g[0].start) is None
        and (not is_demonym(low, g[-1]) or _ACTOR.match(low, g[-1].end) is not None)
        # "a deal officials called crucial for Ukraine's allies" (but "for Ukraine's army" is for Ukraine)
        and (not possessive(low, g[-1]) or _OWN_FORCES_AFTER.match(low, g[-1].end) is not None)
        # not "the biggest customer for South Korean weapons": a maker's products
        and _PRODUCTS_AFTER.match(low, g[-1].end) is None
        for g in groups
    )


def _recipient_after(
    low: str, groups: Sequence[Sequence[Place]], position: int, until: int | None = None
) -> bool:
    """Whether a country after ``position`` (and before ``until``) is introduced by "to": the recipient of
    a transfer."""
    return any(
        position < g[0].start <= (len(low) if until is None else until)
        and re.search(r"\bto\s+(?:the\s+)?$", low[max(0, g[0].start - 8) : g[0].start])
        for g in groups
    )


def _first_cue_after(cues: Sequence[Place], position: int, kind: str = "") -> Place | None:
    for cue in cues:
        if cue.start >= position and (not kind or cue.name == kind):
            return cue
    return None


def _last_cue_before(cues: Sequence[Place], position: int, window: int) -> Place | None:
    found = None
    for cue in cues:
        if cue.start < position and position - cue.end <= window:
            found = cue
    return found
