"""SPEC's alias matching rules, as table tests and hypothesis properties."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.aliases import AliasIndex, Mention, build_index, normalize
from scraper.model import Entity

SYSTEMS = (
    Entity("S-400", ("S-400", "S400", "Triumf", "SA-21 Growler")),
    Entity(
        "Patriot",
        ("Patriot", "MIM-104", "PAC-3", "PAC-3 MSE"),
        exclude=("New England Patriots", "Patriot Act"),
        ambiguous=("Patriot",),
    ),
    Entity("SAMP/T", ("SAMP/T", "SAMP-T", "Aster 30")),
    Entity("IRIS-T", ("IRIS-T", "IRIS-T SLM")),
    Entity("Bayraktar TB2", ("Bayraktar TB2", "TB2", "Bayraktar"), ambiguous=("Bayraktar",)),
    Entity("Bayraktar Akinci", ("Bayraktar Akinci", "Akinci")),
    Entity("F-35", ("F-35", "F-35A", "JSF")),
    Entity("K2 Black Panther", ("K2 Black Panther", "K2")),
)
COUNTRIES = (
    Entity(
        "Turkey",
        ("Turkey", "Türkiye", "Turkish", "Ankara"),
        exclude=("Thanksgiving turkey",),
        ambiguous=("Turkey",),
    ),
    Entity("India", ("India", "Indian", "New Delhi")),
    Entity("United States", ("United States", "U.S.", "US", "USA", "American")),
    Entity("China", ("China", "Chinese", "PLA")),
    Entity("North Korea", ("North Korea", "North Korean")),
    Entity("South Korea", ("South Korea", "Korea")),
)


INDEX = build_index(SYSTEMS, COUNTRIES)


@pytest.fixture
def index() -> AliasIndex:
    return INDEX


def found(index: AliasIndex, text: str) -> list[tuple[str, str]]:
    """(canonical name, surface) of every mention in the text."""
    return [(m.name, m.surface) for m in index.find(normalize(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hyphen, space or nothing between letters and digits; every dash form is a hyphen
        ("the S-400 arrived", [("S-400", "S-400")]),
        ("the S400 arrived", [("S-400", "S400")]),
        ("the S 400 arrived", [("S-400", "S 400")]),
        ("the S\u2011400 arrived", [("S-400", "S-400")]),  # non-breaking hyphen
        ("the S\u2014400 arrived", [("S-400", "S-400")]),  # em dash
        ("the S\u2212400 arrived", [("S-400", "S-400")]),  # minus sign
        ("the \uff33\uff0d\uff14\uff10\uff10 arrived", [("S-400", "S-400")]),  # full-width
        ("IRIS T SLM launchers", [("IRIS-T", "IRIS T SLM")]),
        # plural and possessive forms, including the tokenised " s"
        ("two S-400s", [("S-400", "S-400s")]),
        ("the S-400's radar", [("S-400", "S-400's")]),
        ("the S-400s' radars", [("S-400", "S-400s'")]),
        ("Turkey's purchase", [("Turkey", "Turkey's")]),
        ("Turkey\u2019s purchase", [("Turkey", "Turkey's")]),
        ("turkey s defence minister", [("Turkey", "turkey s")]),
        ("turkey 's defence minister", [("Turkey", "turkey 's")]),
        ("no s-400s in turkey as we speak", [("S-400", "s-400s"), ("Turkey", "turkey")]),
        ("turkey s-400s", [("Turkey", "turkey"), ("S-400", "s-400s")]),
        ("Indians and Americans", [("India", "Indians"), ("United States", "Americans")]),
        # a possessive "s" before a number of something is no S-400: "the women's 400 metres", "women s 400"
        ("the women's 400 metres hurdles", []),
        ("the women s 400 metres hurdles", []),
        ("turkey s s 400 batteries", [("Turkey", "turkey s"), ("S-400", "s 400")]),
        ("Turkey's S 400 batteries", [("Turkey", "Turkey's"), ("S-400", "S 400")]),
        ("russia sold s 400 systems to turkey", [("S-400", "s 400"), ("Turkey", "turkey")]),
        # whole words only
        ("a rally in Indiana", []),
        ("Indianapolis and Chinatown", []),
        ("the S-4000 and XS-400", []),
        ("K2PL tanks", []),
        # two to four capitals match only in capitals; other aliases in any case
        ("the US approved", [("United States", "US")]),
        ("let us approve", []),
        ("Us and uS", []),
        ("USS Gerald R. Ford", []),
        ("the US's approval", [("United States", "US's")]),
        ("u.s. air force general", [("United States", "u.s.")]),
        ("the PLA and the pla", [("China", "PLA")]),
        ("TURKEY BUYS S-400", [("Turkey", "TURKEY"), ("S-400", "S-400")]),
        ("samp-t and Samp/T and SAMP/T", [("SAMP/T", "samp-t"), ("SAMP/T", "Samp/T"), ("SAMP/T", "SAMP/T")]),
        ("triumf", [("S-400", "triumf")]),
        # longest match wins
        ("the SA-21 Growler system", [("S-400", "SA-21 Growler")]),
        ("a PAC-3 MSE interceptor", [("Patriot", "PAC-3 MSE")]),
        ("the Bayraktar Akinci drone", [("Bayraktar Akinci", "Bayraktar Akinci")]),
        (
            "the Bayraktar TB2 and a Bayraktar",
            [("Bayraktar TB2", "Bayraktar TB2"), ("Bayraktar TB2", "Bayraktar")],
        ),
        ("North Korea and Korea", [("North Korea", "North Korea"), ("South Korea", "Korea")]),
        (
            "K2 Black Panther and K2-Black-Panther",
            [("K2 Black Panther",) * 2, ("K2 Black Panther", "K2-Black-Panther")],
        ),
        ("the F-35A and F35 a lot", [("F-35", "F-35A"), ("F-35", "F35")]),
        # an exclude phrase vetoes an overlapping match of its own entity only
        ("the New England Patriots won", []),
        ("the Patriot Act and a Patriot battery", [("Patriot", "Patriot")]),
        ("a Thanksgiving turkey for Turkish troops", [("Turkey", "Turkish")]),
    ],
)
def test_matching_rules(index: AliasIndex, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(index, text) == expected


def test_normalize_folds_dashes_quotes_and_spaces() -> None:
    assert (
        normalize("S\u2010400 \u2013 Turkey\u2019s \u201cdeal\u201d\u00a0now")
        == 'S-400 - Turkey\'s "deal" now'
    )
    assert normalize("soft\u00adhyphen") == "softhyphen"


def test_mentions_carry_kind_offsets_and_ambiguity(index: AliasIndex) -> None:
    text = normalize("İzmir: Turkey\u2019s Patriot request, Turkish MIM-104 talks")
    mentions = index.find(text)
    assert [(m.kind, m.name, m.ambiguous, m.alias) for m in mentions] == [
        ("country", "Turkey", True, "Turkey"),
        ("system", "Patriot", True, "Patriot"),
        ("country", "Turkey", False, "Turkish"),
        ("system", "Patriot", False, "MIM-104"),
    ]
    for mention in mentions:  # offsets point into the normalised text, even after "İ"
        assert text[mention.start : mention.end] == mention.surface


def test_example_story_mentions_every_watched_name(index: AliasIndex) -> None:
    example = Path(__file__).resolve().parents[2] / "shared" / "examples" / "reuters-turkey-samp-t.txt"
    if not example.exists():
        pytest.skip("the shared example is not on this machine")
    names = {m.name for m in index.find(normalize(example.read_text(encoding="utf-8")))}
    assert {"S-400", "SAMP/T", "Patriot", "Turkey", "United States"} <= names


def test_an_alias_shared_by_two_entries_goes_to_the_first() -> None:
    index = build_index([Entity("Alpha", ("Falcon",)), Entity("Beta", ("falcon",))], [])
    assert [m.name for m in index.find("a falcon")] == ["Alpha"]


# --- properties ----------------------------------------------------------------------------------

WORD_ALIASES = ("S-400", "Triumf", "SA-21 Growler", "Aster 30", "Turkey", "Ankara", "India", "MIM-104")
FILLER = st.sampled_from(("the", "a", "deal", "said", "on", "radar", "battery", "of", "2019", "-", ",", "("))
GLUE = st.text(alphabet="xqz0789_", min_size=1, max_size=3)


@given(alias=st.sampled_from(WORD_ALIASES), before=GLUE, after=GLUE)
def test_aliases_never_match_inside_a_word(alias: str, before: str, after: str) -> None:
    assert INDEX.find(f"on {before}{alias} and") == ()
    assert INDEX.find(f"on {alias}{after} and") == ()


@given(alias=st.sampled_from(WORD_ALIASES), data=st.data())
def test_any_case_of_a_word_alias_matches(alias: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(alias), max_size=len(alias)))
    variant = "".join(c.upper() if flip else c.lower() for c, flip in zip(alias, flips, strict=True))
    mentions = INDEX.find(f"said {variant}, on")
    assert [m.surface for m in mentions] == [variant]


@given(data=st.data())
def test_acronyms_match_only_in_capitals(data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=3, max_size=3))
    variant = "".join(c.upper() if flip else c.lower() for c, flip in zip("usa", flips, strict=True))
    names = [m.name for m in INDEX.find(f"the {variant} said")]
    assert names == (["United States"] if variant == "USA" else [])


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("the pla fired missiles near taiwan", ["China"]),
        ("the jsf program grew", ["F-35"]),
        ("the us approved the sale", ["United States"]),
        ("they told us the sale was off", []),  # the word "us", not the country
        ("officials in the usa said", ["United States"]),
    ],
)
def test_acronyms_match_in_lower_case_in_the_all_lowercase_style(text: str, names: list[str]) -> None:
    assert [m.name for m in INDEX.find(text, lowercase=True)] == names
    assert INDEX.find(text) == ()  # in mixed-case text, only in capitals


@given(
    separator=st.sampled_from(
        ["-", " ", "", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\uff0d"]
    ),
    letters=st.sampled_from(["S", "s"]),
    ending=st.sampled_from(["", "s", "'s", "\u2019s"]),
)
def test_dash_variants_of_a_system_all_match(separator: str, letters: str, ending: str) -> None:
    text = normalize(f"Ankara got the {letters}{separator}400{ending} in 2019")
    names = [m.name for m in INDEX.find(text)]
    assert names == ["Turkey", "S-400"]


@given(st.lists(st.one_of(FILLER, st.sampled_from(WORD_ALIASES)), max_size=30))
def test_mentions_are_sorted_and_do_not_overlap(words: list[str]) -> None:
    text = " ".join(words)
    mentions: tuple[Mention, ...] = INDEX.find(text)
    for first, second in pairwise(mentions):
        assert first.end <= second.start
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
    assert len(mentions) == sum(word in WORD_ALIASES for word in words)


def test_an_exclude_vetoes_only_its_own_entity_wherever_it_overlaps() -> None:
    index = build_index(
        [
            Entity("Patriot", ("Patriot",), exclude=("US Patriot Act",)),
            Entity("Iron Dome", ("Iron Dome",), exclude=("Dome of the Rock",)),
        ],
        [Entity("United States", ("US", "American"))],
    )
    # The phrase hides the system, not the country named inside it.
    assert [(m.name, m.surface) for m in index.find("the US Patriot Act passed")] == [("United States", "US")]
    # An exclude that starts inside a longer alias match still vetoes it.
    assert index.find("visitors to the Iron Dome of the Rock") == ()
    assert [m.name for m in index.find("an American Iron Dome battery")] == ["United States", "Iron Dome"]


def test_a_dotted_capital_i_inside_an_alias_is_found_not_a_crash(index: AliasIndex) -> None:
    # "İ" lowers to two characters; with one in the text the index folds case instead, and an alias
    # spelt with it ("İNDİAN", a Turkish outlet's caps) must still resolve to its entity.
    assert found(index, "İzmir report: İNDİAN S-400 and İndia's IRIS-T") == [
        ("India", "İNDİAN"),
        ("S-400", "S-400"),
        ("India", "İndia's"),
        ("IRIS-T", "IRIS-T"),
    ]


def test_a_fast_constructor_makes_the_same_frozen_object() -> None:
    from scraper.aliases import Mention
    from scraper.model import Hit, constructor
    from scraper.roles import Place, Role, make_place

    made = constructor(Mention)("country", "Poland", 3, 9, "Polish", True, "Polish")
    plain = Mention("country", "Poland", 3, 9, "Polish", True, "Polish")
    assert made == plain and hash(made) == hash(plain) and type(made) is Mention
    assert make_place("S-400", 1, 6) == Place("S-400", 1, 6)
    assert constructor(Role)("operator", 2) == Role("operator", 2)
    assert constructor(Hit)("a", "b", "c", "d", "e", "f") == Hit("a", "b", "c", "d", "e", "f")
    with pytest.raises(AttributeError):
        made.start = 4  # type: ignore[misc]
