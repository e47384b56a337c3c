"""Is a stage cue asserted? Scopes in the manner of NegEx/ConText, on one sentence.

A cue ("received", "contract", "deployed") is ``negated`` when a negation trigger precedes it within a
bounded window in its clause ("has not received"), a post-trigger follows it ("deliveries have not
begun"), a denial or retraction governs the sentence ("denied reports that", "later deleted the
report") or the sentence reports an unverified claim ("could not be verified"). It is ``modal`` when a
modal, intention or condition precedes it ("will", "plans to", "if"), a future time or delay sits in its
clause ("next year", "by 2026", "pushed back"), a process noun frames it ("talks about buying"), or it
is a bare infinitive or a gerund that is not going on ("to deliver", "approved sending"); a modal
deal, delivery or deployment still tells of ``talks``. Pseudo-triggers ("not only", "no doubt") are
matched first by the lexicon and so never negate; terminators ("but", "however", "which") close clauses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from scraper.lexicon import PAST_FORM

_NEG_WINDOW, _POSTNEG_WINDOW, _MODAL_WINDOW, _FUTURE_WINDOW = 45, 70, 60, 80
# A reporting aside between a trigger and its cue does not stretch the scope: "None of the 42 Rafales, the
# ministry said on Monday, has been handed over", "Ankara will, officials told reporters, take the batteries"
_ASIDE = re.compile(
    r"\ ?,\ (?:[\w.'-]+\ ){0,5}(?:said|says|told|added|noted|confirmed|stressed|insisted|according\ to)"
    r"(?:\ [\w.'-]+){0,6}\ ?,"
)
# ... and only when the cue's own verb group resumes after it ("..., has been handed over"), not a new subject
# or a participle ("Without waiting for approval, officials said, Turkey activated ...", "..., having received")
_RESUMED_VERB = re.compile(
    r"\s*(?:(?:has|have|had|is|are|was|were|will|would|be|been|yet|not|also|still|now|then|finally)\s+){0,4}"
)


def _gap(low: str, start: int, end: int) -> int:
    """The characters between a trigger and its cue, less a reporting aside just before the cue's verb."""
    gap = end - start
    if gap > _NEG_WINDOW and "," in low[start:end]:
        gap -= sum(
            len(m.group())
            for m in _ASIDE.finditer(low, start, end)
            if _RESUMED_VERB.fullmatch(low, m.end(), end) is not None
        )
    return gap


_TURN = re.compile(r"\bbut\b|;|\bconfirm(?:ed|s)\s+that\b")
_DEMONSTRATIVE_THAT = re.compile(r"(?:is|was|came|has|had|will|would|means|meant)\b")


def _reported_gap(low: str, start: int, end: int) -> int:
    """The characters between a reporting trigger and its cue, counted from the last "and that" between them:
    "the report said Cairo had signed for the jets and that the first aircraft had arrived" reports both."""
    gap = end - start
    second = low.rfind(" and that ", start, end)
    if (
        gap > _MODAL_WINDOW
        and second >= 0
        # not after a turn ("..., but Cairo confirmed that it had signed ... and that the jets had arrived"), nor
        # a demonstrative ("and that came after ...")
        and _TURN.search(low, start, second) is None
        and _DEMONSTRATIVE_THAT.match(low, second + len(" and that ")) is None
    ):
        gap = end - (second + len(" and that "))
    return gap


@dataclass(slots=True)
class Event:
    """A cue or trigger found by the lexicon: its kind and where it is in the lower-cased text."""

    kind: str
    start: int
    end: int


_PROCESS = (
    "talk",
    "negotiat",
    "discuss",
    "request",
    "tender",
    "interest",
    "bid",
    "propos",
    "consider",
    "seek",
    "sought",
    "plan",
    "mull",
    "weigh",
    "explor",
    "want",
    "hope",
    "look",
    "ask",
    "offer",
    "memorand",
    "mou",
    "need",
    "competition",
    "evaluat",
)
_MODAL_VERBS = (
    "will",
    "would",
    "could",
    "may",
    "might",
    "should",
    "can",
    "must",
    "shall",
    "ll",
    "is ",
    "are ",
    "expected",
    "due",
    "set to",
    "likely",
    "scheduled",
    "slated",
    "planned",
    "was ",
    "were ",
    "seem",
    "look",
)
_SALE_ADJECTIVES = ("possible", "potential", "proposed")
_APPROVED_BEFORE = re.compile(
    r"\b(?:approved|approves|cleared|clears|(?:(?:has|have|had)\s+made\s+a|'s)\s+determination\s+approving)\s+"
    r"(?:(?:the|a|an)\s+)?(?:[\w$.,-]+\s+){0,3}?$"
)
_MODEL_BEFORE = re.compile(r"[a-z]{1,5}-?\d+\w*\s+$")  # "F-16 order"
_CLOSE = ("is close", "was close", "are close", "were close")
_RELATIVE_WORDS = ("which", "who", "whom", "whose")
_CONDITION = ("if ", "unless ", "whether ", "even if ")
# "if the Eurofighter deal goes ahead": the condition's subject is the deal itself
_CONDITIONED_NOUN = re.compile(r"\s+(?:the|its|their|this|that|a|an)\s+(?:[\w/.-]+\s+){0,3}")
# (and a scenario: "in one branch of the scenario", "under the war game")
_POSSIBILITY = (
    *("could", "may", "might", "can", "if", "unless", "whether", "possibl", "potential"),
    *("in one ", "in a ", "in the ", "in another ", "in this ", "in that ", "in each ", "in its ", "under "),
)
_DEAL_NOUN = re.compile(
    r"(?:order|orders|contract|contracts|deal|deals|agreement|agreements|purchase|acquisition)$"
)
_NOUN_CUE = re.compile(
    r"(?:order|orders|contract|contracts|deal|deals|agreement|agreements|purchase|acquisition|sale|deliver(?:y|ies)|"
    r"shipment|hand-?over|deployment|deployments|batch|batches)$"
)
_DEFINITE = re.compile(r"\b(?:its|their|the|this|that|his|her|our)\s+(?:[\w/.-]+\s+){0,3}$")
_PROGRESSIVE = re.compile(
    r"\b(?:is|are|was|were|been|be|began|begun|begin|begins|started|starts|start|continued|continues|keeps?|kept|"
    r"still|now|already|after|since|despite|following|upon|by)\s+(?:\w+\s+)?$|\w\s?,\s+(?:also\s+|now\s+|\w+ly\s+)?$"
)
_NEW_PREDICATE = re.compile(r" (?:is|are|was|were|has|have|had|now|will|would|then)\b")
_DEAL_STRUCK = re.compile(
    r"\b(?:agreements?|deals?|contracts?|bargains?|accords?|compromises?)\s+((?:(?:it|they|we|he|she|that|which)\s+)?)"
    r"(?:(?:had|has|have|was|were)\s+)?$"
)
_NO_OBJECT = re.compile(
    r"\s*(?:[,.;:]|$|(?:with|in|by|between|last|earlier|a\s+year|on|at|during|this|and|under|after|before|for)\b)"
)
_ADJECTIVE_STRIKING = re.compile(
    r"\b(?:(?:a|an|most|more|less|very|so|as|quite|particularly|equally|rather|how|what\s+(?:is|was|'s))\s+"
    r"striking|(?:is|was|are|were|be|been|seems?|looks?|remains?)\s+striking\s*[.,:;!?])"
)
_GOING_ON = re.compile(
    r"\b(?:continu(?:e|es|ed|ing)|began|begun|begins|start(?:s|ed)|used|went\s+on|keeps\s+on)\s+to\s+(?:be\s+)?$"
)
# "became the latest country to order the F-35", "the first army to field it": a fact, not a plan
_NTH_TO = re.compile(
    r"\b(?:latest|first|second|third|fourth|fifth|last|only|newest|sole|\d+(?:st|nd|rd|th))\s+"
    r"(?:(?![\w-]+ed\s)[\w-]+\s+){0,2}?"  # not "first ordered the army to deploy"
    r"(?:countr(?:y|ies)|nations?|customers?|buyers?|operators?|members?|states?|all(?:y|ies)|users?|"
    r"air\s+forces?|arm(?:y|ies)|nav(?:y|ies)|militar(?:y|ies)|clients?|importers?|one)\s+(?:outside\s+[\w\s-]+?\s+)?to\s+"
    r"(?:have\s+)?$"
)
_STILL_MODAL = re.compile(
    r"\b(?:(?:will|would|could|may|might|must|should|to)\s+(?:have\s+)?(?:been\s+)?|be\s+|been\s+)$"
)
_DATED_PAST = re.compile(
    r"(?:\s+[\w$.,'-]+){0,6}?\s+(?:in|since)\s+(?:(?:early|late|mid-?)\s*)?(?:19|20)\d\d\b|"
    r"(?:\s+[\w$.,'-]+){0,6}?\s+last\s+(?:year|month|week)\b"
)
_GIVEN_OBJECT = re.compile(
    r"\s+(?:the|that|its|their|his|her|our|how|what|this|these|those|such|current|recent|rising|growing|"
    r"ongoing)\b"
)
_GIVEN_LEAD = re.compile(
    r"(?:[,;:(]|\s-|\b(?:especially|particularly|and|but|even|only|least|partly|largely|not))\s*$"
)
_CLEARED_TO = re.compile(
    r"\b(?:cleared|authori[sz]ed|allowed|permitted)\s+(?!the\s+way\b)(?:[\w-]+\s+){1,3}?to\s+$"
)
_GIVEN_VERB = re.compile(  # "was given the jets", "has given them", "the jets Germany had given"
    r"\b(?:was|were|been|be|is|are|being|has|have|had|get|gets|got|getting|having)\s+"
    r"(?:(?:\w+ly|also|already|now|just|first|since|recently|yet|so\s+far|long)\s+){0,2}$"
)
_NO_QUANTITY = ("fewer ", "less ", "more ", "later ", "earlier ", "sooner ", "doubt", "longer ")
_PROGRESSIVE_LEAD = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being|began|begun|begins|begin|started|starts|start|keep|keeps|kept|"
    r"continues?|continued|stopped|finished)\s+(?:\w+ly\s+)?$"
)
_PLAN_NOUNS = ("plan ", "plans ", "bid ", "bids ", "effort", "intention", "proposal", "attempt", "idea ")
_FINITE_PASSIVE = re.compile(
    r"\b(?:was|were|(?:has|had)\s+been|(?<!will\s)(?<!would\s)(?<!could\s)(?<!might\s)(?<!may\s)(?<!to\s)have\s+been)"
    r"\s+(?:\w+ly\s+|later\s+|soon\s+)?$"
)
_RELATIVE_LEAD = re.compile(r"\b(?:that|which|who)\s+$")
_RELATIVE_PRONOUN = re.compile(r"\b(?:that|which|who)\b")


def _doubt_cast_elsewhere(low: str, doubt: Event, cue: Event, events: Sequence[Event]) -> bool:
    """ "cast doubt on", "raised doubts about" doubt only what follows them ("Turkey's activation of the S-400
    has cast doubt on its future" asserts the activation), and nothing when negated ("did not cast doubt")."""
    if not low.startswith(("cast", "rais"), doubt.start):
        return False
    return cue.start < doubt.end or any(
        e.kind == "neg" and e.end <= doubt.start and doubt.start - e.end <= 8 for e in events
    )


_TURN_WORDS = ("but ", "however", "yet ", "although", "though ", "while ", "whereas")
# a turn, or a semicolon ("an earlier version incorrectly said ...; Romania signed in November")
_DENIAL_ENDS = (*_TURN_WORDS, ";")
_FRONTED = re.compile(r"\W*(?:despite|after|amid|following|notwithstanding)\b")


def _denial_closed(low: str, span: tuple[int, int], deny: Event, cue: Event, events: Sequence[Event]) -> bool:
    """A denial's scope ends at a turn ("denied reports that the deal was dead, but said the jets were delivered")
    and, when the denial is fronted ("Despite the denial of reports that ..., Egypt signed"), at its comma."""
    if deny.end > cue.start:
        return False
    if any(
        e.kind == "term" and deny.end <= e.start < cue.start and low.startswith(_DENIAL_ENDS, e.start)
        for e in events
    ):
        return True
    return _FRONTED.match(low, span[0], deny.start) is not None and "," in low[deny.end : cue.start]


_REPORTS_OPEN = re.compile(  # after a dateline too: "DUBAI - Reports that ..."
    r"(?:[\w .,/']{1,40}?\s+-{1,2}\s+)?\W*(?:the\s+)?(?:reports?|claims?|rumou?rs?|suggestions?|allegations?)\s+"
    r"(?:that|of)\b"
)
_NOT_A_WEAPON = re.compile(
    r"\s+(?:the\s+|its\s+|their\s+|a\s+|this\s+|that\s+)?(?:[\w-]+\s+){0,2}?(?:law|laws|statute|act|sanctions|leverage|"
    r"veto|powers?|authority|influence|money|funds|waiver|provision|clause|rules?|diplomacy|language|terms?|"
    r"measures?|tools?|instruments?|mechanisms?|procedures?|formulas?|approach|model|scheme|arrangements?|methods?|"
    r"templates?|playbook|tactics?|channels?|loopholes?|"
    r"words?|phrase|argument|excuse|pretext)\b"
)
_JOINS_CLAUSES = re.compile(r",|\b(?:and|but|or)\b")
_NOT_AN_OPTION = re.compile(
    r"\b(?:is|was|remains)\s+(?:not|no\s+longer)\s+(?:an?\s+)?(?:option|on\s+the\s+table|under\s+consideration)|"
    r"\b(?:is|was|has\s+been)\s+(?:off\s+the\s+table|out\s+of\s+the\s+question|ruled\s+out)"
)
_FOR_REASON = re.compile(
    r"\b(?:thank\w*|prais\w*|credit\w*|blam\w*|criticis\w*|criticiz\w*|arrang\w*|pa(?:y|ys|id|ying)|grateful|"
    r"apologi\w*)\b[^,;]{0,30}$"
)
_PURPOSE_FOR = re.compile(r"\bfor\s+(?:onward\s+|eventual\s+|later\s+|further\s+|future\s+)?$")
_ANY = re.compile(r"\bany\s+(?:[\w-]+\s+)?$")
_SPLIT_INFINITIVE = re.compile(r"\bto\s+\w+ly\s+(?:be\s+|have\s+)?$")  # "to ultimately provide"
# "agreed to buy a NASAMS system and donate it to Ukraine": a bare verb joined to an infinitive is one too
_JOINED_INFINITIVE = re.compile(
    r"\bto\s+(?:buy|purchase|acquire|order|procure|send|donate|give|deliver|supply|provide|transfer|sell|hand|lease|"
    r"refurbish|repair|upgrade|modernise|modernize|fund|finance)\b[^,;:]{0,100}?\band\s+$"
)
_TOOK_TIME = re.compile(
    r"\b(?:(?:took|takes|taken|take)\s+(?:\w+\s+)?(?:months|years|weeks|days|time|long)|managed|was\s+able|"
    r"were\s+able|began|started|continued|went\s+on)\s+$"
)
_BARE_VERB = re.compile(
    r"(?:buy|purchase|acquire|order|procure|send|donate|give|deliver|supply|provide|transfer|sell|hand\s+over|lease|"
    r"deploy|station|field|operate|use)"
)
_PEOPLE_AFTER = re.compile(r"\s+(?:forces|troops|personnel|soldiers|sailors|servicemembers|units)\b")
_DEPLOYED_LEAD = re.compile(r"\b(?:protect\w*|defend\w*|guard\w*|the|its|their|our|of|for)\s+$")
_ADJECTIVE_USED = re.compile(r"(?:\b(?:the|a|an|first|some|of|and|\d+))\s+$")


@lru_cache(maxsize=4096)
def _word_form(word: str) -> tuple[bool, bool, bool]:
    """Whether a cue is a past form, a noun, a deal noun ("order", "contract"); cues repeat, so cached."""
    return (
        PAST_FORM.match(word) is not None,
        _NOUN_CUE.search(word) is not None,
        _DEAL_NOUN.search(word) is not None,
    )


def noun_cue(word: str) -> bool:
    """Whether a cue is a noun ("deliveries", "the sale", "deployment"), not a verb."""
    return _word_form(word)[1]


_AFTER_QUESTION = " \n\t*_\"'"  # "**Has any KAAN been delivered?**": a question in bold
_NEW_CLAUSE_AFTER = re.compile(
    r",\s+(?:so|and|but)\s+(?:[\w-]+\s+){0,3}?(?:could|would|will|can|may|might|should)\b"
)
# "Explainer: Who is sending F-16s to Ukraine, and when will they fly?": a question all through (not "why" or "how
# did", which take their fact for granted, nor a label "What we know:" before a statement)
_QUESTION_OPENS = re.compile(
    r"\s*(?:who|what|when|where|which|will|would|can|could|should|is|are|was|were|does|do|did|has|have|had)\s"
)


def _asks_all_through(low: str, span: tuple[int, int]) -> bool:
    label = low.find(":", span[0], min(span[1], span[0] + 40))
    return _QUESTION_OPENS.match(low, span[0] if label < 0 else label + 1, span[1]) is not None


_PENDING_WORDS = ("depend", "hinge", "contingent", "conditional")
_PENDING_ON = re.compile(r"(?:" + "|".join(_PENDING_WORDS) + r")s?\s")  # not "depended on"
_SUPPLY_NOUNS = frozenset({"supply", "delivery", "deliveries", "provision", "transfer"})
# the deal noun the "for the" phrase hangs on: "an agreement with Turkey for the" (not "a great deal", nor across a
# comma or a verb: "Under the agreement, Turkey paid Russia $2.5 billion for the")
_DEAL_NOUN_BEFORE = re.compile(
    r"(?<!great\s)(?<!good\s)\b(?:agreements?|contracts?|deals?|accords?|memorand(?:um|a))"
    r"(?:\s+[a-z.$€£\d-]+(?<!ed)(?<!paid)){0,6}?\s+for\s+the\s+$"  # no verb between: "signed", "paid"
)
_PENDING_LEAD = re.compile(r"\b(?:was|were|had\s+been)\s+$")


# what follows a delivery noun that schedules it ("deliveries from 2026", "stretching to 2028", "spread over the
# next several years", "as first deliveries near"; not "deliveries to Ukraine", "deliveries from Russia", nor
# "signed in 2018, with deliveries beginning in 2020", which a retrospective says of the past)
_SCHEDULE_AFTER = re.compile(
    r"(?:\s+of\s+(?:[\w.-]+\s+){1,4}?)?,?\s+(?:(?:from|through|until|till|to|between|"
    r"stretching(?:\s+(?:to|into|until|through))?|running(?:\s+(?:to|into|until|through))?|"
    r"spread\s+over)\s+(?:(?:early|mid|late|the\s+end\s+of)[\s-]+)?(?:20\d\d|next\b|the\s+(?:next|coming)\b)|"
    r"over\s+the\s+(?:next|coming)\b|near(?:s|ing)?\b|approach(?:es|ing)?\b)"
)
# a present-tense verb of what a system does to kinds of targets: a description, not an event
_CAPABILITY_VERBS = frozenset(("intercepts", "destroys", "engages", "defeats", "neutralises", "neutralizes"))
_GENERIC_TARGETS = re.compile(
    r"\s+(?:(?:incoming|enemy|hostile|short-range|medium-range|long-range|ballistic|cruise|hypersonic|aerial|"
    r"low-flying|armoured|armored)\s+)*(?:missiles|aircraft|drones|rockets|targets|threats|jets|helicopters|tanks|"
    r"warheads)\b"
)
# words that make such a verb an account of events: "intercepts Russian missiles every night"
_HABITUAL = re.compile(
    r"\b(?:every|nightly|daily|regularly|routinely|again|now|still|already|most|dozens|hundreds)\b"
)
# an order's part: "ordered four Gripens as the first batch", "signed for the first batch"
_ORDERED_AS = re.compile(
    r"\b(?:(?:order(?:s|ed)?|b(?:uys|ought)|purchas(?:es|ed)|acquir(?:es|ed))\s+(?:[\w.,/-]+\s+){0,8}?as|"
    r"(?:sign(?:s|ed)?|contracts?|deals?|orders?)\s+for|covering)\s+(?:the\s+|a\s+|an\s+|its\s+)?$"
)
# a schedule the sentence says was met: "...; all have now arrived"
_SCHEDULE_DONE = re.compile(
    r"\b(?:began|begun|started|completed|finished|ended|were\s+made|was\s+made|took\s+place|arrived)\b"
)


def judge(cue: Event, low: str, span: tuple[int, int], events: Sequence[Event]) -> str:
    """asserted | modal | hypothetical | negated, from the triggers around the cue in its sentence.

    ``hypothetical`` is a deployment that only could happen; a modal deal or delivery is still talks."""
    clause_start, clause_end = span
    resumed_at = -1  # "denied reports that ..., saying the contract was frozen": the denier's own claim
    for event in events:
        if event.kind == "clause":
            comma = low[max(0, event.start - 2) : event.start] == ", "
            if not comma and not (low[event.start] == "a" and _NEW_PREDICATE.match(low, event.end)):
                continue  # "as saying that ...", "tanks and howitzers": no new clause
            if event.end <= cue.start:
                resumed_at = event.start
        if event.kind in ("term", "clause"):
            if event.end <= cue.start:
                clause_start = max(clause_start, event.end)
                if event.kind == "term" and low.startswith(_RELATIVE_WORDS, event.start):
                    # "Lithuania, which has campaigned for ..., took delivery": the relative clause ends at its comma
                    # (the comma just before the cue; not "which could, officials say, receive": a parenthesis)
                    close = low.rfind(", ", event.end, cue.start)
                    if (
                        close > 0
                        and cue.start - close <= 16
                        and low.rfind(",", max(span[0], event.start - 3), event.start) >= 0
                        and len(low[event.end : low.find(",", event.end, cue.start)].split()) >= 2
                    ):
                        clause_start = max(clause_start, close + 2)
            elif event.start >= cue.end:
                clause_end = min(clause_end, event.start)
    if low[clause_start:clause_end].rstrip(_AFTER_QUESTION).endswith("?") or (
        low[span[0] : span[1]].rstrip(_AFTER_QUESTION).endswith("?") and _asks_all_through(low, span)
    ):
        return "negated"  # "Has Turkey received the S-400?" asserts nothing; "..., but will it be enough?" is
        # a question about the clause after "but" only
    word = low[cue.start : cue.end]
    if (
        word == "deployed"
        and _PEOPLE_AFTER.match(low, cue.end)
        and _DEPLOYED_LEAD.search(low, max(span[0], cue.start - 16), cue.start)
    ):
        return "negated"  # "to protect deployed forces": an adjective of troops, no deployment of a weapon
    if word == "downs" and low.endswith("ups and ", 0, cue.start):
        return "negated"  # "the S-400 saga has had its ups and downs"
    if word.startswith("us") and _NOT_A_WEAPON.match(low, cue.end):
        return "negated"  # "Washington had used the same law against China": a law, not a weapon, was used
    if word == "used" and _ADJECTIVE_USED.search(low, max(span[0], cue.start - 12), cue.start):
        return "negated"  # "the first used M1A1 tanks" is second-hand, not combat use
    if word == "striking" and _ADJECTIVE_STRIKING.search(low, max(span[0], cue.start - 14), cue.end + 2):
        return "negated"  # "what is striking is ...", "a striking contrast": an adjective, not an attack
    if (
        word == "struck"
        and (deal := _DEAL_STRUCK.search(low, max(span[0], cue.start - 32), cue.start)) is not None
        # "the agreements it struck", "the deal struck in 2018"; not "missiles bought under the deal struck a
        # Russian airfield", which has an object
        and (deal.group(1) or _NO_OBJECT.match(low, cue.end))
    ):
        return "negated"  # "the framework agreements it struck with South Korean industry": a deal made, no attack
    if _REPORTS_OPEN.match(low, span[0]) and any(
        e.kind in ("postneg", "deny", "doubt") and e.start >= cue.end for e in events
    ):
        return "negated"  # "Reports that the agreement was signed ... were not confirmed by either side"
    if (
        word.startswith(("deliver", "handover", "hand-over"))
        and word.endswith(("y", "ies", "overs", "over"))
        and _SCHEDULE_AFTER.match(low, cue.end) is not None
        and _SCHEDULE_DONE.search(low, cue.end, span[1]) is None  # not "...; all have now arrived"
    ):
        return "modal"  # "signed for K2 tanks, with deliveries from 2026": a schedule, not a delivery made
    if (
        word in _CAPABILITY_VERBS
        and _GENERIC_TARGETS.match(low, cue.end) is not None
        and _HABITUAL.search(low, clause_start, clause_end) is None
    ):
        return "hypothetical"  # "Arrow 3 intercepts ballistic missiles above the atmosphere": what it is for
    if word.endswith(("batch", "tranche")) and _ORDERED_AS.search(
        low, max(span[0], cue.start - 90), cue.start
    ):
        return "negated"  # "ordered four Gripens as the first batch", "signed for the first batch": an order's part
    if low.startswith(" no ", cue.end) and not low.startswith(_NO_QUANTITY, cue.end + 4):
        return "negated"  # "it receives no U.S. military aid", "has fielded no new batteries"
    if (
        word == "given"
        and (  # ("was given a tour" is a pseudo-trigger of the lexicon)
            not low[span[0] : cue.start].strip()
            or (
                _GIVEN_OBJECT.match(low, cue.end) is not None
                and (
                    _GIVEN_LEAD.search(low, max(span[0], cue.start - 20), cue.start) is not None
                    # "unlikely to begin before 2030 given the order backlog": no verb's participle
                    or _GIVEN_VERB.search(low, max(span[0], cue.start - 24), cue.start) is None
                )
            )
        )
    ):
        return "negated"  # "given the threat from Russia", "was given a tour of the plant": no delivery
    past, noun, deal_noun = _word_form(word)
    if (
        word in _SUPPLY_NOUNS
        and low.endswith("for the ", 0, cue.start)
        and _DEAL_NOUN_BEFORE.search(low, max(span[0], cue.start - 70), cue.start)
    ):
        # "signed an agreement with Turkey for the supply of 20 Typhoons": what the deal covers
        return "modal"
    if (
        cue.kind == "delivery"
        and not word.partition(" ")[0].endswith("ing")  # not "a punishment for taking delivery of"
        and (purpose := _PURPOSE_FOR.search(low, max(span[0], cue.start - 20), cue.start)) is not None
        # not a reason or an arrangement: "thanked Germany for transfer of", "was the first to pay for delivery"
        and not _FOR_REASON.search(low, max(span[0], purpose.start() - 40), purpose.start())
    ):
        return "modal"  # "flew them to Ramstein for onward delivery to Ukraine", "for transfer to Kyiv": a purpose
    if noun and _ANY.search(low, max(span[0], cue.start - 16), cue.start):
        return "negated"  # "more than it has spent on any single acquisition": no acquisition in particular
    # "cancelling the order would be costly", "pulling out of the F-35 could cost it": a gerund as the subject
    # (not "Germany is handing over IRIS-T systems that will protect ...": that is going on)
    gerund = word.partition(" ")[0].endswith("ing") and not _PROGRESSIVE_LEAD.search(
        low, max(span[0], cue.start - 24), cue.start
    )
    if (
        gerund
        and not low[clause_start : cue.start].strip(" \"'")
        and (option := _NOT_AN_OPTION.search(low, cue.end, min(clause_end, cue.end + 80))) is not None
        # the gerund's own predicate: not "Deploying the K2 tanks went smoothly and slowing ... is not an option"
        and not _JOINS_CLAUSES.search(low, cue.end, option.start())
    ):
        return "negated"  # "Cancelling the contract is not an option we are pursuing"
    presupposed = deal_noun and _DEFINITE.search(
        low, max(span[0], cue.start - 40), cue.start
    )  # "cancel its F-35 order": the order exists whatever is said about it
    modal = possible = hearsay = False
    # "Egypt's plan to buy Su-35s was abandoned": a modal in a finite passive's subject is the plan that was
    # cancelled, not a cancellation still to come (not "will have been cancelled")
    subject_end = -1
    if cue.kind == "cancellation" and (
        passive := _FINITE_PASSIVE.search(low, max(span[0], cue.start - 24), cue.start)
    ):
        subject_end = passive.start()
    blocked_at = -1  # a negated cancellation leaves its object asserted: "has not cancelled its order"
    for event in events:
        if event.kind == "cancellation" and event.end <= cue.start:
            blocked_at = event.start
    for event in events:
        kind = event.kind
        before = event.end <= cue.start
        after = event.start >= cue.end
        in_clause = clause_start <= event.start < clause_end
        if kind == "doubt":
            return "negated"
        if (
            kind == "deny"
            and (before or event.start < clause_end)
            and not event.end <= resumed_at
            and not _denial_closed(low, span, event, cue, events)
            and not _doubt_cast_elsewhere(low, event, cue, events)
        ):
            return "negated"
        near = before and in_clause and _gap(low, event.end, cue.start) <= _NEG_WINDOW
        if kind in ("neg", "postneg") and near and not event.start < blocked_at < cue.start:
            return "negated"
        if kind == "postneg" and after and in_clause and event.start - cue.end <= _POSTNEG_WINDOW:
            return "negated"
        if (
            kind == "modal"
            and (noun or _DEFINITE.search(low, max(span[0], cue.start - 24), cue.start) is not None)
            and after
            and in_clause
            and event.start - cue.end <= _POSTNEG_WINDOW
            and _PENDING_ON.match(low, event.start)
            and not _PENDING_LEAD.search(low, max(span[0], event.start - 12), event.start)
        ):
            # "Belgium's handover of F-16s depends on the arrival of its F-35s": both are to come
            modal = True
            continue
        if kind == "modal" and event.end <= subject_end and low.startswith(_PLAN_NOUNS, event.start):
            continue
        if (
            kind == "modal"
            and before
            and (closing := low.find(",", event.end, cue.start)) >= 0
            # the relative has a verb of its own before its comma (not "which could, officials say, receive")
            and low[event.end : closing].strip()
            and _RELATIVE_LEAD.search(low, max(span[0], event.start - 12), event.start)
        ):
            continue  # "The Akinci, a drone that can carry 1.5 tonnes, is already in service": the relative's modal
        if kind == "modal" and before and past and low.startswith(_PENDING_WORDS, event.start):
            continue  # "depends on the Leopard 2 tanks delivered by Germany": a delivery that happened
        if kind == "modal" and before and in_clause and _gap(low, event.end, cue.start) <= _MODAL_WINDOW:
            if (
                past
                and low.startswith(("eventually ", "finally "), event.start)
                and cue.start - event.end <= 2
            ):
                continue  # "India eventually signed": it happened
            if low.startswith(_SALE_ADJECTIVES, event.start) and _APPROVED_BEFORE.search(
                low, max(span[0], event.start - 50), event.start
            ):
                continue  # "approved the possible sale of F-16s": the approval is the deal, "possible" is jargon
            # "cancel its F-35 order": the order exists whatever is said of it, but not "if the deal goes ahead"
            modal = (
                modal
                or not presupposed
                or (
                    low.startswith(_CONDITION, event.start)
                    and _CONDITIONED_NOUN.fullmatch(low, event.end, cue.start) is not None
                )
            )
            possible = possible or low.startswith(_POSSIBILITY, event.start)
        elif kind == "hearsay" and before:
            reported = _reported_gap(low, event.end, cue.start)
            # "the report said Cairo had signed ..., and that the first jets had arrived" reports both
            if (in_clause or reported < cue.start - event.end) and reported <= _MODAL_WINDOW:
                # "media reports have said Turkey deployed them": not asserted, and no plan either
                hearsay = True
        elif kind == "talks" and before and in_clause and cue.kind in ("deal", "delivery", "deployment"):
            if (
                cue.start - event.end <= _MODAL_WINDOW
                and low.startswith(_PROCESS, event.start)
                # not "Days before suspending the talks, the UAE ordered 80 Rafales": a new subject's own act (but
                # "Talks with France, the ministry said, covered the purchase" is an aside)
                and (
                    ", the " not in low[event.end : cue.start]
                    or _ASIDE.search(low, event.end, cue.start) is not None
                )
            ):
                modal = True  # "talks about buying", "weighing the purchase", "a request for a sale"
        elif (
            kind == "modal"
            and after
            and in_clause
            and (noun or gerund)
            and event.start - cue.end
            # "deliveries of ... are expected", "deliveries of the five Patriot fire units it ordered from the United
            # States in 2022 will be delayed"; "a contract with Saab for an initial batch ... was close"
            <= (90 if cue.kind == "delivery" or low.startswith(_CLOSE, event.start) else 40)
            and "," not in low[cue.end : event.start]  # not ", originally planned for 2024," (a parenthesis)
            and _RELATIVE_PRONOUN.search(low, cue.end, event.start) is None  # not "jets that will replace"
        ):
            modal = modal or low.startswith(_MODAL_VERBS, event.start)  # "the contract could be signed"
        elif (
            kind == "future"
            and not past
            and in_clause
            # not "pilots already fly the MiG-29, so those jets could be in service within weeks"
            and not (after and _NEW_CLAUSE_AFTER.search(low, cue.end, event.start))
        ):
            modal = modal or abs(event.start - cue.start) <= _FUTURE_WINDOW
        elif (
            kind == "delay"
            and in_clause
            and not (
                cue.kind == "deal"
                and (
                    past
                    or (
                        word.startswith("order")
                        and (
                            presupposed or _MODEL_BEFORE.search(low, max(span[0], cue.start - 16), cue.start)
                        )
                    )
                )
            )
        ):
            # a delay holds up what comes next, not a deal already signed ("ordered in 2019 are behind schedule",
            # "its F-16 order slips", but not "delayed an order for 96 Apaches")
            modal = modal or (after and event.start - cue.end <= _FUTURE_WINDOW) or (before and not past)
    if (
        not modal
        and cue.kind in ("deal", "delivery")
        and word.endswith("ing")
        and not word.startswith(("is ", "are "))
    ):
        # "approved sending a battery", "for sending tanks": a gerund is no event unless it is going on; "the
        # proposed sale will improve its capability by providing ...": the means of what will be
        # (a modal of its own clause: not "Germany, which says it will do more, has strengthened ... by delivering")
        modal = not _PROGRESSIVE.search(low, max(span[0], cue.start - 30), cue.start) or (
            low.endswith("by ", 0, cue.start)
            and any(
                e.kind == "modal"
                and clause_start <= e.start
                and e.end <= cue.start
                and "," not in low[e.end : cue.start]
                for e in events
            )
        )
    if not modal and cue.kind == "deal" and word.startswith("approv"):
        # "approved on Thursday sending one of its batteries": a decision to give, not a sale
        modal = _APPROVED_TRANSFER.match(low, cue.end) is not None
    if not modal and cue.kind == "delivery" and (noun or word in ("transfer", "transfers")):
        # "approved the transfer of F-16s to Ukraine": the transfer is what was approved, not yet done; "the
        # transfer required approval from Washington", "with deliveries to begin in 2020": it waits on
        # something, or is still to come (a sale that "needed the consent" of others was made)
        modal = (
            _APPROVED_NOUN.search(low, max(span[0], cue.start - 40), cue.start) is not None
            or _WAITS_ON.match(low, cue.end) is not None
        )
    if not modal:
        lead = low[max(span[0], cue.start - 24) : cue.start]
        modal = (
            (
                lead.endswith(("to ", "to be ", "to have "))
                or lead.rstrip().endswith(("to quickly", "to soon"))
                or _SPLIT_INFINITIVE.search(lead) is not None
                or (
                    _BARE_VERB.fullmatch(word) is not None
                    and (joined := _JOINED_INFINITIVE.search(low, max(span[0], cue.start - 130), cue.start))
                    is not None
                    # not "took months to buy NASAMS launchers and send them": it was done
                    and not _TOOK_TIME.search(low, max(span[0], joined.start() - 30), joined.start())
                )
            )
            and not _NTH_TO.search(low, max(span[0], cue.start - 60), cue.start)
            and not _GOING_ON.search(lead)  # "continues to fly F-15s", "began to receive": it is happening
            # "Washington cleared Greece to buy 40 F-35s": the approved purchase is the sale approved
            and not (cue.kind == "deal" and _CLEARED_TO.search(low, max(span[0], cue.start - 40), cue.start))
        )
    if modal and past and cue.kind in ("deal", "delivery") and _DATED_PAST.match(low, cue.end):
        # "the Patriot systems it ordered from the United States in 2022": a dated past event is a fact, but
        # not "may have received it last year" or "will be delivered in 2026"
        modal = _STILL_MODAL.search(low, max(span[0], cue.start - 24), cue.start) is not None
    if hearsay and not modal:
        return "negated"
    if modal and possible and cue.kind == "deployment":
        return "hypothetical"  # "could deploy its S-400s if tensions rise": no stage, not even talks
    return "modal" if modal else "asserted"


_WAITS_ON = re.compile(
    r"(?:\s+(?:of|for|to)(?:\s+[\w-]+){1,4}?)?\s+(?:(?:required|requires|require|needed|needs|need|awaits|awaited|"
    r"await)\s+(?:\w+\s+)?(?:approval|consent|clearance|authori[sz]ation|sign-off|permission|a\s+waiver)|"
    r"(?:(?:is|are|was|were)\s+)?(?:due\s+|set\s+|scheduled\s+|expected\s+|planned\s+)?to\s+"
    r"(?:begin|start|follow|commence)\b)"  # not "set to resume": they came before
)
_APPROVED_NOUN = re.compile(
    r"\b(?:approv\w*|authori[sz]\w*|cleared|clears|clear|green-?lit|okay(?:ed|s)?|sanction(?:ed|s))\s+"
    r"(?:(?:the|a|an|its|their|further|more|possible|proposed|planned)\s+)*(?:[\w-]+\s+)?$"
)
_APPROVED_TRANSFER = re.compile(
    r"(?:\s+[\w,-]+){0,4}?\s+(?:sending|supplying|transferring|delivering|giving|donating|handing|lending|"
    r"the\s+(?:transfer|delivery|donation|handover))\b"
)
