"""Find watched systems and countries in text: one compiled regex over every alias.

SPEC's matching rules, compiled once per watchlist:

- text is Unicode-normalised first (``normalize``): NFKC, every dash form is "-", curly quotes are
  straight, no-break spaces are spaces, soft hyphens and zero-width characters are dropped;
- hyphen, space or nothing between letters and digits are the same ("S-400" = "S400" = "S 400");
  a hyphen or space between two words is the same ("IRIS-T" = "IRIS T");
- plural and possessive forms match ("S-400s", "Turkey's", "S-400s'", and "turkey s" in tokenised text);
- whole words only ("India" never matches inside "Indiana");
- an alias of two to four capital letters (US, PLA, IDF) matches only in capitals and takes only the
  possessive ("USS" is a ship prefix, not "US" + plural); every other alias matches regardless of case;
- an ``exclude`` phrase that overlaps an alias match of the same entity vetoes it ("New England Patriots").

Speed: all aliases and exclude phrases go into one alternation built as a character trie, so the
regex engine walks shared prefixes once instead of trying each alias at each position, and it runs on
lower-cased text without IGNORECASE (about three times faster in CPython's engine). Measured on a
shared 2-core build machine: ``python -m scraper.aliases`` (50 systems, 200 countries, 3 KB stories)
gives about 6,000 stories/s; dense defence text with ~50 mentions per 3 KB about 3,000 stories/s.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scraper.model import Entity, constructor

# Dash forms that NFKC leaves alone (or maps to U+2010): hyphen, non-breaking hyphen, figure dash,
# en/em dash, horizontal bar, minus sign, small and full-width hyphen-minus, and friends.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u00a0\u2007\u202f", " "),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
    }
)


def normalize(text: str) -> str:
    """The form every story and alias is matched in: NFKC, one hyphen, straight quotes, plain spaces."""
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE)


@dataclass(frozen=True, slots=True)
class Mention:
    """One alias occurrence in normalised text; ``surface`` includes a plural/possessive ending."""

    kind: str  # "system" | "country"
    name: str  # canonical name of the entity
    start: int
    end: int
    surface: str
    ambiguous: bool  # this alias counts only in a defence context
    alias: str = ""  # the watchlist alias that matched, as written there


_mention = constructor(Mention)


@dataclass(frozen=True, slots=True)
class _Target:
    kind: str
    name: str
    alias: str
    ambiguous: bool
    veto: bool = False  # an exclude phrase of this entity, not an alias


# Separator units between alias characters, and the text they match.
_LD = "\x00LD"  # letter -> digit: hyphen, space or nothing ("S-400" = "S400" = "S 400")
_DL = "\x00DL"  # digit -> letter written tight or with a hyphen ("F-35A" = "F-35-A"); no space,
#               so "F-35 a" in running text stays "F-35" + "a"
_WS = "\x00WS"  # between words: spaces or a hyphen ("IRIS-T" = "IRIS T", "K2 Black Panther")
_SEP_PATTERN = {_LD: r"[-\s]?", _DL: r"-?", _WS: r"(?:\s*-\s*|\s+)"}
_SEP_CHARS = re.compile(r"[\s\-]+")
_ACRONYM = re.compile(r"[A-Z]{2,4}")
# Plural and possessive endings; " s" is the tokenised "'s" and must not start a word of its own.
_SUFFIX = r"(?:\s?'s|s'|es|s|\ss(?![\w'\-]))?"
_ACRONYM_SUFFIX = r"(?:\s?'s)?"
# Everyday words that an acronym alias may spell: in the all-lowercase style "us" is "the us" only
# fmt: off
_EVERYDAY_WORDS = frozenset({
    "US", "IT", "AM", "AS", "AT", "BE", "BY", "DO", "GO", "HE", "IF", "IN", "IS", "ME", "MY", "NO", "OF", "OK",
    "ON", "OR", "OX", "SO", "TO", "UP", "WE", "AN", "AND", "ANY", "ARE", "BUT", "CAN", "FOR", "HAS", "HAD",
    "HER", "HIM", "HIS", "HOW", "ITS", "MAY", "NEW", "NOT", "NOW", "OFF", "OLD", "ONE", "OUR", "OUT", "OWN",
    "SAW", "SEA", "SEE", "SHE", "THE", "TOO", "TWO", "WAR", "WAS", "WAY", "WHO", "WHY", "YES", "YET", "YOU",
    "ALSO", "ARMS", "BEEN", "BOTH", "EACH", "FROM", "HAVE", "HERE", "INTO", "JUST", "LIKE", "MANY", "MORE",
    "MOST", "MUCH", "ONLY", "OVER", "SAID", "SOME", "SUCH", "THAN", "THAT", "THEM", "THEN", "THEY", "THIS",
    "VERY", "WERE", "WHAT", "WHEN", "WILL", "WITH",
})
# fmt: on
# First names that an acronym alias may spell ("raf sanchez", "kaan kutlu"): in the all-lowercase style only after
# "the" or before a word of the service or the weapon ("raf typhoon jets", "kaan prototype")
_FIRST_NAMES = frozenset({"RAF", "KAAN"})
_SERVICE_NEXT = re.compile(
    r"\s+(?:typhoons?|f-35s?|tornados?|jets?|aircraft|fighters?|planes?|pilots?|squadrons?|crews?|personnel|bases?|"
    r"air\s+base|station|lakenheath|mildenhall|akrotiri|marham|coningsby|lossiemouth|brize|prototypes?|"
    r"programme|program)\b"
)


def alias_key(text: str) -> str:
    """What two spellings of one alias have in common: lower case without spaces or hyphens."""
    return _SEP_CHARS.sub("", normalize(text).lower())


def alias_form(alias: str) -> tuple[str, ...]:
    """What the index compiles for an alias: equal forms match exactly the same text."""
    return (*_units(alias), "\x00A" if is_acronym(alias) else "")


def is_acronym(alias: str) -> bool:
    """SPEC: an alias of two to four capital letters matches only in capitals."""
    return _ACRONYM.fullmatch(normalize(alias).strip()) is not None


def _units(alias: str) -> tuple[str, ...]:
    """An alias as trie units: lower-cased characters and separator markers."""
    text = normalize(alias).strip()
    units: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace() or char == "-":
            j = i
            while j < len(text) and (text[j].isspace() or text[j] == "-"):
                j += 1
            before, after = text[i - 1] if i else "", text[j] if j < len(text) else ""
            if before and after:
                spaced = any(c.isspace() for c in text[i:j])
                units.append(_separator(before, after, spaced))
            i = j
            continue
        if units and units[-1][0] != "\x00" and i:
            before = text[i - 1]
            if (before.isalpha() and char.isdigit()) or (before.isdigit() and char.isalpha()):
                units.append(_separator(before, char, spaced=False))
        units.append(char.lower())
        i += 1
    return tuple(units)


def _separator(before: str, after: str, spaced: bool) -> str:
    if before.isalpha() and after.isdigit():
        return _LD
    if before.isdigit() and after.isalpha() and not spaced:
        return _DL
    return _WS


def _trie_pattern(aliases: Iterable[tuple[str, ...]]) -> str:
    """A regex that matches any of the unit sequences, longest alternatives first."""
    root: dict[str, dict] = {}
    for units in aliases:
        node = root
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}  # end of an alias
    return _emit(root) if root else "(?!)"


def _emit(node: dict[str, dict], depths: dict[int, int] | None = None) -> str:
    if depths is None:
        depths = {}
        _measure(node, depths)
    branches = sorted((key for key in node if key), key=lambda key: -depths[id(node[key])])
    parts = [_SEP_PATTERN.get(key) or re.escape(key) for key in branches]
    alternatives = [part + _emit(node[key], depths) for key, part in zip(branches, parts, strict=True)]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if "" in node:  # an alias ends here; a longer one is tried first (greedy)
        return "(?:" + body + ")?" if len(alternatives) > 1 or len(body) > 1 else body + "?"
    return body


def _measure(node: dict[str, dict], depths: dict[int, int]) -> int:
    """Fill ``depths`` with the depth of every node under ``node`` (by id), each computed once."""
    depth = max((1 + _measure(child, depths) for key, child in node.items() if key), default=0)
    depths[id(node)] = depth
    return depth


class _Automaton:
    """One compiled alternation over a set of aliases with their targets.

    The regex runs on lower-cased text without IGNORECASE (three times faster in CPython's engine);
    acronyms are then checked against the original capitals. It consumes the non-word character
    before a match instead of a look-behind, which lets the engine skip ahead to candidates.
    """

    def __init__(self, targets: Iterable[tuple[str, _Target]]) -> None:
        words: dict[str, list[_Target]] = {}
        acronyms: dict[str, list[_Target]] = {}
        word_aliases: list[str] = []
        acronym_keys: list[str] = []
        for alias, target in targets:
            key = alias_key(alias)
            if not key:
                continue
            # A surface is looked up by its key; when two entries share one, the first listed wins.
            if is_acronym(alias):
                acronyms.setdefault(normalize(alias).strip(), []).append(target)
                acronym_keys.append(key)
            else:
                words.setdefault(key, []).append(target)
                word_aliases.append(alias)
        self.words = words
        self.acronyms = acronyms
        self._surfaces = (word_aliases, acronym_keys)
        self._compiled: re.Pattern[str] | None = None
        self._folding: re.Pattern[str] | None = None
        self._cache: dict[str, _Target] = {}

    @property
    def regex(self) -> re.Pattern[str]:
        """The alternation, compiled on first use: a run compiles it while its requests are in flight
        (``AliasIndex.compile``), not before it sends them."""
        if self._compiled is None:
            word_aliases, acronym_keys = self._surfaces
            word_units, acronym_units = map(_units, word_aliases), map(tuple, acronym_keys)
            # Words first, so that a longer word alias ("US Army") beats an acronym at the same place.
            self._compiled = re.compile(
                r"\W(?P<m>(?P<w>" + _trie_pattern(word_units) + ")" + _SUFFIX
                + "|(?P<a>" + _trie_pattern(acronym_units) + ")" + _ACRONYM_SUFFIX + r")(?!\w)"
            )  # fmt: skip
        return self._compiled

    def _regex(self, text: str, padded: str) -> tuple[re.Pattern[str], str]:
        if len(padded) == len(text) + 1:
            return self.regex, padded
        # A rare character whose lower case is longer ("İ") would shift every offset: fold case instead.
        if self._folding is None:
            self._folding = re.compile(self.regex.pattern, re.IGNORECASE)
        return self._folding, " " + text

    def _resolve(
        self, text: str, match: re.Match[str], lowercase: bool = False
    ) -> tuple[int, int, _Target] | None:
        start, end = match.span("m")
        word = match.group("w")
        if word is not None:
            target = self._cache.get(word)
            if target is None:
                # Under the case-folding regex "İsraeli" matches, but its full lower case is longer
                # ("i̇sraeli"): fall back to one character per character before giving up on it.
                targets = self.words.get(alias_key(word)) or self.words.get(
                    alias_key(_lower_one_to_one(word))
                )
                if not targets:
                    return None
                target = targets[0]
                if len(self._cache) < 50_000:  # spellings seen in real text are few; stay bounded anyway
                    self._cache[word] = target
            return start - 1, end - 1, target
        surface = text[start - 1 : start - 1 + len(match.group("a"))]
        targets = self.acronyms.get(surface)
        if not targets and lowercase and surface.islower():
            # the all-lowercase wire style has no capitals to check: "the uae", "kaan", but not the word "us"
            upper = surface.upper()
            after_the = text.endswith("the ", 0, start - 1)
            if (
                (upper not in _EVERYDAY_WORDS and upper not in _FIRST_NAMES)
                or after_the
                or (upper in _FIRST_NAMES and _SERVICE_NEXT.match(text, end - 1))
            ):
                targets = self.acronyms.get(upper)
        return (start - 1, end - 1, targets[0]) if targets else None  # "us" and "Us" are not "US"

    def scan(
        self, text: str, padded: str, pos: int = 0, endpos: int | None = None, lowercase: bool = False
    ) -> list[tuple[int, int, _Target]]:
        """(start, end, first target) of each match, left to right, not overlapping.

        ``padded`` is ``_padded(text)``; ``pos`` and ``endpos`` are offsets into ``text``; ``lowercase``: the
        text is in the all-lowercase wire style, where an acronym alias matches in lower case too.
        """
        regex, padded = self._regex(text, padded)
        found: list[tuple[int, int, _Target]] = []
        cache = self._cache
        for match in regex.finditer(padded, pos, len(padded) if endpos is None else endpos + 1):
            target = cache.get(match.group("w"))  # the common case, inlined: a word alias seen before
            if target is not None:
                start, end = match.span("m")
                found.append((start - 1, end - 1, target))
            elif (resolved := self._resolve(text, match, lowercase)) is not None:
                found.append(resolved)
        return found

    def match_at(self, text: str, padded: str, pos: int) -> _Target | None:
        """The target of a match that starts exactly at ``pos``, if any."""
        regex, padded = self._regex(text, padded)
        match = regex.match(padded, pos)
        found = self._resolve(text, match) if match is not None else None
        return found[2] if found is not None else None


# "the women's 400 metres", "the company s 300 engineers" (tokenised): a possessive "s" and a number of
# something, not S-400 or S-300 ("Turkey's S 400 batteries", "russia sold s 400 systems" are the systems)
_COUNTED = re.compile(
    r"\d*\s+(?:met(?:er|re)s?|m|km|kilomet(?:er|re)s?|miles?|hurdles|freestyle|relay|individual|medley|"
    r"employees|workers|people|staff|jobs|engineers|members|million|billion|thousand|per\s*cent|percent|years?|"
    r"days?|hours?|points?|seats?|votes?|cars?|homes?|pages?|words?|students|pupils|passengers|beds|rooms)\b"
)


def _possessive_s(padded: str, start: int, end: int) -> bool:
    """A match "s <digits>" whose "s" is a possessive's and whose number counts something else."""
    p = start + 1  # ``padded`` has one character before the text
    return (
        end - start > 2
        and padded[p] == "s"
        and padded[p + 1].isspace()
        and (padded[p - 1] in "'\u2019" or (padded[p - 1] == " " and padded[p - 2].isalpha()))
        and _COUNTED.match(padded, end + 1) is not None
    )


def lower_aligned(text: str) -> str:
    """Lower case with every offset kept: a character whose lower case is longer ("İ") stays as it is,
    so that mentions found in ``text`` point into the result too."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def _lower_one_to_one(text: str) -> str:
    """Lower case that keeps the length: a character whose lower case is longer keeps its first one."""
    return "".join(c.lower()[0] for c in text)


def _padded(text: str) -> str:
    """The text the automata scan: lower case (no IGNORECASE needed) after one non-word character."""
    return " " + text.lower()


class AliasIndex:
    """Every alias and exclude phrase of a watchlist, compiled once; ``find`` is pure and fast."""

    def __init__(self, systems: Sequence[Entity], countries: Sequence[Entity]) -> None:
        aliases: list[tuple[str, _Target]] = []
        excludes: list[tuple[str, _Target]] = []
        for kind, entities in (("system", systems), ("country", countries)):
            for entity in entities:
                ambiguous = {alias_form(a) for a in entity.ambiguous}
                for alias in (entity.name, *entity.aliases):
                    aliases.append((alias, _Target(kind, entity.name, alias, alias_form(alias) in ambiguous)))
                excludes.extend(
                    (phrase, _Target(kind, entity.name, phrase, False, veto=True))
                    for phrase in entity.exclude
                )
        # Excludes share the aliases' alternation, so a phrase such as "New England Patriots" is found
        # in the same pass and, being longer or earlier, wins over the alias inside it.
        self._main = _Automaton(aliases + excludes)
        self._aliases = aliases
        self._excludes = _Automaton(excludes) if excludes else None
        self._aliases_only: _Automaton | None = None
        self._vetoed = frozenset((t.kind, t.name) for _, t in excludes)
        # the aliases of entities with an exclude phrase, by identity (the automata return these objects)
        self._excluded = frozenset(id(t) for _, t in aliases if (t.kind, t.name) in self._vetoed)

    def compile(self) -> None:
        """Compile the alternations now (they are otherwise compiled by the first ``find``)."""
        for automaton in (self._main, self._excludes):
            if automaton is not None:
                automaton.regex  # noqa: B018  (the property compiles it)

    @property
    def pattern(self) -> str:
        """The compiled alias regex, for debugging and the speed check."""
        return self._main.regex.pattern

    def find(self, text: str, lowercase: bool = False) -> tuple[Mention, ...]:
        """Mentions in already-normalised ``text``: sorted, non-overlapping, longest match first.
        ``lowercase``: the text is in the all-lowercase wire style (``scraper.sentences.is_lowercase_style``),
        which has no capitals for an acronym alias to match in."""
        padded = _padded(text)
        found = self._main.scan(text, padded, lowercase=lowercase)
        if self._vetoed:
            found = self._apply_excludes(text, padded, found, lowercase)
        found = [f for f in found if not _possessive_s(padded, f[0], f[1])]
        return tuple(
            _mention(target.kind, target.name, start, end, text[start:end], target.ambiguous, target.alias)
            for start, end, target in found
        )

    def _apply_excludes(
        self, text: str, padded: str, found: list[tuple[int, int, _Target]], lowercase: bool = False
    ) -> list[tuple[int, int, _Target]]:
        """Drop matches that an overlapping exclude of their own entity vetoes; keep other entities."""
        kept: list[tuple[int, int, _Target]] = []
        for start, end, target in found:
            if target.veto:  # other entities' aliases inside the phrase still count
                if self._aliases_only is None:
                    self._aliases_only = _Automaton(self._aliases)
                kept.extend(
                    (s, e, t)
                    for s, e, t in self._aliases_only.scan(text, padded, start, end, lowercase)
                    if (t.kind, t.name) != (target.kind, target.name)
                )
            elif id(target) not in self._excluded or not self._exclude_starts_inside(
                text, padded, start, end, target
            ):
                kept.append((start, end, target))
        return kept

    def _exclude_starts_inside(self, text: str, padded: str, start: int, end: int, target: _Target) -> bool:
        """Whether an exclude of the target's entity starts within [start, end) ("Iron Dome of ...")."""
        if self._excludes is None:
            return False
        # Not at `start` itself: there the alternation already preferred any longer exclude.
        if text[start : end - 1].isalnum():
            return False  # one word: no exclude can start inside it
        for pos in range(start + 1, end):
            if not (text[pos - 1].isalnum() or text[pos - 1] == "_"):
                veto = self._excludes.match_at(text, padded, pos)
                if veto is not None and (veto.kind, veto.name) == (target.kind, target.name):
                    return True
        return False


def build_index(systems: Sequence[Entity], countries: Sequence[Entity]) -> AliasIndex:
    """Compile the aliases of a watchlist's systems and countries into one index."""
    return AliasIndex(systems, countries)


def _speed_check() -> None:  # pragma: no cover - a manual benchmark, not a test
    import random
    import string
    import time

    rng = random.Random(7)

    def word() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))

    systems = [
        Entity(f"X-{n}", (f"X-{n}", f"Sys{word()}", f"{word().title()} {n}", f"{word()} {word()}"))
        for n in range(50)
    ]
    countries = [
        Entity(word().title(), (word().title(), word().title() + "n", "Q" + word())) for _ in range(200)
    ]
    index = build_index(systems, countries)
    names = [a for e in (*systems, *countries) for a in e.aliases]
    words = [word() for _ in range(400)]
    stories = []
    for _ in range(200):
        tokens: list[str] = []
        while sum(len(t) + 1 for t in tokens) < 3000:
            tokens.append(rng.choice(names) if rng.random() < 0.03 else rng.choice(words))
        stories.append(normalize(" ".join(tokens) + "."))
    started = time.perf_counter()
    found = sum(len(index.find(story)) for story in stories)
    elapsed = time.perf_counter() - started
    print(f"{len(stories) / elapsed:,.0f} stories/s on 3 KB stories ({found} mentions)")


if __name__ == "__main__":  # pragma: no cover
    _speed_check()
