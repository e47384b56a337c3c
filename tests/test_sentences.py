"""Datelines: the cheap test in front of the dateline regex never changes what it finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.sentences import _DATELINE, dateline_end

_PIECES = [
    "ANKARA", "New Delhi", "WASHINGTON,", "May 3", "(Reuters)", "( reuters )", "(AP)", "(THAAD)", "-", "--",
    "S-400", "the", "ministry", "said", ",", "  ", "\n", "istanbul", "x" * 30, "MANILA,", "April 15", "Jan",
]  # fmt: skip


def _regex_only(text: str) -> int:
    match = _DATELINE.match(text)
    if match is None or (match.group("place") is not None and not match.group("place").isupper()):
        return 0
    return match.end()


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ANKARA (Reuters) - Turkey said", "ANKARA (Reuters) - "),
        ("istanbul ( reuters ) - turkey said", "istanbul ( reuters ) - "),
        ("NEW DELHI - India said", "NEW DELHI - "),
        ("Poland - the ministry said", ""),
        ("MANILA, April 15 - The U.S. Army said", "MANILA, April 15 - "),
        ("WASHINGTON/ANKARA, Jan 27 - The sale", "WASHINGTON/ANKARA, Jan 27 - "),
        ("Poland, May 2 - the ministry said", ""),
        ("The S-400 (Triumf) arrived.", ""),
    ],
)
def test_dateline_end(text: str, place: str) -> None:
    assert text[: dateline_end(text)] == place


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.sampled_from([" ", "", "  "]))
def test_the_quick_test_never_hides_a_dateline(pieces: list[str], gap: str) -> None:
    text = gap.join(pieces)
    assert dateline_end(text) == _regex_only(text)
