"""A last look at alerting hits: is the operator really the one that received, operates or cancelled?

``find_hits`` decides roles and stages from windows and prepositions; a few kinds of sentence still make
a country the operator at a strong stage (delivery, deployment, cancellation) when the words say
otherwise. Alerts fire only on operator hits, so each such hit is a wrong page to an analyst.
``vet_hits`` re-reads the evidence sentence of every operator hit at a strong stage and demotes it
(never drops it) when one of these general, language-level rules applies:

Roles (every mention of the country in the evidence must be explained by a rule):

1. *Target*: the country is the adjective or possessor of what was shot down, struck or defended
   against ("to shoot down Russian missiles", "downed Indian jets", "against Russian supply lines", "the
   attack on Israel", "response to an Iranian missile attack", "missiles fired from Iran"), or the
   system itself is what the country shot down or intercepted -> ``other``.
2. *Host*: the country is where another country's military put the system or keeps its forces ("the
   U.S. military installed THAAD in South Korea", "to protect American bases in Saudi Arabia") -> other.
3. *Geography*: "the border with X", "near the X border", "X's Bryansk region", "which borders X" -> other.
4. *Seller*: the subject of an outgoing transfer ("Spain has sent Leopards to Ukraine", "Poland, Norway
   and Canada were among those that sent Leopards"), the adjective of a used system ("second-hand
   Israeli F-16s"), the one turned to ("turned to the United States and Israel") -> ``supplier``.

Stages (every cue of the hit's stage in the evidence must be vetoed; the stage falls back to what its
own clause asserts, else the best non-strong stage the story asserts for the pair, else ``mention``):

5. *Quantified negation*: "None of the aircraft has yet been handed over".
6. *Denied report*: a reported claim the next sentence calls false ("these reports are false").
7. *Any*: "any transfer would be ..." is hypothetical -> ``talks`` at most.
8. *Alternative*: the system named only as what was not chosen ("rather than ... SAMP/T").
9. *Coordinated clause*: "Poland took delivery of TB2s ..., and Kuwait signed for the drone": the cue
   belongs to the earlier clause's country, not to the one that starts a new clause with its own verb.
10. *Other weapon*: "North Korea fired two short-range ballistic missiles" in a sentence that does not
    name the continued system is about those missiles, not about the system.

Pure and cheap: nothing runs unless some hit is an operator at a strong stage; regexes compile at import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from scraper.aliases import Mention, normalize
from scraper.lexicon import STAGE_KINDS, compile_lexicon
from scraper.model import STRONG_STAGES, Hit, Story, Watchlist, stage_rank
from scraper.scopes import Event, judge
from scraper.sentences import dateline_end, is_lowercase_style, split_sentences

_GAP = r"(?:[\w'./-]+\s+){0,5}?"  # a few words with no punctuation between: one noun phrase
_WINDOW = 160  # characters looked back from a mention

# 1. Targets. Triggers whose object is a target; "against" needs a weapon or force noun after the country.
_ATTACK_VERB = (
    r"(?:shoot|shot|shoots|shooting)\s+down|downed|downing|intercept(?:s|ed|ing)?|destroy(?:s|ed|ing)?|"
    r"struck(?!\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:deal|agreement|contract|accord|bargain))|"
    r"against|(?:response|retaliation)\s+to|(?:attack|strike|raid|assault|barrage|offensive)s?\s+(?:on|against)|"
    r"invasion\s+of|fired\s+(?:at|on|towards?|into)|aimed\s+at"
)
_TARGET_LEAD = re.compile(rf"\b(?:{_ATTACK_VERB})\s+(?:the\s+)?{_GAP}$")
_BARE_TARGET = re.compile(  # the country itself may be the target: "the attack on Israel", "fired at Israel"
    r"(?:(?:attack|strike|raid|assault|barrage|offensive)s?\s+(?:on|against)|invasion\s+of|fired\s+(?:at|on|"
    r"towards?|into)|aimed\s+at)\s+(?:the\s+)?$"
)
_ATTACKER_TAIL = re.compile(  # "missiles fired from Iran", "drones launched by Russia"
    r"\b(?:missiles?|rockets?|drones?|projectiles?|munitions|bombs?)\s+(?:[\w-]+\s+)?"
    r"(?:fired|launched)\s+(?:from|by)\s+(?:the\s+)?$"
)
_ADJECTIVE_USE = re.compile(  # the country premodifies a noun: "Russian cruise missiles", "Russia's region"
    r"(?:'s|\ss)?\s+(?!(?:and|or|to|from|in|on|of|for|with|by|at|as|said|says|has|have|had|is|are|was|"
    r"were|will|would|which|that|who|after|before|since|over)\b)[a-z]"
)
_SHOT_DOWN = re.compile(
    r"\b(?:(?:shoot|shot|shoots|shooting)\s+down|downed|downing|intercept(?:s|ed|ing)?)\s+(?:the\s+)?{gap}$".replace(
        "{gap}", _GAP
    )
)

# 2. Hosts. A foreign military's move of the system, or its bases/forces in the country.
_MILITARY = r"(?:military|armed\s+forces|forces|troops|army|navy|air\s+force|marines|soldiers)"
_HOST_MOVE = re.compile(
    rf"\b{_MILITARY}\s+(?:[\w'-]+\s+){{0,3}}?(?:sent|send|sends|sending|deploy(?:s|ed|ing)?|install(?:s|ed|ing)?|"
    r"station(?:s|ed|ing)?|position(?:s|ed|ing)?|mov(?:e|es|ed|ing)|rush(?:es|ed|ing)?|dispatch(?:es|ed|ing)?)"
    r"\s+(?:[\w'./-]+\s+){0,8}?(?:to|in|into|on|at)\s+(?:the\s+)?$"
)
_HOST_BASES = re.compile(
    r"\b(?:bases?|troops|forces|soldiers|personnel|garrisons?|facilit(?:y|ies))\s+(?:in|at)\s+(?:the\s+)?"
    r"(?:(?:countries|nations|states|places)\s+)?(?:(?:such\s+as|like|including)\s+)?$"
)

# 3. Geography.
_GEO_LEAD = re.compile(
    r"(?:\b(?:border|frontier|boundary)\s+with|\bbordering|\bborders|\bborder\s+of)\s+(?:the\s+)?$"
)
_GEO_TAIL = re.compile(
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+){0,2}?(?:border|frontier|region|oblast|province|soil|territory)\b"
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
_ELSE_SENT = re.compile(  # "the heavy weapons Prague sent to Ukraine": the recipient of other goods
    r"\b(?:weapons|equipment|arms|aid|ammunition|munitions|hardware|materiel)\s+(?:that\s+|which\s+)?"
    rf"(?:[\w'.-]+\s+){{1,3}}?(?:had\s+|has\s+|have\s+)?{_GIVE}\s+to\s+(?:the\s+)?$"
)
_OWN_CREWS = re.compile(r"\bto\s+operate\s+(?:it|them)\b|\b(?:soldiers|troops|personnel|crews)\s+to\b")
_USED_ADJ = re.compile(r"\b(?:second-hand|secondhand|used|surplus|refurbished|pre-owned)\s+$")
_TURNED_TO = re.compile(r"\b(?:turn|turns|turned|turning|look|looks|looked|looking)\s+to\s+(?:the\s+)?$")

# 5-10. Stages.
_QUANT_NEG = re.compile(
    r"\b(?:none|neither|not\s+one|not\s+a\s+single|no\s+one|nothing)\b|\b(?:silent|mum)\s+(?:on|about)\b|"
    r"\b(?:declined|refused)\s+to\s+(?:comment|confirm)"
)
_REPORTED = re.compile(
    r"\b(?:reports?|reported|reportedly|claims?|claimed|rumou?rs?|media|outlets?|according\s+to)\b"
)
_DENIAL = re.compile(
    r"\b(?:reports?|claims?|allegations?|rumou?rs?|stor(?:y|ies)|information|this|that|it)\s+(?:is|are|was|were)"
    r"\s+(?:\w+\s+)?(?:false|untrue|baseless|unfounded|fake|incorrect|inaccurate|wrong|fabricated|groundless|"
    r"not\s+true)\b|\bdenied\s+(?:the|these|those|such|this|that|them|it)\b"
)
_ANY = re.compile(r"\bany\s+(?:(?:further|new|future|such|more)\s+)?$")
_ALTERNATIVE = re.compile(
    rf"\b(?:rather\s+than|instead\s+of|in\s+place\s+of|in\s+preference\s+to|as\s+an\s+alternative\s+to)\s+{_GAP}$"
)
_COORD = re.compile(r"(?:,\s*|;\s*)(?:and|but|while|whereas)\s+|;\s+")
_OUTGOING = re.compile(
    r"(?:deliver(?:s|ed|ing)?|sen[dt]s?|suppl(?:y|ies|ied)|hand(?:s|ed)?|ship(?:s|ped)?|transferr?(?:s|ed)?|"
    r"donat(?:es|ed)|gave|gives?|export(?:s|ed)|sold|sells?)\b"
)
_PASSIVE = re.compile(r"\b(?:been|was|were|be|being|is|are)\s+$")
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$")
_COUNTED_WEAPON = re.compile(
    r"\s+(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|\d+|dozens\s+of|hundreds\s+of|"
    r"a\s+salvo\s+of|a\s+barrage\s+of)\s+(?:[\w-]+\s+){0,3}?(?:missiles?|rockets?|drones?|shells?|projectiles?)\b"
)
_WEAPON_TYPE = re.compile(
    r"\b(?:ballistic|cruise|hypersonic|short-range|medium-range|long-range|intercontinental|anti-ship|artillery)\b"
)
_REFERS = re.compile(
    r"\b(?:the|its|their|these|those|this)\s+(?:[\w-]+\s+)?(?:system|systems|battery|batteries|interceptors?|"
    r"launchers?|unit|units)\b|\bit\b"
)


@dataclass(slots=True)
class _Evidence:
    """One evidence sentence, normalised and lower-cased, with its mentions and cues."""

    text: str
    low: str
    mentions: tuple[Mention, ...]
    stages: tuple[tuple[str, tuple[str, ...]], ...]
    found: list[Event] | None = None

    @property
    def events(self) -> list[Event]:
        """Cues and scope triggers, scanned the first time a stage rule asks (role rules do not)."""
        if self.found is None:
            scanned = compile_lexicon(self.stages).scan(self.low)
            self.found = [Event(kind, start, end) for kind, start, end in scanned]
        return self.found


@dataclass(slots=True)
class _StoryView:
    """The story's normalised text, sentences and mentions, computed only when a rule needs them."""

    low: str
    spans: list[tuple[int, int]]
    mentions: tuple[Mention, ...]


def vet_hits(story: Story, hits: tuple[Hit, ...], watchlist: Watchlist) -> tuple[Hit, ...]:
    """The hits, with operators at a strong stage demoted where the language says they are not."""
    if not any(hit.role == "operator" and hit.stage in STRONG_STAGES for hit in hits):
        return hits  # the common case: nothing that alerts loudly
    cache: list[_StoryView] = []
    return tuple(
        _vet(hit, story, watchlist, cache) if hit.role == "operator" and hit.stage in STRONG_STAGES else hit
        for hit in hits
    )


def _vet(hit: Hit, story: Story, watchlist: Watchlist, cache: list[_StoryView]) -> Hit:
    evidence = _evidence(hit.evidence, watchlist)
    mine = [m for m in evidence.mentions if m.kind == "country" and m.name == hit.country]
    systems = [m for m in evidence.mentions if m.kind == "system" and m.name == hit.system]
    verdicts = _roles(evidence, mine, systems, hit.country)
    if mine and all(verdicts):
        role = "supplier" if "supplier" in verdicts else "other"
        stage = "delivery" if role == "supplier" and hit.stage == "deployment" else hit.stage
        return replace(hit, role=role, stage=stage)  # a supplier delivers; using it would make it an operator
    if any(verdicts) and not any(
        _strong_in_clause(evidence, hit, mention)
        for mention, verdict in zip(mine, verdicts, strict=True)
        if not verdict
    ):
        # "J-10s downed Indian jets; India silent on losses": the strong cue is said of the country only
        # as a target, host, border or seller; its other mentions carry no such cue
        return replace(hit, stage=_fallback(hit, None, story, watchlist, cache))
    own = _stage(evidence, hit, mine, systems, story, watchlist, cache)
    if own is not None and own != hit.stage:
        return replace(hit, stage=own)
    return hit


def _strong_in_clause(ev: _Evidence, hit: Hit, mention: Mention) -> bool:
    """Whether the clause of this mention holds an asserted cue of the hit's stage."""
    low = ev.low
    start = 0
    for found in _COORD.finditer(low, 0, mention.start):
        start = found.end()
    end = _clause_end(low, mention.end)
    kinds = {hit.stage, "delivery"} if hit.stage == "deployment" else {hit.stage}
    return any(
        e.kind in kinds
        and start <= e.start < end
        and judge(e, low, (0, len(low)), ev.events) == "asserted"
        and not _QUANT_NEG.search(low, _clause_start(low, e.start), e.start)
        for e in ev.events
    )


def _evidence(sentence: str, watchlist: Watchlist) -> _Evidence:
    text = " ".join(normalize(sentence).split())
    return _Evidence(text, _lower(text), watchlist.index.find(text), watchlist.stages)


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # "İ": keep offsets aligned with the mentions
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


# ---- roles ----------------------------------------------------------------------------------------


def _roles(
    ev: _Evidence, mine: Sequence[Mention], systems: Sequence[Mention], country: str
) -> list[str | None]:
    """Per mention of the country: ``other`` or ``supplier`` when a rule explains it, else None."""
    countries = [m for m in ev.mentions if m.kind == "country"]
    verdicts: list[str | None] = []
    for mention in mine:
        group = _group(ev.low, countries, mention)
        verdicts.append(
            _target(ev, mention, group, systems)
            or _host(ev, group, country)
            or _geography(ev, group)
            or _seller(ev, mention, group, systems, country)
        )
    return verdicts


_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)(?:the\s+)?$")


def _group(low: str, countries: Sequence[Mention], mention: Mention) -> tuple[int, int]:
    """Start and end of the coordinated list of countries the mention belongs to ("Poland, Norway and
    Canada")."""
    index = countries.index(mention)
    first = last = index
    while first > 0 and _LIST_JOIN.fullmatch(low, countries[first - 1].end, countries[first].start):
        first -= 1
    while last + 1 < len(countries) and _LIST_JOIN.fullmatch(
        low, countries[last].end, countries[last + 1].start
    ):
        last += 1
    return countries[first].start, countries[last].end


def _before(low: str, at: int) -> str:
    return low[max(0, at - _WINDOW) : at]


def _target(
    ev: _Evidence, mention: Mention, group: tuple[int, int], systems: Sequence[Mention]
) -> str | None:
    """Rule 1: the country is what was attacked, or attacked, or shot the system down."""
    low = ev.low
    lead = _before(low, group[0])
    if systems and all(_TARGET_LEAD.search(_before(low, s.start)) for s in systems):
        # "Ukrainian crews used the system to shoot down Russian Kinzhal missiles": the shooter is no
        # operator of the Kinzhal ("Russian", inside the target phrase, is); "destroyed Iranian S-300
        # batteries": the target's owner does operate the system.
        for system in systems:
            shot = _SHOT_DOWN.search(_before(low, system.start))
            if shot is None or mention.end > system.start - len(shot.group()):
                return None
        return "other"
    if _ATTACKER_TAIL.search(lead):
        return "other"  # "ballistic missiles fired from Iran"
    found = _TARGET_LEAD.search(lead)
    if found is None:
        return None
    if _BARE_TARGET.search(lead) is None and not _ADJECTIVE_USE.match(low, mention.end):
        return None  # "sanctions against Turkey": a country's name, not an adjective of a target
    if any(group[0] - len(lead) + found.start() < s.start < group[1] + 40 for s in systems):
        return None  # the system is in the target phrase
    return "other"


def _other_country_before(ev: _Evidence, at: int, country: str, slack: int = 2) -> bool:
    return any(
        m.kind == "country" and m.name != country and at - slack - 12 <= m.end <= at for m in ev.mentions
    )


def _host(ev: _Evidence, group: tuple[int, int], country: str) -> str | None:
    """Rule 2: another country's military put the system here, or keeps its forces here."""
    lead = _before(ev.low, group[0])
    offset = group[0] - len(lead)
    moved = _HOST_MOVE.search(lead)
    if moved is not None and _other_country_before(ev, offset + moved.start(), country):
        return "other"  # "the U.S. military installed THAAD in South Korea"
    based = _HOST_BASES.search(lead)
    if based is not None and _other_country_before(ev, offset + based.start(), country):
        return "other"  # "to protect American bases in countries such as Saudi Arabia"
    return None


def _geography(ev: _Evidence, group: tuple[int, int]) -> str | None:
    """Rule 3: the country is a border or the owner of a region."""
    if _GEO_LEAD.search(_before(ev.low, group[0])) or _GEO_TAIL.match(ev.low, group[1]):
        return "other"
    return None


def _seller(
    ev: _Evidence, mention: Mention, group: tuple[int, int], systems: Sequence[Mention], country: str
) -> str | None:
    """Rule 4: the subject of an outgoing transfer, the origin of a used system, the one turned to."""
    low = ev.low
    lead = _before(low, group[0])
    other_goods = _ELSE_SENT.search(lead)
    if other_goods is not None and not any(
        group[0] - len(lead) + other_goods.start() <= s.start < group[0] for s in systems
    ):
        return "other"
    if _TURNED_TO.search(lead):
        return "supplier"  # "Morocco has turned to the United States and Israel"
    if _USED_ADJ.search(_before(low, mention.start)) and any(
        0 <= s.start - mention.end <= 20 for s in systems
    ):
        return "supplier"  # "second-hand Israeli F-16s"
    if _CLAUSE_START.search(lead) is None:
        return None
    gives = _SUBJECT_GIVES.match(low, group[1])
    if gives is None or _OWN_CREWS.search(low):
        return None
    clause_end = _clause_end(low, gives.end())
    if systems and not any(gives.end() <= s.start < clause_end for s in systems):
        return None  # the transfer is of something else
    if gives.group("among"):
        return "supplier"  # "Poland, Norway and Canada were among those that sent Leopards"
    recipient = any(
        m.kind == "country"
        and m.name != country
        and gives.end() < m.start < clause_end
        and re.search(r"\bto\s+(?:the\s+)?$", low[max(0, m.start - 8) : m.start])
        for m in ev.mentions
    )
    return "supplier" if recipient else None  # "Spain has sent Leopard 2 tanks ... to Ukraine"


def _clause_end(low: str, at: int) -> int:
    found = _COORD.search(low, at)
    return len(low) if found is None else found.start()


# ---- stages -----------------------------------------------------------------------------------------


def _stage(
    ev: _Evidence,
    hit: Hit,
    mine: Sequence[Mention],
    systems: Sequence[Mention],
    story: Story,
    watchlist: Watchlist,
    cache: list[_StoryView],
) -> str | None:
    """A weaker stage when the language says the strong one is not asserted of this pair, else None."""
    low = ev.low
    span = (0, len(low))
    kinds = {hit.stage, "delivery"} if hit.stage == "deployment" else {hit.stage}
    cues = [e for e in ev.events if e.kind in kinds and judge(e, low, span, ev.events) == "asserted"]
    if systems and all(_ALTERNATIVE.search(_before(low, s.start)) for s in systems):
        return _fallback(hit, None, story, watchlist, cache)  # "rather than European ones such as SAMP/T"
    if _REPORTED.search(low) and _denied_next(ev, story, watchlist, cache):
        return _fallback(hit, None, story, watchlist, cache)
    if not cues:
        return None
    floor: str | None = None
    for cue in cues:
        if _QUANT_NEG.search(low, _clause_start(low, cue.start), cue.start):
            continue  # "None of the aircraft has yet been handed over", "India silent on losses"
        if _ANY.search(low, 0, cue.start):
            floor = "talks"  # "any transfer would be a German decision"
            continue
        if not systems and _other_weapon(low, cue):
            continue  # "North Korea fired two short-range ballistic missiles"
        break
    else:
        return _fallback(hit, floor, story, watchlist, cache)
    return _coordinated(ev, hit, mine, cues, story, watchlist, cache)


def _clause_start(low: str, at: int) -> int:
    """Where the clause holding ``at`` starts: after a comma, semicolon, colon, a sentence end the
    splitter kept (a lowercase wire sentence after a normal one) or a dateline dash."""
    start = 0
    for found in _CLAUSE_BREAK.finditer(low, 0, at):
        start = found.end()
    return start


_CLAUSE_BREAK = re.compile(r"[,;:]|[.!?]\s|\s[-\u2013\u2014]\s")


def _other_weapon(low: str, cue: Event) -> bool:
    """Rule 10: a counted, typed weapon after the cue, and nothing that refers back to the system."""
    counted = _COUNTED_WEAPON.match(low, cue.end)
    return (
        counted is not None
        and _WEAPON_TYPE.search(counted.group()) is not None
        and _REFERS.search(low) is None
    )


def _coordinated(
    ev: _Evidence,
    hit: Hit,
    mine: Sequence[Mention],
    cues: Sequence[Event],
    story: Story,
    watchlist: Watchlist,
    cache: list[_StoryView],
) -> str | None:
    """Rule 9: the country starts a later coordinated clause, and the cues are all in earlier ones."""
    low = ev.low
    if not mine:
        return None
    boundary = None
    for found in _COORD.finditer(low, 0, mine[0].start):
        boundary = found
    if boundary is None or not re.fullmatch(r"(?:the\s+)?", low[boundary.end() : mine[0].start]):
        return None
    if any(cue.start >= boundary.start() for cue in cues):
        return None
    for cue in cues:
        if _OUTGOING.match(low, cue.start) and not _PASSIVE.search(low, 0, cue.start):
            return None  # "Russia delivered the S-400 in 2019, and Turkey paid": Turkey is the recipient
    if not any(
        m.kind == "country"
        and m.name != hit.country
        and m.end <= boundary.start()
        and not _FROM.search(low, max(0, m.start - 12), m.start)
        for m in ev.mentions
    ):
        return None  # no other country for the earlier clause's cue to belong to
    own = _clause_stage(ev, boundary.end(), _clause_end(low, mine[0].end))
    return _fallback(hit, own, story, watchlist, cache)


def _clause_stage(ev: _Evidence, start: int, end: int) -> str | None:
    best: str | None = None
    for event in ev.events:
        if event.kind in STAGE_KINDS and start <= event.start < end:
            stage = _asserted(event, ev.low, (0, len(ev.low)), ev.events)
            best = _max(best, stage)
    return best


def _asserted(cue: Event, low: str, span: tuple[int, int], events: Sequence[Event]) -> str | None:
    status = judge(cue, low, span, events)
    if status == "asserted":
        return cue.kind
    if status in ("modal", "hypothetical") and cue.kind != "cancellation":
        return "talks"
    return None


def _max(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if stage_rank(a) >= stage_rank(b) else b


# ---- the story, when a rule needs it --------------------------------------------------------------


def _view(story: Story, watchlist: Watchlist, cache: list[_StoryView]) -> _StoryView:
    if cache:
        return cache[0]
    title = " ".join(normalize(story.title).split())
    body = normalize(story.text).strip()
    text = f"{title}\n\n{body}" if title else body
    start = len(title) + 2 if title else 0
    body_spans = split_sentences(body, start, is_lowercase_style(body or title))
    spans = ([(0, len(title))] if title else []) + body_spans
    skip = start + dateline_end(body)
    mentions = tuple(m for m in watchlist.index.find(text) if not (start <= m.start < skip))
    cache.append(_StoryView(_lower(text), spans, mentions))
    return cache[0]


def _sentence_of(view: _StoryView, evidence: str) -> int | None:
    """The story sentence the evidence was taken from."""
    for number, (start, end) in enumerate(view.spans):
        if " ".join(view.low[start:end].split()) == evidence:
            return number
    return None


def _denied_next(ev: _Evidence, story: Story, watchlist: Watchlist, cache: list[_StoryView]) -> bool:
    """Rule 6: the sentence after a reported claim calls it false."""
    view = _view(story, watchlist, cache)
    number = _sentence_of(view, ev.low)
    if number is None or number + 1 >= len(view.spans):
        return False
    start, end = view.spans[number + 1]
    return _DENIAL.search(view.low, start, end) is not None


def _fallback(
    hit: Hit, floor: str | None, story: Story, watchlist: Watchlist, cache: list[_StoryView]
) -> str:
    """The best non-strong stage asserted in the other sentences naming both the system and the country,
    or ``floor`` (what the pair's own clause asserts), else ``mention``; never above the hit's stage."""
    view = _view(story, watchlist, cache)
    low = view.low
    lexicon = compile_lexicon(watchlist.stages)
    evidence = " ".join(_lower(normalize(hit.evidence)).split())
    best = floor
    for start, end in view.spans:
        names = {(m.kind, m.name) for m in view.mentions if start <= m.start < end}
        if ("system", hit.system) not in names or ("country", hit.country) not in names:
            continue
        if " ".join(low[start:end].split()) == evidence:
            continue
        events = [Event(kind, s, e) for kind, s, e in lexicon.scan(low, start, end)]
        if any(event.kind in ("deny", "doubt") for event in events):
            continue  # a sentence that denies or doubts is no ground to fall back on
        for event in events:
            if event.kind in ("talks", "deal"):
                best = _max(best, _asserted(event, low, (start, end), events))
    if best is None or (best != hit.stage and stage_rank(best) > stage_rank(hit.stage)):
        return "mention"
    return best
