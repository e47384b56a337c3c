"""Story + watchlist -> hits: which (system, country) pairs a story connects, in what role and stage.

How a hit is decided (pure: no I/O, environment or clock):

1. The title and the text are normalised and split into sentences (``scraper.sentences``); a wire
   dateline's place name is not a mention.
2. The watchlist's compiled alias index finds every system and country mention in one pass. An alias
   marked ambiguous (turkey, Georgia, Leopard, Patriot, K2 ...) counts only in a defence context: a
   defence word or an unambiguous system in its sentence, or such context across the story; in mixed-case
   text an ambiguous alias written all in lower case ("roast turkey") never counts, nor does a name the
   watchlist writes as capitalised words ("la plus forte rafale").
3. A lexicon pass (``scraper.lexicon``) finds stage cues and scope triggers. Each cue is asserted,
   modal (future, intention, condition: counts as ``talks``) or negated (negation, denial, doubt:
   dropped), NegEx/ConText style (``scraper.scopes``): triggers before and after it with bounded
   scopes, pseudo-triggers and terminators. Lexicons ship in code; ``watchlist.stages`` adds phrases.
4. A pair is connected when the system and the country share a sentence. A sentence without a named
   system continues the last one named ("the system", "the jets", "it"); one with a generic phrase
   ("air defence systems") and a cue takes the system named next door (``scraper.coref``). A sentence
   with a system but no country continues the countries last connected to it. A pair connected only
   through such a reference, in role ``other`` at ``mention`` with no cue that gives the country a part,
   is not reported, nor is one that no clause names together (an operator or supplier at ``mention`` only
   when the country's clause names another system). A country named in an invasion or a war it is no
   party to ("since Russia's full-scale invasion of Ukraine") is a time, not a party. A roundup's headline
   is read item by item (``_title_items``).
5. Roles come from the words around each country (``scraper.roles``); which cue speaks of which
   system and which country is decided from clauses, lists and prepositions (``scraper.reach``); the
   story's role is the most explicit one. The stage is ``cancellation`` if asserted, else the most advanced asserted stage, else
   ``mention``; the evidence is the sentence that carried it. A receiving cue is also the sale of the giver
   it names ("received 36 Rafales from France").
6. Operator hits at a strong stage are re-read (``scraper.vet``): a target, a host, a border, a seller
   or an unasserted cue the windows missed demotes the role or the stage, never drops the hit. Last, a
   country in role ``other`` takes ``mention``: the stage is the deal's, and it is party to no deal; and a
   maker read as operator at talks, deal, delivery or cancellation is the seller when another country
   operates the system in the story, unless its sentence has it order, buy or receive.

Speed: the work is done per sentence and only where it can matter. Cues are scanned and judged only in
a sentence that names or continues a system, the coreference search only runs in a sentence holding a
word it could match, and what a cue gives a system is worked out once per system, not once per country.
``scripts/eval_match.py`` prints the throughput.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import pairwise

from scraper.aliases import AliasIndex, Mention, build_index, lower_aligned, normalize
from scraper.coref import (
    FAR,
    Finder,
    continued_system,
    country_anaphor,
    last_operator,
    opening_country,
    pronoun_buyer,
    service_owner,
    subject_pronoun,
    system_kinds,
    unwatched_weapons,
)
from scraper.lexicon import (
    BUYER_PAPER,
    DEFENCE_RE,
    PLACE_SENSE_RE,
    SELLER_PAPER,
    SENSE_OF,
    SENSE_RE,
    STORM_AFTER,
    STORM_NAME,
    STORM_NAMED,
    Lexicon,
    compile_lexicon,
)
from scraper.model import STAGE_ORDER, Hit, Story, Watchlist, constructor
from scraper.reach import (
    RELATION_NOUN,
    belongs,
    clauses_of,
    cue_reaches,
    cue_role,
    giver_of,
    later_cues,
    other_object,
    stage_cues,
    staged_cues,
    start_of,
)
from scraper.roles import (
    CLAUSE_VERB,
    EXPLICIT,
    TROOPS,
    WEAK,
    Place,
    Role,
    in_invasion,
    is_demonym,
    make_place,
    possessive,
    sentence_roles,
)
from scraper.scopes import Event, judge
from scraper.sentences import dateline_end, is_lowercase_style, split_sentences, writes_no_capitals
from scraper.vet import vet_hits
from scraper.vet_roles import Evidence, read_evidence
from scraper.vet_story import StoryView

_make_hit = constructor(Hit)
_STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGE_ORDER)}
_ROLE_RANK = {"operator": 2, "supplier": 1, "other": 0}


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
    skip_until = body_start + dateline_end(body)
    # the all-lowercase wire style has no capitals for an acronym alias ("the uae", "kaan") to match in
    lowered = writes_no_capitals(body, title)
    mentions = [m for m in index.find(text, lowered) if not (body_start <= m.start < skip_until)]
    # "(adds Pentagon comment, background on HIMARS and F-16 deliveries)": an editor's note, no statement of the story
    notes = [note.span() for note in _WIRE_NOTE.finditer(text)] if "(" in text else []
    if notes:
        mentions = [m for m in mentions if not any(a <= m.start < b for a, b in notes)]
    if not any(m.kind == "system" for m in mentions) or not any(m.kind == "country" for m in mentions):
        return ()  # the common case in a feed, and the fast one
    lowercase = is_lowercase_style(body or title)
    low = lower_aligned(text)
    for a, b in notes:  # blanked, the same length: no cue in it either
        low = low[:a] + " " * (b - a) + low[b:]
    lexicon = compile_lexicon(tuple(watchlist.stages))
    headline = _title_items(low, len(title), mentions, lexicon) if title else []
    spans = headline + split_sentences(body, body_start, lowercase)
    starts = [start for start, _ in spans]
    per_sentence: list[list[Mention]] = [[] for _ in spans]
    for mention in mentions:
        per_sentence[bisect.bisect_right(starts, mention.start) - 1].append(mention)
    scanned: dict[int, list[Event]] = {}  # cues of a sentence, scanned when first needed

    def events_in(number: int) -> list[Event]:
        if number not in scanned:
            start, end = spans[number]
            scanned[number] = [Event(kind, s, e) for kind, s, e in lexicon.scan(low, start, end)]
        return scanned[number]

    def cues_in(number: int) -> list[Event]:
        return stage_cues(events_in(number))

    story_context = _story_has_context(low, mentions)
    vetoed = _everyday_senses(text, low, spans, per_sentence)
    origins = _origins(watchlist)
    named: list[list[Place]] = []
    countries_by_sentence: list[list[Place]] = []
    for number, span in enumerate(spans):
        here = per_sentence[number]
        kept = [
            m
            for m in here
            if _counts(
                m,
                low,
                span,
                here,
                lowercase or _lower_case_here(text, span, m, body_start, here),
                story_context,
            )
            and not (m.ambiguous and (m.surface.lower() in vetoed or "=" + m.alias.lower() in vetoed))
            and not (m.ambiguous and m.kind == "country" and _first_name(text, m))
            and not (m.kind == "country" and _BASED_WATCHER.match(low, m.end))
        ]
        named.append([make_place(m.name, m.start, m.end) for m in kept if m.kind == "system"])
        countries_by_sentence.append(
            [make_place(m.name, m.start, m.end) for m in kept if m.kind == "country"]
        )

    unwatched: dict[int, list[Place]] = {}  # filled when first needed: most sentences never ask

    def unwatched_in(number: int) -> list[Place]:
        if number not in unwatched:
            unwatched[number] = unwatched_weapons(text, spans[number], per_sentence[number])
        return unwatched[number]

    anaphors: dict[int, tuple[int, int, str] | None] = {}

    def kingdom_in(number: int) -> tuple[int, int, str] | None:  # "the kingdom", searched once
        if number not in anaphors:
            anaphors[number] = country_anaphor(low, spans[number])
        return anaphors[number]

    kinds = system_kinds(low, named)
    pairs: dict[tuple[str, str], _Pair] = {}
    last_system: tuple[str, int] | None = None
    last_country: str | None = None
    last_roles: dict[str, tuple[int, dict[str, Role]]] = {}
    opened: dict[int, str] = {}  # the country a sentence opens with (its subject), or its pronoun's

    def _others_own(low: str, place: Place, number: int) -> bool:
        """ "When Israeli warplanes struck Iran": a weapon noun another country's adjective owns is that
        country's, not the last named system, unless that country had a part in it already."""
        # a seller's adjective continues it: "Swedish jets entered service with Hungary"
        known = last_roles.get(place.name, (0, {}))[1]
        return any(
            c.end <= place.start
            and not low[c.end : place.start].strip()
            and is_demonym(low, c)  # not "Russia gave Pyongyang air defence systems"
            and c.name not in known
            for c in countries_by_sentence[number]
        )

    for number, span in enumerate(spans):
        systems = named[number]
        pronoun_only = False
        if not systems:
            continued, pronoun = continued_system(
                low, span, partial(cues_in, number), named, number, last_system, kinds
            )
            if continued and not unwatched_in(number) and not _others_own(low, continued[0], number):
                systems, pronoun_only = continued, pronoun  # not "its HAWK batteries": another system
        countries = countries_by_sentence[number]
        if named[number] and "the " in low[span[0] : span[1]]:
            # "The air force said it had deployed its Black Hawks": the country whose air force it was
            owner = service_owner(low, span, mentions)
            if owner is not None and owner[2] not in {c.name for c in countries}:
                countries = sorted([*countries, make_place(owner[2], owner[0], owner[1])], key=start_of)
        # "The kingdom signed ...": the system's last operator, else the last country named
        target = (last_operator(last_roles, systems) or last_country) if systems else None
        present = {c.name for c in countries}
        anaphor = None
        if systems and target and target not in present:
            anaphor = kingdom_in(number)
            if anaphor is not None and _named_before(low, anaphor, countries):
                anaphor = None  # "the Royal Jordanian Air Force ..., when Washington supplied the kingdom"
            if anaphor is None and named[number]:  # "It has also signed for KAAN fighters from Turkey"
                anaphor = subject_pronoun(low, span)
            if anaphor is not None and (countries or named[number]):  # "The country has also ordered K2 ..."
                countries = sorted([*countries, make_place(target, anaphor[0], anaphor[1])], key=start_of)
                if anaphor[0] - span[0] <= 4:
                    opened[number] = target  # "It has bought drones. It operates F-16s": the same subject
        if anaphor is None and named[number] and (buyer := opened.get(number - 1)) and buyer not in present:
            it = pronoun_buyer(low, span)  # "Athens has spent heavily. It took delivery of 24 Rafales"
            if it is not None:
                countries = sorted([*countries, make_place(buyer, it[0], it[1])], key=start_of)
                opened[number] = buyer
        if number not in opened and (first := opening_country(low, span, countries_by_sentence[number])):
            opened[number] = first
        if systems:
            events = events_in(number)
            cues = stage_cues(events)
            clauses = clauses_of(low, span, events, countries, systems=named[number])
            # the later cues that may govern a country, worked out once per sentence, not once per country
            later_of = {cue.start: later_cues(cue, cues) for cue in cues}
            judged: list[tuple[Event, str]] = []  # each cue with its status, judged when first needed
            # "the F-16, which is flown by many NATO members": users in general, no country of the sentence (but
            # "in service with several air forces, including Hungary's" names one)
            other = [other_object(low, cue, systems, countries) or _by_many(low, cue) for cue in cues]
            places = [
                make_place(cue.kind, cue.start, cue.end)
                for cue, no in zip(cues, other, strict=True)
                if not no
            ]
            named_here = {n.name for n in named[number]}
            # displays and users in general, found when first needed
            shown: list[tuple[int, int]] | None = None
            invaded: list[Place] | None = None  # countries named in an invasion, found when first needed
            for system in {place.name: place for place in systems}.values():
                origin = origins.get(system.name, frozenset())
                mine = [c for c in countries if belongs(low, c, system, systems, cues, countries)]
                if invaded is None:
                    invaded = (
                        [c for c in countries if in_invasion(low, span[0], c)]
                        if _WAR_WORD.search(low, span[0], span[1])
                        else []
                    )
                # not the maker: "Russia's invasion of Ukraine saw the Kinzhal's first combat use"
                if invaded:
                    mine = [c for c in mine if c not in invaded or c.name in origin]
                aside = _in_asides(low, mine, systems, cues, origin) if len(mine) > 1 else []
                if aside:  # "Croatia, which Serbia distrusts, took delivery of Rafales": Croatia did
                    mine = [c for c in mine if c not in aside]
                if mine:
                    previous = last_roles.get(system.name, (0, {}))[1]
                    users: frozenset[str] = frozenset()
                    if system.name not in named_here or _OWN_START.match(low, span[0], span[1]):
                        # "Some of its interceptors were sent to Israel": "its" is the last operator
                        users = frozenset(n for n, r in previous.items() if r.role == "operator")
                    # a cue phrase that names another system ("froze F-16 deliveries") is that system's
                    own_places = [
                        p
                        for p in places
                        if not any(p.start <= s.start < p.end and s.name != system.name for s in systems)
                    ]
                    # "Israel's Arrow 3 and David's Sling": a list of systems is one noun phrase for its owner
                    head = _listed_after(low, system, systems)
                    roles = sentence_roles(low, span, head, mine, own_places, origin, users, systems)
                    if pronoun_only and not _USED_BY.search(low, span[0], span[1]):
                        # "it" continues a system but may not bring in a new country, unless the sentence
                        # lists its users ("it is used by Poland, Norway and Finland")
                        roles = {name: previous[name] for name in roles if name in previous}
                    recent = number - last_roles.get(system.name, (-FAR - 1, {}))[0] <= FAR
                    bystanders = system.name not in named_here
                    # "Saudi Arabia's air force ...": another subject came in, the last user does not go on
                    newcomer = opened.get(number - 1)
                    if (
                        roles
                        and recent
                        and (newcomer is None or previous.get(newcomer, Role("", 0)).role == "operator")
                        # not "NASAMS ... is operated by more than a dozen countries": users in general (a
                        # parenthesis, "The system, operated by several NATO states, was declared operational", is
                        # not what the sentence says)
                        and not any(
                            not low.startswith(", ", m.start() - 2)
                            for m in _MANY_USERS.finditer(low, span[0], span[1])
                        )
                        and all(
                            r.role == "supplier" or (bystanders and r.role == "other") for r in roles.values()
                        )
                    ):
                        # "The system was handed over by Moscow and is on combat duty", "the squadrons
                        # are deployed along the border with Pakistan": the user goes on
                        for name, role in previous.items():
                            if role.role == "operator" and name not in roles:
                                roles[name] = Role("operator", WEAK)
                elif (carried := last_roles.get(system.name)) and number - carried[0] <= FAR:
                    roles = carried[1]
                elif last_country and kingdom_in(number):
                    roles = {last_country: Role("operator", WEAK)}  # "the kingdom relies on the Patriot"
                else:
                    continue
                for place in aside:
                    roles.setdefault(place.name, Role("other", WEAK))
                if mine and roles:
                    last_roles[system.name] = (number, roles)
                if roles and not judged:
                    judged = [(cue, judge(cue, low, span, events)) for cue in cues]
                staged = (
                    staged_cues(
                        low,
                        span,
                        judged,
                        other,
                        system,
                        systems,
                        clauses,
                        partial(unwatched_in, number),
                        bool(named[number]),
                    )
                    if roles
                    else []
                )
                if not mine and staged:
                    # "A Gripen E on a test flight over Ostergotland" (a caption): a maker's test or a display is no
                    # use by the buyer the sentence before named, nor is "in service with several NATO member
                    # states" (users in general); only those phrases' own cues are dropped ("The tanks fired live
                    # rounds during a firing display", "The guns, used by several NATO armies, were deployed")
                    if shown is None:
                        shown = [m.span() for m in _SHOWN.finditer(low, span[0], span[1])]
                        shown += [m.span() for m in _MANY_USERS.finditer(low, span[0], span[1])]
                    staged = [
                        (cue, stage)
                        for cue, stage in staged
                        if stage != "deployment"
                        or not any(cue.start < end and start < cue.end for start, end in shown)
                    ]
                for country, role in roles.items():
                    pair = pairs.setdefault((system.name, country), _Pair())
                    pair.roles.append((role, number))
                    where = [c for c in mine if c.name == country]
                    for cue, stage in staged:
                        if cue_reaches(
                            low, cue, where, mine, clauses, origin, later_of[cue.start], system, systems
                        ):
                            if (
                                stage == "delivery"
                                and low.startswith("sen", cue.start)
                                and _TROOPS.search(low, span[0], span[1])
                            ):
                                stage = "deployment"  # sending a battery with its own soldiers
                            tag = cue_role(low, cue, where, mine, role.role, clauses)
                            pair.stages.append((stage, number, tag))
                        elif (
                            role.role == "supplier"
                            and (
                                stage == "delivery"
                                or (stage == "talks" and low.startswith("receiv", cue.start))
                            )
                            and giver_of(low, cue, where, clauses, mine)
                        ):
                            pair.stages.append((stage, number, _GIVER))
        if named[number]:
            last_system = (named[number][0].name, number)
        if countries_by_sentence[number]:
            last_country = countries_by_sentence[number][0].name
    evidence: dict[int, str] = {}  # hits share their sentences
    hits = tuple(
        _hit(story.id, key, pair, text, spans, len(headline), evidence) for key, pair in sorted(pairs.items())
    )
    read: dict[str, Evidence] = {}  # evidence sentences, read once for the vetting step and the maker rule
    vetted = vet_hits(story, hits, watchlist, StoryView(low, spans, tuple(mentions)), read)
    bought = {h.system for h in vetted if h.role == "operator" and h.country not in origins.get(h.system, ())}
    # "The purchase is a shift for a country that has relied on Moscow": a pair no clause names together is
    # connected only through a reference ("the purchase", "the battery", "it") or by sharing a sentence ("Turkey
    # bought the S-400 after ..., and it has since negotiated with Germany", "... because of the war in
    # Ukraine"); unless the country takes a part there (operator, supplier), or a cue reaches it in such a part
    # ("The aircraft were later given to Ukraine"), the pair is not reported. A relative clause stays with its
    # head ("Pakistan, which flies Chinese drones, criticised India's purchase of MQ-9B drones").
    # An operator or a supplier at mention is held to the same rule when a sentence names both but no clause
    # does ("Ukraine's air defence includes Patriot batteries, while mobile teams hunt the slower Shaheds",
    # "Egypt flies French Rafales and American F-16s, and in 2018 it signed with Russia for Su-35s"), unless
    # ``_carries`` finds the system's clause still speaking of the country; a pair that no sentence names
    # together keeps its part (the country continued as "it", "the kingdom").
    together: set[tuple[str, str]] = set()
    # the clauses of a system and of a country its sentence names apart, read only for a hit that needs them
    apart: dict[tuple[str, str], list[tuple[tuple[int, int], tuple[int, int], Place, Sequence[Place]]]] = {}
    for number, systems in enumerate(named):
        nations = countries_by_sentence[number]
        if not systems or not nations:
            continue
        cut = clauses_of(low, spans[number], events_in(number), nations, bystander=True, systems=systems)
        # "..., but China protested the move", "; Russia vowed to destroy them": a clause that refers back
        back = [(a, b) for a, b in cut if _REFERS_BACK.search(low, a, b) is not None]
        for s in systems:
            own = next((clause for clause in cut if clause[0] <= s.start < clause[1]), spans[number])
            for c in nations:
                if own[0] <= c.start < own[1] or any(a <= c.start < b for a, b in back):
                    together.add((s.name, c.name))
                else:
                    home = next((clause for clause in cut if clause[0] <= c.start < clause[1]), spans[number])
                    apart.setdefault((s.name, c.name), []).append((own, home, s, systems))
    settled = [_settled(hit, origins, watchlist, hit.system in bought, read) for hit in vetted]
    # The seller of a past purchase has delivered it when the sentence's one buyer has it ("flies 24 Rafale
    # fighters bought from France"; not "Ukraine deployed Leopard 2 tanks; Poland had bought Leopard 2 tanks from
    # Germany", two buyers)
    buyers = Counter((h.system, h.evidence) for h in settled if h.role == "operator")
    received = {
        (h.system, h.evidence)
        for h in settled
        if h.role == "operator"
        and h.stage in ("delivery", "deployment")
        and buyers[h.system, h.evidence] == 1
    }
    settled = [
        replace(h, stage="delivery")
        if h.role == "supplier"
        and h.stage == "deal"
        and (h.system, h.evidence) in received
        and _bought_from(h, watchlist, read)
        else h
        for h in settled
    ]

    def reported(hit: Hit) -> bool:
        key = (hit.system, hit.country)
        if hit.stage != "mention" or key in together:
            return True
        if any(tag in ("operator", "supplier") for _, _, tag in pairs[key].stages):
            return True
        if hit.role == "other":
            return False
        return key not in apart or any(_carries(low, *case) for case in apart[key])

    return tuple(hit for hit in settled if reported(hit))


def _carries(
    low: str, own: tuple[int, int], home: tuple[int, int], system: Place, systems: Sequence[Place]
) -> bool:
    """Whether a system's clause (``own``) still speaks of the country of another clause (``home``): it carries
    the subject over ("its", "..., and has upgraded", the last item of a list: "..., and the Patriot."), or the
    country's clause names no system ("..., and Thailand is happy with it", "and Germany has twelve
    batteries")."""
    start, end = own
    if _CARRIES_SUBJECT.search(low, start, end) or _SHARED_SUBJECT.match(low, start, end):
        return True
    if not any(home[0] <= p.start < home[1] for p in systems):
        return True
    return (
        _LIST_ITEM.fullmatch(low, start, system.start) is not None
        and low[max(0, start - 5) : start].rstrip().endswith((",", " and", " or"))
        # the list ends with it, and no verb makes it a clause: not "..., and the TB2 to more than 30"
        and len(low[system.end : end].split()) <= 3
        and not CLAUSE_VERB.search(low, system.end, end)
    )


# what refers back to the system of another clause of the sentence ("China protested the move", "vowed to destroy
# them"; not "it" or "they", mostly the countries, nor "the batteries", which as often start a new subject)
_REFERS_BACK = re.compile(r"\b(?:them|the\s+move)\b")
# a clause that carries the subject of the one before: a pronoun, or no subject of its own ("..., and has upgraded")
_CARRIES_SUBJECT = re.compile(r"\b(?:its|their|it|they)\b")
_SHARED_SUBJECT = re.compile(
    r"\W*(?:(?:and|but|or|yet)\s+)?(?:(?:still|also|then|later|now|since|never|not|no\s+longer)\s+)*(?:no|not|has|have|"
    r"had|is|are|was|were|will|would|could|can|may|might|did|does|do|\w+ed|bought|sent|gave|took|made|won|lost|"
    r"flew|sold|got|began|chose|kept|held|spent|refuses|flies|operates|uses|plans|wants|says|seeks|remains|"
    r"continues|keeps|holds|buys|sells|sends|gets|makes|takes)\b"
)
# a clause that is one more item of a list ("Finland compared the NASAMS, which it operates, and the Patriot")
_LIST_ITEM = re.compile(r"\W*(?:(?:and|or)\s+)?(?:[\w.'-]+\s+){0,3}")
# a wire editor's note on what a version adds, not a statement of the story (a correction's note says what is true:
# "(Corrects first paragraph to say the Philippines has not received any F-16 fighters)")
_WIRE_NOTE = re.compile(
    r"\(\s*(?:adds?|updates?|recasts?|rewrites?|writes\s+through|refiles?|repeats?|inserts?|moves?)\b[^()\n]{0,300}\)",
    re.IGNORECASE,
)
_WAR_WORD = re.compile(r"inva|war\b|conflict|fighting|clashes|hostilities")
# "said a Berlin-based analyst": where a commentator works, no party to what is said
_BASED_WATCHER = re.compile(
    r"-based\s+(?:[\w-]+\s+){0,3}?(?:analysts?|experts?|researchers?|think[\s-]tanks?|institutes?|groups?|"
    r"consultanc(?:y|ies)|monitors?|correspondents?|journalists?|reporters?|newspapers?|outlets?|websites?|blogs?|"
    r"commentators?|observers?|academics?|scholars?|professors?|fellows?|organi[sz]ations?|ngos?|watchdogs?)\b"
)
_ITEM_BREAK = re.compile(r"\s*[;|]\s+|,\s+")
_LIST_WORDS = frozenset(("and", "or", "the", ","))
_FRONTED_ITEM = re.compile(r"\W*(?:after|before|despite|amid|following|as|with|while|since|once)\b")


def _title_items(low: str, end: int, mentions: Sequence[Mention], lexicon: Lexicon) -> list[tuple[int, int]]:
    """A roundup's headline lists several stories ("India signs for MQ-9B, THAAD lands in Israel, Taiwan gets a
    NASAMS nod"): an item that opens with a name and holds a country, or a system and its cue, after another item
    of three words or more with a name, is a sentence of its own, so that no pair runs from one item into the
    next. What stays with the item before: a list of names ("K2 tanks, K9 howitzers and FA-50 jets", "from
    Denmark, Norway and the Netherlands", "Patriot, HIMARS from U.S."), a short item ("Turkey, Russia sign S-400
    deal"), an item that opens with no name ("..., says Patriot battery now operational", "Taiwan, a major F-16
    buyer, orders"), a reporting tail or an apposition ("..., Polish defence ministry says", "..., Israel's biggest
    arms sale"), and the main clause after a fronted phrase ("After S-400 row, Turkey seeks F-16s")."""
    cuts = [(found.start(), found.end()) for found in _ITEM_BREAK.finditer(low, 0, end)]
    if not cuts:
        return [(0, end)]
    chunks = [
        (start, stop) for (_, start), (stop, _) in zip([(0, 0), *cuts], [*cuts, (end, end)], strict=True)
    ]

    def named(start: int, stop: int) -> list[Mention]:
        return [m for m in mentions if start <= m.start < stop]

    def cue_kinds(start: int, stop: int) -> list[tuple[str, int]]:
        return [(kind, at) for kind, at, _ in lexicon.scan(low, start, stop) if kind in _STAGE_KINDS]

    items = [chunks[0]]
    for before, chunk in pairwise(chunks):
        start, stop = chunk
        here, earlier = named(start, stop), named(*before)
        first = here[0] if here else None
        cues = cue_kinds(start, stop) if here else []
        own = (
            first is not None
            and bool(earlier)
            and len(low[before[0] : before[1]].split()) >= 3
            and len(low[start:stop].split()) >= 3
            and (
                any(m.kind == "country" for m in here)
                or (any(m.kind == "system" for m in here) and bool(cues))
            )
        )
        if own and first is not None and "," in low[before[1] : start]:  # a comma asks more than ";" or "|"
            own = _own_item(low, before, chunk, earlier, here, cues)
        if own:
            items.append(chunk)
        else:
            items[-1] = (items[-1][0], stop)
    return items


_STAGE_KINDS = frozenset((*STAGE_ORDER, "cancellation"))
# the verbs a headline gives a system of its own ("THAAD lands in Israel", "Storm Shadow arrives")
_HEADLINE_VERB = re.compile(
    r"(?:s|'s)?\s+(?:lands|arrives|arrive|flies|fly|fires|downs|hits|strikes|crashes|debuts|joins|enters|reaches|"
    r"heads|returns|goes|wins|loses|stays|leaves)\b"
)
_ITEM_OPENERS = frozenset(("", "the", "but", "and", "while", "but the", "and the"))


def _own_item(
    low: str,
    before: tuple[int, int],
    chunk: tuple[int, int],
    earlier: Sequence[Mention],
    here: Sequence[Mention],
    cues: Sequence[tuple[str, int]],
) -> bool:
    """Whether a headline's chunk after a comma is an item of its own (see ``_title_items``)."""
    start, stop = chunk
    first = here[0]
    if (
        low[start : first.start].strip() not in _ITEM_OPENERS  # it opens with a name
        or _FRONTED_ITEM.match(low, before[0])
        or not _besides_names(low, start, stop, here)  # a list of names
    ):
        return False
    if first.kind == "country":
        # a reporting tail or an apposition: "Polish defence ministry says", "Israel's biggest arms sale"
        place = make_place(first.name, first.start, first.end)
        return any(m.kind == "system" for m in here) or not (is_demonym(low, place) or possessive(low, place))
    # "Patriot, HIMARS from U.S.": a list of systems, unless the system after has its own verb next
    listed = earlier[-1].kind == "system" and len(low[earlier[-1].end : before[1]].split()) <= 1
    return (
        not listed
        or any(at - first.end <= 12 for _, at in cues)
        or _HEADLINE_VERB.match(low, first.end) is not None
    )


def _besides_names(low: str, start: int, stop: int, names: Sequence[Mention]) -> bool:
    """Whether a headline item says something besides its names ("Norway and the Netherlands" does not)."""
    words: list[str] = []
    at = start
    for mention in names:
        words += low[at : mention.start].split()
        at = mention.end
    words += low[at:stop].split()
    return bool(set(words) - _LIST_WORDS)


# A parenthesis after a country, before its predicate: "Croatia, which Serbia distrusts,", "Croatia, with which
# Serbia has tense relations,", "Croatia, a NATO member that Serbia distrusts,", "Poland, unlike Romania,"
_ASIDE_OPEN = re.compile(
    r"\s?,\s+(?:which|who|whom|whose|(?:with|to|in|of|for|from|against|over)\s+(?:which|whom)|unlike|a|an)\s[^,;:()]{1,80}?,\s"
)


_BLOCKS = re.compile(
    r"(?:\w+\s+){0,2}?(?:blocked|blocks|vetoed|vetoes|refused|barred|bars|banned|bans|denied)\b"
)


def _in_asides(
    low: str, mine: Sequence[Place], systems: Sequence[Place], cues: Sequence[Event], origin: frozenset[str]
) -> list[Place]:
    """Countries named only inside such a parenthesis, when it names no system and holds no cue: they are not
    the subject of what follows (the country before the parenthesis is)."""
    hidden: list[Place] = []
    for head in mine:
        found = _ASIDE_OPEN.match(low, head.end)
        if found is None:
            continue
        start, end = found.span()
        if _BLOCKS.match(low, end):
            continue  # "Britain, which keeps an embargo on Argentina, blocked its attempt to buy": not Britain's
        if any(start <= p.start < end for p in systems) or any(start <= c.start < end for c in cues):
            continue
        # not the system's maker: "Romania, a longtime customer of the United States, received its first Patriot"
        hidden += [c for c in mine if start <= c.start < end and c.name != head.name and c.name not in origin]
    return hidden


# Countries a title names: "the kingdom" or "the emirate" after one of them in its own sentence is that one
_TITLED = {
    "kingdom": frozenset(
        {
            "Saudi Arabia",
            "Jordan",
            "Morocco",
            "Bahrain",
            "United Kingdom",
            "Spain",
            "Netherlands",
            "Belgium",
            "Sweden",
            "Norway",
            "Denmark",
            "Thailand",
        }
    ),
    "emirate": frozenset({"Qatar", "Kuwait", "United Arab Emirates"}),
}


_SHOWN = re.compile(
    r"\b(?:demonstrators?|prototypes?|pre-delivery|pre-series|test\s+flights?|firing\s+displays?|flying\s+displays?|"
    r"air\s*shows?|exhibitions?|expo|trade\s+fair)\b"
)
_APPOSED_RELATION = re.compile(r",\s+(?:its|their|the|a)\s+(?:[\w-]+\s+){0,2}?" + RELATION_NOUN)


def _named_before(low: str, anaphor: tuple[int, int, str], countries: Sequence[Place]) -> bool:
    """ "the kingdom" with a kingdom named before it in the same sentence refers to that one."""
    titled = _TITLED.get(anaphor[2].rpartition(" ")[2], frozenset())
    return any(
        c.end <= anaphor[0] and c.name in titled and not _APPOSED_RELATION.match(low, c.end)
        for c in countries
    )


_SELLING = frozenset({"talks", "deal", "delivery", "cancellation"})
# "Sweden ... ordered more Gripen jets", "the Bundeswehr has also ordered IRIS-T", "France will buy 42 more
# Rafales": the maker buys for itself. A clause runs through a parenthesis and a figure ("(DAPA)", "$9.8").
_OWN_PURCHASE = re.compile(
    r"(?:\([^()]{0,40}\)|\d[.,]\d|[^,;:.()]){0,90}?\b(?:"
    r"order(?:s|ed)|b(?:uys|ought)|purchase[sd]|acquire[sd]|procure[sd]|"
    r"(?:will|to|would|plans\s+to|is\s+to)\s+(?:buy|order|purchase|acquire|procure|receive|get)|"
    r"(?:t(?:ook|akes)|has\s+taken|have\s+taken|accepted)\s+delivery|ha(?:s|ve)\s+on\s+order|"
    r"place[sd]\s+(?:an?\s+)?(?:[\w-]+\s+)?orders?|"
    rf"receive[sd](?!\s+(?:\w+\s+){{0,3}}(?:{SELLER_PAPER}|{BUYER_PAPER}|letters?|approval|bids?|confirmation)\b))\b"
)  # "France received an order from India" is a sale


def _buys_for_itself(hit: Hit, watchlist: Watchlist, read: dict[str, Evidence]) -> bool:
    # read as the vetting step reads it
    evidence = read.get(hit.evidence) or read_evidence(hit.evidence, watchlist)
    return any(
        m.kind == "country" and m.name == hit.country and _OWN_PURCHASE.match(evidence.low, m.end)
        for m in evidence.mentions
    )


# "Rafale jets acquired from France", "bought second-hand from Belgium and the Netherlands": the seller of a past
# purchase (not "agreed to buy 32 more from Norway")
_BOUGHT_FROM = re.compile(
    r"\b(?:bought|acquired|purchased|obtained)\s+(?:[\w-]+\s+){0,3}?from\s+(?:the\s+)?"
    r"(?:[\w.-]+(?:\s+[\w.-]+)?(?:,|\s+and|\s+or)\s+(?:the\s+)?)?$"
)


def _bought_from(hit: Hit, watchlist: Watchlist, read: dict[str, Evidence]) -> bool:
    """Whether the hit's evidence names its country as the seller of a past purchase."""
    evidence = read.get(hit.evidence) or read_evidence(hit.evidence, watchlist)
    return any(
        m.kind == "country"
        and m.name == hit.country
        and _BOUGHT_FROM.search(evidence.low, max(0, m.start - 60), m.start)
        for m in evidence.mentions
    )


def _settled(
    hit: Hit, origins: dict[str, frozenset[str]], watchlist: Watchlist, sold: bool, read: dict[str, Evidence]
) -> Hit:
    """Two policies that hold whatever the words around the country said.

    SPEC: the stage is the deal's lifecycle, between its operator and its supplier; a country that is
    neither (a target, a host, a neighbour, a bystander) is connected to the pair but has no stage of it.
    A maker country (the system's ``origin``) at talks, deal, delivery or cancellation, in a story where
    another country is the system's operator (``sold``), is the seller ("the largest export order for the
    French jet", "Berlin declined Kyiv's request for Taurus"), unless its own sentence has it buy for itself;
    SPEC makes a maker the operator when it operates the system, which is the deployment stage."""
    if hit.role == "other" and hit.stage != "mention":
        return replace(hit, stage="mention")
    if (
        sold
        and hit.role == "operator"
        and hit.stage in _SELLING
        and hit.country in origins.get(hit.system, ())
        and not _buys_for_itself(hit, watchlist, read)
    ):
        return replace(hit, role="supplier")
    return hit


_IN_USE_BY = r"(?:used|operated|flown|fielded|in\s+service)\s+(?:by|with)"  # "is flown by", "in service with"
_USED_BY = re.compile(
    r"\b(?:is|are|was|were|has\s+been|have\s+been)\s+(?:also\s+|now\s+|already\s+)?" + _IN_USE_BY + r"\b"
)
_MANY_USERS = re.compile(
    r"\b" + _IN_USE_BY + r"\s+(?:more\s+than\s+|over\s+|about\s+|around\s+|"
    r"at\s+least\s+)?(?:a\s+dozen|dozens\s+of|\d+|two|"
    r"three|four|five|six|seven|eight|nine|ten|several|many|some|other)\s+(?:other\s+|nato\s+|european\s+|"
    r"foreign\s+|allied\s+)?(?:countries|nations|air\s+forces|armies|operators|customers|users|allies|members|(?:member\s+)?states)\b"
)
_NAMED_AMONG = re.compile(r",?\s+(?:including|among\s+them|such\s+as|notably|like)\b")


def _by_many(low: str, cue: Event) -> bool:
    users = _MANY_USERS.match(low, cue.start)
    return users is not None and _NAMED_AMONG.match(low, users.end()) is None


_GIVER = "giver"  # the tag of a stage read from a receiving cue for the country it names as the giver
_TROOPS = Finder(TROOPS)


_SYSTEM_LIST_GAP = re.compile(
    r"(?:s|'s)?\s*(?:,|,?\s+(?:and|or))\s+(?:its\s+|their\s+)?"
)  # not "and the THAAD"


def _listed_after(low: str, system: Place, systems: Sequence[Place]) -> Place:
    """The system, or when it comes after others in a list of systems ("Arrow 3 and David's Sling", "F-16s,
    Gripens and Rafales"), the whole list from its first name to this one."""
    start = system.start
    for other in sorted(systems, key=start_of, reverse=True):
        if other.end <= start and _SYSTEM_LIST_GAP.fullmatch(low, other.end, start):
            start = other.start
    return system if start == system.start else make_place(system.name, start, system.end)


_OWN_START = re.compile(
    r"\s*(?:(?:some|several|many|most|all|one|two|three|four|five|\d+)\s+of\s+)?(?:its|their)\s"
)


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
    text: str, low: str, spans: Sequence[tuple[int, int]], per_sentence: Sequence[Sequence[Mention]]
) -> set[str]:
    """Ambiguous aliases that the story uses in an everyday sense somewhere ("Typhoon Gaemi made
    landfall", "the Space Shuttle Challenger"): they are not the weapon anywhere in that story. A plural
    ("snow leopards") vetoes every form of its alias, entered as "=leopard"."""
    vetoed: set[str] = set()
    for number, mentions in enumerate(per_sentence):
        start, end = spans[number]
        for m in mentions:  # the everyday word must be close: one clause, not the other end of a sentence
            if not m.ambiguous:
                continue
            near = (max(start, m.start - _SENSE_REACH), min(end, m.end + _SENSE_REACH))
            own = SENSE_OF.get(m.alias.lower())
            if (
                (SENSE_RE if m.kind == "system" else PLACE_SENSE_RE).search(low, *near)
                or (own is not None and own.search(low, *near))
                or (m.surface == "Typhoon" and _storm_named(text, m, mentions))
            ):
                vetoed.add(m.surface.lower())
                if m.surface.lower() == m.alias.lower() + "s":
                    vetoed.add("=" + m.alias.lower())  # "snow leopards" vetoes "the leopard" too
    return vetoed


def _storm_named(text: str, typhoon: Mention, mentions: Sequence[Mention]) -> bool:
    """``STORM_NAME`` after the word (or ``STORM_NAMED`` after "by Typhoon"), the name being no country's
    ("the Typhoon Kuwait received")."""
    found = STORM_NAME.match(text, typhoon.end)
    if found is None and STORM_AFTER.search(text, max(0, typhoon.start - 12), typhoon.start):
        found = STORM_NAMED.match(text, typhoon.end)
    return found is not None and not any(m.start == found.start(1) for m in mentions)


_SENSE_REACH = 80
_PROPER = re.compile(r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)*")  # "Rafale", "Iron Dome": words, no codes


def _lower_case_here(
    text: str, span: tuple[int, int], mention: Mention, body_start: int, sentence: Sequence[Mention]
) -> bool:
    """A mention in a stretch of text written all in lower case though the story is not: a lower-case
    headline, or a quoted post that writes another name in lower case too ('captioned "india gets 5 more
    rafale"'; not a quoted metaphor: 'called it "an iron dome around our barns"')."""
    if not mention.surface.islower():
        return False
    if mention.start < body_start:
        return text[:body_start].islower()
    start, end = span
    opened = text.rfind('"', start, mention.start)
    if opened < 0 or text.count('"', start, mention.start) % 2 == 0:
        return False
    closed = text.find('"', mention.end, end)
    stop = end if closed < 0 else closed
    return text[opened + 1 : stop].islower() and any(
        other is not mention and opened < other.start < stop and not other.ambiguous for other in sentence
    )


# "Petty Officer Jordan Mitchell, from Worcester", "said Chad Smith", "Georgia Thompson said": an ambiguous country's
# name, then a capitalised word that ends the name (a comma or a reporting word follows), is a person's first name;
# not "Jordan Foreign Minister Ayman Safadi", "Chad Deploys Bayraktar TB2 Drones", "Sale to Jordan Worth $4 Billion"
_NAME_AFTER = re.compile(
    r" (?!(?:River|Valley|Armed|Air|Royal|Army|Navy|Defen[cs]e|Ministry|Government|Times|Post|Airways|Central|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Z][a-z]{2,}"
    r"(?:,| (?:said|says|told|wrote|who|from|added)\b)"
)
_PLACE_BEFORE_NAME = re.compile(r"\b(?:to|in|from|of|and|with|into|for|at|by|against)\s+$", re.IGNORECASE)
# the names that are also first names (not "Polish Patriot battery"; "Georgia's" is no name)
_GIVEN_NAMES = frozenset(("Jordan", "Chad", "Georgia"))


def _first_name(text: str, mention: Mention) -> bool:
    """An ambiguous country's name used as a first name: "Petty Officer Jordan Mitchell"."""
    return (
        mention.surface in _GIVEN_NAMES
        and _NAME_AFTER.match(text, mention.end) is not None
        and _PLACE_BEFORE_NAME.search(text, max(0, mention.start - 12), mention.start) is None
    )


def _counts(
    mention: Mention,
    low: str,
    span: tuple[int, int],
    sentence: Sequence[Mention],
    lowercase: bool,
    story_context: bool,
) -> bool:
    """An ambiguous alias counts only in a defence context (SPEC: false friends). In mixed-case text, a
    name the watchlist writes with a capital counts only with one: "la plus forte rafale" is a gust."""
    if not mention.ambiguous:
        return lowercase or not mention.surface.islower() or not _PROPER.fullmatch(mention.alias)
    if not lowercase and mention.surface.islower():
        return False  # "roast turkey", "a snow leopard", "a true patriot"
    if mention.kind == "country" and any(m.kind == "system" and not m.ambiguous for m in sentence):
        return True
    if DEFENCE_RE.search(low, span[0], span[1]):
        return True
    if mention.kind == "system":
        return story_context and (lowercase or not mention.surface.islower())
    return story_context and any(m.kind == "system" and m is not mention for m in sentence)


def _hit(
    story_id: str,
    key: tuple[str, str],
    pair: _Pair,
    text: str,
    spans: Sequence[tuple[int, int]],
    headline: int,
    evidence: dict[int, str],
) -> Hit:
    system, country = key
    best = max(
        pair.roles, key=lambda item: (item[0].strength, item[1] >= headline, _ROLE_RANK[item[0].role])
    )[0]
    role = best.role
    # a giver's sale ("received Patriots from Germany") is a stage of a supplier only
    if role == "supplier":
        read = [(stage, number, "supplier" if tag == _GIVER else tag) for stage, number, tag in pair.stages]
    else:
        read = [s for s in pair.stages if s[2] != _GIVER]
    stages = [s for s in read if s[2] == role] or read
    if any(s[2] == role for s in read) and best.strength < EXPLICIT:
        stages = [s for s in read if s[2] == role]
    if role == "supplier":  # a supplier sells and delivers; using the system would make it an operator
        stages = [s for s in stages if s[0] != "deployment"]
    stage, sentence = "mention", pair.roles[0][1]
    cancelled = [s for s in stages if s[0] == "cancellation"]
    if cancelled:
        stage, sentence = "cancellation", cancelled[0][1]
    elif stages:
        top = max(stages, key=lambda s: (_STAGE_RANK[s[0]], -s[1]))
        stage, sentence = top[0], top[1]
    if sentence not in evidence:
        start, end = spans[sentence]
        evidence[sentence] = " ".join(text[start:end].split())
    return _make_hit(story_id, system, country, role, stage, evidence[sentence])
