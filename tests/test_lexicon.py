"""The cue lexicon scan: which cues and triggers a sentence holds, and where.

The scan finds candidate words with one regex (a trie of the table's keys); the reference below is the
plain reading of the table it must agree with: every word, looked up by its first three, two, then one
letters.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.lexicon import Lexicon, compile_lexicon

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
_TOKEN = re.compile(r"(?<![\w-])\w[\w-]*|[;:]|\s-{1,2}\s")


def _reference_scan(lexicon: Lexicon, low: str, start: int, end: int) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    skip = 0
    for token in _TOKEN.finditer(low, start, end):
        at = token.start()
        if at < skip:
            continue
        word = token.group()
        if word[0] in ";: ":
            found.append(("term", at, token.end()))
            continue
        head = word[:3]
        entry = lexicon.table.get(head) or lexicon.table.get(head[:2]) or lexicon.table.get(head[:1])
        if entry is None:
            continue
        match = entry[0].match(low, at, end)  # a cue never runs past the scanned slice
        if match is not None:
            found.append((entry[1][match.lastindex or 1], at, match.end()))
            skip = match.end()
    return found


def _kinds(text: str) -> list[tuple[str, str]]:
    low = text.lower()
    return [(kind, low[a:b]) for kind, a, b in compile_lexicon().scan(low)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Turkey took delivery of the first batch.",
            [("delivery", "took delivery"), ("delivery", "first batch")],
        ),
        ("The order was undelivered.", [("deal", "order")]),  # a cue starts a word, never inside one
        ("Not only Poland signed.", [("pseudo", "not only"), ("deal", "signed")]),
        (
            "It has not received them; officials said",
            [("neg", "not"), ("delivery", "received"), ("term", ";")],
        ),
        ("Kyiv - the capital", [("term", " - ")]),
        ("Kyiv\n- the capital", []),  # a list dash after a line break is no terminator
        ("Kyiv - - the capital", [("term", " - ")]),  # the space closing one dash opens no other
        ("deliveries have not begun", [("delivery", "deliveries"), ("postneg", "have not begun")]),
        # "used to" a verb is a habit, not a use; "used to strike" is the weapon's use
        ("buyers that used to order a dozen guns", [("pseudo", "used to order")]),
        ("the guns were used to strike targets", [("deployment", "used")]),
        ("tanks were driven off a cargo ship in Gdynia", [("delivery", "driven off a cargo ship")]),
        # cleared "for shipment" is an approval, as "for delivery" is; the shipment is to come
        ("cleared the missiles for shipment to the U.S.", [("pseudo", "for shipment")]),
        # silence on a report leaves what it reports unasserted, as "reports say that" does
        ("egypt silent on reports it has bought", [("hearsay", "silent on reports"), ("deal", "bought")]),
    ],
)
def test_scan_finds_the_cues_of_a_sentence(text: str, expected: list[tuple[str, str]]) -> None:
    assert _kinds(text) == expected


def test_watchlist_phrases_come_before_the_defaults() -> None:
    lexicon = compile_lexicon((("delivery", ("rolled off the line",)),))
    low = "the first tanks rolled off the line in may."
    assert [(kind, low[a:b]) for kind, a, b in lexicon.scan(low)] == [
        ("delivery", "rolled off the line"),
        ("pseudo", "in may"),
    ]


def test_scan_agrees_with_a_word_by_word_reading_of_the_table_on_the_corpus() -> None:
    lexicon = compile_lexicon()
    texts = [
        json.loads(line)["text"].lower()
        for path in sorted(CORPUS.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(texts) > 100
    for low in texts:
        for start, end in ((0, len(low)), (len(low) // 3, 2 * len(low) // 3)):
            assert lexicon.scan(low, start, end) == _reference_scan(lexicon, low, start, end)


_PIECES = [
    " ", "  ", "\n", "-", "--", ";", ":", ",", ".", "not", "only", "took", "delivery", "the", "signed", "deal",
    "s-400", "will", "deliver", "in", "may", "no", "doubt", "has", "yet", "to", "x", " - ",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=20), st.integers(0, 5))
def test_scan_agrees_with_the_word_by_word_reading_on_any_text(pieces: list[str], cut: int) -> None:
    lexicon = compile_lexicon()
    low = "".join(pieces)
    start = min(cut, len(low))
    assert lexicon.scan(low, start, len(low)) == _reference_scan(lexicon, low, start, len(low))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "rolled off", "x -", "x"]), max_size=20), st.integers(0, 5))
def test_a_cue_ending_in_a_dash_or_space_reads_as_word_by_word(pieces: list[str], cut: int) -> None:
    lexicon = compile_lexicon((("delivery", ("x -", "rolled off ")),))  # a terminator may start inside
    low = "".join(pieces)
    start = min(cut, len(low))
    assert lexicon.scan(low, start, len(low)) == _reference_scan(lexicon, low, start, len(low))
