"""Roles helpers that find_hits-level tests (test_match.py) cannot pin down on their own."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.roles import _preposition

# What _preposition stands for: the word before a country, past at most one article, searched in the
# text before it. The reversed match must give the same word on any text.
_ANCHORED = re.compile(r"(\w+)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+|neighbouring\s+|neighboring\s+)?$")
_PIECES = [
    "the",
    "a",
    "an",
    "its",
    "their",
    "neighbouring",
    "to",
    "from",
    "u.s",
    "by",
    ",",
    ".",
    "'s",
    "é",
    "_x",
    "2",
]


@pytest.mark.parametrize(
    ("before", "word"),
    [
        ("were sold to the ", "to"),
        ("arrived from ", "from"),
        ("bought by neighbouring ", "by"),
        ("said the ", "said"),
        ("talks, the ", "the"),  # the comma stops the word before the article
        ("sold to", ""),  # no space before the country: no preposition
        ("", ""),
    ],
)
def test_the_word_before_a_country(before: str, word: str) -> None:
    assert _preposition(before) == word


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(["", " ", "  ", "\n", " \t"])), max_size=8)
)
def test_the_reversed_match_gives_what_the_anchored_search_gives(parts: list[tuple[str, str]]) -> None:
    before = "".join(piece + gap for piece, gap in parts)
    found = _ANCHORED.search(before)
    assert _preposition(before) == (found.group(1) if found else "")
