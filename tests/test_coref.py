"""Light coreference on its own: what "the system", "it", "the kingdom" and unwatched weapons resolve to.

find_hits-level coreference (a hit carried into the next sentence) is tested in test_match.py; these
tests pin the pieces, on sentences written for them.
"""

from __future__ import annotations

import re

import pytest

from scraper.coref import (
    continued_system,
    country_anaphor,
    last_operator,
    subject_pronoun,
    system_kinds,
    unwatched_weapons,
)
from scraper.lexicon import ANAPHOR_RE, GENERIC_RE, REFERRING_WORDS, _split
from scraper.roles import Place, Role
from scraper.scopes import Event
from scraper.sentences import split_sentences


def _story(*sentences: str) -> tuple[str, list[tuple[int, int]]]:
    text = " ".join(sentences).lower()
    return text, split_sentences(text)


def _named(text: str, spans: list[tuple[int, int]], systems: dict[str, str]) -> list[list[Place]]:
    """Places of the given system names (surface -> canonical) per sentence."""
    named: list[list[Place]] = []
    for start, end in spans:
        named.append(
            sorted(
                (
                    Place(name, found.start(), found.end())
                    for surface, name in systems.items()
                    for found in re.finditer(re.escape(surface), text[start:end])
                ),
                key=lambda p: p.start,
            )
        )
        named[-1] = [Place(p.name, p.start + start, p.end + start) for p in named[-1]]
    return named


def _continue(text: str, spans: list[tuple[int, int]], named: list[list[Place]], number: int) -> list[str]:
    last = None
    for n in range(number):
        if named[n]:
            last = (named[n][0].name, n)
    cues = [Event("delivery", 0, 0)]
    found, _ = continued_system(
        text, spans[number], lambda: cues, named, number, last, system_kinds(text, named)
    )
    return [p.name for p in found]


def test_the_system_and_it_continue_the_last_named_system() -> None:
    text, spans = _story(
        "Turkey received the S-400 in 2019.",
        "The system was tested near Ankara.",
        "It has not been switched on since.",
    )
    named = _named(text, spans, {"s-400": "S-400"})
    assert _continue(text, spans, named, 1) == ["S-400"]
    assert _continue(text, spans, named, 2) == ["S-400"]


def test_a_sentence_without_a_referring_word_continues_nothing() -> None:
    text, spans = _story("Turkey received the S-400 in 2019.", "Officials declined to comment on Tuesday.")
    named = _named(text, spans, {"s-400": "S-400"})
    assert _continue(text, spans, named, 1) == []


def test_a_pronoun_does_not_reach_far_back_but_the_system_does_when_only_one_is_named() -> None:
    filler = ["Officials declined to comment on Tuesday."] * 4
    text, spans = _story(
        "Turkey received the S-400 in 2019.", *filler, "It was tested.", "The system was tested."
    )
    named = _named(text, spans, {"s-400": "S-400"})
    assert _continue(text, spans, named, 5) == []  # "it", five sentences on
    assert _continue(text, spans, named, 6) == ["S-400"]  # "the system": the only one the story named


def test_the_howitzers_continue_the_howitzer_not_the_fighter_named_last() -> None:
    text, spans = _story(
        "Poland ordered K9 howitzers from South Korea.",
        "It also bought FA-50 fighters.",
        "The howitzers arrived in Gdynia.",
    )
    named = _named(text, spans, {"k9": "K9", "fa-50": "FA-50"})
    assert system_kinds(text, named) == {"K9": "artillery", "FA-50": "air"}
    assert _continue(text, spans, named, 2) == ["K9"]


def test_a_generic_phrase_with_a_cue_takes_the_system_named_next() -> None:
    text, spans = _story(
        "Air defence systems were delivered to Kyiv.", "They were IRIS-T units from Germany."
    )
    named = _named(text, spans, {"iris-t": "IRIS-T"})
    assert _continue(text, spans, named, 0) == ["IRIS-T"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The kingdom signed for the system.", "the kingdom"),
        ("Officials said a country that operates it had asked.", "a country "),
        ("The system was delivered.", None),
    ],
)
def test_country_anaphor(sentence: str, expected: str | None) -> None:
    low = sentence.lower()
    found = country_anaphor(low, (0, len(low)))
    assert (found[2] if found else None) == expected


def test_subject_pronoun_opens_the_sentence_only() -> None:
    low = "it has also signed for kaan fighters. the deal says it was signed."
    first, second = split_sentences(low)
    assert subject_pronoun(low, first) == (0, 2, "it")
    assert subject_pronoun(low, second) is None


@pytest.mark.parametrize(
    ("sentence", "unwatched"),
    [
        ("Russia sent T-72 tanks to the front.", ["T-72 tanks"]),
        ("Its HAWK batteries were sent to Kyiv.", ["HAWK batteries"]),
        ("The Chinese FK-3 system was bought by Serbia.", ["FK-3 system"]),
        ("The air force flies a dozen FA-50 light combat aircraft.", ["FA-50 light combat aircraft"]),
        ("NATO air defence systems guard the border.", []),  # an alliance, not a model
        ("BAE Systems makes parts for the Patriot.", []),  # a company, not a weapon
    ],
)
def test_unwatched_weapons(sentence: str, unwatched: list[str]) -> None:
    found = unwatched_weapons(sentence, (0, len(sentence)), [])
    assert [sentence[p.start : p.end] for p in found] == unwatched


def test_last_operator_is_the_most_recent_one() -> None:
    last_roles = {
        "S-400": (1, {"Turkey": Role("operator", 2), "Russia": Role("supplier", 2)}),
        "Patriot": (3, {"Poland": Role("operator", 1)}),
    }
    systems = [Place("S-400", 0, 5), Place("Patriot", 10, 17)]
    assert last_operator(last_roles, systems) == "Poland"
    assert last_operator(last_roles, systems[:1]) == "Turkey"
    assert last_operator(last_roles, [Place("THAAD", 0, 5)]) is None


def _last_words(pattern: str) -> set[str]:
    """The words an alternation of phrases can end in ("systems?" gives "system" and "systems")."""
    words: set[str] = set()
    for alternative in _split(re.sub(r"(?<!\\)\s+", "", pattern)):
        last = alternative.rsplit("\\ ", 1)[-1]
        if last.endswith("s?"):
            words |= {last[:-2], last[:-1]}
        else:
            words.add(last)
    return words


def test_every_referring_match_ends_in_a_referring_word() -> None:
    """The cheap word test before the coreference search must never skip a sentence the regex would match."""
    from scraper.lexicon import _GENERIC

    assert _last_words(_GENERIC) <= REFERRING_WORDS
    phrases = [
        "the system",
        "these new jets",
        "its two batteries",
        "several more launchers",
        "the missile defence system",
        "block 20s",
        "it",
        "they",
        "air and missile defence systems",
        "surface-to-air missiles",
        "main battle tanks",
    ]
    for phrase in phrases:
        for regex in (ANAPHOR_RE, GENERIC_RE):
            found = regex.search(phrase)
            if found is not None:
                assert REFERRING_WORDS.intersection(re.findall(r"\w+", found.group())), phrase
