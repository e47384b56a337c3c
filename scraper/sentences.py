"""Split normalised story text into sentence spans that survive real news text.

Handles abbreviations ("U.S.", "Gen.", "Lt. Col."), initials ("J.J. Abrams"), closing quotes and
brackets after the full stop, wire datelines ("ANKARA (Reuters) -", "SEOUL -", "istanbul ( reuters ) -")
and the lowercased, tokenised style where a sentence ends in " ." and "'s" is written " s".
Spans are (start, end) offsets into the text given, so alias mentions found on the same text can be
placed in their sentence by offset alone.
"""

from __future__ import annotations

import re

# Words that end in a full stop without ending a sentence (lower case, without the final dot).
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cpt sgt cpl adm cmdr cdr brig gov sen rep rev st jr sr
    inc corp co ltd plc llc bros no nos vs etc approx est dept fig vol ft mt pres sec gens ret
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    u.s u.k u.n e.u u.a.e u.s.a p.m a.m i.e e.g d.c n.y calif wash""".split()  # noqa: SIM905 - a word list
)

# A candidate boundary: sentence punctuation plus any closing quotes/brackets, then space; or a blank line.
# Written to start with one character class, so the regex engine jumps between candidates instead of
# trying an alternation at every character (three times faster on a 3 KB story).
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=[.!?])[.!?]*[\"')\]]*(?=\s)|(?<=\n)\s*\n|(?<=\n))")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_CAPITALS = re.compile(r"[A-Z]")
# Wire datelines: "ANKARA (Reuters) -", "istanbul ( reuters ) -", "NEW DELHI -", "WASHINGTON, May 3 (AP) -".
_DATELINE = re.compile(
    r"""^\s*(?:[^\W\d][\w.'/ -]{0,40}?,?[\w .]{0,16}\s*\(\s*(?:reuters|ap|afp|bloomberg|xinhua|tass|ria|
    yonhap|dpa|ansa|anadolu|upi|efe|bernama|kyodo|pap)\s*\)\s*-{1,2}\s*
    |(?P<place>[A-Z][A-Z.'/]+(?:\s[A-Z][A-Z.'/]+){0,3})
    (?:,\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?\s\d{1,2})?,?\s-{1,2}\s)""",
    re.IGNORECASE | re.VERBOSE,
)


def dateline_end(text: str) -> int:
    """Offset where a leading wire dateline ends (0 when there is none); its place name is no mention."""
    if not _may_open_with_dateline(text):
        return 0
    match = _DATELINE.match(text)
    if match is None:
        return 0
    place = match.group("place")
    if place is not None and not place.isupper():
        return 0  # "Poland - the ..." in mixed case is a sentence, not a dateline ("MANILA, April 15 - " is)
    return match.end()


def _may_open_with_dateline(text: str) -> bool:
    """A cheap test that _DATELINE can match: its "(" (wire name) or "-" is the first in the text, with
    at most 58 characters before the "(" or four words before the "-"; the regex costs 15 us a story."""
    bracket = text.find("(")
    if bracket >= 0 and len(text[:bracket].strip()) <= 58:
        return True
    dash = text.find("-")
    return dash >= 0 and len(text[:dash].split()) <= 4


def writes_no_capitals(body: str, title: str) -> bool:
    """A story written all in lower case (the tokenised wire style, strictly): there an acronym alias has no
    capitals to match in (``AliasIndex.find``). Stricter than ``is_lowercase_style``, which allows a few."""
    return (body or title)[:1500].islower()


def is_lowercase_style(text: str) -> bool:
    """True for the all-lowercase wire style, where capitals carry no meaning."""
    sample = text[:1500]
    if sample == sample.lower():
        return True
    return len(_CAPITALS.findall(sample)) < 0.008 * len(sample)


def split_sentences(text: str, offset: int = 0, lowercase: bool | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``, shifted by ``offset``; empty ones are dropped."""
    if lowercase is None:
        lowercase = is_lowercase_style(text)
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group(0)[0] == "\n":
            if match.group(0) == "\n" and not _line_ends_sentence(text, match.start(), lowercase):
                continue
        elif not _is_sentence_end(text, match.start(), end, lowercase):
            continue
        if text[start:end].strip():
            spans.extend(_bounded(text, start, end, offset))
        start = end
    if text[start:].strip():
        spans.extend(_bounded(text, start, len(text), offset))
    return spans


# The longest sentence read as one. Real sentences have a few hundred characters (the longest of the labeled
# corpora, a DSCA notice's, 570); a DSCA notice listing a sale's equipment can run past 1,500, and its buyer at
# the start belongs with the system at the end. A "sentence" of 20 KB (a list of 2,500 names, text with no full
# stop) made the rules that compare each name with the others in its sentence run for seconds to minutes. Names
# in different pieces of a longer sentence are read as in different sentences.
MAX_SENTENCE = 3_000


def _bounded(text: str, start: int, end: int, offset: int) -> list[tuple[int, int]]:
    """[start, end) as pieces of at most MAX_SENTENCE characters, cut after a space where there is one."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE) + 1 or start + MAX_SENTENCE
        if text[start:cut].strip():
            pieces.append((start + offset, cut + offset))
        start = cut
    if text[start:end].strip():
        pieces.append((start + offset, end + offset))
    return pieces


def _line_ends_sentence(text: str, newline: int, lowercase: bool) -> bool:
    """A single line break ends a sentence unless the next line plainly continues it."""
    following = text[newline + 1 : newline + 3].lstrip()
    if not following:
        return True
    return lowercase or not following[0].islower()


def _is_sentence_end(text: str, dot: int, end: int, lowercase: bool) -> bool:
    if text[dot] != ".":
        return True
    if dot > 0 and text[dot - 1] == " ":  # tokenised " ." is always a boundary
        return True
    following = text[end : end + 3].lstrip()
    space = text.rfind(" ", max(0, dot - 40), dot)
    token = text[space + 1 : dot].lower().lstrip("(\"'")
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return False
    if "." in token and _DOTTED.fullmatch(token):  # u.s, j.j, u.a.e
        return False
    if token.isdigit() and following[:1].isdigit():
        return False
    if not following:
        return True
    return lowercase or not following[0].islower()  # "approx. five" in mixed case goes on
