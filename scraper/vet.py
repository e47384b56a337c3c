"""A last look at alerting hits: is the operator really the one that received, operates or cancelled?

``find_hits`` decides roles and stages from windows and prepositions; a few kinds of sentence still make
a country the operator at a strong stage (delivery, deployment, cancellation) when the words say
otherwise. Alerts fire only on operator hits, so each such hit is a wrong page to an analyst.
``vet_hits`` re-reads the evidence sentence of every operator hit at a strong stage and demotes it
(never drops it) when one of these general, language-level rules applies (operators at other stages:
the role rules only, see the end):

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
10. *Other weapon*: "North Korea fired two short-range ballistic missiles" (or "more than 30 ...", and
    "some of which landed ...") in a sentence that does not name the continued system is about those
    missiles, not about the system.

Later rules, from blind rounds of real news (roles in ``scraper.vet_roles``):

11. *Relation*: the possessor of a partner, ally, rival or of pressure, sanctions, threats ("China's
    closest military partner", "under U.S. pressure") -> ``other``.
12. *Customer's source*: "buyers of Russian weapons" -> ``supplier``.
13. *Place*: where it was handed over ("received in the United States") -> ``supplier``; where another
    country used it ("has been used in Ukraine") -> ``other``. Also (1) the attacker that destroyed or
    struck the system ("Israel struck ..., destroying S-300 batteries") and (4) a seller in a relative
    clause ("ordered by Cyprus, which handed them over").
14. *Story's seller as a demonym*: "the Portuguese aircraft" where the story says the jets were bought
    from Portugal -> ``supplier``.
15. *Separate clause*: the cue sits in an independent clause (after ";", or "as"/"while"/"when" + another
    country) that does not name the system; or in a relative clause hung on another country ("from
    Turkey, whose TB2 has been used ...") -> not this pair's stage.
16. *People withdrawn*: "U.S. contractors were withdrawn from the base" is no cancellation.

Round 11 (a blind round of real news): roles 17-23 in ``scraper.vet_places`` (units stationed in a host,
jets firing over a country, instructors, a donor's or maker's adjective, a speaker's own pledge, forces
sent on a mission), stages 24-26 in ``scraper.vet_stages`` ("near delivery", a cue after "once"/"after"
in a future sentence, a typed weapon fired in a clause without the system); a wire dateline's city in
the evidence is no mention; a demoted cancellation is vetted as a stage too.

Any stage (alerts fire on every new operator pair and every change of stage, talks and deal too): an
operator hit at talks, deal or mention is re-read by the role rules alone (1-4, 11-14, 17-23 and 27-31 in
``scraper.vet_speakers``: a speaker's seat, a counterparty of a policy, a maker's industry, another
country's system, a later clause about another system) and demoted to ``other``/``supplier`` when every
mention of the country in its evidence is explained; its stage stays. The country a headline opens with
("Lithuania orders tanks") is not demoted from one body sentence at these stages.

Round 12: stages 32-36 and roles 37-41 in ``scraper.vet_claims`` (hearsay, contradicted claims,
paperwork received, a lost contest, the weapon as a subject; venues, institutions, exercise hosts,
attacks that date a sentence, givers in reported speech).

Rounds 13-14: rules 42-43 and 45-47 in ``scraper.vet_stages`` (the system as what was shot down: "its
air force has shot down many of them"; exports to unnamed customers; a cancelled tender; a weapon noun
before a participle cue; a reaction to someone else's act), rules 44 and 48 in ``scraper.vet_places``
(the possessor of a system someone else bought; a clause about an unwatched weapon); rule 15 also when
another country opens a coordinated clause with its own verb (", and Australia fired one"); rule 10 also
for weapons a relative clause hangs on ("the missiles that Iran launched"); rule 11 also for backers
("Iranian-backed Houthis").

Pure and cheap: nothing runs unless some hit is an operator; evidence sentences are read once per story
and the story itself only when a rule needs it; regexes compile at import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from scraper.aliases import Mention, lower_aligned, normalize
from scraper.lexicon import STAGE_KINDS, compile_lexicon
from scraper.model import STRONG_STAGES, Hit, Story, Watchlist, stage_rank
from scraper.scopes import Event, judge
from scraper.sentences import dateline_end
from scraper.vet_claims import place_role, unasserted
from scraper.vet_places import explain
from scraper.vet_roles import (
    COORD,
    GAP,
    Evidence,
    before,
    clause_end,
    read_evidence,
    roles,
)
from scraper.vet_speakers import bystander
from scraper.vet_stages import (
    apart,
    not_yet,
    other_weapon,
    other_weapon_clause,
    said_of_another,
    victim,
)
from scraper.vet_story import StoryView, protagonist, source_adjective, view

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
_USED_ADJECTIVE = re.compile(  # "used" as an adjective: after a determiner, a number, a buying verb
    r"(?:^|[.;:,(]\s*|\b(?:a|an|the|of|more|some|several|two|three|four|five|six|ten|dozens|\d+|its|their|"
    r"buy|buys|buying|bought|purchase[sd]?|purchasing|acquire[sd]?|acquiring|order(?:s|ed|ing)?|lease[sd]?|"
    r"leasing|sell|sells|selling|sold|offer(?:s|ed|ing)?|and|or)\s+)$"
)
_ANY = re.compile(r"\bany\s+(?:(?:further|new|future|such|more)\s+)?$")
_ALTERNATIVE = re.compile(
    rf"\b(?:rather\s+than|instead\s+of|in\s+place\s+of|in\s+preference\s+to|as\s+an\s+alternative\s+to)\s+{GAP}$"
)
_OUTGOING = re.compile(
    r"(?:deliver(?:s|ed|ing)?|sen[dt]s?|suppl(?:y|ies|ied)|hand(?:s|ed)?|ship(?:s|ped)?|transferr?(?:s|ed)?|"
    r"donat(?:es|ed)|gave|gives?|export(?:s|ed)|sold|sells?)\b"
)
_PASSIVE = re.compile(r"\b(?:been|was|were|be|being|is|are)\s+$")
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$")
_PEOPLE_WITHDRAWN = re.compile(  # "U.S. contractors were withdrawn from Balad": people, not a deal
    r"\b(?:contractors|troops|personnel|staff|advis[eo]rs|diplomats|forces|soldiers|workers|technicians|"
    r"engineers|instructors|trainers|ambassadors?|crews|citizens|nationals)\s+(?:(?:were|was|have\s+been|"
    r"had\s+been|being|are|is)\s+)?$"
)


def vet_hits(
    story: Story,
    hits: tuple[Hit, ...],
    watchlist: Watchlist,
    seen: StoryView | None = None,
    read: dict[str, Evidence] | None = None,
) -> tuple[Hit, ...]:
    """The hits, with operators demoted where the language says they are not: at a strong stage by every
    rule (roles and stages), at any other stage by the role rules alone (an alert fires on every new
    operator pair and on every change of stage, talks and deal included). ``seen`` is the story as the
    matcher already read it (text, sentences, mentions); without it, the story is read again if a rule
    needs it. ``read`` keeps each evidence sentence once read (hits share them); it is filled in place,
    so that a caller's later rule (the maker rule in ``scraper.match``) reads them from it too."""
    if not any(hit.role == "operator" for hit in hits):
        return hits  # the common case: nothing that alerts
    cache: list[StoryView] = [] if seen is None else [seen]
    read = {} if read is None else read
    return tuple(
        hit
        if hit.role != "operator"
        else _vet(hit, story, watchlist, cache, read)
        if hit.stage in STRONG_STAGES
        else _vet_role(hit, story, watchlist, cache, read)
        for hit in hits
    )


def _explained(
    hit: Hit,
    story: Story,
    watchlist: Watchlist,
    cache: list[StoryView],
    read: dict[str, Evidence],
    every: bool = True,
) -> tuple[Evidence, list[Mention], list[Mention], list[str | None]]:
    """The evidence, the country's and the system's mentions in it, and per country mention the role a
    rule explains it as (None: unexplained, it may be the operator). Unless ``every``, the list stops
    at the first unexplained mention (enough to know the hit stays)."""
    evidence = read.get(hit.evidence)
    if evidence is None:
        evidence = read[hit.evidence] = read_evidence(hit.evidence, watchlist)
    skip = dateline_end(evidence.text)  # "MANILA/TOKYO - ": a dateline's city is no mention
    mine = [m for m in evidence.mentions if m.kind == "country" and m.name == hit.country and m.start >= skip]
    systems = [m for m in evidence.mentions if m.kind == "system" and m.name == hit.system]
    origin = next((s.origin for s in watchlist.systems if s.name == hit.system), ())
    verdicts: list[str | None] = []
    for mention in mine:
        verdict = (
            roles(evidence, [mention], systems, hit.country)[0]
            or source_adjective(evidence, mention, hit.system, story, watchlist, cache)
            or explain(evidence, mention, systems, hit.country, origin)
            or bystander(evidence, mention, systems, hit.country)
            or place_role(evidence, mention, hit.country)
        )
        verdicts.append(verdict)
        if verdict is None and not every:
            break
    return evidence, mine, systems, verdicts


def _vet_role(
    hit: Hit, story: Story, watchlist: Watchlist, cache: list[StoryView], read: dict[str, Evidence]
) -> Hit:
    """An operator at talks, deal or mention: demoted when every mention of the country in the evidence
    is explained as something else; its stage stays (it is what the story says of the pair)."""
    _, mine, _, verdicts = _explained(hit, story, watchlist, cache, read, every=False)
    if mine and all(verdicts) and not protagonist(story, hit.country, watchlist):
        return replace(hit, role="supplier" if "supplier" in verdicts else "other")
    return hit


def _vet(
    hit: Hit, story: Story, watchlist: Watchlist, cache: list[StoryView], read: dict[str, Evidence]
) -> Hit:
    evidence, mine, systems, verdicts = _explained(hit, story, watchlist, cache, read)
    if mine and all(verdicts):
        role = "supplier" if "supplier" in verdicts else "other"
        stage = "delivery" if role == "supplier" and hit.stage == "deployment" else hit.stage
        if hit.stage == "cancellation":  # "U.S. contractors were withdrawn": the stage is vetted too
            stage = _stage(evidence, hit, mine, systems, story, watchlist, cache) or stage
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


_RELATIVE = re.compile(r",\s*(?:whose|which|who)\b")


def _relatives_of_others(ev: Evidence, country: str, mention: Mention) -> list[tuple[int, int]]:
    """Spans of relative clauses hung on another country ("from Turkey, whose TB2 has been used ..."):
    their cues are said of that country, not of a mention outside them."""
    spans = []
    for relative in _RELATIVE.finditer(ev.low):
        if any(
            m.kind == "country" and m.name != country and 0 <= relative.start() - m.end <= 2
            for m in ev.mentions
        ):
            close = ev.low.find(",", relative.end())
            end = len(ev.low) if close < 0 else close
            if not relative.start() <= mention.start < end:
                spans.append((relative.start(), end))
    return spans


def _strong_in_clause(ev: Evidence, hit: Hit, mention: Mention) -> bool:
    """Whether the clause of this mention holds an asserted cue of the hit's stage."""
    low = ev.low
    start = 0
    for found in COORD.finditer(low, 0, mention.start):
        start = found.end()
    end = clause_end(low, mention.end)
    kinds = {hit.stage, "delivery"} if hit.stage == "deployment" else {hit.stage}
    others = _relatives_of_others(ev, hit.country, mention)
    return any(
        e.kind in kinds
        and start <= e.start < end
        and not any(a <= e.start < b for a, b in others)
        and ev.status(e) == "asserted"
        and not _QUANT_NEG.search(low, _clause_start(low, e.start), e.start)
        for e in ev.events
    )


# ---- stages -----------------------------------------------------------------------------------------


def _stage(
    ev: Evidence,
    hit: Hit,
    mine: Sequence[Mention],
    systems: Sequence[Mention],
    story: Story,
    watchlist: Watchlist,
    cache: list[StoryView],
) -> str | None:
    """A weaker stage when the language says the strong one is not asserted of this pair, else None."""
    low = ev.low
    kinds = {hit.stage}
    cues = [e for e in ev.events if e.kind in kinds and ev.status(e) == "asserted"]
    if systems and all(_ALTERNATIVE.search(before(low, s.start)) for s in systems):
        return _fallback(hit, None, story, watchlist, cache)  # "rather than European ones such as SAMP/T"
    if _REPORTED.search(low) and _denied_next(ev, story, watchlist, cache):
        return _fallback(hit, None, story, watchlist, cache)
    if not cues:
        return None
    floor: str | None = None
    weapon_end = -1
    kept: list[Event] = []
    spent: set[int] = set()  # cues rules 24-26 found are no one's stage in this sentence
    others = _relatives_of_others(ev, hit.country, mine[0]) if len(mine) == 1 else []
    for cue in cues:
        if any(a <= cue.start < b for a, b in others):
            continue  # "bought drones from Turkey, whose TB2 has been used ...": said of Turkey
        if 0 <= weapon_end <= cue.start and re.search(r"\bwhich\b", low[weapon_end : cue.start]):
            continue  # "fired 30 ballistic missiles, some of which landed in the sea": still those missiles
        if _QUANT_NEG.search(low, _clause_start(low, cue.start), cue.start):
            continue  # "None of the aircraft has yet been handed over", "India silent on losses"
        claim = unasserted(low, cue, bool(systems))
        if claim is not None:  # rules 32-36: hearsay, a contradicted claim, "received approval", ...
            floor = _max(floor, "talks" if claim == "talks" else None)
            spent.add(cue.start)
            continue
        if _ANY.search(low, 0, cue.start):
            floor = "talks"  # "any transfer would be a German decision"
            continue
        if low.startswith("used", cue.start) and _USED_ADJECTIVE.search(low, 0, cue.start):
            # "Used F-16s were delivered", "buying used Leopard tanks": second-hand, not in use; what
            # the sentence asserts besides (the delivery) stays
            delivered = any(_stage_said(ev, e) == "delivery" for e in ev.events)
            floor = _max(floor, "delivery" if hit.stage == "deployment" and delivered else None)
            continue
        if cue.kind == "cancellation" and _PEOPLE_WITHDRAWN.search(low, 0, cue.start):
            continue  # "U.S. contractors were withdrawn from the base": people leave, no deal ends
        if systems and apart(ev, hit.country, cue, systems):
            # "X gets BrahMos missiles as U.S. Marines fire HIMARS": the cue is another clause's; what
            # the country's own clause asserts ("Taiwan received ... as China held drills") stays
            if mine:
                own_start, own_end = _clause_start(low, mine[0].start), clause_end(low, mine[0].end)
                if any(own_start <= s.start < own_end for s in systems):  # its clause is about the system
                    floor = _max(floor, _clause_stage(ev, own_start, own_end, spent | {cue.start}))
            continue
        if not systems and other_weapon(low, cue):
            weapon_end = cue.end
            continue  # "North Korea fired two short-range ballistic missiles"
        object_after = any(m.start > cue.start and "," not in low[cue.end : m.start] for m in mine)
        if said_of_another(low, cue, bool(mine), systems, object_after):
            # "exported the system to a handful of customers", "a tender that was cancelled": what the
            # country's own clause asserts ("signed for 152 vehicles, ending a tender ...") stays
            spent.add(cue.start)
            if mine:
                own = _clause_stage(
                    ev, _clause_start(low, mine[0].start), clause_end(low, mine[0].end), spent
                )
                floor = _max(floor, own)
            continue
        if victim(low, cue, systems, [m for m in ev.mentions if m.kind == "system"]):
            spent.add(cue.start)
            continue  # "..., and its air force has shot down many of them": the system was the target
        if systems and other_weapon_clause(low, cue, systems):
            spent.add(cue.start)
            continue  # "..., and Japanese troops fired a Type 12 anti-ship missile": not the system
        if not_yet(low, cue):
            # "first Rafales near delivery", "only after it enters service"; an arrival the sentence
            # asserts besides stays a delivery
            delivered = hit.stage == "deployment" and any(
                _stage_said(ev, e) == "delivery" and e.start != cue.start for e in ev.events
            )
            floor = _max(floor, "delivery" if delivered else "talks")
            spent.add(cue.start)
            continue
        kept.append(cue)
    if not kept:
        return _fallback(hit, floor, story, watchlist, cache)
    return _coordinated(ev, hit, mine, kept, story, watchlist, cache, spent)


def _clause_start(low: str, at: int) -> int:
    """Where the clause holding ``at`` starts: after a comma, semicolon, colon, a sentence end the
    splitter kept (a lowercase wire sentence after a normal one) or a dateline dash."""
    start = 0
    for found in _CLAUSE_BREAK.finditer(low, 0, at):
        start = found.end()
    return start


_CLAUSE_BREAK = re.compile(r"[,;:]|[.!?]\s|\s[-\u2013\u2014]\s")


def _coordinated(
    ev: Evidence,
    hit: Hit,
    mine: Sequence[Mention],
    cues: Sequence[Event],
    story: Story,
    watchlist: Watchlist,
    cache: list[StoryView],
    spent: set[int],
) -> str | None:
    """Rule 9: the country starts a later coordinated clause, and the cues are all in earlier ones."""
    low = ev.low
    if not mine:
        return None
    boundary = None
    for found in COORD.finditer(low, 0, mine[0].start):
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
    own = _clause_stage(ev, boundary.end(), clause_end(low, mine[0].end), spent)
    return _fallback(hit, own, story, watchlist, cache)


def _clause_stage(ev: Evidence, start: int, end: int, spent: set[int]) -> str | None:
    best: str | None = None
    for event in ev.events:
        if event.kind in STAGE_KINDS and start <= event.start < end and event.start not in spent:
            stage = _stage_said(ev, event)
            best = _max(best, stage)
    return best


def _stage_said(ev: Evidence, cue: Event) -> str | None:
    """The stage a cue of the evidence asserts (talks when it is only modal)."""
    return _stage_of_status(cue, ev.status(cue))


def _asserted(cue: Event, low: str, span: tuple[int, int], events: Sequence[Event]) -> str | None:
    return _stage_of_status(cue, judge(cue, low, span, events))


def _stage_of_status(cue: Event, status: str) -> str | None:
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


def _sentence_of(seen: StoryView, evidence: str) -> int | None:
    """The story sentence the evidence was taken from."""
    for number, (start, end) in enumerate(seen.spans):
        if " ".join(seen.low[start:end].split()) == evidence:
            return number
    return None


def _denied_next(ev: Evidence, story: Story, watchlist: Watchlist, cache: list[StoryView]) -> bool:
    """Rule 6: the sentence after a reported claim calls it false."""
    seen = view(story, watchlist, cache)
    number = _sentence_of(seen, ev.low)
    if number is None or number + 1 >= len(seen.spans):
        return False
    start, end = seen.spans[number + 1]
    return _DENIAL.search(seen.low, start, end) is not None


def _fallback(hit: Hit, floor: str | None, story: Story, watchlist: Watchlist, cache: list[StoryView]) -> str:
    """The best non-strong stage asserted in the other sentences naming both the system and the country,
    or ``floor`` (what the pair's own clause asserts), else ``mention``; never above the hit's stage."""
    seen = view(story, watchlist, cache)
    low = seen.low
    lexicon = compile_lexicon(watchlist.stages)
    evidence = " ".join(lower_aligned(normalize(hit.evidence)).split())
    best = floor
    for start, end in seen.spans:
        names = {(m.kind, m.name) for m in seen.mentions if start <= m.start < end}
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
