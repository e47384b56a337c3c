"""Round 12 vetting rules: claims not asserted, cues said of something else, and bystanders' places.

Stages (``unasserted`` is asked per strong cue by ``scraper.vet``; a vetoed cue is no one's stage):

32. *Hearsay*: a cue in a claim a media outlet or anyone attributes to unnamed sources ("a news site
    cited unnamed officials as saying the missiles had arrived") is not yet asserted -> ``talks``.
33. *Contradicted claim*: a cue inside a claim the sentence contradicts, disputes or rejects
    ("contradicting a claim by another lawmaker that the first aircraft had arrived") -> vetoed.
34. *Paperwork received*: "received approval for", "got the go-ahead", "received an offer": nothing
    was delivered -> ``talks``.
35. *Lost a contest*: "lost the competition", "lost that tender" is no loss in combat -> vetoed.
36. *The weapon gives*: "the system gives us precision fire", "the jets provide cover": the system is
    the subject of the giving verb, no transfer -> vetoed.

Roles (``place_role`` explains one mention of the country, or returns None):

37. *Venue*: where a forum, summit, fair or interview took place ("on the sidelines of a security forum
    in Singapore") -> ``other``.
38. *Institution*: the country names an institute, fund or university ("an analyst at the German
    Marshall Fund") -> ``other``.
39. *Exercise host*: the country's adjective on drills or exercises another country's forces hold ("U.S.
    Marines fire HIMARS in Philippine drills") -> ``other``.
40. *Attack in a time phrase*: the owner of an attack that dates the sentence ("rushed to Israel after
    Iran's missile barrage") -> ``other``.
41. *Giver*: the subject of "provided X with", also in reported speech ("officials say Tehran has sent
    drones to Russia", "Britain and France have already provided Ukraine with Storm Shadow") ->
    ``supplier``.
"""

from __future__ import annotations

import re

from scraper.aliases import Mention
from scraper.scopes import Event
from scraper.vet_roles import OWN_CREWS, Evidence, before, clause_end

_HEARSAY = re.compile(
    r"\b(?:cit(?:ed|ing|es?)|quot(?:ed|ing|es?)|according\s+to)\s+(?:\w+\s+){0,2}?"
    r"(?:unnamed|anonymous|unidentified)\b"
)
_CONTRADICTED = re.compile(
    r"\b(?:contradict|disput|refut|reject|dismiss|den[iy]|rebutt?|challeng)\w*\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:claims?|reports?|rumou?rs?|assertions?|suggestions?|statements?|allegations?)\b[^;]{0,80}?\bthat\s"
)
_PAPERWORK = re.compile(
    r"\s+(?:(?:an?|the|its|their|final|formal|official|u\.s\.|congressional|government)\s+)*"
    r"(?:approvals?|permission|clearance|go-ahead|green\s+light|authori[sz]ation|consent|offers?|bids?|"
    r"proposals?|requests?|invitations?|letters?|licen[cs]es?|waivers?|nod)\b"
)
_CONTEST = re.compile(
    r"\s+(?:(?:that|the|a|an|this|its|their)\s+)?(?:[\w-]+\s+)?(?:competition|contest|tender|bid|race|"
    r"contracts?|orders?|deals?|elections?|votes?|case|battle\s+for|bidding)\b"
)
_WEAPON_SUBJECT = re.compile(
    r"(?:\b(?:the|this|that|its|their|these|those)\s+(?:[\w-]+\s+)?(?:system|systems|weapons?|missiles?|"
    r"launchers?|batter(?:y|ies)|jets?|aircraft|fighters?|tanks?|drones?|interceptors?|radars?)|\bit)"
    r"\s+(?:also\s+|would\s+|will\s+|could\s+|can\s+|now\s+)?$"
)
_GIVING = re.compile(r"(?:give|gives|gave|provide|provides|provided|offer|offers|offered)\b")


def unasserted(low: str, cue: Event, named: bool) -> str | None:
    """Rules 32-36 for one strong cue: "veto" (no stage), "talks" (not yet asserted), else None.
    ``named``: the evidence names the system itself."""
    contradicted = _CONTRADICTED.search(low, 0, cue.start)
    if contradicted is not None and not re.search(r"[,;]", low[contradicted.end() : cue.start]):
        return "veto"  # 33: the claim's own clause ("denied reports that ..., saying" is the denier's)
    if _HEARSAY.search(low, 0, cue.start):
        return "talks"  # 32
    if cue.kind == "delivery" and _PAPERWORK.match(low, cue.end):
        return "talks"  # 34
    if cue.kind == "deployment" and low.startswith("lost", cue.start) and _CONTEST.match(low, cue.end):
        return "veto"  # 35
    if _GIVING.match(low, cue.start) and (
        _WEAPON_SUBJECT.search(low, max(0, cue.start - 60), cue.start) and not named
    ):
        return "veto"  # 36
    return None


_VENUE = re.compile(
    r"\b(?:forum|conference|summit|meeting|dialogue|fair|air\s*show|expo|exhibition|symposium|convention|"
    r"sidelines)\s+(?:held\s+)?(?:in|at)\s+(?:the\s+)?$"
)
_INSTITUTION = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:fund|foundation|institute|institution|university|academy|"
    r"society|association|college|school)\b"
)
_DRILL_NOUNS = r"drills|exercises?|war\s+games|manoeuvres|maneuvers"
_DRILLS = re.compile(
    rf"\s+(?:(?:joint|military|naval|annual|large-scale|live-fire|combined|air|war)\s+)*(?:{_DRILL_NOUNS})\b"
)


def _system_follows(ev: Evidence, mention: Mention) -> bool:
    """ "drills with Polish HIMARS launchers": the country's adjective names the system's user."""
    return any(m.kind == "system" and 0 <= m.start - mention.end <= 20 for m in ev.mentions)


_DRILLS_WITH = re.compile(rf"\b(?:{_DRILL_NOUNS}|training)\s+(?:alongside|with)\s+(?:the\s+)?$")
_IN = re.compile(r"\b(?:in|during|at|for)\s+(?:the\s+)?(?:[\w-]+\s+)?$")
_TIME_ATTACK = re.compile(r"\b(?:after|before|since|during|following|amid|ahead\s+of)\s+(?:the\s+)?$")
_ATTACK_AFTER = re.compile(
    r"(?:'s|\ss)?\s+(?:[\w-]+\s+){0,2}?(?:barrages?|attacks?|strikes?|salvos?|offensives?|invasion|raids?|"
    r"bombardments?)\b"
)
_SAY_THAT = re.compile(r"\b(?:say|says|said|saying|believe|believed|claim|claims|claimed)\s+(?:that\s+)?$")
_GIVER = re.compile(
    r"\s+(?:(?:has|have|had|also|already|previously|in\s+turn|reportedly|since)\s+)*"
    r"(?:sent|supplied|provided|delivered|shipped|given|gave|transferred)\b"
)


def place_role(ev: Evidence, mention: Mention, country: str) -> str | None:
    """Rules 37-41 for one mention of the country: ``other`` or ``supplier``, else None."""
    low = ev.low
    countries = ev.countries
    start, end = ev.group(mention)
    lead = before(low, start)
    if _VENUE.search(lead) or _INSTITUTION.match(low, mention.end):
        return "other"  # 37, 38
    others_before = any(m.name != country and m.end <= start for m in countries)
    if _DRILLS.match(low, mention.end) and _IN.search(lead) and others_before:
        return "other"  # 39
    if _DRILLS_WITH.search(lead) and others_before and not _system_follows(ev, mention):
        # 39: "deployed its Typhon launcher to Luzon for joint exercises with Philippine forces"
        return "other"
    if _TIME_ATTACK.search(lead) and _ATTACK_AFTER.match(low, mention.end):
        return "other"  # 40
    gives = _GIVER.match(low, end)
    if (
        gives is not None
        and (re.search(r"(?:^|[,;:]\s*|\b(?:and|but)\s+)$", lead) or _SAY_THAT.search(lead))
        and not OWN_CREWS.search(low)  # "sent four Rafale jets to Australia as part of its Pegase mission"
    ):
        until = clause_end(low, gives.end())
        to_other = any(
            m.name != country
            and gives.end() < m.start < until
            and re.search(r"\bto\s+(?:the\s+)?$", low[: m.start])
            for m in countries
        )
        with_other = any(
            m.name != country and 0 <= m.start - gives.end() <= 6 and re.match(r"\s+with\b", low[m.end :])
            for m in countries
        )
        if to_other or with_other:
            return "supplier"  # 41
    return None
