"""Cue lexicons for stages, scopes (NegEx/ConText style), roles and defence context, compiled once.

Everything is matched on lower-cased normalised text. The cue alternatives are filed under the first
one to three letters they start with; one regex (a trie of those keys) finds the words that start some
cue, and only there the key's own alternation (a group per cue kind) is tried, so a sentence is scanned
once whatever the size of the lexicon. Order matters: at a given position the first alternative wins,
so pseudo-triggers ("not only", "no doubt") come before the negation triggers they contain, and
multi-word cues before the single words inside them.

Kinds (the group names):
- stage cues: ``talks``, ``deal``, ``delivery``, ``deployment``, ``cancellation``;
- scope triggers: ``pseudo`` (looks like negation, is not), ``deny`` (denials, retractions: scope to the
  end of the sentence), ``doubt`` (unverified claims: the whole sentence), ``postneg`` (negation that
  follows its cue: "deliveries have not begun"), ``neg`` (negation before its cue), ``modal``
  (future, intention, condition: "will", "plans to", "if"), ``hearsay`` (what reports say: like a modal
  before its cue, but no plan: the cue is not asserted at all), ``future`` (time: "next year", "by 2026"),
  ``delay`` ("pushed back", "postponed"), ``term`` (terminators that close a scope: "but", "however"),
  ``clause`` (a new predicate or the speaker's own words: "... and is taking delivery", ", saying the
  contract was frozen": closes negation and modal scopes, ends a denial's scope; no clause cut for roles);

Context patterns scanned separately, only where needed: ``DEFENCE_RE`` (words that make an ambiguous
alias such as turkey, Georgia or Leopard a defence mention), ``SENSE_RE`` (words of an alias's everyday
sense: "Typhoon Gaemi made landfall", "the Space Shuttle Challenger", "the Apache web server";
``PLACE_SENSE_RE`` the same without a machine's namesakes, for a country's alias; ``SENSE_OF``
adds words that veto one alias only, "torrential" beside "typhoon"),
``ANAPHOR_RE`` ("the system", "the jets",
"it": continue the last named system) and ``GENERIC_RE`` ("air defence systems": a system named in a
neighbouring sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

STAGE_KINDS = ("talks", "deal", "delivery", "deployment", "cancellation")

_V = r"(?:e?s|e?d|ing)?"  # regular verb endings after a stem

# Paper a country receives before any hardware (plain regex, spaces unescaped). What a seller receives:
# "received a request / an order from India"; what a buyer receives: "received pledges of F-16 jets".
SELLER_PAPER = r"orders?|requests?|contracts?|payments?"
BUYER_PAPER = r"pledges?|promises?|offers?|assurances?|guarantees?|commitments?|invitations?|proposals?"
_RECEIVE = r"receiv(?:e|es|ed|ing)"
_PAPER_DETERMINERS = (  # "received (a formal / its first / 30 export) ..."
    r"(?:(?:an?|the|its|their|new|further|more|formal|firm|written|official|fresh|large|several|many|export|"
    r"advance|multiple|\d+)\ ){0,3}"
)

_PSEUDO = (
    r"""for\ (?:delivery|deliveries|handover|hand-over|shipment|shipping)|
    who\ (?:fl(?:ies|y|ew)|uses?|used|operates?|operated|fields?|fielded|bought|buys?)\ (?:it|them)\b|
    (?:in|for|after|during|before)\ (?:further\ )?flight[\ -]test(?:s|ing)|pre-?delivery\ test\ flights?|
    acceptance\ test\ flights?|
    how\ (?:tight|short|limited|scarce)\ (?:the\ )?suppl(?:y|ies)|
    (?:armies|countries|air\ forces|nations|militaries|navies|operators|users|customers)\ (?:that|which|who)\ (?:now\ )?
    (?:fl(?:ies|y|ew)|uses?|used|operates?|operated|fields?|fielded|bought|buys?)\ (?:it|them)\b|
    requests?\ for\ (?:comment|an?\ (?:comment|response|interview|reaction))(?:\ (?:sent|e-?mailed|made|put|
    addressed)(?:\ to)?)?|
    neither\ (?:fully\ |publicly\ |officially\ )?confirm(?:ed|s)?\ nor\ den(?:y|ied|ies)|
    neither\ confirm\ nor\ deny|(?:would|will|did|does|do|could)\ (?:not\ |n't\ )?(?:confirm\ (?:or|nor)\ deny)|
    declin(?:ed|es|ing)\ to\ (?:either\ )?confirm\ or\ deny|
    (?:calls?|recordings?|conversations?|messages?|communications|e-?mails?|phone\ calls?|transmissions?|signals)
    \ (?:(?:[\w'-]+\ ){0,6}?(?:was|were|had\ been|has\ been|have\ been|being|been)\ )?intercepted|
    intercept(?:s|ed|ing)?\ (?:[\w-]+\ ){0,2}?
    (?:calls?|recordings?|conversations?|messages?|communications|e-?mails?|phone\ calls?|transmissions?|signals|
    radio\ traffic)\b|(?:used|uses|use|using)\ (?:(?:an?|the|its|their|his|her|this|that|a\ number\ of|several|many|
    some)\ )?(?:[\w'-]+\ ){0,2}?(?:parts|components|subsystems|electronics|engines?|ejection\ seats?)\b(?!\ and\b|\ to\b)|
    (?:used|uses|use|using)\ (?:(?:an?|the|its|their|his|her|this|that)\ )?(?:[\w'-]+\ ){0,2}?
    (?:line|lines|phones?|show|airshow|exhibition|expo|fair|conference|trip|tour|occasion|opportunity|meeting|
    speech|money|funds?|language|terms?|words?|data|
    software|apps?|channels?|network|accounts?|leverage|influence|veto|power|argument|example|pretext|
    excuse|forum|summit|event|stage|chance|moment|visit|loophole|airspace|airports?|runways?|roads?|ports?|
    railways?|routes?|budget|savings|proceeds|revenues?)\b|
    (?:watch|watched|watching|watches|monitor(?:s|ed|ing)?|observ(?:e|es|ed|ing)|track(?:s|ed|ing)?)\ (?:the\ |this\ |
    that\ |its\ |their\ )?(?:[\w-]+\ )?(?:deployments?|deliver(?:y|ies)|arrivals?|transfers?)\b(?!\ of)|
    deliver(?:ed|s|ing)?\ (?:[\w$,.'-]+\ ){0,5}?(?:worldwide|globally|around\ the\ world)|
    (?:for|as|into|of|buy|buying)\ scrap\b|scrap\ (?:metal|yards?|heaps?|iron|dealers?|value|merchants?|prices?)|
    (?:ceasefire|truce|nuclear|peace|minsk|trade|grain|budget|coalition|debt|power-sharing|prisoner|hostage|gas|
    energy|climate)\ (?:deals?|agreements?|accords?|talks)\b|
    (?:agree[ds]?|agreeing|sign(?:ed|s|ing)?|reached|brokered)\ (?:to\ |on\ |upon\ )?(?:an?\ |the\ )?(?:[\w-]+\ )?
    (?:ceasefire|cease-fire|truce|armistice|peace\ (?:treaty|plan|deal|agreement|accord))\b|
    suppl(?:y|ies)\ of\ (?:spare\ )?(?:components|parts|spares|engines|fuel|microchips|chips|electronics)\b(?!\ and\b)|
    test(?:s|ed|ing)?\ (?:even\ )?(?:(?:the|a|an|its|their|his|her)\ )?(?:(?!s\ )[\w-]+\ ){0,2}?(?:budgets?|patience|
    resolve|relations|ties|markets?|nerves?|alliances?|friendships?|loyalt(?:y|ies)|credibility)\b|
    provid(?:e|es|ed|ing)\ (?:(?:the|a|an|its|their)\ )?(?:land(?![\w-]|\ -|\ forces)|funds?|money|financing|
    information|details|evidence|figures|access)\b|
    (?:ground|control|radar|relay)\ stations?\b|
    exercise(?<!the\ exercise)\ (?:missiles?|rounds?|munitions?|warheads?|torpedoes)\b(?!\ (?:from|of|by|fired|hit)\b)|
    (?:get|gets|got|getting)\ (?:longer|shorter|worse|better|bigger|harder|easier|tougher|closer)\b|
    (?:get|gets|got|getting)\ (?:the\ |most\ (?:of\ the\ )?|much\ (?:of\ the\ )?)?(?:headlines|attention|credit|praise|blame|
    spotlight|limelight)(?![\w-])|
    receiv(?:e|es|ed|ing)\ (?:(?:about|around|some|nearly|almost|more\ than|over|up\ to)\ )?(?:\$|€|£)\ ?[\d.,]+\ ?
    (?:bn|billion|million|m)?\b\ (?:[\w-]+\ ){0,6}?(?:aid|assistance|funding|loans?|grants?|financing)\b|
    deliver(?:ed|s|ing)?\ (?:(?:the|a|an|its|their|his|her)\ )?(?:(?:required|formal|written|official|final|
    annual|keynote|strong|stern)\ )?(?:certifications?|notifications?|notices?|speech|address|remarks|messages?|
    verdict|ultimatum|warnings?|blows?|briefings?|lectures?|keynote|statements?|letters?(?!\ of\ intent)|presentations?|
    results|punch)\b|
    (?:defen[cs]e\ )?(?:acquisition|procurement)\ (?:council|agency|office|board|directorate|committee|
    administration)\b|
    (?:debris|fragments?|wreckage|shrapnel|pieces)\ (?:[\w'-]+\ ){0,6}?landed\ (?:on|in)\ (?:[\w'-]+\ ){0,2}?
    (?:soil|territory|fields?|farmland|homes?|houses?|buildings?|roofs?)\b|
    land(?:s|ed|ing)?(?=\ (?:(?:a|an|the|its|their|this|that)\ )?(?:(?!(?:in|at|on|under|near|after|before|with|for|
    from|to|by|during|as)\ )[\w$€£.,-]+\ ){0,4}?(?:deals?|contracts?|orders?)\b)|
    (?:has|have|had)\ ever\ landed|
    lost\ out|lost\ (?:(?:the|a|an|several|two|three|both)\ )?(?:[\w-]+\ )?(?:competitions?|tenders?|contests?|bids?|
    races?|elections?|votes?|referendums?|appeals?)\b|(?:a|an|the|major|key|real|litmus)\ test\ (?:of|for)|
    giving(?<=,\ giving)(?=\ (?:the|it|its|them|their)\b)|
    (?:used(?<=\d\ used)|used(?<=\ba\ used)|used(?<=\ban\ used)|used(?<=\bthe\ used)|used(?<=\bits\ used)|
    used(?<=\btheir\ used)|used(?<=\bsome\ used)|used(?<=\bseveral\ used)|used(?<=\bmore\ used)|
    used(?<=\bof\ used)|used(?<=\bbuy\ used)|used(?<=\bbuys\ used)|used(?<=\bbuying\ used)|
    used(?<=\bbought\ used))(?=\ )|
    (?:used|uses|use|using)\ (?:[\w'-]+\ ){1,5}?as\ (?:an?\ |the\ |its\ |their\ )?(?:[\w-]+\ )?(?:bargaining\ chip|
    levers?|leverage|conversation\ piece|talking\ points?|pretext|excuse|pawns?|negotiating\ tool)\b|
    (?:partnership|programme|program|consortium|project|venture|initiative)\ (?:in\ which|that|which)
    \ (?:[\w,'-]+\ ){0,6}?(?:took|take|takes|taking)\ part\b|
    used\ to\ (?:order|buy|be|have|rely|depend|import|purchase|spend|make|sell|get|source|come|cost|see|call|
    say|think)\b|
    (?:gets|got|get|receives?|received)\ (?:[\w$.,-]+\ ){0,4}?(?:dollars|euros|aid|funding|loans?|credit|money|
    assistance|financing|grants?)\b|
    """
    + _RECEIVE
    + r"(?=\ "
    + _PAPER_DETERMINERS
    + f"(?:{SELLER_PAPER})"
    + r"\b(?!\ of\b))|"
    + r"""
    (?:landed|touched\ down|arrived)\ (?:[\w-]+\ ){0,5}?
    for\ (?:an?\ |the\ )?(?:[\w-]+\ )?(?:air\ show|exhibition|exercises?|drills?|visit|stopover|refuell?ing)|first\ flew|maiden\ flight|
    (?:up\ )?until\ (?:now|recently|last\ year)|
    (?:documents?|papers?|letters?|notices?|notifications?|messages?|requests?|invitations?|proposals?|reports?|
    bills?|questions?|answers?|replies|delegations?|teams?|envoys?|invoices?|payments?|data|information|details|
    figures),?\ (?:(?:were|was|had\ been|have\ been|has\ been|being)\ )?(?:sent|delivered|handed\ over|given)|
    (?:sent|sends|send|sending)\ (?:[\w.'-]+\ ){0,2}?(?:an?|the|its|their)\ (?:[\w-]+\ )?(?:letters?|requests?|
    notes?|notices?|messages?|invitations?|proposals?|lists?|documents?|delegations?|teams?|envoys?|signals?)|not\ only|not\ just|not\ the\ (?:only|first)|not\ merely|no\ doubt|not\ least|no\ sooner|whether\ or\ not|nothing\ but|
    not\ to\ mention|no\ wonder|without\ delay|not\ long\ after|no\ matter|
    deliver(?:y|ies)\ (?:times?|schedules?|dates?|slots?|timelines?|deadlines?|sequences?|queues?|order|
    priorit(?:y|ies)|plans?|windows?|rates?|pace)|deliveries\ schedule|
    (?:give|gives|gave|giving|given)\ (?:[\w.-]+\ ){0,3}?(?:an?\ |the\ )?(?:options?|aid|help|assistance|
    money|funding|loans?|credit|right|priority|precedence|
    access|boost|chance|green\ light|go-ahead|edge|flexibility|guarantees?|assurances?|time|look|tours?|
    briefings?|glimpse|demonstrations?|presentations?|opportunity|permission|instructions|warnings?|say|voice|
    consent|blessing|approval|backing|support|nod|speech|interview|statement|press\ conference|vetoe?s?|
    timetables?|timelines?|dates?|details|indications?|figures?|reasons?|answers?|estimates?|numbers)|
    (?:give|gives|gave|giving|given)\ (?:(?!(?:missiles?|launchers?|jets?|tanks?|systems?|batter(?:y|ies)|fighters?|
    aircraft|drones?|helicopters?|howitzers?|interceptors?|rockets?|shells|ammunition|munitions|weapons?|to)\b)
    [\w.-]+\ ){0,7}?(?:capabilit(?:y|ies)|advantage|ability|means|deterrent|foothold|head\ start|leverage|
    presence|step\ up|leg\ up|upper\ hand|headaches?|breathing\ space|respite)\b|
    (?:give|gives|gave|giving|given)\ (?:(?!(?:after|before|under|in|with|for|to|as|from|during|on|by)\b)[\w.-]+\ ){1,3}?
    (?:its|their|his|her|a|an|the)\ (?:(?:first|second|new|biggest|largest|latest|major|big|only)\ )?(?:export\ )?
    (?:orders?|contracts?|customers?|win|victory|success|breakthrough)\b|
    (?:give|gives|gave|giving|given)\ up|(?:get|gets|got|getting)\ rid|
    (?:suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|shar(?:e|es|ed|ing))\ (?:intelligence|information|
    data|training|fuel|food|electricity|power|coordinates)\b(?!\ and\b|,)|engaged\ in|engaging\ in|
    (?:in|during|since|until|by|of|early|late|mid-?|last|next|this)\ may|may\ \d+|supply\ (?:chains?|lines?|
    routes?|shortages?|problems?)|
    (?:planned|scheduled|expected)\ (?:\w+\ )?delivery\ dates?|technology\ transfers?|
    transfers?\ of\ (?:\w+\ )?(?:technology|know-how|production|skills|expertise)|
    (?:compromise|consensus|understanding|settlement|decision|conclusion|stage|milestone|level|point|verdict)s?
    \ (?:was\ |were\ |had\ been\ |has\ been\ )?reached|reach(?:ed|es|ing)?\ (?:a|an|the|its|their)\ (?:[\w-]+\ )?
    (?:compromise|consensus|understanding|settlement|decision|conclusion|stage|milestone|level|point|verdict|
    record|peak|target|limit|end|age)|reach(?:ed|es|ing)?\ (?:[\w-]+\ ){0,2}?(?:airspace|targets?|altitudes?|speeds?)\b|
    (?:lost|loses|lose|losing)\ (?:the\ |a\ |an\ |its\ |their\ )?(?:[\w-]+\ ){0,2}?(?:competition|tender|contest|bid|race|
    election|vote|case|appeal|place|seat|spot|role|status|position|access|share|patience|interest)|
    launch(?:es|ed|ing)?(?=\ (?:a|an|the|its|their)\ (?:[\w-]+\ ){0,2}?(?:tender|competition|programme|
    program|talks|negotiations|review|investigation|probe|study|process|bid|campaign|consultations?|
    initiative|website|company|firm|venture|search|effort|plan)\b)|
    (?:than|as)\ (?:originally\ |initially\ |previously\ |first\ )?
    (?:planned|expected|scheduled|promised|agreed)|
    (?:sent|sends|send|sending|submitted|delivered|handed|transmitted|forwarded)\ (?:it\ |them\ )?
    (?:to|before)\ (?:the\ )?(?:u\.s\.\ |us\ )?(?:congress|congressional|parliament|parliamentary|lawmakers|
    legislators|senate|house|knesset|bundestag|sejm|duma|committees?)|
    (?:notices?|notifications?|letters?|reports?|requests?|bills?|proposals?)\ (?:was\ |were\ |being\ )?
    (?:sent|submitted|delivered|transmitted|forwarded)|
    deliver(?:s|ed|ing)?\ (?:a\ |an\ |the\ |its\ |his\ |her\ |their\ )?(?:\w+\ )?(?:speech|statement|
    message|warning|ultimatum|address|remarks|verdict|blow|briefing|lecture|keynote|results?)"""
)

_DENY = r"""(?:an\ )?earlier\ version\ of\ this\ (?:article|story|report|entry|post|update|item|blog|explainer|q&a|
    factbox|fact\ box|piece|analysis|graphic|timeline|newsletter|digest)|
    (?:an|the)\ earlier\ version\ of\ (?:the|that|our)\ (?:[\w:.-]+\ ){0,3}?(?:entry|post|update|item|article|story|
    report|dispatch)\ (?:also\ )?(?:said|stated|reported)|
    (?:the|an|its)\ (?:original|previous|first)\ (?:version|draft)(?:,\ [\w\ ]{1,40},)?\ (?:(?:[\w-]+\ ){1,16}?and\ )?
    (?:also\ )?(?:said|stated|described|reported|claimed)|(?:the|an)\ earlier\ version\ (?:also\ )?
    (?:said|stated|reported)|(?:incorrectly|wrongly|erroneously|mistakenly)\ (?:said|stated|reported|described)|
    no\ (?:[\w-]+\ ){1,3}?(?:evidence|proof|confirmation|indication)\ that\b|no\ (?:indications?|signs?)"?\ that\b|
    (?:called|calls|labell?ed|branded|dismissed\ as|described\ as)\ (?:it\ |them\ |this\ |that\ )?"?\ ?(?:false|fake|
    baseless|untrue|fabricated|lies|nonsense|fiction|disinformation)\b|
    den(?:y|ies|ied|ying)|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing)|retract(?:s|ed|ing|ion)?|
    rebuff(?:s|ed)?|(?:deleted|withdrew|withdrawn|pulled|removed|corrected)\ (?:the|a|its|their)\ (?:\w+\ )?
    (?:report|story|article|post|claim)s?|(?:withdraws|withdrawing|deletes|pulls|removes|retracts)\ (?:the\ |
    a\ |its\ |their\ )?(?:\w+\ )?(?:report|story|article|post|claim)s?|baseless|unfounded|groundless|false\ reports?|fake\ news|untrue|
    not\ true|(?:are|is|was|were)\ (?:false|untrue|fabricated|fake)|(?:reject|dismiss|deny|denie|refut)(?:s|
    ed|ing|e|es)?\ (?:the\ |a\ |an\ |these\ |
    such\ )?(?:\w+\ )?
    (?:reports?|claims?|allegations?|suggestions?|rumou?rs?)|
    cast(?:s|ing)?\ doubts?\ on|rais(?:ed|es|ing)\ doubts?\ (?:about|over)|
    push(?:es|ed|ing)?\ back\ (?:against|on)\ (?:the\ |these\ |such\ )?(?:\w+\ ){0,2}?(?:reports?|claims?|
    allegations?|suggestions?|rumou?rs?)|
    denials?(?:,\ [\w\ ]{1,40},)?\ of\ (?:the\ |these\ |such\ )?(?:\w+\ )?(?:reports?|claims?|allegations?|suggestions?|
    rumou?rs?)|
    delet(?:es|ed|ing)\ (?:\w+\ )?(?:reports?|claims?|story|stories|posts?|articles?)|
    correct(?:s|ed|ion)\ (?:[\w-]+\ ){0,4}?to\ remove\ (?:a\ |the\ |any\ |an\ )?(?:erroneous\ |incorrect\ |inaccurate\ |
    mistaken\ )?references?\ to"""

_DOUBT = r"""could\ not\ (?:be\ )?(?:independently\ )?(?:verif(?:y|ied)|confirm(?:ed)?)|
    (?:did|does|do|has|have)\ not\ (?:yet\ )?(?:confirm(?:ed)?|verif(?:y|ied))|(?:did|does|do)n't\ confirm|
    unconfirmed|unverified|no\ evidence|rumou?r(?:s|ed)?|speculat\w*|alleged(?:ly)?|purported(?:ly)?|
    (?:it\ )?claimed|claims?\ (?:(?:in|over|during)\ (?:[\w-]+\ ){1,3}?)?that|no\ (?:independent\ |official\ )?(?:confirmation|proof)|
    (?:bloggers?|social\ media|online\ posts?|posts?\ online)|unnamed\ (?:[\w-]+\ )?sources?"""

_POSTNEG = r"""(?:has|have|had|is|are|was|were)\ (?:still\ )?(?:not|n't|never|yet\ to)\ (?:yet\ )?(?:been\ )?
    (?:begun|began|begin|started|start|happened|happen|occurred|materiali[sz]ed|
    taken\ place|consummated|finali[sz]ed|completed|confirmed|concluded|sealed|closed)|
    (?:has|have|had)n't\ (?:yet\ )?(?:been\ )?(?:begun|started|happened|completed|finali[sz]ed|confirmed)|
    not\ yet|yet\ to|fell\ through|falls\ through|never\ materiali[sz]ed|did\ not\ materiali[sz]e|
    (?:was|were|has\ been|have\ been)\ ruled\ out|remains?\ (?:unconfirmed|unclear|uncertain|stalled)|
    did\ not\ happen|never\ happened|on\ hold|stalled|(?:deliver(?:y|ies)|transfers?|shipments?|deals?|contracts?|sales?|purchases?)\ (?:[\w-]+\ ){0,8}?(?:is|are|was|
    were|appears?\ to\ be|appeared\ to\ be|seems?\ to\ be|seemed\ to\ be|remains?)\ (?:increasingly\ |now\ )?in\ (?:doubt|
    question)|(?:orders?|contracts?|deals?|agreements?|sales?|purchases?)\ (?:remains?\ |is\ still\ |still\ )(?:unresolved|unsigned|in\ limbo|
    up\ in\ the\ air)|(?:is|are|was|were)\ (?:not|n't)\ on\ the\ table|(?:(?:is|are|was|were)\ (?:not|n't)|not)\ on\ (?:(?:the|our|its|
    their|any)\ )?agenda(?!\ (?:of|for|at)\b)|
    off\ the\ table|(?:years|months|decades|a\ long\ way|far)\ (?:away\ )?from\ (?:arrival|arriving|delivery|deliveries|
    service|entering\ service|deployment|being\ delivered|being\ deployed)"""

_NEG = r"""not|n't|no|never|(?:did|does|do|has|have|had|is|are|was|were|would|could|should|ca|wo)n't|
    neither|nor|without|cannot|none|no\ longer|failed\ to|fails\ to|refused\ to|
    refuses\ to|declined\ to|declines\ to|ruled\ out|rules\ out|rather\ than|instead\ of|far\ from|
    hardly|absence\ of|lack\ of|(?:stop|stops|stopped|stopping|prevent|prevents|prevented|preventing)\ (?:it|them)\ (?:from\ )?
    (?:being|getting)|(?:stopped|stops|ceased|ceases)(?=\ (?:flying|operating|using)\b)"""

_DELAY = r"""delay(?:s|ed|ing)?|(?:held|holding|hold|holds)\ up(?!\ (?:a|an|the|his|her|their|its|signs?|placards?|
    photos?|pictures?|well|against|under|in|better|remarkably|fine|so)\b)|
    postpon(?:e|es|ed|ing|ement)|pushed\ back|push\ back|slip(?:s|ped|ping)?|
    behind\ schedule|deferred|put\ off|awaited|awaiting|await|awaits|pending|still\ waiting|waiting\ for|
    waited\ for|waits\ for|wait\ for|
    (?:requires?|needs?|subject\ to)\ (?:[\w-]+\ ){0,2}?(?:approval|ratification|sign-off|green\ light|consent|nod)"""

_MODAL = r"""will|would|ll|shall|could|can|may|might|should|must|wo\ n't|won't|
    (?:in|under)\ (?:one|a|the|another|this|that|each|its)\ (?:[\w-]+\ ){0,3}?(?:scenarios?|war[\ -]games?|simulations?)\b|
    plans?\ to|planned\ to|planning\ to|plans?\ for|planned\ for|intends?\ to|intended\ to|intending\ to|
    aims?\ to|aimed\ at|hopes?\ to|hoped\ to|hoping\ to|wants?\ to|wanted\ to|wishes\ to|seeks?\ to|
    sought\ to|seeking\ to|expects?\ to|expected\ to|expected|expects|expecting|is\ set\ to|are\ set\ to|set\ to|due\ to\ be|
    due\ to|is\ due|are\ due|due|scheduled|slated|likely|unlikely|ready\ to|about\ to|going\ to|is\ to|to\ start|to\ begin|
    are\ to|if|unless|whether|once|until|as\ long\ as|had\ (?:we|they|you|he|she)(?=\ )|
    before(?=\ (?:[\w'-]+\ ){0,5}?(?:arrive|arrives|is|are|enter|enters|reach|reaches|gets?|can)\b)|in\ case|provided\ (?:that|it)|on\ (?:the\ )?condition\ that|possible|possibly|
    potential(?:ly)?|proposed|prospective|eventual(?:ly)?|close\ to|
    subject\ to|(?:depends?|depending|dependent|hinges?|conditional|contingent)\ (?:up)?on|pressing\ for|push(?:es|ed|ing)?\ for|calls?\ for|urged?|urging|
    demand(?:s|ed|ing)?|call(?:ed|ing)\ for|press(?:es|ed)?\ for|lobb(?:y|ies|ied|ying)\ for|(?:offered|offers)\ to(?=\ (?:buy|sell|send|supply|help|provide|join|take|pay|build|host|train|deliver|lease|
    share|transfer|give|donate|purchase|acquire|produce|manufacture|assemble|replace|upgrade|finance|fund|cover|
    lend|set|start|begin|open|mediate|broker|negotiate|discuss|sign|station|deploy|base|return|swap|exchange|
    trade|make|do|be|have|let|allow|co-produce|invest)\b)|promised\ to|pledged\ to|agreed\ to|would-be|in\ order\ to|
    so\ that|allow(?:s|ing)?|prepar(?:es|ed|ing)\ to|prepar(?:e|es|ing)\ for(?=\ (?:the\ |its\ |their\ )?(?:(?:first|initial)\ )?(?:[\w-]+\ )?(?:arrival|
    deliver(?:y|ies)|deployment|handover|induction|firing|launch)\b)|
    (?:is|was|are|were|seemed|seems|looked|looks)\ (?:now\ |very\ |so\ )?close(?!\ (?:to|ally|allies|partners?|
    friends?|relations|ties|links|cooperation|watch|range|proximity|by|air|quarters|enough)\b)|
    (?:argu(?:e|es|ed|ing)\ for|advocat(?:e|es|ed|ing)(?:\ for)?|campaign(?:s|ed|ing)?\ for|plead(?:s|ed|ing)?\ for|
    appeal(?:s|ed|ing)?\ for|favou?r(?:s|ed|ing)?)(?=\ (?:(?:the|a|an|more|further|its|their|faster|quick|quicker)\ )?
    (?:[\w-]+\ )?(?:deliver\w*|sales?|sending|
    suppl(?:y|ying|ies)|transfer\w*|purchas\w*|buying|acquisition|acquiring|exports?|shipments?|donations?|
    handover)\b)|lobb(?:y|ies|ied|ying)\ (?:hard\ )?in\ favou?r\ of|
    believ(?:e|es|ed)\ that|(?:is|are|was|were)\ (?:widely\ |generally\ )?believed\ to|
    imminent(?=\ (?:arrival|deliver\w*|handover|transfer|deployment|signing|sale|deal|purchase|contract|
    shipment))"""

# What reports say: not asserted, and no plan either ("media reports have said Turkey deployed them")
_HEARSAY = r"""reports?\ (?:announc|say|said|suggest|claim)\w*\ that|
    contradict(?:s|ed|ing)?\ (?:[\w'-]+\ ){0,8}?(?:who|which)\ (?:had\ )?(?:said|claimed|reported|suggested)
    (?:(?:\ [\w-]+){0,3}?\ that|(?=(?:\ [\w-]+){1,8}?\ (?:had|has|have|was|were|received|bought|ordered|got|took|
    signed|deployed|delivered|sent|acquired|purchased)\ ))|
    report,\ (?:[\w-]+\ ){1,4}?[\w-]+,\ (?:said|says|claimed|suggested|stated)|we\ (?:are|were|have\ been)\ told|
    (?:lawmakers?|legislators?|mps?|deput(?:y|ies)|members?\ of\ parliament)\ (?:was|were)\ quoted\ (?:by|in)\ (?:[\w-]+\ ){0,3}?
    (?:media|press|newspapers?|outlets?|news\ agenc(?:y|ies)|television|tv)\ as\ saying|
    reports\ (?:in|from)\ (?:[\w-]+\ ){1,3}?(?:announc|say|said|suggest|claim)\w*\ that|
    claiming\ that|claim:|(?:claim(?:s|ed)?|purport(?:s|ed)?)\ to\ (?:show|depict)|claims?\ (?:shows?|showed)|
    (?:claims?|allegations?|rumou?rs?)\ (?:have|has|had)\ (?:also\ |repeatedly\ )?(?:been\ (?:made|aired|voiced|raised|
    repeated)|surfaced|circulated|spread)\ that|
    (?:s(?<!in\ s)ocial\ media\ (?:posts|users|accounts|channels)|o(?<!in\ o)nline\ posts|v(?<!in\ v)iral\ posts|
    p(?<!in\ p)osts\ (?=shared|circulat|published|online|on\ (?:x|telegram|facebook|tiktok|social))|telegram\ channels|
    rumou?rs|unverified\ (?:reports|claims|videos))\ ?(?:[\w'-]+,?\ ){0,10}?(?:say|says|said|claim|claims|claimed|
    suggest|suggests|suggested|allege|alleges|alleged)|
    (?:media|outlets?|newspapers?|(?:news|press)\ agenc(?:y|ies)|magazines?|broadcasters?|tabloids?|bloggers?|
    commentators?|(?:news|local|state|social)\ (?:websites?|sites?|channels?)|
    some\ (?:went|also|even))\ (?:[\w-]+\ ){0,3}?report(?:ed|ing|s)\ that|
    dail(?:y|ies)\ (?:[\w-]+\ )?report(?:ed|ing|s)\ that|
    (?:silent|mum|quiet|(?:declin(?:ed|es|ing)|refus(?:ed|es|ing))\ to\ comment)\ on\ (?:the\ )?(?:[\w-]+\ )?reports?|
    (?:media\ |press\ |news\ |earlier\ |similar\ |unconfirmed\ |local\ )?reports?\ (?:(?:in|from|by|on)\ (?:[\w-]+\ ){1,3}?)?
    (?:have|has|had)\ (?:also\ |repeatedly\ |long\ )?(?:said|suggested|claimed|indicated|stated)"""

_FUTURE = r"""next\ (?:year|month|week|spring|summer|autumn|fall|winter|decade|few\ (?:weeks|months|years))|
    in\ the\ coming\ (?:days|weeks|months|years)|coming\ (?:months|years)|later\ this\ (?:year|month|week)|
    by\ the\ end\ of|by\ (?:early\ |mid-?|late\ )?(?:19|20)\d\d|by\ (?:january|february|march|april|may|june|july|
    august|september|october|november|december)\ (?:19|20)\d\d|not\ before|at\ the\ earliest|
    as\ soon\ as|within\ (?:the\ next\ )?(?:\w+\ )?(?:days|weeks|months|years)|in\ the\ future|
    soon|from\ (?:20)\d\d\ onwards?|starting\ (?:in\ )?20\d\d|still\ (?:\w+\ )?(?:days|weeks|months|
    years)\ away|(?:days|weeks|months|years)\ away"""

_TERM = r"""but|however|although|though|whereas|while|whilst|except|nevertheless|nonetheless|
    yet(?!\ to)(?<!has\ yet)(?<!have\ yet)(?<!had\ yet)(?<!not\ yet)|which|who|whose|whom|before|after|because|whereas"""

_TALKS = r"""expressions?\ of\ interest|requests?\ for\ (?:information|proposals?)|letters?\ of\ request|
    memorand(?:um|a)\ of\ understanding|mou|
    talks|talk(?:s|ed|ing)?\ (?:about|on|with|over)|talking|negotiat\w+|discuss(?:es|ed|ing|ion|ions)?|
    interest(?:ed)?|consider(?:s|ed|ing|ation)?|needs?|
    weigh(?:s|ed|ing)?|mull(?:s|ed|ing)?|plan(?:s|ned|ning)?|request(?:s|ed|ing)?|
    ask(?:s|ed|ing)?\ (?:[\w.-]+\ ){0,4}?for|
    offer(?:s|ed|ing)?|tender(?:s|ed)?|bid(?:s|ding)?|competition(?<!\bin\ competition)|shortlist\w*|evaluat\w+|
    select(?:s|ed|ing|ion)?|cho(?:se|sen|ose|oses|osing)|pick(?:s|ed|ing)?(?!\ (?:off|apart)\b|\ up\ (?:(?:the|a|an)\ )?(?:[\w-]+\ )?(?:drones?|signals?|targets?|
    momentum|pace|speed|steam|traces?|tracks?|objects?|the\ phone|the\ bill|the\ tab|the\ pieces)\b)|opt(?:s|ed)?\ for|
    prefer(?:s|red|ence)?|seek(?:s|ing)?|sought|eye(?:s|d|ing)|propos\w+|pledg(?:e|es|ed|ing)|
    promis(?:e|es|ed|ing)|explor(?:e|es|ed|ing)|wants?|wanted|looking\ (?:at|to)|in\ the\ running|
    (?:efforts?|attempts?|drive|push|quest|bids?|moves?|tr(?:y|ies|ied|ying))\ to(?=\ (?:buy|acquire|purchase|procure|
    obtain|get|secure|order|sell|export|field|deploy|win|finali[sz]e|conclude|sign|close|seal|complete)\b)|
    (?:studied|studying)(?!\ (?:[\w-]+\ ){0,2}?(?:manuals?|documents?|reports?|papers?|data|footage|images?|maps?|
    lessons?|tactics|photos?|videos?)\b)|
    buying|purchasing|acquiring|procuring|ordering|selling|spend(?:s|ing)?\ (?:[\w$.,-]+\ ){0,6}?on"""

_DEAL = r"""(?:is|are)\ (?:also\ |now\ |already\ )?(?:buying|purchasing|acquiring|procuring)(?!\ time)|
    letters?\ of\ offer\ and\ acceptance|letters?\ of\ intent|loa|framework\ (?:agreement|deal|
    contract)(?:\ (?:was\ |had\ been\ )?reached)?|
    (?:agreements?|deals?|accords?)\ (?:was\ |were\ |had\ been\ |has\ been\ )?reached|
    clear(?:s|ed)\ (?:(?:the|a|an|its|their)\ )?(?:[\w$.,-]+\ ){0,3}?(?:sale|re-?exports?|exports?|transfer|purchase)\b|
    sign(?:s|ed|ing)?|ink(?:s|ed)|seal(?:s|ed)|clinch(?:es|ed)|finali[sz](?:es|ed)|conclud(?:es|ed)|
    contract(?:s|ed)?|deals?|agreements?|on\ order|order(?:s|ed)|bought|buys|purchased|purchases|
    acquired|acquires|acquisition|procured|procures|procurement\ of|approv(?:es|ed)|approve(?=\ (?:the|a|an|its|their|further|more|any)\b)|
    buy|purchase|acquire|procure|order|sell|cleared\ the\ (?:sale|export)|
    green[\ -]light(?:ed)?|awarded|sold|sells|sale|agreed|signature|
    pay(?:s|ing)?\ for|fund(?:s|ed)|financ(?:e|es|ed|ing)|bankroll(?:s|ed|ing)?"""

_DELIVERY = r"""(?:took|take|takes|taking|taken)\ delivery|first\ batch|first\ shipment|
    accept(?:s|ed)\ (?:delivery\ of\ )?(?:its|their|the)\ (?:first|last|final|initial)\b(?!\ (?:[\w-]+\ )?(?:offers?|
    bids?|proposals?|tenders?|invitations?|terms|conditions|price|tranches?|loans?|payments?|instal+ments?|financing|
    credits?|funds?|funding|money|aid)\b)|hand(?:s|ed|
    ing)?\ over|
    hand-?over|deliver(?:s|ed|ing|y|ies)?|receiv(?:e|es|ed|ing)|arriv(?:e|es|ed|ing|al|als)|
    (?:give|gives|gave|given|giving)\ away|transfers?|
    touched\ down|touch(?:es)?\ down|unloaded|offloaded|
    (?:driven|drove|rolled|came)\ (?:down\ )?off\ (?:a|the)\ (?:[\w-]+\ ){0,2}?(?:ship|vessel|ferry|freighter)|shipped|shipments?|shipping(?!\ (?:costs?|lanes?|routes?|industry|compan(?:y|ies)|firms?|containers?|news|
    rates|lines?|giants?))|landed|transferred|supplied|sent|donated|gave|given|reached|handed|already\ in(?!\ (?:service|use|operation|combat|action)\b)|
    already\ there|give|gives|giving|send|sends|sending|supply|supplies|supplying|provid(?:e|es|ed|ing)|
    transferring|
    donat(?:e|es|ing)|exported|gets|got|get|
    contribut(?:e|es|ed|ing)(?!\ (?:\w+ly\ )?to\b|\ factors?\b|\ (?:[\w$.,'-]+\ ){0,6}?to\ (?:the\ |a\ |an\ )?(?:[\w'-]+\ ){0,4}?
    (?:missions?|deployments?|coalitions?|operations?|campaigns?|policing|force|forces|presence|efforts?|exercises?)\b|\ (?:[\w$.,-]+\ ){0,4}?(?:euros?|dollars?|pounds|kron[eo]r|million|billion|funds?|
    funding|money|cash|troops|soldiers|personnel|staff|experts|instructors|trainers|ideas|expertise|know-how|parts|
    engines|pilots|crews|
    components|data|intelligence)\b)"""

# "abandoned its post-war pacifism", "abandoned two centuries of neutrality": a policy, not a weapon or a deal
_NOT_POLICY = r"""(?!\ (?:[\w-]+\ ){0,3}?(?:pacifism|neutrality|non-alignment|polic(?:y|ies)|principles?|stance|
    position|posture|doctrine|tradition|restraint|objections?|opposition|reservations|hopes?)\b)"""


def _clean(pattern: str) -> str:
    """Patterns are written across lines; drop the layout (spaces that matter are escaped)."""
    return re.sub(r"(?<!\\)\s+", "", pattern)


# Sending one's own jets "as part of its Pegase mission", "to join NATO air policing" (not "as part of the EU
# assistance mission": a gift); also read by the vetting step, on whitespace-collapsed evidence
ON_A_MISSION = _clean(
    r"""(?:as\ part\ of|to\ join|to\ take\ part\ in)\ (?:(?!(?:assistance|aid|support|training|donation)\b)[\w-]+\ )
    {0,4}?(?:missions?|exercises?|drills?|deployments?|rotations?|war\ games|manoeuvres|maneuvers|air\ policing)\b"""
)

# "placed two batteries of HQ-9 missiles on", "has kept its S-300 missiles on": the object is a weapon
_WEAPON_OBJECT = r"""(?:[\w$,'-]+\ ){0,5}?(?:batter(?:y|ies)|missiles?|systems?|jets?|fighters?|aircraft|launchers?|
    tanks?|howitzers?|helicopters?|drones?|interceptors?|units?|s-\d+\w*)\ (?:[\w$,'-]+\ ){0,3}?"""
_NOT_STORED = r"""(?![^.;]{0,40}\bin\ (?:storage|reserve|crates))"""

# "after receiving used Rafales", "bought 12 used F-16s": second-hand, not in use (a lookbehind at the word's end)
_USED_ADJECTIVE = "".join(
    rf"(?<!{word}\ used)"
    for word in (
        r"\ a",
        "the",
        "of",
        "for",
        "with",
        "eyes",
        "eyeing",
        "seeks",
        "seeking",
        "wants",
        "some",
        "more",
        r"\d",
        "cheap",
        "older",
        "receiving",
        "received",
        "receive",
        "buying",
        "bought",
        "buys",
        "buy",
        "acquired",
        "acquiring",
        "purchased",
        "purchasing",
        "sold",
        "selling",
        "offered",
        "offering",
        "ordered",
        "refurbished",
    )
)
# "a country that had lost a short war", "lost the election": not a weapon lost
_NOT_A_WEAPON_LOST = r"""(?!\ (?:(?:a|an|the|its|their|his|her|this|that|some|much|all|more)\ )?(?:[\w-]+\ )?(?:wars?|
    battles?|elections?|votes?|bids?|contracts?|tenders?|competitions?|races?|lives|patience|interest|faith|touch|
    confidence|support|money|market|share|customers?|orders?|case|appeal|seats?|majority)\b)"""

_DEPLOYMENT = (
    r"""mov(?:e|es|ed|ing)\ (?:[\w.-]+\ ){0,4}?to|relocat(?:e|es|ed|ing)|
    initial\ operational\ capability|full\ operational\ capability|ioc|operational|
    enter(?:s|ed|ing)?\ (?:into\ )?service|in\ service|into\ service|on\ (?:combat\ )?duty|
    on\ (?:high\ |combat\ |quick\ reaction\ )?alert|on\ patrol|
    redeploy(?:s|ed|ing|ment|ments)?|deploy(?:s|ed|ing|ment|ments)?|commission(?:s|ed|ing)|
    activat(?:e|es|ed|ing|ion)|switch(?:es|ed)?\ on|station(?:s|ed|ing)|positioned|guard(?:s|ed|ing)|
    test[\ -]fir(?:e|es|ed|ing)|live[\ -]fire|fired|firing|test(?:s|ed|ing)?|
    (?:already|now|still|regularly|routinely)\ fires(?!\ (?:off\b|(?:\w+\ )?(?:missiles|drones|rockets|shells|salvos|
    barrages)\ at\b))|intercept(?:s|ed|ing|ion|ions)?|
    (?:shot|shoots|shoot|shooting)\ down|downed|downing|used"""
    + _USED_ADJECTIVE
    + r"""|striking|
    (?:brought|brings|bring|bringing)\ down(?!\ (?:the\ )?(?:number|cost|price|total|share|count|rate|size|average)\b)
    (?=\ (?:[\w'-]+\ ){0,4}?(?:missiles?|drones?|aircraft|jets?|rockets?|planes?|helicopters?|targets?)\b)|
    accounted\ for\ (?:more\ than\ |over\ |at\ least\ |about\ |around\ |nearly\ |almost\ )?(?:\d+|one|two|
    three|four|five|six|seven|eight|nine|ten|dozens|hundreds|most|many|several|some|half)\ (?:of\ )?(?:the\ )?
    (?:[\w-]+\ ){0,2}?(?:drones|missiles|rockets|aircraft|jets|targets|interceptions|kills|more)\b|
    (?:keeps|kept|keep|keeping)\ (?:(?!(?:order|orders|request|requests|asking|pressing|pushing|buying|seeking|calling)
    \b)[\w'-]+\ ){0,5}?(?:batter(?:y|ies)|launchers?|missiles|systems?|units?|jets|fighters|
    aircraft|drones|tanks)\ (?:permanently\ )?(?:in|on|at|near)\b(?![^.;,]{0,40}?\b(?:storage|reserve|warehouses?|crates|
    mothball\w*|depots?|boxes|unused|idle)\b)|
    using|uses|use\ of|in\ use|rel(?:y|ies|ied|ying)\ (?:\w+ly\ |for\ (?:[\w-]+\ ){1,2})?on(?!\ (?:[\w.-]+\ ){0,2}?(?:approval|support|
    aid|funding|help|financing|imports|supplies|partners|allies|diplomacy|goodwill|cooperation|loans|credit)\b)|operat(?:es|ed|ing)|operate(?=\ [a-z0-9])(?!\ (?:in|from|on|out|with|at|under|as|alongside|without|over|near|inside|within|across|
    around|independently|jointly|together|safely|effectively|freely|more|less|and|or|to|for|by|only|there|here|them|
    it|until|beyond|under|against|during|if|when|while|because|so|than|like|normally|smoothly|per|at|
    (?:[\w-]+\ ){0,3}?(?:maintenance|depots?|facilit(?:y|ies)|factor(?:y|ies)|plants?|lines?|flights?|routes?|services?|
    business(?:es)?|compan(?:y|ies)|offices?|schools?|centres?|centers?|hubs?|ports?|airports?|airlines?|
    shops?|networks?|websites?|accounts?|stores?|workshops?|ranges?|courses?|bases?|simulators?|programmes?|
    programs?|ventures?|training|academ(?:y|ies)|warehouses?|logistics))\b)|
    fielded|fields|fielding|field(?=\ (?:the|its|their|a|an|\d+|two|three|four|five|six|more|new|
    additional)\b)|
    drills?|drilling|exercises?|destroy(?:s|ed|ing)|struck|hitting|calibrat\w+|in\ combat|
    deliver(?:s|ed|ing)?\ an?\ (?:[\w-]+\ ){0,3}?(?:strikes?|blows?|attacks?|salvos?)\b(?!\ (?:helicopters?|drones?|
    fighters?|missiles?|aircraft|jets?|vehicles?|boats?|craft|capabilit\w*|packages?|weapons?|units?)\b)|
    hit(?:s|ting)?\ (?!(?:an?|the|its|their)\ (?:[\w-]+\ )?(?:milestone|record|snag|high|low|wall|peak|roadblock|hurdle|
    setback|bump)\b)(?:[\w'-]+\ ){1,4}?with\b(?!\ (?:[\w-]+\ ){0,2}?(?:sanctions|tariffs|fines|penalties|duties|
    lawsuits?|charges|criticism|protests?|claims?|demands?)\b)|downs|
    combat\ use|combat\ debut|in\ action|(?:carr(?:y|ies|ied|ying)\ out|conduct(?:s|ed|ing)?|fl(?:ew|ies|y|own|ying))
    \ (?:[\w-]+\ ){0,3}?(?:air\ )?(?:strikes|raids|sorties|bombing\ runs|combat\ missions|strike\ missions)\b|
    (?:lost|loses)"""
    + _NOT_A_WEAPON_LOST
    + r"""|losses|abandoned(?!\ (?:[\w-]+\ ){0,2}?(?:negotiations?|talks|plans?|projects?|bids?|efforts?|attempts?|
    search|programmes?|programs?|ideas?|deals?|contracts?|orders?|purchases?|tenders?)\b)"""
    + _NOT_POLICY
    + r"""|engag(?:e|es|ed|ing|ement|ements)(?!\ (?:with|in)\b)|
    ready\ for\ (?:use|combat|operations?|action|duty)|(?:went|goes|gone|go|going)\ live|in\ operation|
    (?:took|takes|taking|taken)\ possession|induct(?:s|ed|ing)|
    (?:took|take|takes|taking)\ part(?=\ in\ (?:[\w-]+\ ){0,3}?(?:exercises?|drills?|operations?|strikes?|raids?|
    missions?|combat|fighting|attacks?|air\ policing|patrols?|parades?|war|offensive|campaign)\b|\ ?[.,;]|$)|
    (?:is|are|was|were|be|been|being)\ (?:also\ |now\ |currently\ |permanently\ |temporarily\ )?based
    \ (?:in|at|out\ of)|
    launch(?:es|ed|ing)(?!\ (?:[\w.,-]+\ ){0,5}?(?:talks|negotiations|consultations|discussions|tenders?|bids?|
    competitions?|programmes?|programs?|process|study|review|investigation|probe)\b)(?=\ (?:[\w.,-]+\ ){0,5}?
    (?:missiles?|rockets?|drones?|interceptors?|salvos?|barrages?)\b)|(?:already|also|now|still)\ fl(?:ies|y|ew)|
    fl(?:ies|y|ew|ying)\ (?:the|its|their)|fl(?:ies|ying)(?=\ [a-z0-9])(?!\ (?:to|into|in|back|home|out|off|across|around(?!\ \d)|aboard|with|on|near|through|
    past|low|high|hours?|time|school|club|days?|boat|squirrels?|visits?)\b)|
    flew(?=\ [a-z])(?!\ (?:to|into|in|back|home|out|off|across|around|aboard|with|on|near|through|past|low|high|
    from|by|over|overhead|above|under|up|down|away|at|for|again|directly|alongside|about|some|nearly|almost|more|
    commercial|economy|business|first|here|there|last|this|an?|one)\b)|
    (?:sent|sends|send|sending)\ (?:[\w$,'-]+\ ){1,5}?on\ (?:[\w-]+\ ){0,3}(?:missions?|flights?|patrols?|sorties|
    operations?)\b|(?:sent|sends|send|sending|brought|brings|bring)\ (?:[\w$,'-]+\ ){1,6}?"""
    + ON_A_MISSION
    + r"""|(?:sent|sends|send|sending)\ (?:[\w-]+\ )?(?:waves?|salvos?|
    barrages?|swarms?)\ of|
    plac(?:ed|es|ing)\ """
    + _WEAPON_OBJECT
    + r"""(?:on|at|along|near)(?=\ )(?!\ (?:hold|ice|notice|a\ list|the\ list|
    record|the\ table))"""
    + _NOT_STORED
    + r"""|
    fly(?=\ [a-z0-9])(?!\ (?:to|into|in|back|home|out|off|across|around|aboard|with|on|over|above|near|through|past|
    low|high|from|at|for|by|again|directly|alongside|under|away|down|up|the\ flag|missions?|sorties)\b)|
    (?:(?:has|have|had)\ (?:also\ |long\ |since\ )?kept|keeps(?!\ \w+ing\b))\ """
    + _WEAPON_OBJECT
    + r"""(?:on|in|at)(?!\ (?:storage|reserve|
    check|mind|place|touch|the\ dark|limbo|service|operation)\b)"""
    + _NOT_STORED
    + r"""|
    flown\ by|(?:has|have|had)\ (?:also\ |long\ |already\ )?flown(?!\ (?:to|into|in|back|home|out|over|from|
    across|around|with|on)\b)|launched\ by|serv(?:es|ed|ing)\ with|knock(?:s|ed|ing)?\ (?:down|out)"""
)

# a deal named by its noun, as a cancelled deal's subject ("the deal collapsed"; scraper.reach reads it too)
DEAL_NOUN = r"(?:deals?|contracts?|sale|purchase|order|agreement)"
# "...; deliveries began in 2022": said of the deal of the clause before
DELIVERIES_BEGAN = re.compile(
    r"deliver(?:y|ies)\s+(?:(?:of|to)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?)?(?:began|started|(?:have|has|had)\s+begun|"
    r"(?:were|was)\s+completed|got\s+under\s+way)\b"
)

_CANCELLATION = (
    DEAL_NOUN
    + r"""\ (?:(?:has|had|have)\ )?(?:collapsed|fell\ apart|
    fell\ through|came\ to\ nothing)|cancel\w*|scrap(?:s|ped|ping)?|remov(?:e|ed|es|ing|al)\ (?:\w+\ ){0,2}from|removal|
    expel(?:s|led|ling)?|expulsion|kicked\ out|suspend(?:s|ed|ing)?|suspension|halt(?:s|ed|ing)?(?!\ (?:overnight|briefly|for\ the\ night)\b)|
    shelv(?:e|es|ed|ing)|abandon(?:s|ed|ing)?\ (?:its|the|their|a|plans?)"""
    + _NOT_POLICY
    + r"""|drop(?:s|ped|ping)?\ (?:its\ |
    the\ |their\ |a\ )?(?:[\w-]+\ ){0,2}?
    (?:plans?|orders?|purchases?|deals?|bids?|contracts?|acquisitions?)\b|pull(?:s|ed|ing)?\ out|walk(?:s|ed)?\ away|
    terminat(?:e|es|ed|ing|ion)|blocked|blocks|vetoed|vetoes|withdr(?:ew|awn|awal|aws)\ (?:\w+\ ){0,2}from|
    froze\ (?:the\ |its\ |their\ )?(?:[\w-]+\ ){0,2}?(?:deal|contract|order|sale|purchase|programme|program|deliveries|
    shipments|transfers|exports)|
    (?:put|puts|putting|placed|places|placing)\ (?:[\w/.$-]+\ ){0,8}?on\ (?:ice|hold)|
    (?:deal|contract|order|sale|purchase|programme|program|agreement)s?\ (?:has\ |have\ |had\ )?(?:is\ |are\ |
    was\ |were\ |been\ |remains?\ |remained\ )(?:\w+\ )?frozen|backed\ out|back\ out|
    (?:was|were|been|being|is|are|got)\ (?:\w+ly\ )?dropped\ from\ (?:the\ |its\ |their\ )?(?:[\w-]+\ ){0,2}?
    (?:programmes?|programs?|projects?|consortium|partnership|deals?|contracts?|orders?|tenders?|competitions?)\b"""
)

_DEFENCE = r"""missiles?|rockets?|air\ defen[cs]es?|missile\ defen[cs]e|anti-aircraft|surface-to-air|
    army|armies|armed\ forces|military|militaries|troops|soldiers|weapons?|arms\ (?:deal|sale|sales|exports?)|
    defen[cs]e\ (?:ministry|minister|ministers|department|secretary|forces|industry|procurement|officials?)|
    ministry\ of\ defen[cs]e|pentagon|nato|battal(?:ion|ions)|brigades?|regiments?|squadrons?|howitzers?|
    artillery|interceptors?|launchers?|munitions|ammunition|warplanes?|fighter\ jets?|fighters|batter(?:y|
    ies)|
    tanks|drones?|air\ force|navy|frontline|front\ line|combat|war|invasion|caatsa|sanctions"""

# Everyday senses of ambiguous aliases: weather, spaceflight, software, cars, sport, food, wildlife.
_SENSE_OF_THINGS = r"""space\ shuttle|nasa|astronauts?|spacecraft|software|open[\ -]source|web\ server|
    vulnerabilit(?:y|ies)|hackers?"""  # a weapon's namesakes only: "software updates" beside Washington are the F-35's
_SENSE = r"""landfall|storm(?!\ shadow)|storms|tropical|cyclones?|hurricanes?|rainfall|heavy\ rain|flooding|
    meteorolog\w*|car\ dealers?|dealerships?|mileage|collector\ cars?|sports\ cars?|
    horsepower|athletics|olympics?|gold\ medal|medals?|championships?|quarterback|touchdown|playoffs?|
    nba|nfl|thanksgiving|roast(?:ed)?|recipes?|poultry|wildlife|national\ park|zoo|zodiac|horoscopes?"""

# Words of one alias's other sense, safe to veto that alias only: "torrential" beside "typhoon", "a throw of"
# beside "javelin", "pistol makers" beside "Taurus". Words that turn up in the weapon's own news are left
# out: evacuations, strong winds and floods beside RAF Typhoons, "champion" or "world record" beside the
# Javelin, gun makers or "everything from pistols to tanks" beside the Taurus missile (reviews found each
# of them in ordinary defence copy).
_SENSE_OF = {
    "typhoon": r"""torrential|downpours?|mudslides?|super\ typhoon|typhoon\ (?:season|signals?|warnings?)|
        forecasters?""",
    "javelin": r"""throws?\ of|throwers?|diamond\ league|world\ athletics|track\ and\ field|personal\ best""",
    "k2": r"""climbers?|ascents?|summited|mountaineers?|mountaineering|base\ camp|karakoram|everest|sherpas?|
        8,000-met(?:er|re)""",
    "apache": r"""tribes?|tribal|native\ americans?|sacred|apache\ stronghold|oak\ flat""",
    "patriot": r"""(?<!new\ )jerseys?|(?:regular|dismal|losing|winning|rookie)\ season|super\ bowl|foxborough""",
    "taurus": r"""(?:pistol|handgun|revolver|firearms?)\ (?:makers?|manufacturers?|sales|brands?)""",
    "leopard": r"""snow\ leopards?|amur\ leopards?|clouded\ leopards?|leopard\ (?:cubs?|print|skin|seals?|geckos?)|
        poach\w*|big\ cats?|camera\ traps?""",
    "k9": r"""sniff\w*|dogs?|canines?|handlers?|luggage|bomb[\ -]sniffing|police\ (?:units?|teams?)|k9\ (?:teams?|units?)""",
    "challenger": r"""tennis|wimbledon|atp|wta|grand\ slam|qualifying|qualifiers?|tournaments?|seeds?|players?|draw|
        challenger\ (?:events?|tour|circuit|tournaments?)|space\ shuttle|dodge\ challenger|muscle\ cars?""",
}

# The nouns "the system", "these jets", "its batteries" end in; with the pronouns, every word a match of
# ANAPHOR_RE or GENERIC_RE ends in (tests hold GENERIC_RE to it).
_ANAPHOR_NOUNS = """system systems battery batteries jets jet aircraft fighters fighter planes plane warplanes
    warplane tanks tank launchers launcher drones drone missiles missile weapons weapon units unit
    howitzers howitzer guns gun interceptors interceptor equipment vehicles vehicle squadrons
    squadron regiments regiment battalions battalion batch sale deal purchase contract order
    acquisition versions version variants variant models model""".split()  # noqa: SIM905 - a word list

_ANAPHOR = (  # not "most of its weapons", "much of their equipment": an owner's arsenal, not the system
    r"""(?!(?<=of\ )(?:its|their)\ (?:[\w.-]+\ ){0,2}?(?:weapons|weapon|equipment)(?![\w])(?!\ systems?\b))
    (?:the|these|those|such|its|their|this|that|two|three|four|five|six|seven|eight|nine|ten|
    several|dozens\ of|\d+)\ (?:[\w.-]+\ ){0,2}?(?:"""
    + "|".join(_ANAPHOR_NOUNS)
    + r""")|block\ \d+s?|it|they|them"""
)

_GENERIC = r"""(?:air|missile|air\ and\ missile)\ defen[cs]e\ systems?|fighter\ jets?|
    combat\ aircraft|warplanes|battle\ tanks|main\ battle\ tanks|rocket\ launchers|howitzers|
    armed\ drones|surface-to-air\ missiles?"""

# A sentence with none of these words needs no ANAPHOR_RE or GENERIC_RE search: a set test on its words is
# ten times cheaper than the regex.
REFERRING_WORDS = frozenset((*_ANAPHOR_NOUNS, "block", "it", "they", "them"))

# Role helpers, matched on short windows of text, not in the main scan.
TRANSFER = re.compile(
    r"(?:sell|sold|sale|deliver|supply|supplie|send|sent|transfer|export|provid|donat|give|gave|given|"
    r"hand|ship|lend|lent|lease|pledg|promis|offer|approv|clear|green|contribut)"
)
FUNDING = re.compile(r"pa(?:y|ys|id|ying) for|fund|financ|bankroll")
DEPLOY = re.compile(r"(?:re-?)?deploy|station|position|move|relocat|base|sent\b|send")
SUPPLY_PARTICIPLE = re.compile(
    r"(?:made|built|designed|developed|produced|manufactured|supplied|donated|provided|sent|delivered|"
    r"sold|given|offered|transferred|pledged|promised|made|backed|origin|exported|handed|shipped|funded|"
    r"financed|paid\sfor)"
)
PAST_FORM = re.compile(
    r".*(?:ed|took|taken|sent|sold|gave|given|bought|lost|struck|shot down|landed|chose|chosen|"
    r"picked|sought|ink|sealed|signed)$"
)
SPEAKER_AFTER = re.compile(
    r"\s*(?:'s\s|\ss\s)?(?:[\w-]+\s){0,2}?(?:officials?|diplomats?|ambassador|envoy|spokes\w+|media|"
    r"newspapers?|news\sagency|sources?|lawmakers?|president|prime\sminister|foreign\sminist\w+|"
    r"analysts?|government|embassy|general|commander|chief|admiral|officer|secretary|advis[eo]rs?|intelligence|"
    r"(?:foreign\s|defen[cs]e\s)?ministry|counterparts?|press|reports?)\b"
)
# "in northern India", "in central Slovakia": a compass word between a preposition and a country
COMPASS = r"(?:(?:north|south|east|west|central)(?:ern|-\w+)?\s+)?"

PREMODIFIER = re.compile(
    r"^(?:'s|s'|\ss(?=\s))?[\s-]*(?:(?:made|built|designed|developed|produced|manufactured|supplied|donated|"
    r"provided|sent|delivered|owned|operated|led|backed|origin)\b[\s-]*)?(?:(?!(?:to|from|by|with|in|and|or|"
    r"of|for|on|at|said|says|told|has|have|had|is|are|was|were|will|would|could|can|may|that|which|who|as|"
    r"after|before|than|over|under|about|its|their|his|her|a|an|it|they|also|not|the|this|that|these|"
    r"those)\b)[\w/.-]+\s+){0,1}$"
)

_GROUPS: tuple[tuple[str, str], ...] = (
    ("pseudo", _PSEUDO),
    ("deny", _DENY),
    ("doubt", _DOUBT),
    ("postneg", _POSTNEG),
    ("future", _FUTURE),
    ("modal", r"provided\ (?:that|it|they)|as\ long\ as|in\ case|in\ order\ to"),
    ("delay", _DELAY),
    (
        "deal",
        # "Greece gets F-35 nod", "Turkey gets US go-ahead for F-16 purchase": an approved sale
        r"(?:gets|got|get|getting)\ (?:(?:the|an?|its|their)\ )?(?:[\w-]+\ ){0,2}?(?:approval|green\ light|go-ahead|nod)\b|"
        r"reach(?:ed|es|ing)?\ (?:an?\ )?(?:[\w-]+\ )?(?:agreement|deal)|"
        # "Indonesia activates last Rafale tranche": a contract's tranche comes into force, no weapon is activated
        r"activat(?:es|ed|ing|e)\ (?:the\ |its\ |a\ )?(?:(?:(?:last|final|first|second|third|fourth|next|remaining)"
        r"\ (?:and\ final\ )?)(?:[\w-]+\ )?)?(?:tranche|batch|phase|contract|option)s?",
    ),
    ("talks", _RECEIVE + r"\ " + _PAPER_DETERMINERS + f"(?:{BUYER_PAPER})" + r"\b"),  # the receiver's talks
    ("cancellation", _CANCELLATION),
    ("deployment", _DEPLOYMENT),
    ("delivery", _DELIVERY),
    ("deal", _DEAL),
    ("hearsay", _HEARSAY),
    ("modal", _MODAL),
    ("talks", _TALKS),
    ("neg", _NEG),
    ("term", _TERM),
    ("clause", r"and|saying|adding|insisting|stressing"),
)


class Lexicon:
    """The compiled cue lexicon: a table from a word's first letters to the cues that can start there.

    Speed: one regex finds every cue and terminator in one pass (``_fused``): the cues' alternatives
    are merged into a trie on their literal first letters, so the engine tries at a word only the
    alternatives that can start there, in their table order, without returning to Python between
    candidates. ``table`` is the plain reading it must agree with: one anchored alternation per key
    (a word's first one to three letters), tried at each word that starts with a key.
    """

    __slots__ = ("_candidates", "_fused", "_kinds", "_sources", "_table")

    def __init__(
        self,
        table: dict[str, tuple[str, tuple[str, ...]]],
        alternatives: Sequence[tuple[str, str]] = (),
    ) -> None:
        self._sources = table  # per key: its alternation's pattern and the kind of each group
        self._table: dict[str, tuple[re.Pattern[str], tuple[str, ...]]] | None = None
        self._candidates: re.Pattern[str] | None = None
        # every alternative in table order, fused; an empty group "aN" closes alternative N (its kind)
        items: list[tuple[str, str, int]] = []
        for number, (_, alternative) in enumerate(alternatives):
            head = _literal_head(alternative)
            items.append((head, alternative[len(head) :], number))
        fused = _fused_trie(items) if items else "(?!)"
        self._fused = re.compile(r"(?<![\w-])" + fused + r"(?![\w])|[;:]|\s-{1,2}\s")
        kinds = ["term"] * (self._fused.groups + 1)  # groups are numbered in the trie's order
        for name, group in self._fused.groupindex.items():
            kinds[group] = alternatives[int(name[1:])][0]
        self._kinds = tuple(kinds)

    def scan(self, low: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
        """(kind, start, end) of every cue and trigger in lower-cased text (or a slice), left to right."""
        stop = len(low) if end is None else end
        kinds = self._kinds
        found: list[tuple[str, int, int]] = []
        for match in self._fused.finditer(low, start, stop):
            index = match.lastindex
            if index is None:  # a terminator, unless a dash after a line break
                at = match.start()
                if low[at] in ";: ":
                    found.append(("term", at, match.end()))
                continue
            at, after = match.span()
            last = low[after - 1]
            if last == "-" or last.isspace():
                # a terminator token could have started inside the cue and run past it, hiding what
                # follows from the word-by-word reading: read this text that way
                return self._scan_tokens(low, start, stop)
            found.append((kinds[index], at, after))
        return _plans_abandoned(low, found, start, stop)

    @property
    def table(self) -> dict[str, tuple[re.Pattern[str], tuple[str, ...]]]:
        """Per key (a word's first one to three letters): the alternation of the cues that can start
        with it, and the kind of each of its groups; compiled when first asked (the scan rarely does)."""
        if self._table is None:
            self._table = {
                key: (re.compile(pattern), kinds) for key, (pattern, kinds) in self._sources.items()
            }
        return self._table

    def _scan_tokens(self, low: str, start: int, stop: int) -> list[tuple[str, int, int]]:
        """``scan`` word by word: each candidate word tries its key's alternation."""
        table = self.table
        if self._candidates is None:
            # The longest key that starts a word (as a word's first three letters, then two, then one,
            # would look it up), or a terminator token: ";", ":", " - ".
            self._candidates = re.compile(r"(?<![\w-])(" + _key_trie(table) + r")|[;:]|\s-{1,2}\s")
        found: list[tuple[str, int, int]] = []
        skip = 0
        for token in self._candidates.finditer(low, start, stop):
            at = token.start()
            if at < skip:
                continue
            key = token.group(1)
            if key is None:
                if low[at] in ";: ":  # not a dash after a line break
                    found.append(("term", at, token.end()))
                continue
            regex, kinds = table[key]
            match = regex.match(low, at, stop)  # a cue never runs past its sentence
            if match is not None:
                found.append((kinds[match.lastindex or 1], at, match.end()))
                skip = match.end()
        return _plans_abandoned(low, found, start, stop)


# "Egypt's plan to buy Su-35s from Russia was abandoned": a clause whose subject is a plan or a deal; not "the
# tanks bought under the 2019 deal were abandoned" (a loss)
_PLAN_SUBJECT = re.compile(
    r"(?:(?!(?:from|of|under|in|with|for|by|on|at|to)\s)[\w'$.-]+\s+){0,4}?(?:deals?|plans?|contracts?|orders?|"
    r"purchases?|sales?|bids?|talks|negotiations|"
    r"acquisitions?|projects?|programmes?|programs?|ideas?|proposals?)\b"
)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been)\s+(?:\w+ly\s+|later\s+|soon\s+)?$")
_DROPPED = re.compile(
    r"\b(?:was|were|been)\s+(?:\w+ly\s+|later\s+|eventually\s+|finally\s+)?(?P<verb>dropped)\b"
)


def _plans_abandoned(
    low: str, found: list[tuple[str, int, int]], start: int, stop: int
) -> list[tuple[str, int, int]]:
    """A plan or a deal that "was abandoned" (or "was dropped") is cancelled; a weapon that was abandoned is lost
    (the cue's default reading), bombs that were dropped are none. Only the passive needs this: the active
    "abandoned its plan" is a cancellation cue."""
    if "dropped" in low[start:stop]:
        for dropped in _DROPPED.finditer(low, start, stop):
            at = dropped.start("verb")
            if _PLAN_SUBJECT.match(low, _passive_subject(low, start, at, ": "), at):
                found.append(("cancellation", at, dropped.end()))
        found.sort(key=lambda item: item[1])
    for number, (kind, at, end) in enumerate(found):
        if (
            kind == "deployment"
            and low.startswith("abandoned", at)
            and _PASSIVE_BEFORE.search(low, max(start, at - 24), at)
        ):
            if _PLAN_SUBJECT.match(low, _passive_subject(low, start, at), at):
                found[number] = ("cancellation", at, end)
        elif (
            kind == "modal"
            and low.startswith("had ", at)
            and not _CLAUSE_OPENING.search(low, max(start, at - 6), at)
        ):
            # "Had we sent Reapers, ...": an inverted condition opens its clause; "Not only had they received",
            # "So quickly had they deployed", "Only in 2019 had they received" state facts
            found[number] = ("pseudo", at, end)
    return found


def _passive_subject(low: str, start: int, at: int, stop_at: str = "") -> int:
    """Where the subject of the passive verb at ``at`` begins: after the last comma or line break, or before a
    parenthesis that stands between them ("Indonesia's order for 11 Su-35 jets, signed in 2018, was dropped")."""
    opening = max(start, low.rfind(", ", start, at) + 2, low.rfind("\n", start, at) + 1)
    if stop_at:
        opening = max(opening, low.rfind(stop_at, start, at) + len(stop_at))
    if opening > start and low[opening:at].strip() in ("was", "were", "has been", "had been", "have been"):
        inner = low.rfind(", ", start, opening - 2)  # the comma that opens the parenthesis
        if inner >= start:
            opening = max(start, low.rfind(", ", start, inner) + 2, low.rfind("\n", start, inner) + 1)
            if stop_at:
                opening = max(opening, low.rfind(stop_at, start, inner) + len(stop_at))
    return opening


_CLAUSE_OPENING = re.compile(r'(?:^|[,;:(\-"]|\band|\bbut)\s*$')


def _literal_head(alternative: str) -> str:
    """The literal letters an alternative starts with, each one required (no quantifier after it)."""
    index = 0
    while (
        index < len(alternative)
        and alternative[index] not in _META
        and alternative[index].isalnum()
        and not (index + 1 < len(alternative) and alternative[index + 1] in "?*+{")
    ):
        index += 1
    return alternative[:index]


def _fused_trie(items: Sequence[tuple[str, str, int]]) -> str:
    """One alternation of (literal head, rest, group) items that tries them in their order.

    Items whose heads differ at some letter can never both match, so they may be tried in any order
    relative to each other: items are grouped by their next letter, except that an item whose head
    ends here is tried exactly where it stands among the others."""
    branches: list[str] = []
    segment: dict[str, list[tuple[str, str, int]]] = {}

    def flush() -> None:
        for char, group in segment.items():
            branches.append(re.escape(char) + _fused_trie([(h[1:], rest, n) for h, rest, n in group]))
        segment.clear()

    for head, rest, number in items:
        if head:
            segment.setdefault(head[0], []).append((head, rest, number))
        else:
            flush()
            branches.append(f"(?:{rest})(?P<a{number}>)")
    flush()
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _key_trie(keys: Iterable[str]) -> str:
    """A regex matching the longest of ``keys`` that a word starts with (keys are letters and digits)."""
    root: dict[str, dict] = {}
    for key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            branches.append("")  # a key ends here; longer keys were tried first
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(root) if root else "(?!)"


_META = frozenset("\\()[]{}?*+|.^$")


@lru_cache(maxsize=16)
def compile_lexicon(extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Lexicon:
    """The cue lexicon, with a watchlist's extra stage phrases tried before the defaults."""
    groups: list[tuple[str, str]] = []
    for stage, phrases in extra:
        words = sorted((re.escape(p.strip().lower()) for p in phrases if p.strip()), key=len, reverse=True)
        if stage in STAGE_KINDS and words:
            groups.append((stage, "|".join(words)))
    groups.extend((name, _clean(pattern)) for name, pattern in _GROUPS)
    alternatives: list[tuple[str, str, str]] = []  # (literal prefix up to 3 chars, kind, regex)
    for kind, pattern in groups:
        for alternative in _split(pattern):
            for expanded in _expand(alternative):
                alternatives.append((_prefix(expanded), kind, expanded))
    table: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key in {prefix for prefix, _, _ in alternatives}:
        chosen = [(kind, alt) for prefix, kind, alt in alternatives if key.startswith(prefix)]
        kinds: list[str] = ["term"]
        parts: list[str] = []
        for kind, alt in chosen:
            if kinds[-1] == kind and parts:
                parts[-1] += "|" + alt
            else:
                kinds.append(kind)
                parts.append(alt)
        table[key] = ("(?:" + "|".join(f"({part})" for part in parts) + r")(?![\w])", tuple(kinds))
    return Lexicon(table, [(kind, alt) for _, kind, alt in alternatives])


def _prefix(alternative: str) -> str:
    """The literal letters an alternative starts with (at most three): its table key."""
    out: list[str] = []
    index = 0
    while index < len(alternative) and len(out) < 3:
        char = alternative[index]
        if char in _META or not char.isalnum():
            break
        if index + 1 < len(alternative) and alternative[index + 1] in "?*{":
            break  # an optional character is no prefix
        out.append(char)
        index += 1
    if not out or not out[0].isalnum():
        raise ValueError(f"a cue must start with a letter or digit: {alternative!r}")
    return "".join(out)


def _split(pattern: str) -> list[str]:
    """Top-level alternatives of a pattern (``|`` outside parentheses and classes)."""
    parts: list[str] = []
    current: list[str] = []
    depth, escaped, in_class = 0, False, False
    for char in pattern:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif not in_class and char == "(":
            depth += 1
        elif not in_class and char == ")":
            depth -= 1
        elif not in_class and char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _expand(alternative: str) -> list[str]:
    """Distribute a leading group so that every alternative starts with a literal character."""
    if not alternative.startswith("(?:"):
        return [alternative]
    depth = 0
    for index, char in enumerate(alternative):
        if char == "(" and (index == 0 or alternative[index - 1] != "\\"):
            depth += 1
        elif char == ")" and alternative[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                break
    inner, rest = alternative[3:index], alternative[index + 1 :]
    optional = rest.startswith("?")
    if optional:
        rest = rest[1:]
    out: list[str] = [expanded for part in _split(inner) for expanded in _expand(part + rest)]
    return out + (_expand(rest) if optional else [])


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + _clean(pattern) + r")(?![\w])")


# Context scans, run only where needed (a sentence without a named system, an ambiguous alias).
DEFENCE_RE = _words(_DEFENCE)
SENSE_RE = _words(_SENSE + "|" + _SENSE_OF_THINGS)  # beside a system's alias
PLACE_SENSE_RE = _words(_SENSE)  # beside a country's
SENSE_OF = {alias: _words(pattern) for alias, pattern in _SENSE_OF.items()}  # by alias, lower case
# A storm's name after "Typhoon": a capitalised word that does something only weather does ("as Typhoon
# Gaemi approached", "Typhoon Rai battered", "Typhoon Gaemi's winds") or follows "by", "from", "after" or
# "during" ("islands flattened by Typhoon Rai"). Not the jet's own words ("Typhoon Tranche 4", "Typhoon Force"),
# its makers or days ("scrambled a Typhoon Thursday"); a name the jet carries ("the Typhoon Erdogan has
# sought", "the Typhoon Halcon programme") is followed by no weather verb. Case matters: matched on the
# original text, so tokenised text (all lower case) never matches.
_NOT_A_STORM = (
    r"(?!(?:Tranche|Block|Force|Squadrons?|Display|Team|Pilots?|Aircraft|Eurofighters?|Programm?e?|Production|"
    r"Fleet|Wing|Flight|Project|Upgrade|Multirole|Multi-role|Airbus|Leonardo|Boeing|Lockheed|Dassault|Saab|"
    r"Rheinmetall|Hensoldt|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\b)"
)
_WEATHER_VERB = (
    r"(?:hit|hits|hitting|approach(?:es|ed|ing)?|batter(?:s|ed|ing)|lash(?:es|ed|ing)|pound(?:s|ed|ing)|"
    r"slam(?:s|med|ming)|swe(?:pt|eps?|eping)|hammer(?:s|ed|ing)|struck|strikes|brought|brings?|bringing|"
    r"made\s+landfall|makes\s+landfall|near(?:s|ed|ing)|kill(?:s|ed|ing)|dump(?:s|ed|ing)|flatten(?:s|ed|ing)|"
    r"intensif\w+|weaken\w*|churn\w*|barrel\w*|drench\w*|ravag\w+|devastat\w+|wreak\w*|toppl\w+|"
    r"knock(?:s|ed|ing)\s+out|forc(?:es|ed|ing)|disrupt\w*|caus(?:es|ed|ing)|triggered|triggers|tore|tears)"
)
STORM_NAME = re.compile(
    r"\s" + _NOT_A_STORM + r"([A-Z][a-z]{1,11})(?:'s\s+(?:winds?|rains?|path|track|eye|remnants?|landfall|"
    r"approach|arrival|wake|aftermath|toll|damage)\b|\s+(?:(?:has|had|have|is|was|also|then|later|now)\s+)?"
    + _WEATHER_VERB
    + r"\b)"
)
STORM_AFTER = re.compile(  # "flattened by Typhoon Rai", "damage from Typhoon Rai, which ..."
    r"\b(?:by|after|from|during)\s+$"
)  # not "of": "the purchase of Typhoon Halcon jets"
STORM_NAMED = re.compile(r"\s" + _NOT_A_STORM + r"([A-Z][a-z]{1,11})(?=[,.;:)]|\s+[a-z(]|$)")
ANAPHOR_RE = _words(_ANAPHOR)
GENERIC_RE = _words(_GENERIC)
