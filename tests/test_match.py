"""find_hits as an analyst would check it: stages, negation and modality, roles, false friends.

Stories here are written for the tests (the labeled corpus is measured in test_match_eval.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.match import find_hits
from scraper.model import Hit, Story, Watchlist
from scraper.sentences import dateline_end, split_sentences
from scraper.watchlist import load_watchlist, parse_watchlist

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT.parent / "shared" / "examples" / "reuters-turkey-samp-t.txt"

SMALL = """
systems:
  - name: S-400
    aliases: [S-400, S400, Triumf]
    origin: [Russia]
  - name: Patriot
    aliases: [Patriot, PAC-3]
    exclude: [New England Patriots, Patriot Act]
    ambiguous: [Patriot]
    origin: [United States]
  - name: IRIS-T
    aliases: [IRIS-T, IRIS-T SLM]
    origin: [Germany]
  - name: Leopard 2
    aliases: [Leopard 2, Leopard 2A4, Leopard]
    ambiguous: [Leopard]
    origin: [Germany]
countries:
  - name: Turkey
    aliases: [Turkey, Turkish, Ankara]
    ambiguous: [Turkey]
  - name: Russia
    aliases: [Russia, Russian, Moscow]
  - name: Poland
    aliases: [Poland, Polish, Warsaw]
  - name: Ukraine
    aliases: [Ukraine, Ukrainian, Kyiv]
  - name: Germany
    aliases: [Germany, German, Berlin]
  - name: Belarus
    aliases: [Belarus, Minsk]
  - name: United States
    aliases: [United States, U.S., US, Washington, American]
    ambiguous: [Washington]
  - name: Georgia
    aliases: [Georgia, Tbilisi]
    ambiguous: [Georgia]
  - name: Nepal
    aliases: [Nepal]
stages:
  cancellation: [struck from the budget]
"""


@pytest.fixture(scope="module")
def small() -> Watchlist:
    return parse_watchlist(SMALL, "small.yaml", require_feeds=False)


@pytest.fixture(scope="module")
def default() -> Watchlist:
    return load_watchlist(str(ROOT / "watchlist.yaml"), require_feeds=False)


def hits_of(watchlist: Watchlist, text: str, title: str = "") -> dict[tuple[str, str], Hit]:
    return {(h.system, h.country): h for h in find_hits(Story(id="t", title=title, text=text), watchlist)}


def stage(watchlist: Watchlist, text: str, system: str, country: str) -> str | None:
    hit = hits_of(watchlist, text).get((system, country))
    return hit.stage if hit else None


# --- The example the product exists for -------------------------------------------------------


def test_reuters_example_gives_the_analysts_reading(default: Watchlist) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    hits = hits_of(default, text)
    assert hits[("S-400", "Turkey")].stage in ("talks", "deal")
    assert hits[("S-400", "Turkey")].role == "operator"
    assert hits[("SAMP/T", "Turkey")].stage == "deal"
    assert "letter of intent" in hits[("SAMP/T", "Turkey")].evidence
    assert hits[("Patriot", "Turkey")].stage == "talks"
    for maker in ("France", "Italy"):
        hit = hits.get(("SAMP/T", maker))
        assert hit is None or hit.role != "operator"
    assert not any(h.stage in ("delivery", "deployment") and h.country == "Turkey" for h in hits.values())


def test_reuters_example_through_the_match_command() -> None:
    line = json.dumps({"id": "reuters", "title": "", "text": EXAMPLE.read_text(encoding="utf-8")})
    done = subprocess.run(
        [sys.executable, "handler.py", "match", "--watchlist", "watchlist.yaml"],
        input=line + "\n", capture_output=True, text=True, cwd=ROOT, check=True, timeout=120,
    )  # fmt: skip
    hits = {(h["system"], h["country"]): h for h in map(json.loads, done.stdout.splitlines())}
    assert hits[("S-400", "Turkey")]["stage"] not in ("delivery", "deployment")
    assert hits[("SAMP/T", "Turkey")]["stage"] == "deal"
    assert hits[("Patriot", "Turkey")]["stage"] == "talks"
    assert set(hits[("SAMP/T", "Turkey")]) == {"id", "system", "country", "role", "stage", "evidence"}


# --- Stages, negation, modality, denial --------------------------------------------------------

STAGE_CASES = [
    ("Turkey received the first S-400 batteries from Russia on Friday.", "delivery"),
    ("turkey received the first s-400 batteries from russia on friday .", "delivery"),
    ("Turkey took delivery of the S-400 in 2019 and tested its radar in November.", "deployment"),
    ("Turkey has not received any S-400 batteries.", "mention"),
    ("There are no S-400s in Turkey, the general said.", "mention"),
    ("Deliveries of the S-400 to Turkey have not begun.", "mention"),
    ("Turkey will receive the S-400 next year.", "talks"),
    ("The S-400 could arrive in Turkey by 2026, officials said.", "talks"),
    ("Turkey is expected to take delivery of the S-400 soon.", "talks"),
    ("Turkey plans to buy the S-400.", "talks"),
    ("If Ankara buys the S-400, sanctions will follow.", "talks"),
    ("Ankara denied reports that it had received the S-400.", "mention"),
    ("Some accounts went further, claiming that Turkey had already received the S-400.", "mention"),
    ("The agency later deleted the report that Turkey had received the S-400.", "mention"),
    ("Turkish officials dismissed claims that S-400 batteries had been deployed near Ankara.", "mention"),
    ("Turkey not only bought the S-400, it also received the first batteries last year.", "delivery"),
    ("There is no doubt that Turkey has deployed the S-400 near Ankara.", "deployment"),
    ("Turkey signed a contract for the S-400, but deliveries have not started.", "deal"),
    ("Turkey signed a letter of intent for the S-400.", "deal"),
    ("Turkey has not cancelled its S-400 order.", "deal"),
    ("Turkey cancelled its S-400 order after talks with Moscow collapsed.", "cancellation"),
    ("Turkey's S-400 purchase was struck from the budget.", "cancellation"),
    ("Turkey is in talks with Russia about a second batch of S-400 missiles.", "talks"),
    ("Turkey's S-400 became operational in 2020.", "deployment"),
]


@pytest.mark.parametrize(("text", "expected"), STAGE_CASES)
def test_stage_is_what_the_sentence_asserts(small: Watchlist, text: str, expected: str) -> None:
    assert stage(small, text, "S-400", "Turkey") == expected


def test_evidence_is_the_sentence_that_carried_the_stage(small: Watchlist) -> None:
    text = "Turkey bought the S-400 in 2017. The first batteries arrived in July 2019. Critics were angry."
    hit = hits_of(small, text)[("S-400", "Turkey")]
    assert (hit.stage, hit.evidence) == ("delivery", "The first batteries arrived in July 2019.")


def test_a_past_event_in_a_background_sentence_counts(small: Watchlist) -> None:
    text = (
        "Washington renewed its warnings on Monday. Turkey received the S-400 in 2019, angering NATO allies."
    )
    assert stage(small, text, "S-400", "Turkey") == "delivery"


@settings(max_examples=60, deadline=None)
@given(
    negation=st.sampled_from(
        [
            "{c} has not received the {s}.",
            "{c} did not take delivery of the {s}.",
            "No {s} batteries have been delivered to {c} so far.",
            "{c} denied reports that the {s} had arrived.",
            "The {s} will be delivered to {c} next year.",
            "The {s} could arrive in {c} in 2027 if talks succeed.",
            "{c} is yet to receive the {s}.",
            "Officials in {c} dismissed claims that the {s} was deployed.",
        ]
    ),
    country=st.sampled_from(["Poland", "Ukraine", "Turkey", "Belarus"]),
    system=st.sampled_from(["S-400", "Patriot", "IRIS-T"]),
    lower=st.booleans(),
)
def test_negated_denied_or_future_delivery_is_never_delivery(
    small: Watchlist, negation: str, country: str, system: str, lower: bool
) -> None:
    text = negation.format(c=country, s=system)
    text = text.lower().replace(".", " .") if lower else text
    for hit in find_hits(Story(id="p", title="", text=text), small):
        assert hit.stage not in ("delivery", "deployment", "cancellation"), (text, hit)


# --- Roles -----------------------------------------------------------------------------------


def test_a_maker_named_as_origin_is_a_supplier(small: Watchlist) -> None:
    hits = hits_of(small, "Turkey deployed its Russian-made S-400 batteries near Ankara.")
    assert hits[("S-400", "Turkey")].role == "operator"
    assert hits[("S-400", "Russia")].role == "supplier"


def test_seller_and_buyer_in_one_sentence(small: Watchlist) -> None:
    hits = hits_of(small, "Germany delivered the first IRIS-T SLM system to Ukraine on Wednesday.")
    assert (hits[("IRIS-T", "Ukraine")].role, hits[("IRIS-T", "Ukraine")].stage) == ("operator", "delivery")
    assert hits[("IRIS-T", "Germany")].role == "supplier"


def test_approved_sale_makes_the_buyer_the_operator(small: Watchlist) -> None:
    hits = hits_of(small, "Washington approved the sale of Patriot missiles to Warsaw on Tuesday.")
    assert (hits[("Patriot", "Poland")].role, hits[("Patriot", "Poland")].stage) == ("operator", "deal")
    assert hits[("Patriot", "United States")].role == "supplier"


def test_a_host_is_not_the_operator(small: Watchlist) -> None:
    hits = hits_of(small, "Russia has deployed two S-400 battalions to Belarus for joint drills.")
    assert hits[("S-400", "Russia")].role == "operator"
    assert hits[("S-400", "Belarus")].role == "other"


def test_a_maker_that_uses_its_own_system_is_an_operator(small: Watchlist) -> None:
    hits = hits_of(small, "Germany's army deployed an IRIS-T SLM battery at its eastern border.")
    assert hits[("IRIS-T", "Germany")].role == "operator"


def test_a_giver_that_also_orders_is_an_operator_with_its_own_stage(small: Watchlist) -> None:
    text = "Germany gave a Patriot battery to Ukraine. Berlin has also ordered four new Patriot systems."
    hits = hits_of(small, text)
    assert (hits[("Patriot", "Germany")].role, hits[("Patriot", "Germany")].stage) == ("operator", "deal")
    assert hits[("Patriot", "Ukraine")].stage == "delivery"


# --- Connection and coreference --------------------------------------------------------------


def test_a_pair_needs_one_sentence_not_just_one_story(small: Watchlist) -> None:
    text = "Poland's economy grew by three percent. Separately, the IRIS-T missile passed a test in Sweden."
    assert ("IRIS-T", "Poland") not in hits_of(small, text)


def test_the_system_continues_the_last_named_one(small: Watchlist) -> None:
    text = "Poland signed a contract for the Patriot system in 2018. The first batteries arrived in 2022."
    hit = hits_of(small, text)[("Patriot", "Poland")]
    assert (hit.stage, hit.role) == ("delivery", "operator")


def test_the_dateline_city_is_no_mention(small: Watchlist) -> None:
    text = "ANKARA (Reuters) - Poland has received its first Patriot missile battery."
    hits = hits_of(small, text)
    assert ("Patriot", "Turkey") not in hits
    assert hits[("Patriot", "Poland")].stage == "delivery"


# --- False friends ---------------------------------------------------------------------------

FALSE_FRIENDS = [
    "Shoppers paid more for a Thanksgiving turkey, and Turkey Trot races drew record crowds in Russia.",
    "The New England Patriots beat the Giants on Sunday in a game played in Germany.",
    "A true patriot, the mayor of a town in Poland said, never forgets history.",
    "Georgia lawmakers debated a tax bill while the Patriot Act was discussed in Washington.",
    "A snow leopard was filmed in Nepal, where conservationists counted forty of the cats.",
    "Leopard print coats were everywhere at fashion week in Berlin.",
]


@pytest.mark.parametrize("text", FALSE_FRIENDS)
def test_false_friends_make_no_hits(small: Watchlist, text: str) -> None:
    assert hits_of(small, text) == {}


def test_an_ambiguous_country_counts_in_a_defence_sentence(small: Watchlist) -> None:
    hits = hits_of(small, "Georgia's defence ministry said it wants to buy Patriot air defence batteries.")
    assert hits[("Patriot", "Georgia")].stage == "talks"


def test_leopard_counts_as_a_tank_with_defence_context(small: Watchlist) -> None:
    hits = hits_of(small, "Poland sent 14 Leopard tanks to Ukraine, the defence ministry said.")
    assert hits[("Leopard 2", "Ukraine")].stage == "delivery"


# --- Sentences -------------------------------------------------------------------------------


def test_sentences_survive_abbreviations_quotes_and_tokenised_text() -> None:
    text = (
        'Lt. Col. John Smith of the U.S. Army said the S-400 arrived. "It is here," he said. Gen. Lee agreed.'
    )
    parts = [text[a:b].strip() for a, b in split_sentences(text)]
    assert parts == [
        "Lt. Col. John Smith of the U.S. Army said the S-400 arrived.",
        '"It is here," he said.',
        "Gen. Lee agreed.",
    ]
    tokenised = "turkey s army said the u.s. offer stands . talks go on .\nno deal yet ."
    assert len(split_sentences(tokenised)) == 3


def test_datelines_are_found_in_both_styles() -> None:
    assert dateline_end("ANKARA (Reuters) - Turkey said") == len("ANKARA (Reuters) - ")
    assert dateline_end("istanbul ( reuters ) - turkey said") == len("istanbul ( reuters ) - ")
    assert dateline_end("NEW DELHI - India said") == len("NEW DELHI - ")
    assert dateline_end("Poland - the country said") == 0


def test_find_hits_is_pure_and_repeatable(small: Watchlist) -> None:
    story = Story(id="r", title="Poland buys Patriot", text="Poland signed for Patriot batteries.")
    assert find_hits(story, small) == find_hits(story, small)
    assert all(h.story_id == "r" for h in find_hits(story, small))


# --- A long article: lists of purchases, a country anaphor, bystanders -------------------------


def test_long_article_reads_like_an_analyst(default: Watchlist) -> None:
    text = (ROOT / "tests" / "data" / "match_long_article.txt").read_text(encoding="utf-8")
    hits = hits_of(default, text, title="Poland signs $2.5 billion deal for more Patriot launchers")
    got = {key: (h.role, h.stage) for key, h in hits.items()}
    assert got[("Patriot", "Poland")] == ("operator", "deployment")  # "declared operational last year"
    assert got[("Patriot", "United States")][0] == "supplier"
    assert got[("Patriot", "Germany")] == ("operator", "deployment")  # its own units, stationed in Poland
    assert got[("Patriot", "Ukraine")] == ("other", "mention")  # the old arsenal went there, not Patriots
    assert got[("K2 Black Panther", "Poland")] == ("operator", "delivery")  # "The country has also ordered"
    assert got[("K9 Thunder", "South Korea")][0] == "supplier"
    assert ("K2 Black Panther", "United States") not in got  # the Apaches came from there, not the K2s
    assert got[("AH-64 Apache", "United States")][0] == "supplier"


def test_long_tokenised_article_follows_the_system_across_sentences(default: Watchlist) -> None:
    text = (ROOT / "tests" / "data" / "match_long_tokenised.txt").read_text(encoding="utf-8")
    hits = hits_of(default, text, title="india says remaining s-400 units delayed , no change to deal")
    got = {key: (h.role, h.stage) for key, h in hits.items()}
    assert got[("S-400", "India")] == ("operator", "deployment")  # "the system was used in combat"
    assert got[("S-400", "Russia")][0] == "supplier"
    assert ("S-400", "Pakistan") not in got  # its drones were the targets of "it": no part, no pair
    assert ("S-400", "Ukraine") not in got  # "because of the war in ukraine": another clause, no part


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He asked "Why?!" Then he left.', ['He asked "Why?!"', "Then he left."]),
        ("It arrived (finally.) Crews cheered.", ["It arrived (finally.)", "Crews cheered."]),
        ("First line\n\nSecond line", ["First line", "Second line"]),
        ("A list:\n- one\nand more", ["A list:", "- one\nand more"]),
        ("Version 2.5 shipped. Done", ["Version 2.5 shipped.", "Done"]),
    ],
)
def test_sentence_ends_at_punctuation_runs_quotes_and_line_breaks(text: str, expected: list[str]) -> None:
    assert [text[a:b].strip() for a, b in split_sentences(text)] == expected


def test_a_reference_back_is_found_wherever_the_sentence_starts(small: Watchlist) -> None:
    """ "the system" continues the S-400 whether its sentence opens the story, follows a title or a
    sentence ending in a quote; "itself" and "system-wide" are not references back."""
    for title, text in [
        ("", "Turkey bought the S-400 in 2017. The system arrived in 2019."),
        ("Turkey and the S-400", "Turkey bought the S-400 in 2017.\nThe system arrived in 2019."),
        ("", 'Turkey bought the S-400, "a good deal." The system arrived in 2019.'),
    ]:
        hits = find_hits(Story(id="x", title=title, text=text), small)
        assert [(h.system, h.country, h.stage) for h in hits] == [("S-400", "Turkey", "delivery")]
    hits = find_hits(
        Story(id="x", title="", text="Turkey bought the S-400. Itself a system-wide issue."), small
    )
    assert [(h.system, h.country, h.stage) for h in hits] == [("S-400", "Turkey", "deal")]


# First-contact kinds from the demo feeds and rounds 5-6 (general rules, not these sentences' words).
@pytest.mark.parametrize(
    ("title", "text", "system", "country", "want"),
    [
        (  # a notice sent to Congress is paperwork, not a delivery
            "Saudi Arabia seeks more THAAD interceptors",
            "Saudi Arabia has requested additional THAAD interceptors from the United States, according to a "
            "notice sent to Congress. The request is under review.",
            "THAAD",
            "Saudi Arabia",
            ("operator", "talks"),
        ),
        (  # handed over by the maker, then on combat duty: the user from the sentence before goes on
            "Belarus shows off Russian-made S-400 at parade",
            "Belarus displayed a Russian S-400 battery at its independence parade in Minsk. The system was "
            "handed over by Moscow in 2021 and is on combat duty.",
            "S-400",
            "Belarus",
            ("operator", "deployment"),
        ),
        (  # "and is taking delivery" starts a new clause: the abandoned plan's modality stops there
            "Indonesia drops Su-35 plan, turns to Rafale",
            "Indonesia has abandoned its plan to buy Su-35 fighters from Russia and is taking delivery of "
            "Rafale jets instead.",
            "Rafale",
            "Indonesia",
            ("operator", "delivery"),
        ),
        (
            "Indonesia drops Su-35 plan, turns to Rafale",
            "Indonesia has abandoned its plan to buy Su-35 fighters from Russia and is taking delivery of "
            "Rafale jets instead.",
            "Su-35",
            "Indonesia",
            ("operator", "cancellation"),
        ),
        (  # "put ... on hold" suspends a purchase
            "",
            "Poland has put the second phase of its Patriot missile purchase on hold, the ministry said.",
            "Patriot",
            "Poland",
            ("operator", "cancellation"),
        ),
        (  # the denier's own words after ", saying" are asserted
            "",
            "Turkish officials denied reports that new S-400 units had arrived from Russia, saying the "
            "contract had been frozen.",
            "S-400",
            "Turkey",
            ("operator", "cancellation"),
        ),
        (  # "orders from Germany": the buyer, not a seller
            "",
            "Raytheon has booked new Patriot missile orders from Germany worth $2 billion.",
            "Patriot",
            "Germany",
            ("operator", "deal"),
        ),
        (  # "shipped from a city in a country": the origin
            "",
            "The Leopard 2 tanks for Poland are being shipped from Munich in Germany.",
            "Leopard 2",
            "Germany",
            ("supplier", "delivery"),
        ),
        (  # a funder pays for someone else's systems
            "",
            "Germany will pay for two IRIS-T systems for Ukraine.",
            "IRIS-T",
            "Germany",
            ("supplier", "talks"),
        ),
        (  # "earlier than planned" is no plan
            "",
            "Ukraine took delivery of its IRIS-T systems a year earlier than planned.",
            "IRIS-T",
            "Ukraine",
            ("operator", "delivery"),
        ),
    ],
)
def test_first_contact_kinds(
    default: Watchlist, title: str, text: str, system: str, country: str, want: tuple[str, str]
) -> None:
    hit = hits_of(default, text, title)[(system, country)]
    assert (hit.role, hit.stage) == want


# Kinds found in untuned round 21: a participle after a comma, advocacy, hearsay, conditions, attempts,
# another object of "used", "intercepted", "watching", a weapon the watchlist does not know in a list or
# a relative clause, and sending one's own jets on a mission.
_ROUND23_KINDS = [  # kinds found in round 23, once round 24 had been written
        # a maker at talks, deal, delivery or cancellation is the seller, whatever the words around it said
        ("The UAE agreed to buy 80 Rafale jets on Friday, the largest export order ever for the French jet.",
         "Rafale", "France", ("supplier", "deal")),
        ("Ukraine wants Taurus missiles. Ukraine has faced a wall in Berlin, where German governments declined its "
         "requests for Taurus missiles.", "Taurus KEPD 350", "Germany", ("supplier", "talks")),
        ("The Czech army signed for 15 Leopard 2A4 tanks that Germany is giving it free of charge.",
         "Leopard 2", "Germany", ("supplier", "delivery")),
        ("Qatar has shown interest in more Rafale jets. The French received requests for Rafale jets from three "
         "Gulf states.", "Rafale", "France", ("supplier", "talks")),
        # ... unless it buys or receives for itself, or uses the system (SPEC: then it is an operator), or
        # no other country is the system's operator in the story (its own forces buy: "The Pentagon signed ...")
        ("India bought 36 Rafale jets in 2016. France will buy 42 more Rafales for its own air force.", "Rafale",
         "France", ("operator", "talks")),
        ("Poland received its first K9 howitzers on Tuesday. South Korea's procurement agency (DAPA) ordered 54 "
         "more K9 howitzers for its own army.", "K9 Thunder", "South Korea", ("operator", "deal")),
        ("Kuwait received its first Typhoons in 2021. Germany has placed an order for 20 more Eurofighter "
         "Typhoon jets.", "Eurofighter Typhoon", "Germany", ("operator", "deal")),
        ("The Pentagon signed a contract for 118 more F-35s.", "F-35", "United States", ("operator", "deal")),
        ("Germany cancelled part of its Eurofighter order.", "Eurofighter Typhoon", "Germany",
         ("operator", "cancellation")),
        ("The United States approved Israel's sale of Arrow 3 to Germany.", "Arrow 3", "Israel",
         ("supplier", "deal")),
        ("Sweden abandoned two centuries of neutrality and ordered more Gripen jets.", "Gripen", "Sweden",
         ("operator", "deal")),
        ("The Bundeswehr received its first IRIS-T SLM fire unit on Tuesday.", "IRIS-T", "Germany",
         ("operator", "delivery")),
        ("Germany ordered six more IRIS-T SLM fire units in 2023.", "IRIS-T", "Germany", ("operator", "deal")),
        ("Russia deployed S-400 batteries in Crimea in 2018.", "S-400", "Russia", ("operator", "deployment")),
        ("The U.S. Army fired a Patriot interceptor during a test in New Mexico.", "Patriot", "United States",
         ("operator", "deployment")),
        # a headline's present tense is a verb, not a premodifier ("Slovakia's MiG-29"); a system naming the
        # transfer ("F-16 deliveries to Ukraine") leaves its subject the giver
        ("Slovakia completes MiG-29 transfer to Ukraine.", "MiG-29", "Slovakia", ("supplier", "delivery")),
        ("The Netherlands completed F-16 deliveries to Ukraine in May.", "F-16", "Netherlands",
         ("supplier", "delivery")),
        # ... but "keeps" before a system is still its owner's ("Spain's Patriot battery"), and Turkey its host
        ("Spain keeps Patriot battery in Turkey", "Patriot", "Turkey", ("other", "mention")),
        # "fires" is no cue: it fires back, fires a general, is "long-range fires" or what a gun can do
        ("Poland ordered HIMARS launchers as part of its long-range fires modernisation.", "HIMARS", "Poland",
         ("operator", "deal")),
        ("The K9 Thunder, which Poland ordered, fires 155mm shells.", "K9 Thunder", "Poland", ("operator", "deal")),
        # receiving what one ordered is a delivery
        ("Romania received its order of 32 F-16 jets from Norway.", "F-16", "Romania", ("operator", "delivery")),
        # where a buyer's own forces are is no buyer
        ("Germany ordered 18 Leopard 2A8 tanks for its brigade in Lithuania.", "Leopard 2", "Lithuania",
         ("other", "mention")),
        # a list of systems whose nouns take three words ("main battle tanks") is still one list
        ("The first South Korean-built K2 main battle tanks and K9 self-propelled howitzers bought by Poland were "
         "unloaded at Gdynia.", "K2 Black Panther", "Poland", ("operator", "delivery")),
        # ... but a time phrase is no noun ("jets last week and Pakistan J-10C jets")
        ("India took delivery of Rafale jets last week and Pakistan J-10C jets were put on alert.", "Rafale",
         "India", ("operator", "delivery")),
]  # fmt: skip


_ROUND28_KINDS = [  # kinds found in round 28 (a tuning round, written blind like rounds 24-27)
        # a distance "from" a country names no seller
        ("Russia keeps Iskander launchers less than 600 kilometres from Berlin.", "Iskander", "Germany",
         ("other", "mention")),
        ("Armenia bought the Iskander from Russia in 2016.", "Iskander", "Russia", ("supplier", "deal")),
        # a weapon fired at a country: the target; unless the sentence is the defence against it
        ("Russia keeps Iskander launchers in Kaliningrad, 600 km from Poland, and has fired large numbers of the "
         "same missiles at Ukrainian cities.", "Iskander", "Ukraine", ("other", "mention")),
        ("Saudi Patriot batteries intercepted missiles fired by the Houthis at Saudi cities.", "Patriot",
         "Saudi Arabia", ("operator", "deployment")),
        # "before" a present-tense arrival: not yet; before a past one, it happened
        ("Turkey signed for 20 Eurofighter Typhoon jets. Before the new aircraft arrive, Ankara will lease used "
         "Typhoons.", "Eurofighter Typhoon", "Turkey", ("operator", "deal")),
        ("Turkey received the S-400 in 2019, before it was removed from the F-35 programme.", "S-400", "Turkey",
         ("operator", "delivery")),
        # the owner of a giving noun is the giver when it makes the system or a recipient follows
        ("Washington's deliveries of HIMARS launchers and M1A2T Abrams tanks began late last year.",
         "M1 Abrams", "United States", ("supplier", "delivery")),
        ("The Netherlands' transfer of F-16 jets to Ukraine was completed in May.", "F-16", "Netherlands",
         ("supplier", "delivery")),
        ("Turkey's delivery of the S-400 began in July 2019.", "S-400", "Turkey", ("operator", "delivery")),
        ("Turkey took delivery of two S-400 batteries, but they were never linked to Turkey's air defences.",
         "S-400", "Turkey", ("operator", "delivery")),
        # "used to order" is a habit, no use of a weapon; "used to strike" is one
        ("Ukraine's CAESAR howitzers were used to strike Russian positions.", "CAESAR howitzer", "Ukraine",
         ("operator", "deployment")),
        # "It took delivery ...": the subject of the sentence before, when that sentence opened with it
        ("Athens has spent heavily on French hardware. It took delivery of the last of its 24 Rafale jets from "
         "France in January.", "Rafale", "Greece", ("operator", "delivery")),
        ("Egypt, one of the largest arms importers, has diversified. It bought Rafale jets from France and IRIS-T "
         "systems from Germany.", "IRIS-T", "Egypt", ("operator", "deal")),
        ("More recently, Belgrade has turned to France. It ordered 12 Rafale jets in 2024.", "Rafale", "Serbia",
         ("operator", "deal")),
        ("Egypt has bought arms from many countries. Its air force also flies more than 200 American F-16s.",
         "F-16", "Egypt", ("operator", "deployment")),
        # a handover is given by its subject, like a delivery or a transfer
        ("Slovakia completes handover of first MiG-29 fighters to Ukraine", "MiG-29", "Slovakia",
         ("supplier", "delivery")),
        ("Slovakia completes handover of first MiG-29 fighters to Ukraine", "MiG-29", "Ukraine",
         ("operator", "delivery")),
        # a list of countries after "with" belongs where its first country does: to the system before it
        ("Hanwha's tracked K9 howitzer is in service with Poland, Norway, Finland and Estonia, while the "
         "German PzH 2000 remains the benchmark for many armies.", "K9 Thunder", "Estonia",
         ("operator", "deployment")),
        # near misses a review wrote against these rules: each was read right before them
        ("Russia's Iskander missiles were used to pound Ukrainian cities throughout 2023.", "Iskander", "Russia",
         ("operator", "deployment")),
        ("Ankara took delivery of the S-400 in July 2019, claiming that Washington had refused to sell it Patriot "
         "missiles.", "S-400", "Turkey", ("operator", "delivery")),
        ("Greece received the last of its Rafale jets in 2024, the ministry said, declining to comment on reports "
         "of a new order.", "Rafale", "Greece", ("operator", "delivery")),
        ("Hamas fired rockets at Israel, which relies on Iron Dome to protect its cities.", "Iron Dome", "Israel",
         ("operator", "deployment")),
        ("Ukraine has received two more Patriot air defence units from Germany.", "Patriot", "Germany",
         ("supplier", "delivery")),
        ("The K9 howitzers reached Gdynia after a voyage of 20,000 km from South Korea.", "K9 Thunder",
         "South Korea", ("supplier", "delivery")),
        ("russia sold s 400 systems to turkey in 2017 and delivered them in 2019 .", "S-400", "Turkey",
         ("operator", "delivery")),
        ('A video shared online with the caption "india gets 5 more rafale" showed jets landing at Ambala.',
         "Rafale", "India", ("operator", "delivery")),
        # a system's last user does not go on past a sentence that opened with another country
        ("Turkey has turned to Britain for Eurofighter Typhoon jets. Saudi Arabia's air force is one of the best "
         "equipped. Its backbone is the F-15, alongside some 70 Eurofighter Typhoons bought from Britain.",
         "Eurofighter Typhoon", "Turkey", ("operator", "mention")),
        # "it" brings in new countries only when the sentence lists the system's users
        ("India ordered 100 more K9 howitzers. Apart from India, it is used by Poland, Norway and Finland.",
         "K9 Thunder", "Norway", ("operator", "deployment")),
        # units "from" a country are its forces; the country they are deployed in hosts them
        ("Patriot units from Germany and the Netherlands were deployed at Sliac air base in central Slovakia "
         "by NATO.", "Patriot", "Germany", ("operator", "deployment")),
        ("Patriot units from Germany and the Netherlands were deployed at Sliac air base in central Slovakia "
         "by NATO.", "Patriot", "Slovakia", ("other", "mention")),
]  # fmt: skip


_ROUND21_KINDS = [
    # ", supplying ...": what the subject does, not a plan
    ("Denmark has become one of Kyiv's largest donors, supplying F-16 jets and artillery.", "F-16", "Denmark",
     ("supplier", "delivery")),
    # arguing for a sale, hearsay, an attempt, a deal that is close or held up: not yet asserted
    ("Several senators argued for the sale of F-35 jets to Turkey.", "F-35", "Turkey", ("operator", "talks")),
    ("Reports in Russian media have said Iran had received its first Su-35 fighters.", "Su-35", "Iran",
     ("operator", "mention")),
    ("Turkey's effort to buy Eurofighter jets has made little progress.", "Eurofighter Typhoon", "Turkey",
     ("operator", "talks")),
    ("Officials say a contract for an initial batch of Gripen jets for the Philippines is close.", "Gripen",
     "Philippines", ("operator", "talks")),
    ("Deliveries of F-35 jets to Poland were held up by software problems.", "F-35", "Poland",
     ("operator", "talks")),
    ("A first batch of J-10C jets will be handed over to Egypt in December, the report said.", "J-10C",
     "Egypt", ("operator", "talks")),
    # a condition on the deal itself, not on something done to an existing deal
    ("Turkey said it would look elsewhere if the Eurofighter deal did not go ahead.", "Eurofighter Typhoon",
     "Turkey", ("operator", "talks")),
    ("The Pentagon said Turkey would be removed from the F-35 programme unless it abandons the S-400 deal.",
     "S-400", "Turkey", ("operator", "deal")),
    # "neither confirmed nor denied" denies nothing; a collapsed deal is cancelled
    ("Pakistan says its J-10C jets shot down Indian aircraft; New Delhi has neither confirmed nor denied it.",
     "J-10C", "Pakistan", ("operator", "deployment")),
    ("Brazil tried to buy Leopard 2 tanks but the deal collapsed.", "Leopard 2", "Brazil",
     ("operator", "cancellation")),
    # another object: a recording intercepted, an air show used, "scrap metal", a capability given
    ("Spain said a phone call about its Patriot batteries had been intercepted.", "Patriot", "Spain",
     ("operator", "mention")),
    ("Russia used the Dubai Airshow to pitch the Su-57 to India.", "Su-57", "Russia", ("supplier", "mention")),
    ("Beijing said Taiwan was paying for scrap metal when it received M1 Abrams tanks.", "M1 Abrams", "Taiwan",
     ("operator", "delivery")),
    ("Japan signed a deal for 400 Tomahawk missiles, giving it a long-range strike capability.", "Tomahawk",
     "Japan", ("operator", "deal")),
    # watching another country's deployment; a maker's worldwide total
    ("Japan, which ordered Tomahawk missiles last year, is watching the deployment closely.", "Tomahawk",
     "Japan", ("operator", "deal")),
    ("Lockheed Martin said it has delivered more than 1,000 F-35 jets worldwide; Poland is due to get its "
     "first next year.", "F-35", "Poland", ("operator", "talks")),
    # a weapon the watchlist does not know: its own relative clause, but a list with the system shares a cue
    ("Greece bought Rafale jets to replace its Mirage 2000 fighters, which have been in service since 1988.",
     "Rafale", "Greece", ("operator", "deal")),
    ("France has supplied Mirage 2000 jets and a SAMP/T battery to Ukraine.", "SAMP/T", "Ukraine",
     ("operator", "delivery")),
    # one's own jets sent on a mission are deployed, even by their maker
    ("France sent four Rafale jets to Australia as part of its Pegase mission.", "Rafale", "France",
     ("operator", "deployment")),
    ("Germany sent Patriot batteries to Ukraine as part of an aid package.", "Patriot", "Germany",
     ("supplier", "delivery")),
    # a receiving cue is also the sale of the giver it names
    ("Hungary received its first Gripen jets from Sweden in 2006.", "Gripen", "Sweden", ("supplier", "delivery")),
    # a split infinitive is an infinitive; "is buying" is a purchase; "has studied" is interest
    ('Trump said the United States was "paving the way to ultimately provide India with the F-35".', "F-35",
     "India", ("operator", "talks")),
    ("Singapore is buying F-35B jets.", "F-35", "Singapore", ("operator", "deal")),
    ("Colombia has studied the Gripen as a replacement for its Kfir jets.", "Gripen", "Colombia",
     ("operator", "talks")),
    # ", and in 2018 it signed": a clause with a subject of its own (Russia has no part in the Rafale); an order
    # that slips still exists
    ("The air force flies Rafale jets, and in 2018 it signed a contract with Russia for Su-35 fighters.",
     "Rafale", "Russia", None),
    ("Taiwan's F-16 order slips again.", "F-16", "Taiwan", ("operator", "deal")),
    # the attacker of the system, and a claim called false
    ("Modi visited the S-400 that Pakistan said it had destroyed.", "S-400", "Pakistan", ("other", "mention")),
    ('Pakistan said its jets knocked out an S-400 battery, a claim India called "false propaganda".', "S-400",
     "Pakistan", ("other", "mention")),
    # late-round alarms: a relative clause opened by "with which" after a noun; a capability given; an
    # abandoned negotiation; favouring a delivery; a belief; the shooter and the attacker
    ("Hungary, a neighbour with which Serbia has had tense relations, received its first Gripen jets in 2006.",
     "Gripen", "Serbia", ("other", "mention")),
    ("Officials say the SCALP missiles give the Indian air force a stand-off strike capability it lacked.",
     "Storm Shadow", "India", ("operator", "mention")),
    ("Colombia signed for 17 Gripen jets, ending a search that outlasted one abandoned negotiation.", "Gripen",
     "Colombia", ("operator", "deal")),
    ("Several lawmakers said they favour delivery of Taurus missiles to Ukraine.", "Taurus KEPD 350", "Ukraine",
     ("operator", "talks")),
    ("Some analysts believe that Iran has received Su-35 fighters.", "Su-35", "Iran", ("operator", "talks")),
    ("Iran's S-300 batteries were knocked out by Israeli strikes in 2024.", "S-300", "Israel",
     ("other", "mention")),
    ("pakistan s army said its jets fired missiles that knocked out an s-400 system at adampur .", "S-400",
     "Pakistan", ("other", "mention")),
    ("Ukraine's Patriot battery shot down a Kinzhal missile over Kyiv.", "Patriot", "Ukraine",
     ("operator", "deployment")),
    ("Israel carried out air strikes on Iran's S-300 batteries.", "S-300", "Israel", ("other", "mention")),
    ("israel carried out air strikes on iran s s-300 batteries .", "S-300", "Israel", ("other", "mention")),
    # a receiving cue is not said of a country after it that is no place; the objects of one verb each
    # take its stage, however many words each carries ("flies Rafale jets and signed for": two verbs);
    # a relative clause after a list is said of the whole list; ", ordering ..." is what was done;
    # "approved the possible sale" is an approval
    ("Turkey was removed from the F-35 programme in 2019 after taking delivery of the S-400, a system India "
     "also operates.", "S-400", "Turkey", ("operator", "delivery")),
    ("Turkey has signed for 40 F-16 Block 70 fighters from the United States and 20 Eurofighter Typhoons from "
     "Britain.", "Eurofighter Typhoon", "Turkey", ("operator", "deal")),
    ("Berlin has supplied Kyiv with Patriot and IRIS-T air defence systems as well as Leopard tanks.",
     "Leopard 2", "Ukraine", ("operator", "delivery")),
    ("Greece flies Rafale jets and signed for 20 F-35 jets in 2024.", "F-35", "Greece", ("operator", "deal")),
    ("Romania joins neighbours Poland and Bulgaria, which have also ordered F-16 jets in recent years.", "F-16",
     "Poland", ("operator", "deal")),
    ("Morocco has turned to the United States for its weapons, ordering F-16 fighters and Apache helicopters.",
     "F-16", "Morocco", ("operator", "deal")),
    ("The State Department approved the possible sale of 20 F-16 fighters to the Philippines.", "F-16",
     "Philippines", ("operator", "deal")),
]  # fmt: skip

# A review of the rules above against ordinary sentences: each of these misfired once.
_ROUND21_REVIEW = [
    # a new verb after "and" is no list of objects
    ("Turkey was removed from the F-35 programme in 2019 and requested 40 F-16 jets.", "F-16", "Turkey",
     ("operator", "talks")),
    ("Ukraine received HIMARS launchers from the United States and asked for ATACMS.", "ATACMS", "Ukraine",
     ("operator", "talks")),
    ("Egypt scrapped its order for Mi-28 helicopters and bought AH-64 Apache helicopters.", "AH-64 Apache",
     "Egypt", ("operator", "deal")),
    # a ceasefire deal is no arms deal; debris, not jets, lands on soil; a capability, not weapons, is given
    ("After the ceasefire deal collapsed, Israel deployed Iron Dome batteries around Tel Aviv.", "Iron Dome",
     "Israel", ("operator", "deployment")),
    ("Poland's first F-35 jets landed on Polish soil on Tuesday.", "F-35", "Poland", ("operator", "delivery")),
    ("The United States gave Ukraine ATACMS missiles with a range advantage over Russian air defences.",
     "ATACMS", "Ukraine", ("operator", "delivery")),
    # "held up well" holds out; an order not yet placed can be delayed; approving is not approved
    ("Ukrainian Patriot batteries deployed around Kyiv have held up well against Russian missiles.", "Patriot",
     "Ukraine", ("operator", "deployment")),
    ("Warsaw has delayed an order for 96 Apache helicopters by a year.", "AH-64 Apache", "Poland",
     ("operator", "talks")),
    ("Menendez opposed approving the proposed sale of F-16 jets to Turkey.", "F-16", "Turkey",
     ("operator", "talks")),
    # advocacy, belief and "close" reach only their own object and clause
    ("Lithuania, which has campaigned for a permanent US presence, took delivery of NASAMS in 2020.", "NASAMS",
     "Lithuania", ("operator", "delivery")),
    ("Romania, believed to be next in line, received F-16 jets from Norway this week.", "F-16", "Romania",
     ("operator", "delivery")),
    ("The Greek government favoured the Rafale and signed a contract for 18 jets in January 2021.", "Rafale",
     "Greece", ("operator", "deal")),
    ("The deal was close, but India eventually signed for 36 Rafale jets.", "Rafale", "India",
     ("operator", "deal")),
    ("Poland's $10 billion contract for 96 AH-64E Apache attack helicopters from Boeing will be the largest in "
     "its history.", "AH-64 Apache", "Poland", ("operator", "deal")),
    # the speaker is not the attacker; the system that did the destroying was used
    ("Germany has delivered the IRIS-T systems that Ukraine says destroyed most Russian cruise missiles.",
     "IRIS-T", "Ukraine", ("operator", "deployment")),
    ("Ukraine confirmed a Russian drone damaged one of its Leopard 2 tanks.", "Leopard 2", "Ukraine",
     ("operator", "mention")),
    ("Ukraine said a Russian Iskander missile destroyed a HIMARS launcher.", "Iskander", "Ukraine",
     ("operator", "mention")),
    # a demonym before the system in "drills with" names its user; hearsay asserts nothing, nor plans
    ("Latvia held live-fire drills with Polish HIMARS launchers.", "HIMARS", "Poland",
     ("operator", "deployment")),
    ("Media reports have said Turkey deployed its S-400 batteries near Ankara.", "S-400", "Turkey",
     ("operator", "mention")),
    ("Croatia, a NATO member with whom Serbia has tense ties, took delivery of Rafale jets.", "Rafale", "Serbia",
     ("other", "mention")),
    ("Ukrainian pilots studied F-16 manuals at a base in Romania.", "F-16", "Ukraine", ("operator", "mention")),
    # second review: a later system with a verb of its own is no object of the first verb
    ("Egypt cancelled its Su-35 order with Russia last year, and its Rafale jets are performing well.", "Rafale",
     "Egypt", ("operator", "mention")),
    ("Turkey scrapped its plan for Patriot missiles from the United States in 2017, and the S-400 arrived two "
     "years later.", "S-400", "Turkey", ("operator", "delivery")),
    ("Turkey bought S-400 systems from Russia in 2019 and its F-35 jets were never delivered.", "F-35", "Turkey",
     ("operator", "mention")),
    # a parenthesis inside a relative clause does not close it
    ("Turkey, which could, according to officials, receive F-16 jets this year, is waiting.", "F-16", "Turkey",
     ("operator", "talks")),
    # the owner of the system hit is no attacker; the system credited with a kill is no target
    ("Israel said a drone hit an Iron Dome battery it had deployed near Haifa.", "Iron Dome", "Israel",
     ("operator", "deployment")),
    ("ukraine s defence ministry said a drone damaged two of its leopard 2 tanks , which it received from "
     "germany .", "Leopard 2", "Ukraine", ("operator", "delivery")),
    ("Russia said Kalibr missiles fired from ships had hit S-300 launchers near Dnipro.", "S-300", "Russia",
     ("other", "mention")),
    ("Ukraine praised the Patriot battery that Kyiv credits with shooting down a Kinzhal missile.", "Patriot",
     "Ukraine", ("operator", "mention")),
    # "held up in combat", a belief about effects, a favoured supplier, a platform used, weapons given to
    ("The Patriot batteries that Germany delivered to Ukraine have held up in combat.", "Patriot", "Ukraine",
     ("operator", "deployment")),
    ("Analysts believe the F-16 jets Ukraine received this summer will change little.", "F-16", "Ukraine",
     ("operator", "delivery")),
    ("Poland's favoured supplier, South Korea, delivered the first K2 tanks in December.", "K2 Black Panther",
     "Poland", ("operator", "delivery")),
    ("Azerbaijan used the TB2 platform to devastating effect in 2020.", "Bayraktar TB2", "Azerbaijan",
     ("operator", "deployment")),
    ("The HIMARS launchers given to Ukraine last year transformed its strike capability.", "HIMARS", "Ukraine",
     ("operator", "delivery")),
    # ordering nothing; an offer received sells nothing; "close enough"
    ("Morocco has been in talks with Washington for months, ordering nothing so far despite interest in F-35 "
     "jets.", "F-35", "Morocco", ("operator", "talks")),
    ("Turkey received an offer from Russia for Su-35 jets.", "Su-35", "Russia", ("supplier", "talks")),
    ("Russia's deployment of Iskander missiles in Belarus is close enough to worry Poland.", "Iskander", "Russia",
     ("operator", "deployment")),
    # roles from the late rounds: a demonym of an object is no subject; "its government said it would buy"; a
    # launcher's own missiles; "X informed Y that it" is still X
    ("Algeria is one of the largest buyers of Russian weapons and already flies Su-30 fighters.", "Su-30", "Algeria",
     ("operator", "deployment")),
    ("Thailand selected the Gripen in August, and in April Colombia's government said it would buy 17 Gripens.",
     "Gripen", "Colombia", ("operator", "talks")),
    ("The attack involved more than 200 missiles and drones launched by Russia, among them Kinzhal missiles.",
     "Kinzhal", "Russia", ("operator", "mention")),
    ("The UAE informed the United States that it was suspending talks on the F-35 purchase.", "F-35",
     "United States", ("supplier", "cancellation")),
    # "has on order from the United States": the seller; "send its S-400s back to Russia": the maker
    ("Taiwan received the first 11 of 29 HIMARS rocket launchers it has on order from the United States.",
     "HIMARS", "United States", ("supplier", "deal")),
    ("Turkey has no plan to send its Russian-made S-400 systems back to Russia, officials said.", "S-400", "Russia",
     ("supplier", "mention")),
    # a third review: a demonym's noun right before the verb is its subject; "operate" with no determiner is
    # no use ("operate maintenance depots"); "working on orders from Poland" names the buyer; "back to" a
    # country that is not the maker; "said it was destroyed" and "said it had shot down" are not its purchase
    ("Ukraine said Russian jets launched Kinzhal missiles overnight.", "Kinzhal", "Ukraine", ("other", "mention")),
    ("Russian contractors operate maintenance depots for Su-30 fighters in India.", "Su-30", "Russia",
     ("supplier", "mention")),
    ("Hanwha is working on orders from Poland for more K9 Thunder howitzers.", "K9 Thunder", "Poland",
     ("operator", "deal")),
    ("The first K2 Black Panther tanks returned to Poland after trials.", "K2 Black Panther", "Poland",
     ("operator", "mention")),
    ("Ukraine lost a Leopard 2 near Bakhmut; Germany's defence ministry said it was destroyed by a drone.",
     "Leopard 2", "Germany", ("supplier", "mention")),
]  # fmt: skip


# Everyday English that is no stage or no role (general kinds, found in untuned rounds 15-16).
@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # "given" as a preposition, and "was given a tour", deliver nothing
        ("Given the threat from Russia, Poland ordered more Patriot batteries.", "Patriot", "Poland",
         ("operator", "deal")),
        ("Given the threat from Russia, Poland ordered more Patriot batteries.", "Patriot", "Russia",
         ("other", "mention")),
        ("Polish officials were given a tour of the plant and signed for more Patriot batteries.", "Patriot",
         "Poland", ("operator", "deal")),
        ("Ukraine was given the first Patriot battery by Germany in April.", "Patriot", "Ukraine",
         ("operator", "delivery")),
        # "striking" the adjective is no attack; the verb still is
        ("What is striking is how little of the Su-57 story Algeria has confirmed.", "Su-57", "Algeria",
         ("operator", "mention")),
        ("Israeli F-35 jets were striking targets near Damascus on Saturday.", "F-35", "Israel",
         ("operator", "deployment")),
        # "receives no ..." negates the cue; "no fewer than" does not
        ("Algeria receives no U.S. military aid, but it bought Su-35 jets from Russia.", "Su-35", "Algeria",
         ("operator", "deal")),
        ("Poland received no fewer than 24 K2 tanks from South Korea last year.", "K2 Black Panther", "Poland",
         ("operator", "delivery")),
        # abandoning a policy is no cancellation and no combat loss
        ("Sweden abandoned two centuries of neutrality and ordered more Gripen jets.", "Gripen", "Sweden",
         ("operator", "deal")),
        ("Thailand abandoned its plans to buy the Gripen.", "Gripen", "Thailand", ("operator", "cancellation")),
        # a dropped order with a modifier; the other system of a headline keeps its own cue
        ("Under pressure from Washington, Egypt dropped its Su-35 order.", "Su-35", "Egypt",
         ("operator", "cancellation")),
        ("Egypt dropped its Su-35 order and bought J-10C jets.", "J-10C", "Egypt", ("operator", "deal")),
        # a delivery noun with a schedule is not yet a delivery
        ("Japan signed for Tomahawk missiles, with deliveries scheduled to begin in 2027.", "Tomahawk", "Japan",
         ("operator", "deal")),
        # a country's armed service before the system is its user, even when it also makes it
        ("U.S. Air Force F-15E jets shot down drones over Iraq.", "F-15", "United States",
         ("operator", "deployment")),
        ("Israeli Air Force F-35 jets struck targets in Iran.", "F-35", "Israel", ("operator", "deployment")),
        # "already in service" is service, not an arrival; giving consent gives no jets
        ("The State Department approved the sale of 40 new F-16 jets to Turkey, which has 79 F-16s already in "
         "service.", "F-16", "Turkey", ("operator", "deployment")),
        ("The United States gave its consent to Argentina's F-16 purchase last year.", "F-16", "United States",
         ("supplier", "deal")),
        # "has flown the F-35 since 2017" is use; "has flown to Ankara" is travel
        ("Norway has flown the F-35 since 2017.", "F-35", "Norway", ("operator", "deployment")),
        ("Japan, which has flown F-35A fighters since 2018, plans to buy more of them.", "F-35", "Japan",
         ("operator", "deployment")),
        ("The president has flown to Turkey to discuss the S-400.", "S-400", "Turkey", ("operator", "talks")),
        ("Ukraine shot down six Kinzhal missiles launched by Russia.", "Kinzhal", "Russia",
         ("operator", "deployment")),
        # a delivery in the passive is the buyer's, also in a clause that refers back to the jets
        ("Greece has bought 24 Rafale jets from France, all of which have now been delivered.", "Rafale",
         "Greece", ("operator", "delivery")),
        ("Greece ordered the Rafale from France; the first six were delivered in 2021.", "Rafale", "Greece",
         ("operator", "delivery")),
        ("Greece ordered the Rafale from France; the army deployed new tanks in the north.", "Rafale", "Greece",
         ("operator", "deal")),
        # a delay holds up deliveries, not a deal already signed
        ("The 66 F-16 Block 70 fighters that Taipei ordered in 2019 are running well behind schedule.", "F-16",
         "Taiwan", ("operator", "deal")),
        ("Deliveries of the F-16 to Taiwan have been delayed.", "F-16", "Taiwan", ("operator", "talks")),
        # a relative clause closed by a comma: what follows is said of its head, not of the giver inside (whose
        # sale the receiving gives its stage)
        ("Algeria, which received its Su-35 jets from Russia, now flies them from Oum El Bouaghi.", "Su-35",
         "Algeria", ("operator", "deployment")),
        ("Algeria, which received its Su-35 jets from Russia, now flies them from Oum El Bouaghi.", "Su-35",
         "Russia", ("supplier", "delivery")),
        # calling for deliveries asks for them; cancelling as the subject of "would" is a hypothesis
        ("The Bundestag rejected an opposition motion calling for Taurus missile deliveries to Ukraine.",
         "Taurus KEPD 350", "Ukraine", ("operator", "talks")),
        ("Canada is cancelling the bulk of its F-35 order, officials said.", "F-35", "Canada",
         ("operator", "cancellation")),
        # landing at a base in northern India is India's delivery; a production line in Poland is the maker's
        ("Five Rafale fighter jets built by France's Dassault landed at an air base in northern India.", "Rafale",
         "India", ("operator", "delivery")),
        ("The air force deployed its Black Hawk helicopters, several of them delivered this year from a "
         "production line in Poland.", "Black Hawk", "Poland", ("supplier", "delivery")),
        # "for delivery from 2025" is a plan ("is buying" is a purchase); papers sent and aid given deliver no
        # system
        ("Australia's army is buying the AS9 Huntsman, a version of the K9, for delivery from 2025.", "K9 Thunder",
         "Australia", ("operator", "deal")),
        ("According to budget documents sent to the Legislative Yuan, Taiwan's payments cover 66 F-16 fighters.",
         "F-16", "Taiwan", ("operator", "mention")),
        ("Greece had already given Kyiv substantial military aid, officials said, but no Patriot systems.",
         "Patriot", "Ukraine", ("operator", "mention")),
        ("Defence analysts warned that cancelling the bulk of Canada's F-35 order would be costly and slow.",
         "F-35", "Canada", ("operator", "talks")),
        ("RAF Typhoon jets shot down Iranian drones over Iraq.", "Eurofighter Typhoon", "United Kingdom",
         ("operator", "deployment")),
        ("Berlin has already given Kyiv three Patriot batteries from Bundeswehr stocks.", "Patriot", "Germany",
         ("supplier", "delivery")),
        # a host: another country's own batteries deployed in it
        ("Germany's Patriot batteries are deployed in Poland.", "Patriot", "Poland", ("other", "mention")),
        ("The Patriot batteries are now operational in Poland.", "Patriot", "Poland", ("operator", "deployment")),
        # shipments are deliveries; a dated past order is a fact even after "will"
        ("Hyundai Rotem has been shipping K2 tanks to Poland since late 2022.", "K2 Black Panther", "Poland",
         ("operator", "delivery")),
        ("Switzerland will have to wait longer for the Patriot systems it ordered from the United States in 2022.",
         "Patriot", "Switzerland", ("operator", "deal")),
        ("The Patriot systems will be delivered to Switzerland in 2027.", "Patriot", "Switzerland",
         ("operator", "talks")),
        # keeping missiles on an island is stationing them, keeping them in storage is not
        ("Greece has kept Russian-made S-300 missiles on Crete since the late 1990s.", "S-300", "Greece",
         ("operator", "deployment")),
        ("Turkey has kept its S-400 batteries in storage since 2019.", "S-400", "Turkey", ("operator", "mention")),
        ("India builds the K9 under licence, and its army moved a regiment of them to the Ladakh border.",
         "K9 Thunder", "India", ("operator", "deployment")),
        # "announced that it had dropped the plan" cancels; "Moscow said it had deployed" is Moscow's deed
        ("Indonesia signed for 11 Su-35s in 2018 and announced in 2021 that it had dropped the plan.", "Su-35",
         "Indonesia", ("operator", "cancellation")),
        ("Within two days, Moscow said it had deployed S-400 systems to Hmeimim in Syria.", "S-400", "Russia",
         ("operator", "deployment")),
        ("Turkey has received the S-400 from Russia, Washington says.", "S-400", "United States",
         ("other", "mention")),
        # ", and analysts suspect ..." is a clause of its own; ", and flies ..." and ", and its air force" go on
        ("Egypt walked away from its Su-35 purchase, and analysts suspect the jets were later offered to Iran.",
         "Su-35", "Iran", ("operator", "talks")),
        ("Egypt has spread its purchases across suppliers, and flies Rafale fighters bought from France.",
         "Rafale", "Egypt", ("operator", "deployment")),
        ("Vietnam's military is equipped with Russian weapons, and its air force relies on Su-30 fighters.",
         "Su-30", "Vietnam", ("operator", "deployment")),
        ("Poland has begun fielding its own Patriot batteries.", "Patriot", "Poland", ("operator", "deployment")),
        # aircraft flying over a country do not fly for it; strike missions over Iraq are flown by others
        ("F-16 jets have been flying over Ukraine since August.", "F-16", "Ukraine", ("operator", "deployment")),
        ("French Rafale fighters were flying strike missions over Iraq and Syria.", "Rafale", "Iraq",
         ("other", "mention")),
        ("The Patriot battery is now guarding the skies over Warsaw.", "Patriot", "Poland", ("operator", "deployment")),
        # sending waves of drones is an attack, and the countries they cross are not its users
        ("Iran sent waves of Shahed-136 drones that took hours to cross Iraq and Jordan.", "Shahed-136", "Iran",
         ("operator", "deployment")),
        ("Iran sent waves of Shahed-136 drones that took hours to cross Iraq and Jordan.", "Shahed-136", "Jordan",
         ("other", "mention")),
        # "built by PZL Mielec in Poland": the maker's country
        ("The final S-70i Black Hawks built by PZL Mielec in Poland arrived in the Philippines.", "Black Hawk",
         "Poland", ("supplier", "delivery")),
        # exercises around a country, missiles deployed near its border: a place, not a user
        ("Russia deployed Iskander missiles near the Finnish border.", "Iskander", "Finland", ("other", "mention")),
        # batteries placed on an island are deployed, an order placed is a deal; "both fly" is use
        ("Satellite images show that China has placed two batteries of HQ-9 missiles on Woody Island.", "HQ-9",
         "China", ("operator", "deployment")),
        ("Egypt placed an order for Rafale jets with France in 2015.", "Rafale", "Egypt", ("operator", "deal")),
        ("Hungary and the Czech Republic both fly leased Gripen C/Ds.", "Gripen", "Hungary",
         ("operator", "deployment")),
        ("Polish pilots will fly to the United States to train on the F-35.", "F-35", "Poland",
         ("operator", "mention")),
        # carrying out strikes is use; targets in a city of a country make that country a place
        ("The Indian Air Force flew combat missions with its Rafale jets in 2025.", "Rafale", "India",
         ("operator", "deployment")),
        ("French Rafale jets struck Islamic State targets in Raqqa, Syria.", "Rafale", "Syria",
         ("other", "mention")),
        ("A year earlier, in April 2022, Slovakia had handed Ukraine its only S-300 battery.", "S-300", "Slovakia",
         ("supplier", "delivery")),
        # a question asserts nothing; deliveries "expected to begin" have not begun
        ("Has Turkey received the S-400?", "S-400", "Turkey", ("operator", "mention")),
        ("Deliveries of the new-build Eurofighter jets to Turkey are expected to begin in 2030.",
         "Eurofighter Typhoon", "Turkey", ("operator", "talks")),
        # a funder of batteries that will reach another country; a maker pressing its own offer
        ("The United States said the first two NASAMS batteries it is paying for will reach Ukraine soon.",
         "NASAMS", "United States", ("supplier", "talks")),
        ("Russia has meanwhile been pressing its own offer of the Su-57E fighter to India.", "Su-57", "Russia",
         ("supplier", "talks")),
        # touching down and unloading are arrivals; "until now ... has relied on" is no plan; crews operate
        ("The first ten K2 tanks were unloaded at the port of Gdynia in Poland last week.", "K2 Black Panther",
         "Poland", ("operator", "delivery")),
        ("Until now Ukraine has relied mainly on Soviet-era S-300 batteries.", "S-300", "Ukraine",
         ("operator", "deployment")),
        ("Ukrainian crews already operate the older S-300 system.", "S-300", "Ukraine", ("operator", "deployment")),
        # a subject before a relative clause flies the Russian-made jets named after it
        ("Algeria, which cut diplomatic relations with Morocco in 2021, flies dozens of Russian-made Su-30MKA "
         "fighters.", "Su-30", "Algeria", ("operator", "deployment")),
        # testing in U.S. waters; problems that kept a jet in the United States station nothing
        ("The Tomahawk missile was launched from HMAS Brisbane during testing in U.S. waters.", "Tomahawk",
         "United States", ("other", "mention")),
        # a stopover is no halt of a programme; an attacker's strikes; refusing to approve an export
        ("The jets halted overnight at Al Dhafra before flying on to India, which bought 36 Rafale jets.",
         "Rafale", "India", ("operator", "deal")),
        ("The S-300 batteries Russia delivered to Iran in 2016 were badly damaged in Israeli strikes.", "S-300",
         "Israel", ("other", "mention")),
        ("A Gripen sale was blocked in 2015 because Britain, which makes key components, refused to approve the "
         "export.", "Gripen", "United Kingdom", ("supplier", "cancellation")),
        # a flying hour is no flight; an answer given by a minister gives nothing; "built by Norway's Kongsberg"
        ("The Gripen is cheaper to operate per flying hour than its rivals, Colombia said.", "Gripen", "Colombia",
         ("operator", "mention")),
        ("The written answer, given by a junior minister, said India had held no talks on the F-35.", "F-35",
         "India", ("operator", "mention")),
        ("Finland already operates the NASAMS system, built by Norway's Kongsberg with Raytheon.", "NASAMS",
         "Norway", ("supplier", "mention")),
        # a relative clause closed by ", as ...": its cue is its head's, not the next clause's country's
        ("Greek officials point to Turkey, which has operated Russian S-400s since 2019, as the reason Athens "
         "cannot thin out its air defences.", "S-400", "Turkey", ("operator", "deployment")),
        # a battery of another country's army sent to Israel: Israel hosts it
        ("A U.S. Army THAAD battery sent to Israel after Iran's missile attack is now operational.", "THAAD",
         "Israel", ("other", "mention")),
        # "continues to fly" is flying; engaging salvoes of Iranian missiles makes Iran the target
        ("Saudi Arabia continues to fly F-15SA Strike Eagles.", "F-15", "Saudi Arabia", ("operator", "deployment")),
        ("During the war, Israel's Arrow 3 and David's Sling systems engaged salvoes of Iranian ballistic missiles.",
         "David's Sling", "Iran", ("other", "mention")),
        ("During the war, Israel's Arrow 3 interceptors engaged salvoes of Iranian ballistic missiles.", "Arrow 3",
         "Israel", ("operator", "deployment")),
        # "it" in a later clause is the sentence's subject, not the ally named in an apposition
        ("Turkey, Greece's NATO ally and rival, was removed from the F-35 programme in 2019 after it took "
         "delivery of Russian S-400 systems.", "S-400", "Turkey", ("operator", "delivery")),
        # sending one's own helicopters on relief flights is use; sending batteries to Ukraine is a delivery
        ("The Philippine Air Force said it had sent helicopters, including Black Hawks, on rescue and relief "
         "flights.", "Black Hawk", "Philippines", ("operator", "deployment")),
        ("Germany sent two Patriot batteries to Ukraine on Monday.", "Patriot", "Ukraine", ("operator", "delivery")),
        # an approved transfer is not yet a delivery; "not the only country" negates nothing
        ("Washington has approved the transfer of F-16 jets from Denmark to Ukraine.", "F-16", "Ukraine",
         ("operator", "talks")),
        ("The Netherlands completed the transfer of F-16 jets to Ukraine.", "F-16", "Ukraine",
         ("operator", "delivery")),
        ("Poland is not the only country to have ordered the K2 tank.", "K2 Black Panther", "Poland",
         ("operator", "deal")),
        # a sale that still needs approval is not yet a deal
        ("The sale of F-16 jets to Turkey still requires congressional approval.", "F-16", "Turkey",
         ("operator", "talks")),
        # "with": the user of "in service with", the buyer of "the deal with", the seller after a buyer
        ("The F-35 entered service with the Polish air force in 2024.", "F-35", "Poland",
         ("operator", "deployment")),
        ("The HIMARS made its combat debut with Ukraine in 2022.", "HIMARS", "Ukraine", ("operator", "deployment")),
        ("The F-16 deal with Turkey was signed in 2024.", "F-16", "Turkey", ("operator", "deal")),
        ("Argentina signed a deal with Denmark for 24 used F-16 jets.", "F-16", "Denmark", ("supplier", "deal")),
        # "the latest country to order" states a fact; the country outside which is not the one fielding it
        ("Belgium became the latest country to order the F-35.", "F-35", "Belgium", ("operator", "deal")),
        ("Germany became the first country outside Israel to field the Arrow 3.", "Arrow 3", "Germany",
         ("operator", "deployment")),
        ("Germany became the first country outside Israel to field the Arrow 3.", "Arrow 3", "Israel",
         ("supplier", "mention")),
        ("Germany has put Israel's Arrow 3 system into service.", "Arrow 3", "Germany", ("operator", "deployment")),
        ("Israel's Arrow 3 intercepted a missile launched by the Iranian-backed Houthis.", "Arrow 3", "Israel",
         ("operator", "deployment")),
        # kinds found in round 21, and a review of them against ordinary sentences
        *_ROUND21_KINDS,
        *_ROUND21_REVIEW,
        *_ROUND23_KINDS,
        *_ROUND28_KINDS,
    ],
)  # fmt: skip
def test_everyday_english_is_no_stage(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str] | None
) -> None:
    hit = hits_of(default, text).get((system, country))
    assert (None if hit is None else (hit.role, hit.stage)) == want


def test_a_country_offered_the_system_later_in_the_story_is_a_buyer(default: Watchlist) -> None:
    text = "Egypt has shelved its purchase of Su-35 fighter jets from Russia. The aircraft were later offered to Iran."
    hits = hits_of(default, text)
    assert (hits[("Su-35", "Iran")].role, hits[("Su-35", "Iran")].stage) == ("operator", "talks")
    assert hits[("Su-35", "Egypt")].stage == "cancellation"


def test_a_sender_stays_a_supplier_whatever_later_sentences_say(default: Watchlist) -> None:
    # troops in a later sentence do not turn "sent" into a deployment with the sender's own soldiers
    text = (
        "Britain sent 14 Challenger 2 tanks, one of which was destroyed in Zaporizhzhia. "
        "Russia has offered bonuses to soldiers who destroy Western tanks."
    )
    assert hits_of(default, text)[("Challenger 2", "United Kingdom")].role == "supplier"


def test_a_country_that_deploys_or_fires_its_own_system_is_its_operator(default: Watchlist) -> None:
    # "Russia deployed S-400s": a verb between the country and the system, not a premodifier
    hits = hits_of(default, "Russia deployed S-400 batteries to Belarus.")
    assert (hits[("S-400", "Russia")].role, hits[("S-400", "Russia")].stage) == ("operator", "deployment")
    assert hits[("S-400", "Belarus")].role == "other"
    assert (
        hits_of(default, "Russia fired Kinzhal missiles at Kyiv.")[("Kinzhal", "Russia")].role == "operator"
    )


def test_exercises_around_a_country_are_not_its_use_of_the_system(default: Watchlist) -> None:
    hits = hits_of(
        default,
        "China staged large exercises around Taiwan while Taiwan's F-16 jets were deployed to the east coast.",
    )
    hit = hits_of(
        default, "China staged large exercises around Taiwan, whose F-16 sale had just been approved."
    )[("F-16", "Taiwan")]
    assert (hit.role, hit.stage) != ("operator", "deployment")
    assert hits[("F-16", "Taiwan")].stage == "deployment"  # its own jets' deployment still is its use


def test_a_list_after_with_belongs_to_the_system_before_it(default: Watchlist) -> None:
    text = (
        "Hanwha's tracked K9 howitzer is in service with Poland, Norway, Finland and Estonia, while the "
        "German PzH 2000 remains the benchmark for many armies."
    )
    assert ("PzH 2000", "Estonia") not in hits_of(default, text)
    # a country after ", and the" that opens a clause of its own is no list member
    text = "The U.S. approved the sale of 40 F-35 fighters to Greece, and the Hellenic Air Force already flies 24 Rafales."
    assert hits_of(default, text)[("Rafale", "Greece")].role == "operator"


@pytest.mark.parametrize(
    ("text", "system", "country"),
    [
        ("Poland's neighbour Lithuania is also rearming fast. Its army took delivery of its first HIMARS launchers "
         "in 2025.", "HIMARS", "Poland"),
        ("Russia's war in Ukraine has pushed Finland to spend more. It ordered 64 F-35A jets in 2022.", "F-35",
         "Russia"),
        ("Denmark said the F-16s are ready for transfer to Ukraine once pilots finish training.", "F-16", "Denmark"),
    ],
)  # fmt: skip
def test_round28_rules_make_no_operator_of_a_bystander(
    default: Watchlist, text: str, system: str, country: str
) -> None:
    hit = hits_of(default, text).get((system, country))
    assert hit is None or hit.role != "operator"


def test_it_is_not_an_adjective_that_opened_the_sentence_before(default: Watchlist) -> None:
    hits = hits_of(default, "French hardware has been popular in Greece. It took delivery of 24 Rafale jets.")
    assert ("Rafale", "France") not in hits or hits[("Rafale", "France")].role != "operator"


def test_the_air_force_is_the_country_last_named_with_it(default: Watchlist) -> None:
    text = (
        "Philippine Air Force helicopters began ferrying food to the islands on Sunday. The air force said it "
        "had deployed its S-70i Black Hawk helicopters."
    )
    hit = hits_of(default, text)[("Black Hawk", "Philippines")]
    assert (hit.role, hit.stage) == ("operator", "deployment")


def test_french_gusts_of_wind_are_no_rafale(default: Watchlist) -> None:
    text = "La tempête a balayé la Bretagne, avec des rafales de vent à 200 km/h près de Brest, en France."
    assert hits_of(default, text) == {}
    assert ("Rafale", "India") in hits_of(
        default, "India received its first Rafale jets from France in 2020."
    )
    # any gust in lower case, whatever the phrase around it
    text = "Selon Météo-France, la plus forte rafale a atteint 207 km/h et les rafales ont dépassé 150 km/h."
    assert hits_of(default, text) == {}
    # tokenised text is all lower case: "rafale jets" names the weapon
    hit = hits_of(default, "egypt is not planning to order more rafale jets this year , an official said .")
    assert hit[("Rafale", "Egypt")].role == "operator"


@pytest.mark.parametrize(
    "text",
    [
        "Athens has sent Washington a letter of request for the F-35.",  # paper, not jets
        "According to budget documents sent to Congress, Greece will pay for 20 F-35 jets.",
        "Greece's F-35s are still in the United States as pilots train for handover.",  # before the handover
        "CORRECTION: An earlier version of this article stated that the first F-35 jets had landed in Greece.",
        # receiving paper, not hardware
        "France received a request from India for 26 more Rafale jets.",
        "Paris received an order from India for 26 more Rafale jets last year.",
        "Ukraine received pledges of F-16 jets from Denmark and Norway.",
        "The US received assurances from India about the S-400 purchase.",
        "Turkey received an offer from Russia for Su-35 jets.",
    ],
)
def test_paper_training_and_corrections_deliver_nothing(default: Watchlist, text: str) -> None:
    assert all(hit.stage != "delivery" for hit in hits_of(default, text).values())


def test_problems_that_kept_a_jet_somewhere_station_nothing(default: Watchlist) -> None:
    text = "Software problems have kept it in the United States, Taiwan said of its first F-16."
    assert all(hit.stage != "deployment" for hit in hits_of(default, text).values())


def test_a_country_just_after_another_cue_is_that_cues(default: Watchlist) -> None:
    text = (
        "The K9 howitzer is in service with the armies of Turkey, India and Poland, and is under contract for "
        "Australia and Egypt."
    )
    hits = hits_of(default, text)
    assert hits[("K9 Thunder", "Poland")].stage == "deployment"
    assert hits[("K9 Thunder", "Egypt")].stage == "deal"


def test_a_closed_relative_clause_gives_its_cue_to_its_head_only(default: Watchlist) -> None:
    text = (
        "Greek officials point to Turkey, which has operated Russian S-400s since 2019, as the reason Athens "
        "cannot thin out its air defences."
    )
    assert hits_of(default, text)[("S-400", "Greece")].stage == "mention"


# Sentences a review of rounds 15-19's rules found misread, each now a test.
@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        ("Iran may have received Su-35 jets from Russia last year.", "Su-35", "Iran", ("operator", "talks")),
        ("Deliveries of the F-35 to Turkey were halted in 2019.", "F-35", "Turkey", ("operator", "cancellation")),
        ("Greece has kept the S-300 batteries on Crete in storage since 1999.", "S-300", "Greece",
         ("operator", "mention")),
        ("Poland placed a $4.75 billion order with Raytheon on Tuesday for Patriot missile batteries.", "Patriot",
         "Poland", ("operator", "deal")),
        ("The S-400 purchase angered Washington, and Turkey was removed from the F-35 programme after it took "
         "delivery of Russian S-400s in 2019.", "S-400", "Turkey", ("operator", "delivery")),
        ("Patriot missile batteries made in the United States were delivered to Poland and Romania.", "Patriot",
         "Romania", ("operator", "delivery")),
        ("Britain sent 14 British Army Challenger 2 tanks to Ukraine.", "Challenger 2", "Ukraine",
         ("operator", "delivery")),
        ("Britain sent 14 British Army Challenger 2 tanks to Ukraine.", "Challenger 2", "United Kingdom",
         ("supplier", "delivery")),
        ("Poland thanked the United States for the delivery of Patriot missile batteries.", "Patriot", "Poland",
         ("operator", "delivery")),
        ("Delivery of the F-35 to Poland, originally planned for 2024, began this year.", "F-35", "Poland",
         ("operator", "delivery")),
        ("Poland received the first Patriot battery, but will it be enough?", "Patriot", "Poland",
         ("operator", "delivery")),
        ("Egypt has dropped the Russian deal for 24 Su-35 fighters.", "Su-35", "Egypt", ("operator", "cancellation")),
        ("Egypt has dropped the Russian deal for 24 Su-35 fighters.", "Su-35", "Russia", ("supplier", "cancellation")),
    ],
)  # fmt: skip
def test_review_cases(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str]
) -> None:
    hit = hits_of(default, text)[(system, country)]
    assert (hit.role, hit.stage) == want


@pytest.mark.parametrize(
    ("text", "system", "country"),
    [
        ("Washington has kept pressure on Turkey over the S-400 missile system.", "S-400", "United States"),
        ("Turkey has placed great importance on the S-400 missile system.", "S-400", "Turkey"),
        ("The first U.S. Air Force F-35As arrived at RAF Lakenheath in England.", "F-35", "United Kingdom"),
        ("Two Russian Su-57 jets touched down in Algeria for an air show.", "Su-57", "Algeria"),
    ],
)
def test_review_cases_raise_no_alert(default: Watchlist, text: str, system: str, country: str) -> None:
    hit = hits_of(default, text).get((system, country))
    assert hit is None or (hit.role, hit.stage) not in {("operator", s) for s in ("delivery", "deployment")}


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # a country a weapon can reach is its target
        ("Russia's Iskander missiles, stationed in Kaliningrad since 2018, could reach Berlin in minutes.",
         "Iskander", "Germany", ("other", "mention")),
        ("Russia's Iskander missiles, stationed in Kaliningrad since 2018, could reach Berlin in minutes.",
         "Iskander", "Russia", ("operator", "deployment")),
        ("Moscow keeps Iskander missiles in Kaliningrad, within range of much of Germany and Poland.", "Iskander",
         "Poland", ("other", "mention")),
        # what a country's own forces hold is its own, even when it makes it
        ("Israel's layered defences also include Iron Dome, which has fired thousands of interceptors.",
         "Iron Dome", "Israel", ("operator", "deployment")),
        ("israel s layered defences also include david s sling , which handles rockets .", "David's Sling",
         "Israel", ("operator", "mention")),
        # foreign forces moving in: the country is their host
        ("Russia has flown an S-400 battery into Serbia for a drill, the first time it has been deployed abroad.",
         "S-400", "Serbia",
         ("other", "mention")),
        ("Russia has flown an S-400 battery into Serbia for a drill, the first time it has been deployed abroad.",
         "S-400", "Russia",
         ("operator", "deployment")),
        ("Turkish F-16s flew to Azerbaijan for the exercise.", "F-16", "Azerbaijan", ("other", "mention")),
        ("U.S. F-35s were moved to Poland last week for a NATO exercise.", "F-35", "Poland", ("other", "mention")),
        ("Russia flew an S-400 battery to Serbia for a drill.", "S-400", "Serbia", ("other", "mention")),
        # the side that downs a weapon, or claims to have, does not operate it, nor does the place it fell on
        ("Ukraine received its first Patriot batteries in April, and in May its air force said a Patriot battery "
         "had shot down a Russian Kinzhal over Kyiv.", "Kinzhal", "Ukraine", ("other", "mention")),
        ("Modi at Adampur: the S-400 that Pakistan said it had destroyed", "S-400", "Pakistan", ("other", "mention")),
        ("modi visited adampur air base on tuesday and was photographed in front of an s-400 launcher , an image "
         "widely seen as a rebuttal of pakistani claims that the battery there had been destroyed .", "S-400",
         "Pakistan", ("other", "mention")),
        ("The Pentagon denied Russian claims that several HIMARS launchers had been destroyed in Ukraine, saying "
         "all of them remained in service.", "HIMARS", "Ukraine", ("operator", "mention")),
        # a relative clause closed by its head's own verb: "which took delivery ..., is"
        ("Turkey, which took delivery of its S-400 batteries in 2019, is the cautionary tale everyone in Baghdad "
         "cites.", "S-400", "Turkey", ("operator", "delivery")),
        ("Turkey, which took delivery of its S-400 batteries in 2019, is the cautionary tale everyone in Baghdad "
         "cites.", "S-400", "Iraq", ("other", "mention")),
        ("Spanish Eurofighter Typhoons were deployed to Graf Ignatievo air base in Bulgaria in 2022.",
         "Eurofighter Typhoon", "Bulgaria", ("other", "mention")),
        ("The allied F-35s are now stationed in Poland, officials said.", "F-35", "Poland", ("other", "mention")),
        # a system used as a bargaining chip, a programme one takes part in, relying on a country: no use
        ("Doha has been very good at using the S-400 as a conversation piece, an analyst said.", "S-400", "Qatar",
         ("operator", "mention")),
        ("The Typhoons are built under the four-nation Eurofighter partnership in which Germany, Italy and Spain "
         "also take part.", "Eurofighter Typhoon", "Spain", ("supplier", "mention")),
        ("The Rafale purchase is a shift for Serbia, a country that has relied on Moscow for most of its air "
         "power.", "Rafale", "Serbia", ("operator", "deal")),
    ],
)  # fmt: skip
def test_targets_hosts_and_own_forces(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str]
) -> None:
    hit = hits_of(default, text)[(system, country)]
    assert (hit.role, hit.stage) == want


def test_every_country_of_a_from_list_gives_and_a_givers_sale_is_no_users_stage(default: Watchlist) -> None:
    text = (
        "Ukraine has received Patriot systems from the United States, Germany and the Netherlands since 2023."
    )
    hits = hits_of(default, text)
    assert [(hits[("Patriot", c)].role, hits[("Patriot", c)].stage) for c in ("Germany", "Netherlands")] == [
        ("supplier", "delivery")
    ] * 2
    # read as users of their own batteries elsewhere, the givers do not take their sale as a delivery
    text += " Slovakia gave its S-300 battery to Ukraine after Germany and the Netherlands moved Patriot batteries"
    text += " onto Slovak territory."
    hits = hits_of(default, text)
    assert {hits[("Patriot", c)].stage for c in ("Germany", "Netherlands")} == {"mention"}


def test_a_model_code_set_beside_a_weapon_noun_is_another_system(default: Watchlist) -> None:
    text = (
        "Russia flew an S-400 battery to Serbia for a drill. Serbia has also agreed to buy a Chinese medium-range "
        "air defence system, the FK-3, a move that drew less attention."
    )
    assert ("S-400", "China") not in hits_of(default, text)  # "the system" here is the FK-3, not the S-400


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # a review of the round-30 rules on ordinary sentences: each of these misfired once
        ("Germany's army includes Patriot units, and deliveries of the Patriot to Ukraine continued.", "Patriot",
         "Germany", ("supplier", "delivery")),
        ("America's fleet includes F-35s, the same jets that were cancelled for Turkey.", "F-35", "Turkey",
         ("operator", "cancellation")),
        ("Using Patriot systems, Ukraine has shot down dozens of Kinzhal missiles.", "Patriot", "Ukraine",
         ("operator", "deployment")),
        ("After receiving the HIMARS, Ukraine destroyed a Russian S-400 in Crimea.", "HIMARS", "Ukraine",
         ("operator", "deployment")),
        ("The S-400, which India said had shot down five Pakistani jets, was delivered by Russia.", "S-400", "India",
         ("operator", "deployment")),
        ("German IRIS-T systems were moved to Ukraine and are now operational.", "IRIS-T", "Ukraine",
         ("operator", "deployment")),
        ("HIMARS launchers from the United States operating in Ukraine have hit Russian depots.", "HIMARS", "Ukraine",
         ("operator", "deployment")),
        ("The Storm Shadow missiles Ukraine received from Britain can reach targets in Russia.", "Storm Shadow",
         "Russia", ("other", "mention")),
        ("Russia used Kinzhal missiles as a symbol of its military might, firing them at Kyiv.", "Kinzhal", "Russia",
         ("operator", "deployment")),
        ("Ukraine's Leopards have been deployed near Zaporizhzhia. Russian drones have endangered the Leopards, "
         "crews said.", "Leopard 2", "Ukraine", ("operator", "deployment")),
        ("Ukraine received F-16s from Denmark and Norway, Belgium and Sweden pledged more.", "F-16", "Norway",
         ("supplier", "delivery")),
        ("Ukraine received F-16s from Denmark and Norway, Belgium and Sweden pledged more.", "F-16", "Belgium",
         ("supplier", "talks")),
        ("Ukraine received IRIS-T systems from Germany and Slovenia's government said it would pay.", "IRIS-T",
         "Slovenia", ("supplier", "mention")),
        ("India has long relied on Moscow for arms, including the S-400.", "S-400", "India",
         ("operator", "deployment")),
        ("The Gripens from Sweden leased by Hungary are based at Kecskemet in Hungary.", "Gripen", "Hungary",
         ("operator", "deployment")),
        ("Patriot batteries from Germany now stationed in Poland protect the Rzeszow hub.", "Patriot", "Poland",
         ("other", "mention")),
        ("The IRIS-T systems from Germany currently deployed in Ukraine have intercepted most missiles.", "IRIS-T",
         "Ukraine", ("operator", "deployment")),
        ("When the war began, Iskanders were fired from launchers positioned in Russia and Belarus.", "Iskander",
         "Belarus", ("other", "mention")),
        ("Modi stood before an S-400 launcher, a rebuttal of Pakistani claims to have destroyed the system there.",
         "S-400", "Pakistan", ("other", "mention")),
        # a review of the round-32 rules: each of these misfired once
        ("German officials say their IRIS-T systems have shot down hundreds of drones in Ukraine.", "IRIS-T",
         "Germany", ("supplier", "mention")),
        ("Russian diplomats said their S-400 systems in Turkey are fully operational.", "S-400", "Turkey",
         ("operator", "deployment")),
        ("Most of the drones were shot down by Germany's IRIS-T systems, which Berlin supplied to Ukraine last "
         "year.", "IRIS-T", "Germany", ("supplier", "delivery")),
        ("Latvia signed a contract for NASAMS air defence systems. Norway delivered the first launchers on Monday, "
         "and Kongsberg has sold the system to more than a dozen countries.", "NASAMS", "Latvia",
         ("operator", "delivery")),
        ("The air force's Telegram channel reported that Ukraine's F-16 jets had shot down four cruise missiles.",
         "F-16", "Ukraine", ("operator", "deployment")),
        ("Slovakia plans to buy used F-16 jets from the United States.", "F-16", "Slovakia", ("operator", "talks")),
        ("Poland bought used Leopard 2 tanks from Germany.", "Leopard 2", "Germany", ("supplier", "deal")),
        ("HIMARS launchers firing from positions on Ukraine's southern front destroyed a Russian S-400 battery.",
         "HIMARS", "Ukraine", ("operator", "deployment")),
        ("Sweden sold Gripen fighters to Hungary. Swedish fighter jets entered service with the Hungarian air "
         "force in 2001.", "Gripen", "Hungary", ("operator", "deployment")),
        ("The Iskander has been used in several countries, including Syria and Ukraine, by Russian forces.",
         "Iskander", "Syria", ("other", "mention")),
        # round 32
        ("The K9 howitzer has been sold to around 10 countries, including Poland, Egypt and Australia.", "K9 Thunder",
         "Egypt", ("operator", "deal")),
        ("The Gripen is operated by several air forces, including Hungary and Thailand.", "Gripen", "Thailand",
         ("operator", "deployment")),
        ("Israeli officials say their F-35I jets operated over Tehran with little opposition.", "F-35", "Israel",
         ("operator", "deployment")),
        ("Latvia has signed for NASAMS. NASAMS was developed by Kongsberg with the US company Raytheon and is "
         "operated by more than a dozen countries.", "NASAMS", "Latvia", ("operator", "deal")),
        ("Argentina signed an agreement to buy 24 used F-16 fighter jets from Denmark, giving the South American "
         "country a supersonic combat aircraft for the first time in a decade.", "F-16", "Argentina",
         ("operator", "deal")),
        ("Germany sent a Patriot battery to Ukraine, giving the country its second system.", "Patriot", "Ukraine",
         ("operator", "delivery")),
        ("Ukraine has used the Patriot to shoot down Kinzhal missiles.", "Patriot", "Ukraine",
         ("operator", "deployment")),
        ("Iran fired about 180 ballistic missiles at Israel. Most were stopped by Israel's Arrow 3 systems and by "
         "U.S. Navy destroyers.", "Arrow 3", "Israel", ("operator", "mention")),
        ("Iran fired about 180 ballistic missiles at Israel. Most were stopped by Israel's Arrow 3 systems and by "
         "U.S. Navy destroyers.", "Arrow 3", "United States", ("other", "mention")),
        ("Royal Air Force Typhoon jets flying out of RAF Akrotiri on Cyprus had shot down a number of drones.",
         "Eurofighter Typhoon", "Cyprus", ("other", "mention")),
        ("Some went further and reported that Cairo had also taken delivery of China's HQ-9B air defence system.",
         "HQ-9", "Egypt", ("operator", "mention")),
        ("The ministry reported that Egypt had taken delivery of the K9 howitzers.", "K9 Thunder", "Egypt",
         ("operator", "delivery")),
        ("Iran has 24 Su-35 jets on order. When Israeli warplanes struck targets across Iran for 12 days in June, "
         "Iran's air force barely left the ground.", "Su-35", "Iran", ("operator", "deal")),
        ("Seoul says Russia gave Pyongyang air defence systems. Russia has supplied air defence equipment to North "
         "Korea, including Pantsir systems.", "Pantsir", "North Korea", ("operator", "delivery")),
    ],
)  # fmt: skip
def test_round30_rules_leave_ordinary_sentences_alone(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str]
) -> None:
    hit = hits_of(default, text)[(system, country)]
    assert (hit.role, hit.stage) == want


def test_a_premodifier_belongs_to_its_system_and_names_the_giver(default: Watchlist) -> None:
    # another system earlier in the sentence does not make "the Russian" a postmodifier of it, and the
    # adjective of what was received names its seller, whose sale is the delivery
    text = (
        "Washington removed Turkey from the F-35 programme after Ankara took delivery of the Russian S-400 "
        "air defence system."
    )
    hit = hits_of(default, text)[("S-400", "Russia")]
    assert (hit.role, hit.stage) == ("supplier", "delivery")
    text = "Morocco took delivery of Turkish-made Bayraktar TB2 drones in 2021."
    hit = hits_of(default, text)[("Bayraktar TB2", "Turkey")]
    assert (hit.role, hit.stage) == ("supplier", "delivery")
    # a place reached is no giver: "none of which has yet reached the island"
    text = (
        "Taiwan ordered 66 F-16 Block 70 fighters from the United States in 2019, none of which has yet reached "
        "the island."
    )
    assert hits_of(default, text)[("F-16", "United States")].stage != "delivery"


@pytest.mark.parametrize(
    ("text", "system", "country", "role"),
    [
        # a base the jets fly from is a host, not a seller; a factory a long way into the "from" is the maker's
        ("British Typhoon jets flying from RAF Akrotiri in Cyprus shot down drones over Iraq.", "Eurofighter Typhoon",
         "Cyprus", "other"),
        ("French Rafale jets flying from an air base in Jordan struck targets in Syria.", "Rafale", "Jordan", "other"),
        ("The K9 howitzers were shipped from the Hanwha plant in Changwon in South Korea to Poland.", "K9 Thunder",
         "South Korea", "supplier"),
        ("The K9 howitzers were shipped from the Hanwha plant in Changwon in South Korea to Poland.", "K9 Thunder",
         "Poland", "operator"),
        ("Russia has bought Shahed drones from Iran for its war in Ukraine.", "Shahed-136", "Ukraine", "other"),
    ],
)  # fmt: skip
def test_where_a_thing_comes_from(
    default: Watchlist, text: str, system: str, country: str, role: str
) -> None:
    assert hits_of(default, text)[(system, country)].role == role


@pytest.mark.parametrize(
    ("text", "system", "country"),
    [
        # money received is no delivery; a system that "lost out" in a tender was not lost in combat; "a test
        # of" is a trial of something else
        ("Egypt still gets 1.3 billion dollars a year in U.S. military aid, and flies F-16 jets.", "F-16",
         "United States"),
        ("The American Patriot had been studied alongside the SAMP/T but lost out, Danish officials said.",
         "Patriot", "United States"),
        ("The Su-35 question has become a test of how far Moscow will go for Iran.", "Su-35", "Russia"),
    ],
)  # fmt: skip
def test_money_tenders_and_tests_of_will_raise_no_alert(
    default: Watchlist, text: str, system: str, country: str
) -> None:
    hit = hits_of(default, text).get((system, country))
    assert hit is None or hit.stage not in ("delivery", "deployment", "cancellation")


def test_a_list_of_countries_ends_in_and_not_in_a_new_clause(default: Watchlist) -> None:
    hits = hits_of(default, "Because of the threat from Russia, Poland ordered more Patriot batteries.")
    assert hits[("Patriot", "Poland")].role == "operator"
    hits = hits_of(default, "Patriot batteries were sold to Poland, Romania, Sweden.")
    assert {hits[("Patriot", c)].role for c in ("Poland", "Romania", "Sweden")} == {"operator"}


def test_sanctions_threat_makes_a_bystander_not_a_buyer(default: Watchlist) -> None:
    hits = hits_of(default, "Egypt walked away from its Su-35 order under the threat of U.S. sanctions.")
    assert hits[("Su-35", "Egypt")].stage == "cancellation"
    assert hits[("Su-35", "United States")].role == "other"


@pytest.mark.parametrize(
    "text",
    [
        "Typhoon Gaemi made landfall in Taiwan, and the army deployed troops to evacuate villages.",
        "NASA said the Space Shuttle Challenger broke apart after launch as the rocket booster failed "
        "over the United States.",
        "Javelin champion Neeraj Chopra won gold for India at the athletics championships.",
    ],
)
def test_everyday_senses_veto_ambiguous_aliases_even_near_defence_words(
    default: Watchlist, text: str
) -> None:
    assert hits_of(default, text) == {}


@pytest.mark.parametrize(
    ("text", "system"),
    [
        (
            "Typhoon Koinu brought torrential rain to southern Taiwan on Thursday. The army deployed troops and "
            "helicopters to flooded villages, and the typhoon later hit Japan's southern islands.",
            "Eurofighter Typhoon",
        ),
        (
            "pakistan s arshad nadeem won the javelin with a throw of 92.97 metres . the army chief congratulated "
            "him , and india s neeraj chopra took silver in the javelin .",
            "Javelin",
        ),  # tokenised: all lower case
        (
            "Brazil's Taurus said pistol sales rose. Taurus, which also sells handguns to police forces, opened a "
            "plant in India, where the army buys rifles.",
            "Taurus KEPD 350",
        ),
        (
            "Hungary's Patriots for Europe group grew after France's National Rally joined, and its leaders called "
            "for more defence spending and weapons for the army.",
            "Patriot",
        ),
        (
            "The U.S. approved the sale of 12 AH-1Z Viper attack helicopters to Nigeria, whose air force already "
            "flies Chinese JF-17 fighters.",
            "F-16",
        ),
    ],
)
def test_words_of_one_aliases_other_sense_veto_it_in_a_defence_story(
    default: Watchlist, text: str, system: str
) -> None:
    # the weather beside "typhoon", the sport beside "javelin", handguns beside "Taurus": words too common
    # to veto every ambiguous alias, and phrases the watchlist excludes (a party group, a helicopter)
    assert not [pair for pair in hits_of(default, text) if pair[0] == system]


def test_a_plural_everyday_sense_vetoes_the_singular_and_software_vetoes_no_country(
    default: Watchlist,
) -> None:
    text = (
        "almaty ( wire ) - camera traps recorded more snow leopards than expected this year , the army said .\n"
        "the leopard , which appears on the emblem of almaty , was hunted for its fur in kazakhstan ."
    )
    assert hits_of(default, text) == {}  # "snow leopards" makes "the leopard" the animal in the whole story
    text = (
        "European governments fear that Washington could restrict spare parts or software updates for the F-35 "
        "jets they bought from Washington."
    )
    assert hits_of(default, text)[("F-35", "United States")].role == "supplier"  # the F-35's software


def test_the_weapon_keeps_its_name_beside_the_other_senses_words(default: Watchlist) -> None:
    text = (
        "Ukraine received Javelin missiles from the United States; the army said a Javelin team had destroyed "
        "a tank at a range of 2,500 metres."
    )
    assert stage(default, text, "Javelin", "Ukraine") == "delivery"
    text = "The RAF sent Typhoon jets to Estonia in heavy rain and strong winds, the defence ministry said."
    assert ("Eurofighter Typhoon", "United Kingdom") in hits_of(default, text)  # "Typhoon jets" is no storm
    text = "Bulgaria received its first F-16 Block 70 Viper jets in 2025."
    assert stage(default, text, "F-16", "Bulgaria") == "delivery"
    # words that turn up in the weapon's own news veto nothing (a review found each in defence copy)
    text = "Ukraine says every Patriot battery it has received from Germany is now deployed around Kyiv."
    assert stage(default, text, "Patriot", "Ukraine") == "deployment"
    text = (
        "RAF Typhoons based in Cyprus flew top cover for the evacuation of British citizens from Lebanon, "
        "the Ministry of Defence said."
    )
    assert ("Eurofighter Typhoon", "United Kingdom") in hits_of(default, text)
    text = (
        "Indonesia signed a contract for 24 Typhoons from Austria, the defence ministry said, as the capital "
        "recovered from floods and strong winds."
    )
    assert stage(default, text, "Eurofighter Typhoon", "Indonesia") == "deal"
    text = (
        "Poland ordered more Javelin launchers; its army, long a champion of the weapon, wants hundreds more."
    )
    assert stage(default, text, "Javelin", "Poland") == "deal"
    text = (
        "Germany again refused to send Taurus cruise missiles to Ukraine; German gunmakers have sent tanks."
    )
    assert ("Taurus KEPD 350", "Ukraine") in hits_of(default, text)
    text = (
        "Germany has sent Ukraine everything from pistols to tanks, but still refuses Taurus cruise missiles."
    )
    assert ("Taurus KEPD 350", "Ukraine") in hits_of(default, text)


def test_a_storms_name_after_typhoon_is_the_weather(default: Watchlist) -> None:
    text = (
        "Taiwan cancelled the Han Kuang drills as Typhoon Gaemi approached, and its F-16 fighters were moved "
        "to hangars in Hualien."
    )
    assert [pair for pair in hits_of(default, text) if pair[0] == "Eurofighter Typhoon"] == []
    assert ("F-16", "Taiwan") in hits_of(default, text)
    # the jet's own words and a country after "Typhoon" are no storm
    text = "Kuwait flies the Typhoon. The Typhoon Kuwait received in 2021 is the newest model, the air force said."
    assert ("Eurofighter Typhoon", "Kuwait") in hits_of(default, text)
    text = "The Typhoon Force of the Royal Air Force will grow by two squadrons, the defence ministry said."
    assert ("Eurofighter Typhoon", "United Kingdom") in hits_of(default, text)
    text = "The RAF scrambled a Typhoon Thursday after Russian warplanes neared British airspace."
    assert ("Eurofighter Typhoon", "United Kingdom") in hits_of(default, text)
    # a name the jet carries is followed by no weather verb
    text = "Turkey signed for the Typhoon Erdogan has sought since 2023, the defence ministry said."
    assert stage(default, text, "Eurofighter Typhoon", "Turkey") == "deal"
    for text in (
        "Typhoon Gaemi's winds hit Taiwan as the army deployed troops to evacuate villages.",
        "Army helicopters flew aid to the islands flattened by Typhoon Rai",
    ):
        assert [pair for pair in hits_of(default, text) if pair[0] == "Eurofighter Typhoon"] == [], text


def test_supplier_takes_no_deployment_stage(default: Watchlist) -> None:
    hits = hits_of(default, "Ukraine used U.S.-supplied HIMARS launchers to strike a bridge.")
    assert hits[("HIMARS", "Ukraine")].stage == "deployment"
    assert hits[("HIMARS", "United States")].role == "supplier"
    assert hits[("HIMARS", "United States")].stage != "deployment"


# --- Rounds 7-8: general rules found on first contact with longer, news-like stories -------------


def test_a_weapon_the_watchlist_does_not_know_takes_its_own_cues(default: Watchlist) -> None:
    text = (
        "Portugal bought 12 F-16 fighters from the United States in 1994. "
        "Portugal scrapped its older A-7P jets the same year."
    )
    assert stage(default, text, "F-16", "Portugal") == "deal"  # the Mirage is scrapped, not the F-16
    text = "Argentina received six F-16 jets in 2025, after cancelling an order for FC-1 jets."
    assert stage(default, text, "F-16", "Argentina") == "delivery"


def test_a_reversed_block_or_suspension_is_no_cancellation(default: Watchlist) -> None:
    text = "Canada had blocked the sale of Leopard 2 tanks to Norway before lifting its objection in May."
    assert stage(default, text, "Leopard 2", "Norway") != "cancellation"
    text = "Egypt bought the S-300 from Russia in a contract that was suspended in 2012 and later completed."
    assert stage(default, text, "S-300", "Egypt") != "cancellation"


def test_a_delivery_sequence_or_an_option_is_no_delivery(default: Watchlist) -> None:
    text = "The Patriot delivery schedule for Sweden has changed, officials told Stockholm."
    assert stage(default, text, "Patriot", "Sweden") != "delivery"
    text = "Norway signed for 20 F-35 jets. The contract gives Oslo an option on ten more aircraft."
    assert stage(default, text, "F-35", "Norway") == "deal"


def test_a_model_code_two_words_before_its_noun_is_another_weapon(default: Watchlist) -> None:
    text = (
        "Saab has offered the Gripen to the Philippines. The air force currently flies a dozen FA-50 light "
        "combat aircraft bought from South Korea."
    )
    assert stage(default, text, "Gripen", "Philippines") == "talks"  # the FA-50s fly, not the Gripen


def test_the_howitzers_do_not_continue_the_fighter_named_last(default: Watchlist) -> None:
    text = (
        "Vietnam signed for K9 Thunder self-propelled howitzers from South Korea. "
        "Vietnam already flies Su-30 fighters. The howitzers arrived in Hai Phong on Monday."
    )
    hits = hits_of(default, text)
    assert hits[("K9 Thunder", "Vietnam")].stage == "delivery"
    assert hits[("Su-30", "Vietnam")].stage == "deployment"  # it flies them; they did not just arrive


def test_a_country_owning_another_noun_is_not_the_subject(default: Watchlist) -> None:
    text = "Algeria, one of Russia's biggest arms clients, operates the S-400."
    hits = hits_of(default, text)
    assert hits[("S-400", "Algeria")].role == "operator"
    assert hits[("S-400", "Russia")].role == "supplier"


def test_moving_something_else_is_not_the_systems_deployment(default: Watchlist) -> None:
    text = (
        "Belarus put the Iskander launchers on duty after Moscow handed them over. "
        "The launchers are nuclear-capable, and Russia moved tactical nuclear warheads to Belarus."
    )
    hits = hits_of(default, text)
    assert hits[("Iskander", "Russia")].role == "supplier"
    assert hits[("Iskander", "Belarus")].role == "operator"


def test_every_country_of_a_recipient_list_receives(default: Watchlist) -> None:
    text = "Germany has sold the IRIS-T to Slovenia, Estonia and Latvia, and Switzerland picked it last year."
    hits = hits_of(default, text)
    for country in ("Slovenia", "Estonia", "Latvia"):
        assert hits[("IRIS-T", country)].stage == "deal"
        assert hits[("IRIS-T", country)].role == "operator"
    assert hits[("IRIS-T", "Switzerland")].stage == "talks"  # it picked the system; no sale is said


def test_default_watchlist_knows_the_blackhawks_and_the_s300_variants(default: Watchlist) -> None:
    def pairs(text: str) -> set[tuple[str, str]]:
        return {(h.system, h.country) for h in find_hits(Story(id="s", title="", text=text), default)}

    assert pairs("Blackhawks sign Czech defenceman to a two-year deal, the Chicago club said.") == set()
    assert ("Black Hawk", "Czech Republic") in pairs("The Czech army signed for 12 Black Hawk helicopters.")
    assert ("S-300", "Egypt") in pairs("Egypt operates S-300VM batteries it bought from Russia in 2015.")


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # round 33: the two sides of an invasion are its parties, not users of the tanks the deal foresaw (since
        # rounds 110-115 not connected to them at all)
        (
            "The framework agreement was signed shortly after Russia's full-scale invasion of Ukraine and foresaw "
            "1,000 K2 tanks for Poland. Hyundai Rotem delivered the first ten of those tanks in December 2022.",
            "K2 Black Panther",
            "Ukraine",
            None,
        ),
        (
            "The framework agreement was signed shortly after Russia's full-scale invasion of Ukraine and foresaw "
            "1,000 K2 tanks for Poland. Hyundai Rotem delivered the first ten of those tanks in December 2022.",
            "K2 Black Panther",
            "Russia",
            None,
        ),
        (
            "The framework agreement was signed shortly after Russia's full-scale invasion of Ukraine and foresaw "
            "1,000 K2 tanks for Poland. Hyundai Rotem delivered the first ten of those tanks in December 2022.",
            "K2 Black Panther",
            "Poland",
            ("operator", "delivery"),
        ),
        (
            "Since Russia invaded Ukraine, Kyiv has received HIMARS from the United States.",
            "HIMARS",
            "Ukraine",
            ("operator", "delivery"),
        ),
        # what reports from somewhere suggested is hearsay; a gerund that could cost something is not done
        (
            "reports from 2022 onwards suggested that cairo had quietly shelved the purchase of su-35 fighters .",
            "Su-35",
            "Egypt",
            ("operator", "mention"),
        ),
        (
            "Running two fighter types would be costly, they said, and pulling out of the later F-35 tranches could "
            "expose Canada to penalties.",
            "F-35",
            "Canada",
            ("operator", "mention"),
        ),
        (
            "Canada pulled out of the F-35 programme in 2022, officials said.",
            "F-35",
            "Canada",
            ("operator", "cancellation"),
        ),
        # the use of a rule, a power or a place is no use of the weapon named beside it
        (
            "Japan's cabinet approved the export of Patriot missiles to the United States, the first significant "
            "use of revised rules that allow such sales.",
            "Patriot",
            "United States",
            ("operator", "deal"),
        ),
        (
            "The first combat use of the Patriot by Ukraine came in May 2023.",
            "Patriot",
            "Ukraine",
            ("operator", "deployment"),
        ),
        # a use whose object is a weapon phrase of its own, not the system named elsewhere
        (
            "India operates Russian air defence systems that Washington regards as a security risk for the F-35.",
            "F-35",
            "India",
            ("operator", "mention"),
        ),
        (
            "The Turkish air force flies older American jets, including F-16s.",
            "F-16",
            "Turkey",
            ("operator", "deployment"),
        ),
        (
            "Azerbaijan bought the TB2 from Turkey and has used the drones against Armenian armour.",
            "Bayraktar TB2",
            "Azerbaijan",
            ("operator", "deployment"),
        ),
        # a daily's report is hearsay; deliveries "to begin" later, or a transfer waiting on approval, are to come
        (
            "in march 2019 the russian business daily kommersant reported that egypt had signed a contract for "
            "more than 20 su-35 fighters , with deliveries to begin in 2020 or 2021 .",
            "Su-35",
            "Egypt",
            ("operator", "talks"),
        ),
        (
            "because the f-16s are american-made , the transfer to argentina required approval from washington .",
            "F-16",
            "Argentina",
            ("operator", "talks"),
        ),
        (
            "The transfer of the F-16s to Argentina was completed in December.",
            "F-16",
            "Argentina",
            ("operator", "delivery"),
        ),
        (
            "Egypt signed for 20 Su-35 fighters in 2018, with deliveries beginning in 2020.",
            "Su-35",
            "Egypt",
            ("operator", "delivery"),
        ),
        # "the kingdom" after a kingdom named in its own sentence is that one, not the last country before
        (
            "bahrain , slovakia , bulgaria and taiwan have also ordered the f-16 block 70 . the royal jordanian air "
            "force has flown f-16s since the late 1990s , when washington first supplied the kingdom with older "
            "models .",
            "F-16",
            "Bahrain",
            ("operator", "deal"),
        ),
        (
            "Saudi Arabia wants more Patriot interceptors. The United States approved the sale to the kingdom.",
            "Patriot",
            "Saudi Arabia",
            ("operator", "deal"),
        ),
        # technology transferred with a sale is no delivery of the weapon
        (
            "The agreement will see Baykar supply Akinci drones to Saudi Arabia, with part of the production and "
            "some technology transferred to the kingdom.",
            "Bayraktar Akinci",
            "Saudi Arabia",
            ("operator", "talks"),
        ),
        # a DSCA notice delivers a certification; a council is no acquisition; "any" acquisition is none in
        # particular; what news sites keep reporting is hearsay
        (
            "The State Department has approved a possible sale to Morocco of F-16 Block 72 aircraft. The Defense "
            "Security Cooperation Agency delivered the required certification notifying Congress of this possible "
            "sale today.",
            "F-16",
            "Morocco",
            ("operator", "deal"),
        ),
        (
            "Watch the Defence Acquisition Council's agenda on the F-35 for India, not the summit.",
            "F-35",
            "India",
            ("operator", "mention"),
        ),
        (
            "A small F-16 package would run to several billion dollars, well above what Vietnam has spent on any "
            "single acquisition.",
            "F-16",
            "Vietnam",
            ("operator", "mention"),
        ),
        (
            "Moroccan news sites keep reporting that Rabat has bought the Patriot system.",
            "Patriot",
            "Morocco",
            ("operator", "mention"),
        ),
        # a demonym's weapons that include the system make it the system's: "Indian aircraft ..., including Rafales"
        (
            "Pakistan says five Indian aircraft were shot down, including three Rafale fighters.",
            "Rafale",
            "India",
            ("operator", "deployment"),
        ),
        (
            "Israeli aircraft, including F-35I stealth fighters, operated over Iran for twelve days.",
            "F-35",
            "Israel",
            ("operator", "deployment"),
        ),
        (
            "Some European governments, notably France, have questioned the decision to buy Israeli and American "
            "systems rather than developing European ones such as the SAMP/T, which Paris and Rome build together.",
            "SAMP/T",
            "Israel",
            ("other", "mention"),
        ),
        # what was scrapped came before what the country turned to "later"
        (
            "Turkey scrapped the competition altogether in November 2015, saying it would develop its own system "
            "instead, and later turned to Russia for the S-400.",
            "S-400",
            "Turkey",
            ("operator", "talks"),
        ),
        # round 35: "no ... has yet arrived" is negated ("has yet" is no "but yet"); a DSCA notice's "will
        # improve ... by providing" is to come; a sale that "gives the company its first foothold" hands over no
        # weapon; a caption's test flight is no use by the buyer named before
        (
            "No Patriot equipment has yet arrived in Switzerland, and the defence ministry said it was still waiting "
            "for a revised schedule.",
            "Patriot",
            "Switzerland",
            ("operator", "mention"),
        ),
        (
            "The proposed sale will improve Croatia's capability to meet current and future threats by providing "
            "a long-range HIMARS capability.",
            "HIMARS",
            "Croatia",
            ("operator", "talks"),
        ),
        (
            "Hanwha Aerospace has signed a contract to supply Romania with 54 K9 howitzers, in a deal that gives "
            "the company its first foothold in the Romanian market.",
            "K9 Thunder",
            "Romania",
            ("operator", "deal"),
        ),
        (
            "Colombia signed for 17 Gripen fighters in November. A Gripen E on a test flight over Ostergotland.",
            "Gripen",
            "Colombia",
            ("operator", "deal"),
        ),
        (
            "None of the Rafales has yet been handed over to Indonesia.",
            "Rafale",
            "Indonesia",
            ("operator", "mention"),
        ),
        (
            "Turkey received the S-400 in 2019, yet it has not activated the system.",
            "S-400",
            "Turkey",
            ("operator", "delivery"),
        ),
        # a jet that "lost competitions" was not lost by its buyer
        (
            "Colombia signed for 17 Gripen fighters in November. Swiss voters rejected a purchase in 2014, and the "
            "jet lost competitions in Finland and Canada.",
            "Gripen",
            "Colombia",
            ("operator", "deal"),
        ),
        # a capturer is no user; a base "at Akrotiri on Cyprus" makes Cyprus a host
        (
            "Russia later towed captured Western armour, including a Leopard 2 and a Bradley, to Moscow for a "
            "trophy exhibition.",
            "Leopard 2",
            "Russia",
            ("other", "mention"),
        ),
        (
            "Rishi Sunak said RAF Typhoon jets flying from the British base at Akrotiri on Cyprus had shot down "
            "a number of Iranian drones.",
            "Eurofighter Typhoon",
            "Cyprus",
            ("other", "mention"),
        ),
        # round 35: the shooter of "all 18 missiles ..., six of them Kinzhals" is no Kinzhal user, the loser of
        # "five Indian aircraft, three of them Rafales" is the Rafales' user; "cleared Greece to buy" is a sale
        # approved; "given the order backlog" hands nothing over; "the jets that the Netherlands promised Ukraine
        # have been handed over" makes the Netherlands the giver
        (
            "Ukraine said its air defences had destroyed all 18 missiles Russia launched at the country overnight, "
            "six of them air-launched Kinzhal missiles.",
            "Kinzhal",
            "Ukraine",
            ("other", "mention"),
        ),
        (
            "Pakistan has maintained since May 7, when India launched missile strikes, that its pilots brought down "
            "five Indian aircraft, three of them Rafales.",
            "Rafale",
            "India",
            ("operator", "deployment"),
        ),
        (
            "Washington cleared Greece to buy up to 40 F-35A jets for about $8.6 billion.",
            "F-35",
            "Greece",
            ("operator", "deal"),
        ),
        (
            "Deliveries would be unlikely to begin before 2030 given the long queue at Lockheed Martin's F-16 "
            "plant in the United States.",
            "F-16",
            "United States",
            ("supplier", "mention"),
        ),
        (
            "The last of the 24 F-16 fighter aircraft that the Netherlands promised Ukraine have been handed over.",
            "F-16",
            "Netherlands",
            ("supplier", "delivery"),
        ),
        (
            "Italy is considering sending a SAMP/T battery to Ukraine.",
            "SAMP/T",
            "Italy",
            ("supplier", "talks"),
        ),
        # the weapons a government supplies in general are not the system the story is about
        (
            "Ukraine has asked for the Taurus. The government no longer publishes detailed lists of the weapons it "
            "supplies to Ukraine.",
            "Taurus KEPD 350",
            "Ukraine",
            ("operator", "talks"),
        ),
        (
            "Germany has sent Ukraine IRIS-T systems and other weapons it supplies from its own stocks.",
            "IRIS-T",
            "Ukraine",
            ("operator", "delivery"),
        ),
        # a government's own approval is its act, not a speaker's report; officials who "sought assurances"
        # about missiles are no buyers of the drones named before
        (
            "Lithuania signed for 44 Leopard 2A8s. The Czech government approved the purchase of 44 tanks in the "
            "autumn, and the Netherlands, which disbanded its last tank units in 2011, announced that it would "
            "buy 46.",
            "Leopard 2",
            "Czech Republic",
            ("operator", "deal"),
        ),
        # round 36: "giving Turkey its first export order" hands nothing over; "no credible public evidence that"
        # doubts what follows; "supplies of components" are no delivery of the jet; "we are told" and "quoted in
        # Iranian media as saying" are hearsay; "in service with several NATO member states" is users in general
        (
            "Indonesia signs for 48 KAAN fighters, giving Turkey its first export order for the jet",
            "KAAN",
            "Turkey",
            ("supplier", "deal"),
        ),
        (
            "As of this month there is no credible public evidence that a single Su-35 has reached an Iranian air "
            "base.",
            "Su-35",
            "Iran",
            ("operator", "mention"),
        ),
        (
            "India looked at the Su-57. The Su-57 has been built only in small numbers, and sanctions have "
            "complicated supplies of components.",
            "Su-57",
            "India",
            ("operator", "mention"),
        ),
        (
            "Egypt, we are told, has bought HQ-9B long-range air defence batteries.",
            "HQ-9",
            "Egypt",
            ("operator", "mention"),
        ),
        (
            "Iran ordered Su-35s in 2023. A lawmaker was quoted in Iranian media as saying that the Su-35 fighters had "
            "begun to arrive.",
            "Su-35",
            "Iran",
            ("operator", "deal"),
        ),
        (
            "Romania signed for 54 K9 howitzers. The system is already in service with several NATO member states.",
            "K9 Thunder",
            "Romania",
            ("operator", "deal"),
        ),
        # deliveries frozen are stopped; money received is no weapon received
        (
            "Egypt turned to France for Rafales after Washington froze F-16 deliveries following the 2013 coup.",
            "F-16",
            "United States",
            ("supplier", "cancellation"),
        ),
        (
            "Ukraine received 31 M1 Abrams tanks worth $1 billion.",
            "M1 Abrams",
            "Ukraine",
            ("operator", "delivery"),
        ),
        # round 37: an agreement "struck" is no strike; DSCA's "ground control stations" and "exercise missiles"
        # are no stationing or exercise; "gets F-35 nod" is an approval and "the F-16 wait gets longer" no arrival
        (
            "Poland turned the framework agreements it struck with South Korean industry in July into firm "
            "orders, signing executive contracts for 180 K2 Black Panther tanks.",
            "K2 Black Panther",
            "Poland",
            ("operator", "deal"),
        ),
        (
            "TECRO has asked to purchase four weapons-ready MQ-9B aircraft for Taiwan and two fixed ground control "
            "stations.",
            "MQ-9 Reaper",
            "Taiwan",
            ("operator", "talks"),
        ),
        (
            "Taiwan has requested to buy RGM-84L-4 Harpoon Block II missiles and four Harpoon Block II exercise "
            "missiles.",
            "Harpoon",
            "Taiwan",
            ("operator", "talks"),
        ),
        ("The Air Power Weekly: Greece gets F-35 nod, Prague signs", "F-35", "Greece", ("operator", "deal")),
        (
            "in this issue : poland s helicopter mega-deal , and taiwan s f-16 wait gets longer .",
            "F-16",
            "Taiwan",
            ("operator", "mention"),
        ),
        ("Israeli F-35s struck Iranian air defences.", "F-35", "Israel", ("operator", "deployment")),
    ],
)
def test_round33_rules(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str] | None
) -> None:
    hit = hits_of(default, text).get((system, country))
    assert (None if hit is None else (hit.role, hit.stage)) == want


@pytest.mark.parametrize(
    ("text", "system", "country", "role", "stage"),
    [
        # reviews of the rules of rounds 33, 35, 36 and 37 on ordinary sentences: each of these misfired once
        # (None: any)
        (
            "Germany is handing over IRIS-T systems that will protect Ukrainian cities this winter.",
            "IRIS-T",
            "Germany",
            None,
            "delivery",
        ),
        (
            "Greece is taking possession of Rafale jets that will replace its Mirage 2000s.",
            "Rafale",
            "Greece",
            "operator",
            None,
        ),
        (
            "Ukrainian pilots are flying their F-16 jets on missions that would have been too dangerous a year ago.",
            "F-16",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "Germany has been handing over Leopard 2 tanks that will form a new Ukrainian brigade.",
            "Leopard 2",
            "Germany",
            None,
            "delivery",
        ),
        (
            "The United States is handing over Patriot interceptors that could otherwise go to Taiwan.",
            "Patriot",
            "United States",
            None,
            "delivery",
        ),
        (
            "Israel invaded Lebanon in 1982, and Israeli F-15 and F-16 jets shot down dozens of Syrian MiGs over the Bekaa Valley.",
            "F-16",
            "Israel",
            "operator",
            None,
        ),
        (
            "A report by the Pentagon said that the first F-35s were delivered to Poland in May.",
            "F-35",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "The annual report by SIPRI said that Qatar received 24 Rafale jets between 2019 and 2023.",
            "Rafale",
            "Qatar",
            "operator",
            "delivery",
        ),
        (
            "The ministry's annual report on procurement said that Romania took delivery of 17 F-16s last year.",
            "F-16",
            "Romania",
            "operator",
            "delivery",
        ),
        (
            "Russia's use of force in Ukraine has included repeated strikes with Kinzhal missiles.",
            "Kinzhal",
            "Russia",
            None,
            "deployment",
        ),
        (
            "Poland operates modern American jets, the F-35 and the F-16, alongside its ageing Soviet-era MiG-29s.",
            "F-35",
            "Poland",
            "operator",
            "deployment",
        ),
        (
            "Russia has been using Iranian drones, the Shahed-136, to strike Ukrainian power plants.",
            "Shahed-136",
            "Russia",
            "operator",
            "deployment",
        ),
        (
            "Russia is using Iranian drones known as Shahed-136 against Ukrainian cities.",
            "Shahed-136",
            "Russia",
            "operator",
            "deployment",
        ),
        (
            "Ukraine fields German tanks, the Leopard 2A4 and Leopard 2A6, in its counteroffensive.",
            "Leopard 2",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "The Royal Thai Air Force operates Swedish-made jets, 11 Gripen C/D fighters, from Surat Thani.",
            "Gripen",
            "Thailand",
            "operator",
            "deployment",
        ),
        (
            "Greece operates older American jets alongside its new Rafales.",
            "Rafale",
            "Greece",
            "operator",
            "deployment",
        ),
        (
            "India operates Russian air defence systems that Washington regards as a security risk for a jet like the F-35.",
            "F-35",
            "India",
            "operator",
            "mention",
        ),
        (
            "Poland's Armament Agency reported that the first batch of K2 Black Panther tanks had arrived in Gdynia.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "The Defense Security Cooperation Agency reported that Poland had signed a letter of acceptance for 96 AH-64 Apache helicopters.",
            "AH-64 Apache",
            "Poland",
            "operator",
            "deal",
        ),
        (
            "The daily air force bulletin reported that Ukraine's Patriot batteries shot down two Kinzhal missiles overnight.",
            "Patriot",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "The transfer of Patriot interceptors to Ukraine is set to resume after a brief Pentagon pause in July.",
            "Patriot",
            "Ukraine",
            "operator",
            None,
        ),
        (
            "Morocco has asked for more F-16 jets. Spain, its northern neighbour, fears the kingdom will also buy the F-35.",
            "F-35",
            "Morocco",
            "operator",
            "talks",
        ),
        (
            "US military aid delivered to Ukraine this year included HIMARS launchers and Patriot interceptors.",
            "HIMARS",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Military assistance sent to Kyiv since 2022 includes 31 M1 Abrams tanks.",
            "M1 Abrams",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Aid supplied to Ukraine by Germany has included IRIS-T systems and Leopard 2 tanks.",
            "IRIS-T",
            "Ukraine",
            "operator",
            "delivery",
        ),
        ("Greece signed Peace Xenia IV for 30 F-16 jets in 2000.", "F-16", "Greece", "operator", "deal"),
        (
            "Egypt signed Peace Vector VII for 20 F-16 Block 52 jets in 2010.",
            "F-16",
            "Egypt",
            "operator",
            "deal",
        ),
        (
            "Jordan agreed to Peace Falcon II, covering 17 F-16 jets from US stocks.",
            "F-16",
            "Jordan",
            "operator",
            "deal",
        ),
        (
            "Ukraine's air force said in its daily report that Patriot systems shot down two Kinzhal missiles overnight.",
            "Patriot",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "The Defense Security Cooperation Agency said in its report that Poland signed for 96 AH-64 Apache helicopters.",
            "AH-64 Apache",
            "Poland",
            "operator",
            "deal",
        ),
        (
            "Poland's Armament Agency said in a report that the first K2 Black Panther tanks arrived in Gdynia.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "Israeli jets destroyed several air defence batteries near Tehran, including S-300 systems.",
            "S-300",
            "Israel",
            "other",
            None,
        ),
        (
            "Polish jets were scrambled as missiles and drones, including a Kinzhal, struck western Ukraine.",
            "Kinzhal",
            "Poland",
            "other",
            None,
        ),
        (
            "Egypt cancelled the deal under US pressure, and instead the Su-35 jets went to Iran.",
            "Su-35",
            "Egypt",
            "operator",
            "cancellation",
        ),
        (
            "Congress blocked the sale for years, and eventually Turkey dropped its request for 40 F-16 jets.",
            "F-16",
            "Turkey",
            "operator",
            "cancellation",
        ),
        (
            "The UAE suspended talks on the deal in December 2021, and then Washington let its F-35 offer lapse.",
            "F-35",
            "United Arab Emirates",
            "operator",
            "cancellation",
        ),
        (
            "Turkey was suspended from the programme in 2019, and later the F-35 jets built for it went to the US Air Force.",
            "F-35",
            "Turkey",
            "operator",
            "cancellation",
        ),
        # a review of the round-35 rules on ordinary sentences: each of these misfired once (None: any)
        (
            "Germany, which says it will do more, has greatly strengthened Ukraine's air defences over the past two years by delivering three IRIS-T systems.",
            "IRIS-T",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "The air force, expected to retire its MiG-29s, boosted its capability considerably last year by receiving the first of its F-35 jets, Poland said.",
            "F-35",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "The proposed sale will improve Croatia's capability to meet current and future threats by providing HIMARS launchers.",
            "HIMARS",
            "Croatia",
            "operator",
            "talks",
        ),
        (
            "Germany gave Ukraine a share of its Leopard 2 fleet in early 2023.",
            "Leopard 2",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Poland gave Ukraine a large share of its MiG-29 jets, the defence ministry said.",
            "MiG-29",
            "Poland",
            "supplier",
            "delivery",
        ),
        (
            "Ukraine was given a share of the F-16 jets that Denmark pledged last year.",
            "F-16",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Ukraine received HIMARS launchers in 2022. The launchers destroyed dozens of bridges, a Lockheed executive told a trade fair.",
            "HIMARS",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "Poland received its first K2 tanks in 2022. The tanks have been stationed near the border since 2023, and a K2PL prototype is due next year.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "deployment",
        ),
        (
            "Turkey received the first S-400 batteries in 2019. The system was tested against a target drone near Sinop, footage from a defence expo showed.",
            "S-400",
            "Turkey",
            "operator",
            "deployment",
        ),
        (
            "Greece took delivery of its first Rafale jets in 2021. The jets were deployed to Tanagra after pre-delivery checks at Merignac.",
            "Rafale",
            "Greece",
            "operator",
            "deployment",
        ),
        (
            "Poland received its first K2 tanks in 2022. The tanks fired live rounds during a firing display at Nowa Deba attended by the defence minister.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "deployment",
        ),
        (
            "Colombia signed for 17 Gripen fighters in November. A Gripen E on a test flight over Ostergotland.",
            "Gripen",
            "Colombia",
            "operator",
            "deal",
        ),
        (
            "Ukraine lost three cases of Javelin missiles when the depot was hit.",
            "Javelin",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "Ukrainian troops captured the village of Robotyne using Leopard 2 tanks and Bradley vehicles.",
            "Leopard 2",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "Ukraine seized the initiative with ATACMS strikes on Russian airfields.",
            "ATACMS",
            "Ukraine",
            "operator",
            None,
        ),
        (
            "Ukraine, which captured territory in Kursk last August, used HIMARS to strike bridges over the Seym.",
            "HIMARS",
            "Ukraine",
            "operator",
            None,
        ),
        (
            "India seized the moment to order 26 Rafale Marine jets from France.",
            "Rafale",
            "India",
            "operator",
            None,
        ),
        (
            "Poland captured the headlines by ordering 96 AH-64 Apache helicopters.",
            "AH-64 Apache",
            "Poland",
            "operator",
            None,
        ),
        (
            "Russia later towed captured Western armour, including a Leopard 2 and a Bradley, to Moscow for a trophy exhibition.",
            "Bradley",
            "Russia",
            "other",
            "mention",
        ),
        ("Ukrainian forces captured a Russian Tor-M2 near Kharkiv.", "Tor-M2", "Ukraine", "other", "mention"),
        (
            "Israel destroyed Iran's air defences in June using more than 100 aircraft, dozens of them F-35s.",
            "F-35",
            "Israel",
            "operator",
            "deployment",
        ),
        ("Romania will buy 32 Norwegian jets, all of them F-16s.", "F-16", "Norway", "supplier", None),
        (
            "Ukraine received 24 Dutch jets, 18 of them F-16s, the ministry said.",
            "F-16",
            "Netherlands",
            "supplier",
            None,
        ),
        (
            "A U.S. waiver allowed India to buy the S-400 without sanctions.",
            "S-400",
            "India",
            "operator",
            None,
        ),
        (
            "A U.S. waiver would have allowed India to buy the S-400 without sanctions.",
            "S-400",
            "India",
            "operator",
            "talks",
        ),
        (
            "Washington's silence allowed Turkey to buy the S-400 from Russia.",
            "S-400",
            "United States",
            "other",
            None,
        ),
        (
            "Germany has already given the Ukrainian army 18 Leopard 2 tanks.",
            "Leopard 2",
            "Germany",
            None,
            "delivery",
        ),
        (
            "Denmark has now given the Ukrainian air force its first F-16 jets.",
            "F-16",
            "Denmark",
            None,
            "delivery",
        ),
        (
            "The Netherlands has so far given the Ukrainian air force 18 F-16 jets.",
            "F-16",
            "Netherlands",
            None,
            "delivery",
        ),
        (
            "Britain had just given the Ukrainians Storm Shadow missiles.",
            "Storm Shadow",
            "United Kingdom",
            None,
            "delivery",
        ),
        (
            "The weapons we supply to Ukraine, such as the Storm Shadow, are used on Ukrainian territory, the British minister said.",
            "Storm Shadow",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "Germany said the equipment it sent Ukraine last month included two IRIS-T launchers.",
            "IRIS-T",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Ukraine has asked for the Taurus. The government no longer publishes detailed lists of the weapons it supplies to Ukraine.",
            "Taurus KEPD 350",
            "Ukraine",
            "operator",
            "talks",
        ),
        # a review of the round-36 rules on ordinary sentences: each of these misfired once (None: any)
        ("The Greek government opposes sale of F-35 jets to Turkey.", "F-35", "Greece", "other", None),
        ("The Greek prime minister rejects sale of F-16s to Turkey.", "F-16", "Greece", "other", None),
        ("The Chinese foreign ministry slams sale of F-16 jets to Taiwan.", "F-16", "China", "other", None),
        (
            "Taiwan's defence ministry tracked deployment of J-20 fighters by China near the island.",
            "J-20",
            "Taiwan",
            "other",
            None,
        ),
        (
            "The Indian government monitors deployment of HQ-9 batteries by Pakistan near the border.",
            "HQ-9",
            "India",
            "other",
            None,
        ),
        (
            "The Greek government sought assurances from Washington about F-35 sales to Turkey.",
            "F-35",
            "Turkey",
            "operator",
            None,
        ),
        (
            "The Indian government protested delivery of J-10C fighters to Pakistan by China.",
            "J-10C",
            "India",
            "other",
            None,
        ),
        (
            "The Russian foreign ministry condemned deliveries of ATACMS to Ukraine by the United States.",
            "ATACMS",
            "Russia",
            "other",
            None,
        ),
        (
            "Lithuania signed for 44 Leopard 2A8s. The Czech government approved the purchase of 44 tanks in the autumn, and the Netherlands announced that it would buy 46.",
            "Leopard 2",
            "Czech Republic",
            "operator",
            "deal",
        ),
        (
            "Denmark has given Ukraine 19 F-16s under a contract signed with the Netherlands.",
            "F-16",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Ukraine was given F-16s under the Danish contract last year.",
            "F-16",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "The United States gave Ukraine ATACMS after a breakthrough in talks with Congress.",
            "ATACMS",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Washington gave Kyiv HIMARS in a diplomatic victory for Zelensky.",
            "HIMARS",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Poland gave Ukraine 14 Leopard 2s in a win for Kyiv's lobbying.",
            "Leopard 2",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Indonesia signs for 48 KAAN fighters, giving Turkey its first export order for the jet",
            "KAAN",
            "Turkey",
            "supplier",
            "deal",
        ),
        (
            "Germany delivered two more IRIS-T systems to Ukraine on Monday, and there was no immediate sign of a Russian response.",
            "IRIS-T",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Poland signed the contract for 96 AH-64 Apache helicopters, and there is no public indication that the deal will be delayed.",
            "AH-64 Apache",
            "Poland",
            "operator",
            "deal",
        ),
        (
            "Turkey has deployed its S-400 batteries near Ankara, though there is no firm evidence of their use against aircraft.",
            "S-400",
            "Turkey",
            "operator",
            "deployment",
        ),
        (
            "Russia deployed Iskander missiles in Belarus, but there is no independent evidence that nuclear warheads followed.",
            "Iskander",
            "Russia",
            None,
            "deployment",
        ),
        (
            "India has received all five S-400 regiments from Russia, and there is no real sign of U.S. sanctions.",
            "S-400",
            "India",
            "operator",
            "delivery",
        ),
        (
            "Poland took delivery of 24 K2 Black Panther tanks this week, with no outward sign of the labour dispute at Hyundai Rotem.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "The Patriot batteries delivered to Ukraine last year have shown no visible signs of wear, officials said.",
            "Patriot",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "As of this month there is no credible public evidence that a single Su-35 has reached an Iranian air base.",
            "Su-35",
            "Iran",
            "operator",
            "mention",
        ),
        (
            "Russia resumed supplies of engines and Su-30 airframes to Algeria this year.",
            "Su-30",
            "Algeria",
            "operator",
            "delivery",
        ),
        (
            "India looked at the Su-57. The Su-57 has been built only in small numbers, and sanctions have complicated supplies of components.",
            "Su-57",
            "India",
            "operator",
            "mention",
        ),
        (
            "Poland's defence minister was quoted by state media as saying that the first K2 Black Panther tanks had arrived from South Korea.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "I was told by the minister himself that Romania had signed for the F-35.",
            "F-35",
            "Romania",
            "operator",
            "deal",
        ),
        (
            "Egypt, we are told, has bought HQ-9B long-range air defence batteries.",
            "HQ-9",
            "Egypt",
            "operator",
            "mention",
        ),
        (
            "Iran ordered Su-35s in 2023. A lawmaker was quoted in Iranian media as saying that the Su-35 fighters had begun to arrive.",
            "Su-35",
            "Iran",
            "operator",
            "deal",
        ),
        (
            "Romania received the first K9 Thunder howitzers in March. The guns, already used by several NATO armies, were deployed to a base near Constanta within weeks.",
            "K9 Thunder",
            "Romania",
            "operator",
            "deployment",
        ),
        (
            "Lithuania received its first NASAMS battery. The Norwegian-built system, operated by several NATO states, was declared operational in the Baltic state this week.",
            "NASAMS",
            "Lithuania",
            "operator",
            "deployment",
        ),
        (
            "Romania signed for 54 K9 howitzers. The system is already in service with several NATO member states.",
            "K9 Thunder",
            "Romania",
            "operator",
            "deal",
        ),
        # a review of the round-37 rules on ordinary sentences: each of these misfired once (None: any)
        (
            "ATACMS missiles Ukraine received under the 2023 agreement struck a Russian airfield in Crimea, Kyiv said.",
            "ATACMS",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "Storm Shadow missiles sent to Ukraine under the deal have struck Russia's Black Sea Fleet headquarters.",
            "Storm Shadow",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "The Taurus missiles that Germany delivered to Ukraine under the accord struck the Kerch bridge.",
            "Taurus KEPD 350",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "The deal struck in 2018 was followed by the delivery of the first S-400 battery to Turkey.",
            "S-400",
            "Turkey",
            "operator",
            "delivery",
        ),
        (
            "Poland turned the framework agreements it struck with South Korean industry in July into firm orders, signing executive contracts for 180 K2 Black Panther tanks.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "deal",
        ),
        (
            "ukraine s air force tested the patriot s limits against kinzhal missiles over kyiv .",
            "Patriot",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "The US provided the land-attack Tomahawk missiles to Australia last year.",
            "Tomahawk",
            "Australia",
            "operator",
            "delivery",
        ),
        (
            "The US provided the land forces of Ukraine with HIMARS launchers last summer.",
            "HIMARS",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Russia's Iskander missiles hit Ukrainian railway stations in Kharkiv.",
            "Iskander",
            "Russia",
            "operator",
            None,
        ),
        (
            "In the Baltic exercise munitions from Finland's HIMARS hit targets 70 km away.",
            "HIMARS",
            "Finland",
            "operator",
            None,
        ),
        (
            "Taiwan has requested to buy RGM-84L-4 Harpoon Block II missiles and four Harpoon Block II exercise missiles.",
            "Harpoon",
            "Taiwan",
            "operator",
            "talks",
        ),
        (
            "Turkey gets US go-ahead for F-16 purchase after Sweden's NATO bid is ratified.",
            "F-16",
            "Turkey",
            "operator",
            "deal",
        ),
        (
            "Poland got the green light from Congress to buy 96 AH-64 Apache helicopters.",
            "AH-64 Apache",
            "Poland",
            "operator",
            "deal",
        ),
        (
            "Ukraine got more Patriot batteries from Germany this spring.",
            "Patriot",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Poland got more K2 tanks in December, bringing its fleet to 180.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "After Washington froze F-16 deliveries to Egypt, Cairo bought Rafale jets from France.",
            "Rafale",
            "Egypt",
            "operator",
            "deal",
        ),
        (
            "After Washington froze F-35 deliveries to Turkey over the S-400, Ankara turned to the Eurofighter Typhoon.",
            "Eurofighter Typhoon",
            "Turkey",
            "operator",
            None,
        ),
        (
            "Britain froze Storm Shadow shipments to Ukraine.",
            "Storm Shadow",
            "United Kingdom",
            None,
            "cancellation",
        ),
        (
            "Ukraine received $300 million worth of Patriot interceptors from Germany last week.",
            "Patriot",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Lithuania received $495 million in NASAMS equipment from Norway.",
            "NASAMS",
            "Lithuania",
            "operator",
            "delivery",
        ),
        ("The Air Power Weekly: Greece gets F-35 nod, Prague signs", "F-35", "Greece", "operator", "deal"),
        # the review of session 13's rules: every sentence here misfired on a first version of one of them
        (
            "Without waiting for U.S. approval, officials said on Tuesday, Turkey activated the S-400 batteries.",
            "S-400",
            "Turkey",
            "operator",
            "deployment",
        ),
        (
            "Greece is not in a hurry, a government spokesman told reporters on Friday, having already received 24 "
            "Rafales.",
            "Rafale",
            "Greece",
            "operator",
            "delivery",
        ),
        (
            "india has not , the defence ministry said in a statement on monday , taken delivery of the rafale jets .",
            "Rafale",
            "India",
            "operator",
            "mention",
        ),
        ("Turkey's S-400 purchase cost Ankara the F-35.", "S-400", "Turkey", "operator", "deal"),
        ("Turkey's S-400 purchase cost Ankara the F-35.", "F-35", "Turkey", "operator", "mention"),
        ("Egypt's Su-35 order pushed Cairo toward Rafales.", "Su-35", "Egypt", "operator", "deal"),
        (
            "Equipment from the HIMARS order was abandoned at the port when Ukrainian forces withdrew.",
            "HIMARS",
            "Ukraine",
            "operator",
            "deployment",
        ),
        ("The J-10C deal complements Pakistan's JF-17 fleet.", "J-10C", "Pakistan", "operator", "deal"),
        ("The Gripens will replace Thailand's F-5s from 2027.", "Gripen", "Thailand", "operator", None),
        (
            "Turkish contractors operate logistics bases in Qatar that support the Bayraktar TB2 fleet.",
            "Bayraktar TB2",
            "Turkey",
            "supplier",
            "mention",
        ),
        (
            "Airbus and BAE Systems operate Eurofighter Typhoon assembly lines in Germany, Britain, Italy and Spain.",
            "Eurofighter Typhoon",
            "Germany",
            "supplier",
            "mention",
        ),
        (
            "U.S. contractors operate training programmes for Iraq's F-16 pilots.",
            "F-16",
            "United States",
            "supplier",
            "mention",
        ),
        (
            "Romania, a longtime customer of the United States, received its first Patriot battery in 2020.",
            "Patriot",
            "United States",
            "supplier",
            "delivery",
        ),
        (
            "Qatar, a close partner of France, received 12 more Rafales.",
            "Rafale",
            "France",
            "supplier",
            "delivery",
        ),
        (
            "croatia , which serbia distrusts , took delivery of its first rafale jets .",
            "Rafale",
            "Croatia",
            "operator",
            "delivery",
        ),
        (
            "The U.S. gave Ukraine HIMARS and a much-needed lift in morale.",
            "HIMARS",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "The U.S. Army forward deployed troops and two Patriot batteries to Poland in 2022.",
            "Patriot",
            "United States",
            "operator",
            "deployment",
        ),
        (
            "Talks with France, the ministry said, covered the purchase of 12 more Rafales for Serbia.",
            "Rafale",
            "Serbia",
            "operator",
            "talks",
        ),
        # the second review (rounds 38-40's rules)
        (
            "Russian crews abandoned Buk launchers on approach roads near Izium.",
            "Buk",
            "Russia",
            "operator",
            "deployment",
        ),
        (
            "Reports said that Egypt wanted Su-35 jets, but Cairo confirmed that it had signed the contract and that "
            "the first jets had arrived.",
            "Su-35",
            "Egypt",
            "operator",
            "delivery",
        ),
        (
            "Media reports said that Turkey wanted more S-400 batteries, and that came after Ankara activated the "
            "first ones in 2020.",
            "S-400",
            "Turkey",
            "operator",
            "deployment",
        ),
        (
            "The United States delivered 12 AH-64E attack helicopters to Poland last month.",
            "AH-64 Apache",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "Britain delivered Storm Shadow long-range strike missiles to Ukraine in May.",
            "Storm Shadow",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Washington hit Ankara with CAATSA sanctions after Turkey received the S-400.",
            "S-400",
            "Turkey",
            "operator",
            "delivery",
        ),
        (
            "Ukraine hits a milestone with the arrival of its first F-16 jets.",
            "F-16",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "The S-400 saga has had its ups and downs for Turkey since the 2017 contract.",
            "S-400",
            "Turkey",
            "operator",
            "deal",
        ),
        (
            "Ukraine downs Russian Shahed drones with IRIS-T over Kyiv.",
            "Shahed-136",
            "Ukraine",
            "other",
            None,
        ),
        (
            "The first K2 tanks reached the Polish coast at Gdynia in December 2022.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "The U.S. sent HIMARS launchers to Ukraine, enough to equip two battalions.",
            "HIMARS",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Germany sent 18 Leopard 2 tanks to Ukraine to equip a tank battalion.",
            "Leopard 2",
            "Germany",
            "supplier",
            "delivery",
        ),
        (
            "Turkey, supplying Bayraktar TB2 drones to Ukraine, has angered Russia.",
            "Bayraktar TB2",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "The delivery of the Gripen jets to Thailand, contradicting those who said it would be delayed, took place "
            "on schedule.",
            "Gripen",
            "Thailand",
            "operator",
            "delivery",
        ),
        (
            "Ukraine has helped Poland, supplying intelligence on Russian S-400 positions.",
            "S-400",
            "Poland",
            None,
            "mention",
        ),
        # the third review (round 42's rules)
        (
            "Turkey took delivery of the S-400 in 2019 and its place in the F-35 programme is now in doubt.",
            "S-400",
            "Turkey",
            "operator",
            "delivery",
        ),
        (
            "Ukraine got attention-grabbing Storm Shadow missiles from Britain last spring.",
            "Storm Shadow",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Greece would buy the F-35 jets that Turkey ordered before it was removed from the programme.",
            "F-35",
            "Greece",
            "operator",
            "talks",
        ),
        ("Germany is providing IRIS-T and training to Ukraine.", "IRIS-T", "Ukraine", "operator", "delivery"),
        (
            "Washington supplied Kyiv with intelligence and HIMARS launchers.",
            "HIMARS",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Satellite images contradict officials who said Serbia received the Pantsir systems last year.",
            "Pantsir",
            "Serbia",
            "operator",
            "mention",
        ),
        (
            "Ukraine hit its target with a Storm Shadow missile, the air force said.",
            "Storm Shadow",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "Russia has stepped up its attacks, sending Shahed-136 drones to Kyiv every night.",
            "Shahed-136",
            "Ukraine",
            None,
            "mention",
        ),
        # session 14's review: a list's owner, a relative clause's head, the weapon a relative clause operates,
        # a counted weapon fired
        (
            "Greece operates Patriot and S-300 systems, while Turkey's S-400 or the Patriot remain in dispute.",
            "Patriot",
            "Turkey",
            "other",
            None,
        ),
        (
            "India, which protested the sale of F-16s to Pakistan, bought Rafales instead.",
            "F-16",
            "India",
            None,
            "mention",
        ),
        (
            "Russia, which warned against the deployment of Tomahawk missiles in Germany, moved Iskanders to "
            "Kaliningrad.",
            "Tomahawk",
            "Russia",
            None,
            "mention",
        ),
        (
            "Greece, which is worried about the delivery of upgraded F-16s to Turkey, wants F-35s.",
            "F-16",
            "Greece",
            None,
            "mention",
        ),
        (
            "Egypt, which flies modern American jets, the F-16 and the Apache helicopters, wants more.",
            "F-16",
            "Egypt",
            "operator",
            "deployment",
        ),
        (
            "Greece, which operates Russian-made air defence systems, such as the S-300, bought Patriots too.",
            "S-300",
            "Greece",
            "operator",
            "deployment",
        ),
        (
            "Vietnam, which still flies Russian fighters, is weighing an offer of F-16s.",
            "F-16",
            "Vietnam",
            "operator",
            "talks",
        ),
        (
            "Pakistan, which already flies Chinese and Turkish armed drones, criticised India's purchase of MQ-9B "
            "drones.",
            "MQ-9 Reaper",
            "Pakistan",
            None,
            "mention",
        ),
        (
            "Israeli F-35 jets launched several long-range missiles at targets in Iran.",
            "F-35",
            "Israel",
            "operator",
            "deployment",
        ),
        (
            "Ukrainian Patriot batteries fired two surface-to-air missiles at incoming Russian jets.",
            "Patriot",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "Ukraine said its HIMARS fired four long-range rockets at a Russian command post.",
            "HIMARS",
            "Ukraine",
            "operator",
            "deployment",
        ),
        # session 14's review: a ministry's own posts, a request for comment sent, what depended on something
        (
            "In posts on X, the Polish defence ministry said the first K2 tanks had arrived in Gdynia.",
            "K2 Black Panther",
            "Poland",
            "operator",
            "delivery",
        ),
        (
            "A request for comment sent to Saab about Colombia's Gripen purchase went unanswered.",
            "Gripen",
            "Colombia",
            "operator",
            "deal",
        ),
        (
            "Estonia's deployment of HIMARS on Saaremaa last year depended on US support.",
            "HIMARS",
            "Estonia",
            "operator",
            "deployment",
        ),
        (
            "Ukraine's counteroffensive depends on the Leopard 2 tanks delivered by Germany.",
            "Leopard 2",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "The handover of the first Abrams tanks to Ukraine in September was contingent on training being "
            "completed.",
            "M1 Abrams",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "The sale of F-16 jets to Turkey is conditional on Sweden joining NATO.",
            "F-16",
            "Turkey",
            "operator",
            "talks",
        ),
        # session 14's fourth review: "Its design", "its new weapons", a unit sent within its own country, an
        # ordinal adverb, technology used with a system
        (
            "The United States approved the sale of F-16s to Turkey in January. Its offer includes 40 F-16 Block 70 "
            "jets.",
            "F-16",
            "United States",
            "supplier",
            "deal",
        ),
        (
            "India received its first S-400 squadron in 2021. Its weapon system was stationed in Punjab.",
            "S-400",
            "India",
            "operator",
            "deployment",
        ),
        (
            "Ukraine received ATACMS missiles last year. Its new weapons struck airfields in Crimea.",
            "ATACMS",
            "Ukraine",
            "operator",
            "deployment",
        ),
        (
            "Poland is sending more K2 tanks to its eastern border.",
            "K2 Black Panther",
            "Poland",
            "operator",
            None,
        ),
        (
            "Germany is sending a Patriot battery to Rzeszow to protect the Ukraine aid hub.",
            "Patriot",
            "Germany",
            "operator",
            None,
        ),
        ("Norway is donating F-16 jets to Ukraine.", "F-16", "Norway", "supplier", None),
        (
            "Poland's defence minister first ordered the army to deploy Patriot batteries near Rzeszow.",
            "Patriot",
            "Poland",
            "operator",
            "deal",
        ),
        (
            "Israel used its Iron Dome technology to intercept 100 rockets from Gaza.",
            "Iron Dome",
            "Israel",
            "operator",
            "deployment",
        ),
        (
            "Russia used Iranian components and Shahed drones to strike Kyiv.",
            "Shahed-136",
            "Russia",
            "operator",
            "deployment",
        ),
        # session 14's fifth review: a warner's own deal or system
        (
            "Egypt warned that the Su-35 deal would go ahead despite U.S. sanctions.",
            "Su-35",
            "Egypt",
            "operator",
            "talks",
        ),
        (
            "Ankara argued that the S-400 would never be integrated into NATO systems.",
            "S-400",
            "Turkey",
            "operator",
            None,
        ),
        (
            "Switzerland's voters narrowly opposed the F-35 purchase, but the government signed the contract in 2022.",
            "F-35",
            "Switzerland",
            "operator",
            "deal",
        ),
        (
            "Germany warned that the Patriot air defence systems it sent to Ukraine could run short of interceptors.",
            "Patriot",
            "Germany",
            "supplier",
            "delivery",
        ),
        (
            "Hungary objected to the EU plan, yet bought Leopard 2A7 tanks last year.",
            "Leopard 2",
            "Hungary",
            "operator",
            "deal",
        ),
        (
            "India's foreign ministry condemned the attack and said the S-400 systems had performed well.",
            "S-400",
            "India",
            "operator",
            None,
        ),
        (
            "Turkey criticised the delay in F-16 deliveries, which it blamed on Congress.",
            "F-16",
            "Turkey",
            "operator",
            None,
        ),
        (
            "Taiwan made clear that the HIMARS launchers would be deployed on Kinmen.",
            "HIMARS",
            "Taiwan",
            "operator",
            "talks",
        ),
        # session 14's sixth review: kills and stationing in other senses, a capital before a noun, a deal noun
        # before "for the", a first loan accepted, a post manned by troops, a missile brought down with one's own
        (
            "Poland kept its order for K2 tanks in place despite the election.",
            "K2 Black Panther",
            "Poland",
            None,
            "deal",
        ),
        (
            "Kyiv keeps asking for more Patriot systems in its talks with Washington.",
            "Patriot",
            "Ukraine",
            None,
            "talks",
        ),
        (
            "The Patriot accounts for most of the missiles in Ukraine's air defence inventory.",
            "Patriot",
            "Ukraine",
            None,
            "mention",
        ),
        (
            "The F-16 crash brought down the number of jets available to Pakistan.",
            "F-16",
            "Pakistan",
            None,
            "mention",
        ),
        (
            "Turkey has never brought down an aircraft with its S-400 missiles.",
            "S-400",
            "Turkey",
            "operator",
            None,
        ),
        (
            "The Helsinki summit discussed Ukraine's request for more Patriot systems.",
            "Patriot",
            "Finland",
            "other",
            None,
        ),
        (
            "Under the 2019 agreement, Turkey paid Russia $2.5 billion for the delivery of S-400 systems, which arrived "
            "in July 2019.",
            "S-400",
            "Turkey",
            "operator",
            "delivery",
        ),
        (
            "Kyiv has relied a great deal on Berlin and thanked Germany for the delivery of IRIS-T systems.",
            "IRIS-T",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Poland accepted the first loan from Seoul for K2 tanks.",
            "K2 Black Panther",
            "Poland",
            None,
            "mention",
        ),
        (
            "Russian Iskander missiles hit a checkpoint manned by Ukrainian soldiers.",
            "Iskander",
            "Ukraine",
            "other",
            None,
        ),
        (
            "The U.S. Patriot battery is located at Rzeszow airport, which is run by Polish forces.",
            "Patriot",
            "Poland",
            "other",
            None,
        ),
        # session 14's seventh review: refusals that are not, labels before statements, an informal notice, a
        # gift near a NATO word
        (
            "Poland did not deliver its promised Leopard 2 tanks to Ukraine on time.",
            "Leopard 2",
            "Poland",
            "supplier",
            None,
        ),
        (
            "The Netherlands declined to sell their F-16s to Ukraine and instead donated them.",
            "F-16",
            "Netherlands",
            "supplier",
            None,
        ),
        (
            "Slovakia has not yet sent its MiG-29 fighters to Ukraine but expects to do so next month.",
            "MiG-29",
            "Slovakia",
            "supplier",
            None,
        ),
        (
            "What we know: Iran has delivered Shahed drones to Russia, and where are they being used?",
            "Shahed-136",
            "Russia",
            "operator",
            "delivery",
        ),
        (
            "Why did Turkey buy the S-400 from Russia, a system it activated in 2020 and has never used?",
            "S-400",
            "Turkey",
            "operator",
            "deployment",
        ),
        (
            "The United States sent HIMARS to Ukraine, the Pentagon said after a NATO meeting.",
            "HIMARS",
            "Ukraine",
            "operator",
            "delivery",
        ),
        (
            "Germany sent IRIS-T systems to Ukraine in October, a week after the NATO summit in Vilnius.",
            "IRIS-T",
            "Ukraine",
            "operator",
            "delivery",
        ),
    ],
)
def test_reviewed_rules_leave_ordinary_sentences_alone(
    default: Watchlist, text: str, system: str, country: str, role: str | None, stage: str | None
) -> None:
    hit = hits_of(default, text)[(system, country)]
    assert role is None or hit.role == role
    assert stage is None or hit.stage == stage


def test_money_received_is_no_weapon_received(default: Watchlist) -> None:
    text = (
        "Egypt turned to France for Rafales after Washington froze F-16 deliveries following the 2013 coup. "
        "And it receives $1.3 billion a year in US military aid, which leaves it exposed."
    )
    hit = hits_of(default, text).get(("Rafale", "United States"))
    assert hit is None or hit.stage != "delivery"  # round 36: the aid sentence made it a Rafale delivery


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # a reporting aside does not carry the cue out of its negation's or modal's reach
        ("None of the 42 Rafales, the ministry said on Monday, has been handed over to Indonesia.", "Rafale",
         "Indonesia", ("operator", "mention")),
        ("Indonesia will, the defence minister told reporters in Jakarta on Tuesday, receive the first six Rafales.",
         "Rafale", "Indonesia", ("operator", "talks")),
        ("Poland, the ministry said, has received 96 K2 tanks.", "K2 Black Panther", "Poland",
         ("operator", "delivery")),
        # a deal cue's object just after it is its system, however near the system listed before it
        ("Indonesia has ordered 42 Rafales and signed a contract for 48 Turkish KAAN fighters.", "KAAN",
         "Indonesia", ("operator", "deal")),
        ("Indonesia ordered 42 Rafales and bought 48 Turkish KAAN fighters.", "KAAN", "Indonesia",
         ("operator", "deal")),
        ("Indonesia ordered 42 Rafales and bought 48 Turkish KAAN fighters.", "Rafale", "Indonesia",
         ("operator", "deal")),
        # a plan or a deal that "was abandoned" is cancelled; weapons that were abandoned are lost
        ("Egypt's plan to buy Su-35s from Russia was abandoned in 2021.", "Su-35", "Egypt",
         ("operator", "cancellation")),
        ("The Su-35 deal with Egypt was abandoned.", "Su-35", "Egypt", ("operator", "cancellation")),
        ("Plans to buy F-16s for Vietnam have been shelved.", "F-16", "Vietnam", ("operator", "cancellation")),
        ("The Su-35 order will have been cancelled by then, Egypt said.", "Su-35", "Egypt", ("operator", "talks")),
        ("The Leopard 2 tanks bought under the 2023 deal were abandoned by Ukrainian crews near Robotyne.",
         "Leopard 2", "Ukraine", ("operator", "deployment")),
        # "operate" with an object is use, whatever word the object starts with
        ("Finland and Denmark also operate Leopard 2s.", "Leopard 2", "Denmark", ("operator", "deployment")),
        ("Sweden fields its own variant, while Finland and Denmark also operate Leopard 2s.", "Leopard 2", "Finland",
         ("operator", "deployment")),
        ("Egypt and Algeria operate Su-35s.", "Su-35", "Algeria", ("operator", "deployment")),
        # a country inside a parenthesis after another is not the subject of what follows it
        ("Croatia, which Serbia distrusts, took delivery of its first six Rafales.", "Rafale", "Croatia",
         ("operator", "delivery")),
        ("Croatia, which Serbia distrusts, took delivery of its first six Rafales.", "Rafale", "Serbia",
         ("other", "mention")),
        ("Neighbouring Poland, which also borders Ukraine, signed an agreement for two Patriot batteries.", "Patriot",
         "Poland", ("operator", "deal")),
        ("Poland, unlike Romania, took delivery of Patriot batteries.", "Patriot", "Romania", ("other", "mention")),
        ("Poland, which bought them from the United States, took delivery of Patriot batteries.", "Patriot",
         "United States", ("supplier", "delivery")),
        ("Britain, which maintains an arms embargo on Argentina, blocked an attempt to buy Swedish Gripen fighters.",
         "Gripen", "Argentina", ("operator", "cancellation")),
        # round 38: an abstract thing given; still years from arrival; troops "deployed"; talks suspended before
        # another deal; an expulsion's cause; claims that are not confirmed; a loss "one of them" the system
        ('Thailand picked the Gripen. "The Gripen E gives us a step up in sensors and weapons."', "Gripen",
         "Thailand", ("operator", "talks")),
        ("Taiwan's Harpoon coastal batteries and NASAMS still years from arrival, budget report shows", "NASAMS",
         "Taiwan", ("operator", "mention")),
        ("Australia ordered NASAMS in 2022 to protect deployed forces.", "NASAMS", "Australia", ("operator", "deal")),
        ("Days before suspending the talks, the UAE ordered 80 Rafale F4 jets from France.", "Rafale",
         "United Arab Emirates", ("operator", "deal")),
        ("After suspending the talks on Su-35 jets, Egypt ordered Rafales.", "Su-35", "Egypt",
         ("operator", "cancellation")),
        ("Turkey was removed from the F-35 programme in 2019. The expulsion was a response to Ankara's purchase of "
         "Russian S-400 air defence systems.", "S-400", "Turkey", ("operator", "deal")),
        ("Similar claims in recent months that Egypt had deployed the Chinese HQ-9B have also not been confirmed "
         "by Cairo.", "HQ-9", "Egypt", ("operator", "mention")),
        ("Pakistani jets shot down at least two Indian military aircraft on Wednesday, one of them a French-built "
         "Rafale.", "Rafale", "India", ("operator", "mention")),
        # a maker's yearly output goes to whoever bought it, not to the country of the sentence before
        ("Saudi Arabia is weighing the Rafale, officials said. The company delivered 13 Rafales in 2023.", "Rafale",
         "Saudi Arabia", ("operator", "talks")),
        ("Poland ordered 180 K2 tanks in 2022. Hyundai Rotem delivered 10 K2 tanks in December.",
         "K2 Black Panther", "Poland", ("operator", "delivery")),
        # a report with an aside before its verb is hearsay; an order still unresolved is none; reliance on
        # "American aircraft" is not on the system just bought, but "ageing aircraft, among them MiG-29s" is
        ("The report, published last week, said Egypt had received J-10C jets.", "J-10C", "Egypt",
         ("operator", "mention")),
        ("Egypt's Rafale follow-on order still unresolved", "Rafale", "Egypt", ("operator", "mention")),
        ("Turkey ordered 20 Typhoons. The purchase marks a shift for an air force that has relied on American "
         "aircraft for decades.", "Eurofighter Typhoon", "Turkey", ("operator", "deal")),
        ("Iran's air force relies on ageing aircraft, among them F-14 Tomcats and MiG-29s.", "MiG-29", "Iran",
         ("operator", "deployment")),
        # the one helped receives, the helper gives; a giving participle after a comma is the main subject's
        ("Germany has helped Ukraine, supplying IRIS-T systems.", "IRIS-T", "Ukraine", ("operator", "delivery")),
        ("The Netherlands has supported Kyiv, delivering F-16 jets.", "F-16", "Netherlands", ("supplier", "delivery")),
        ("The Netherlands has supported Kyiv, delivering F-16 jets.", "F-16", "Ukraine", ("operator", "delivery")),
        ("Ukraine's backers, including Germany, have sent IRIS-T systems.", "IRIS-T", "Ukraine",
         ("operator", "delivery")),
        ("Germany has become Ukraine's second-largest military backer after the United States, supplying IRIS-T "
         "systems.", "IRIS-T", "Ukraine", ("operator", "delivery")),
        ("Germany has become Ukraine's second-largest military backer after the United States, supplying IRIS-T "
         "systems.", "IRIS-T", "Germany", ("supplier", "delivery")),
        # KAAN in the lowercased wire style (the acronym alias matches only in capitals, SPEC); a posture abandoned;
        # a report's second "that" clause is reported too
        ("indonesia signs for 48 kaan fighters , turkey says .", "KAAN", "Indonesia", ("operator", "deal")),
        ("China has accused Tokyo of abandoning its exclusively defence-oriented posture. Japan bought 400 Tomahawk "
         "missiles.", "Tomahawk", "Japan", ("operator", "deal")),
        ("The report, published last week, said Cairo had signed for J-10CE jets, the export model, and that the "
         "first aircraft had already arrived at an air base west of the capital.", "J-10C", "Egypt",
         ("operator", "mention")),
        # round 40: a claim contradicted; a strike "delivered"; "hits X with"; "downs"; drones that "reached" the
        # airspace; a deployment prevented; a verb before a region
        ("Iran's Defence Ministry said it had not taken delivery of any Su-35 jets, contradicting a member of "
         "parliament who said last week that the first jets had arrived.", "Su-35", "Iran", ("operator", "mention")),
        ("The Russian armed forces delivered a massive overnight strike with long-range weapons, including Kinzhal "
         "hypersonic missiles, against Ukraine's energy facilities.", "Kinzhal", "Russia", ("operator", "deployment")),
        ("Ukraine hits Bryansk Oblast with ATACMS in first use of US long-range missiles on Russian soil", "ATACMS",
         "Ukraine", ("operator", "deployment")),
        ("Related: Patriot battery downs Russia's Kinzhal over Kyiv, Ukraine says", "Patriot", "Ukraine",
         ("operator", "deployment")),
        ("Israel's Iron Dome batteries fired at drones that reached Israeli airspace.", "Iron Dome", "Israel",
         ("operator", "deployment")),
        ("After Turkey threatened military action to stop them being deployed on Cyprus, the S-300 missiles went to "
         "Crete.", "S-300", "Cyprus", ("other", "mention")),
        ("The United States is sending a THAAD missile defence battery and additional Patriot air defence battalions "
         "to the Middle East.", "Patriot", "United States", ("operator", "deployment")),
        ("The Bayraktar Akinci, a long-endurance drone that can carry about 1.5 tonnes of munitions, is already in "
         "service with Azerbaijan and Pakistan.", "Bayraktar Akinci", "Pakistan", ("operator", "deployment")),
        ("Ukraine destroyed a Russian S-400 battery in Crimea.", "S-400", "Russia", ("operator", "mention")),
        ("Pakistan shot down a French Rafale, officials said.", "Rafale", "France", ("supplier", "mention")),
        ("Iran's Defence Ministry said it had not taken delivery of any Su-35 jets, contradicting a member of "
         "parliament who said a first batch of the aircraft had landed in western Iran.", "Su-35", "Iran",
         ("operator", "mention")),
        ("Qatar flies F-15QA jets built by Boeing, and it has also bought Dassault Rafale fighters from France and "
         "Eurofighter Typhoon jets from Britain.", "Eurofighter Typhoon", "Qatar", ("operator", "deal")),
        # round 42: deliveries "in doubt"; "gets the headlines"
        ("At the same time, deliveries of the Patriot air defence system to Switzerland appear to be in doubt.",
         "Patriot", "Switzerland", ("operator", "mention")),
        ("Ukraine ordered Patriot batteries in 2022. When Ukrainian officials list the air defence systems that keep "
         "their cities standing, the Patriot gets the headlines.", "Patriot", "Ukraine", ("operator", "deal")),
        # the possessor of a weapon the watchlist does not watch is no user of the system
        ("The Gripen plan was blocked, which also derailed interest in South Korea's FA-50.", "Gripen",
         "South Korea", ("other", "mention")),
        ("Egypt's F-16s are old, and Greece's F-35 order is signed.", "F-16", "Egypt", ("operator", "mention")),
        ("Poland's FA-50 jets arrived a year after it signed for 32 F-35s.", "F-35", "Poland", ("operator", "deal")),
        ("For years Ankara wanted the F-35, a jet its industry helped build until Turkey was expelled over its "
         "purchase of the S-400.", "S-400", "Turkey", ("operator", "deal")),
    ],
)  # fmt: skip
def test_session13_rules(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str]
) -> None:
    hit = hits_of(default, text)[(system, country)]
    assert (hit.role, hit.stage) == want


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # a list of systems is one noun phrase: its owner owns each, and its "and" joins nouns, not clauses
        ("Israel's Arrow 3 and David's Sling intercepted most of the missiles.", "David's Sling", "Israel",
         ("operator", "deployment")),
        ("Israel's Arrow 3 and David's Sling intercepted most of the missiles.", "Arrow 3", "Israel",
         ("operator", "deployment")),
        ("Russia's S-400 and Pantsir systems were deployed around the base.", "Pantsir", "Russia",
         ("operator", "deployment")),
        ("Turkey's F-16s and TB2 drones took part in the exercise.", "Bayraktar TB2", "Turkey",
         ("operator", "deployment")),
        ("Most were stopped by Israel's Arrow 3 and David's Sling systems.", "David's Sling", "Israel",
         ("operator", "mention")),
        ("Turkey bought Russian S-400s and U.S. Patriots.", "Patriot", "United States", ("supplier", "deal")),
        ("Turkey bought Russian S-400s and U.S. Patriots.", "S-400", "Turkey", ("operator", "deal")),
        # a relative clause whose countries all come after its cue is said of its head too
        ("Spain, which has a Patriot battery stationed in Turkey as part of a NATO mission, was also mentioned.",
         "Patriot", "Spain", ("operator", "deployment")),
        ("Spain, which has a Patriot battery stationed in Turkey as part of a NATO mission, was also mentioned.",
         "Patriot", "Turkey", ("other", "mention")),
        ("Germany, which deployed Patriot air defence systems to Poland last year, will send another battery.",
         "Patriot", "Germany", ("operator", "deployment")),
        ("Norway, which sold NASAMS to Hungary, is also buying more for itself.", "NASAMS", "Hungary",
         ("operator", "deal")),
        ("Algeria, which flies Russian-made Su-30 jets, has ordered Su-57s.", "Su-30", "Algeria",
         ("operator", "deployment")),
        # round 44-46: posts and claims as the source; a request for comment; users in general; "depends on";
        # a deal "landed"; a counted weapon of its own after "fired"
        ("Posts shared widely on X and Telegram say the United States has shipped Tomahawk cruise missiles to "
         "Ukraine.", "Tomahawk", "Ukraine", ("operator", "mention")),
        ("Viral posts claimed Algeria had received Su-57 jets.", "Su-57", "Algeria", ("operator", "mention")),
        ("Similar claims have been made that Algeria ordered Su-35 fighters.", "Su-35", "Algeria",
         ("operator", "mention")),
        ("CLAIM: the United States has shipped Tomahawk cruise missiles to Ukraine.", "Tomahawk", "Ukraine",
         ("operator", "mention")),
        ("Soldiers at the border posts said the first Patriot batteries had arrived in Poland.", "Patriot", "Poland",
         ("operator", "delivery")),
        ("China's defence ministry did not immediately respond to a request for comment on the HIMARS firing in "
         "Taiwan.", "HIMARS", "China", ("other", "mention")),
        ("Belgium's handover of F-16s to Ukraine depends on the arrival of its own F-35 jets.", "F-16", "Ukraine",
         ("operator", "talks")),
        ("Belgian officials have said the timing of their transfers depends on the arrival of Belgium's own F-35 "
         "jets.", "F-35", "Belgium", ("operator", "talks")),
        ("Germany transfers IRIS-T systems to Ukraine depending on production.", "IRIS-T", "Ukraine",
         ("operator", "delivery")),
        ("Kyiv has asked for the F-16, which is flown by many NATO members.", "F-16", "Ukraine", ("operator", "talks")),
        ("The Gripen is in service with several air forces, among them Hungary and Thailand.", "Gripen", "Thailand",
         ("operator", "deployment")),
        ("Belgium says the handover depends on the arrival of its own F-35 jets.", "F-35", "Belgium",
         ("operator", "talks")),
        ("Poland's air defence depends on the Patriot batteries it received in 2023.", "Patriot", "Poland",
         ("operator", "delivery")),
        ("Indonesia signed a contract for 48 KAAN fighters, the largest export deal Turkey's industry has ever "
         "landed.", "KAAN", "Indonesia", ("operator", "deal")),
        ("Hanwha landed a $3 billion contract for K9 howitzers with Poland.", "K9 Thunder", "Poland",
         ("operator", "deal")),
        ("The first F-35s landed at Lask air base in Poland on Tuesday.", "F-35", "Poland", ("operator", "delivery")),
        ("The first F-35A jets landed in Poland under the contract.", "F-35", "Poland", ("operator", "delivery")),
        ("Saab has landed a new order from Sweden for Gripen E fighters.", "Gripen", "Sweden", ("operator", "deal")),
        ("Russia fired six Kinzhal hypersonic missiles at Kyiv.", "Kinzhal", "Russia", ("operator", "deployment")),
        ("Ukraine received HIMARS in June and fired dozens of rockets at Russian depots.", "HIMARS", "Ukraine",
         ("operator", "deployment")),
        ("Ukraine launched four ballistic missiles, among them ATACMS, at Bryansk.", "ATACMS", "Ukraine",
         ("operator", "deployment")),
        # a country reporting a loss may have lost its own; a DSCA determination approving a possible sale is the
        # deal; a future in the next clause leaves the present alone
        ("Ukraine's military said an F-16 was shot down on Saturday.", "F-16", "Ukraine", ("operator", "deployment")),
        ("Kyiv says F-16 jets downed the drones near Odesa.", "F-16", "Ukraine", ("operator", "deployment")),
        ("Ukraine says its Patriot batteries shot down six Kinzhal missiles.", "Patriot", "Ukraine",
         ("operator", "deployment")),
        ("Ukraine says two of its Leopard tanks were destroyed near Robotyne.", "Leopard 2", "Ukraine",
         ("operator", "deployment")),
        ("The State Department has made a determination approving a possible Foreign Military Sale to Morocco of "
         "Stinger missiles.", "Stinger", "Morocco", ("operator", "deal")),
        ("Senators urged the State Department to make a determination approving a possible sale of F-16 jets to "
         "Turkey.", "F-16", "Turkey", ("operator", "talks")),
        ("If the State Department makes a determination approving the proposed sale, Turkey would get 40 F-16 jets.",
         "F-16", "Turkey", ("operator", "talks")),
        ("Ukrainian pilots already fly the MiG-29, so those jets could be in service within weeks.", "MiG-29",
         "Ukraine", ("operator", "deployment")),
        ("Poland will take delivery of more Patriot batteries within weeks.", "Patriot", "Poland",
         ("operator", "talks")),
        # "Its long-range umbrella rests on ...": the country the sentence before opened with; "most of its
        # weapons" is an owner's arsenal, not the system named before
        ("Algeria is one of Russia's oldest arms customers. Its long-range umbrella rests on S-300PMU-2 regiments "
         "delivered around 2010.", "S-300", "Algeria", ("operator", "delivery")),
        ("Greece has spent heavily on defence. Its air force relies on the F-16 and the Rafale.", "Rafale", "Greece",
         ("operator", "deployment")),
        ("Washington is weighing whether to sell F-16s to Vietnam. Vietnam has long relied on Moscow for most of its "
         "weapons.", "F-16", "Vietnam", ("operator", "talks")),
        # a progressive giver is active, not passive; a maker "is sending" its own batteries stays their user
        ("Japan is shipping Patriot interceptors to the United States.", "Patriot", "Japan", ("supplier", "delivery")),
        ("Japan is shipping Patriot interceptors to the United States.", "Patriot", "United States",
         ("operator", "delivery")),
        ("Poland is being supplied with Patriot batteries by the United States.", "Patriot", "Poland",
         ("operator", "delivery")),
        # an agreement "reached" is a deal, not an arrival; "the only other African country to fly" is a fact;
        # a list of platforms between the posts and their verb
        ("Indonesia signed for 48 KAAN jets. The contract follows a framework agreement reached when Erdogan visited "
         "Jakarta in February.", "KAAN", "Indonesia", ("operator", "deal")),
        ("An agreement was reached in May for Poland to buy 96 Apache helicopters.", "AH-64 Apache", "Poland",
         ("operator", "deal")),
        ("The first Patriot battery reached Ukraine in April.", "Patriot", "Ukraine", ("operator", "delivery")),
        ("Egypt is the only other African country to fly the F-16 jets.", "F-16", "Egypt", ("operator", "deployment")),
        ("CLAIM: Posts shared widely on X, Telegram and Facebook since mid-October say the United States has shipped "
         "Tomahawk cruise missiles to Ukraine.", "Tomahawk", "Ukraine", ("operator", "mention")),
        # a system that uses parts is no use of it; a veto given is no weapon given
        ("The Gripen uses a number of UK-made parts, including the Martin-Baker ejection seat, and Britain has an "
         "arms embargo on Argentina.", "Gripen", "United Kingdom", ("supplier", "mention")),
        ("The Gripen uses an American engine, which gives Washington a veto over its export.", "Gripen",
         "United States", ("other", "mention")),
        ("Ukraine has used British Storm Shadow missiles against targets in Crimea.", "Storm Shadow", "Ukraine",
         ("operator", "deployment")),
        # "accounted for 70 drones", "brought down a missile" are kills; "keeps Iskander launchers in Kaliningrad"
        # is stationing
        ("U.S. Air Force F-15E Strike Eagles accounted for more than 70 drones.", "F-15", "United States",
         ("operator", "deployment")),
        ("Arms sales to Poland accounted for 30 percent of Hanwha's K9 revenue.", "K9 Thunder", "Poland",
         ("operator", "mention")),
        ("Israel's Arrow 3 batteries brought down at least one ballistic missile.", "Arrow 3", "Israel",
         ("operator", "deployment")),
        ("Russia keeps Iskander-M launchers in its Kaliningrad exclave.", "Iskander", "Russia",
         ("operator", "deployment")),
        # a video that "claims to show"; an agreement "for the supply of"; "accepted its first F-35A"
        ("CLAIM: A video shared widely on X, TikTok and Telegram claims to show the first batch of Chinese J-10C "
         "fighter jets landing at an Egyptian air base.", "J-10C", "China", ("supplier", "mention")),
        ("On 27 October 2025 the Government signed a government-to-government agreement with Turkey for the supply "
         "of 20 new Eurofighter Typhoon jets.", "Eurofighter Typhoon", "Turkey", ("operator", "deal")),
        ("Poland accepted its first F-35A, nicknamed Husarz, at a ceremony in Fort Worth in August 2024.", "F-35",
         "Poland", ("operator", "delivery")),
        ("Poland accepted the first offer for K2 tanks.", "K2 Black Panther", "Poland", ("operator", "talks")),
        # a unit "manned by German and Dutch troops" is theirs; "among them" may name the system further on
        ("A Patriot unit manned by German and Dutch troops arrived last month and is now operational at Sliac air "
         "base.", "Patriot", "Netherlands", ("operator", "deployment")),
        ("The THAAD battery in Israel is operated by U.S. troops.", "THAAD", "United States",
         ("operator", "deployment")),
        ("Ukraine's armed forces said Russia fired 84 cruise missiles and launched 24 attack drones, among them "
         "Iranian-made Shahed-136 models.", "Shahed-136", "Russia", ("operator", "deployment")),
        # round 52: a notification to Congress of a possible sale stays talks (the corpus and round 52 label it
        # differently); a maker's own battalions brought to a drill; a question all through
        ("The U.S. State Department on Friday formally notified Congress of a possible $23 billion sale of F-16 "
         "fighters to Turkey.", "F-16", "Turkey", ("operator", "talks")),
        ("The clip was filmed in October 2019, when Russia temporarily brought one of its own S-400 battalions to "
         "Serbia for a joint exercise.", "S-400", "Serbia", ("other", "mention")),
        ("Germany sent IRIS-T systems to Ukraine in October.", "IRIS-T", "Ukraine", ("operator", "delivery")),
        ("Germany sent IRIS-T systems to Ukraine in October. Separately, Polish troops held a large exercise near "
         "the border.", "IRIS-T", "Ukraine", ("operator", "delivery")),
        ("Explainer: Who is sending F-16s to Ukraine, and when will they fly?", "F-16", "Ukraine",
         ("operator", "mention")),
        ("Ukraine received its first F-16s in July, but will they make a difference?", "F-16", "Ukraine",
         ("operator", "delivery")),
        # a country that will not give its own systems keeps them: their operator, not a supplier
        ("Greece will not send its Patriot air defence systems to Ukraine.", "Patriot", "Greece",
         ("operator", "mention")),
        ("Greece has ruled out transferring its S-300 batteries to Ukraine.", "S-300", "Greece", ("operator", "mention")),
        ("Germany will send two of its Patriot systems to Ukraine.", "Patriot", "Germany", ("supplier", "talks")),
        ("Germany has not sent Taurus missiles to Ukraine.", "Taurus KEPD 350", "Germany", ("supplier", "mention")),
        # a capital is no demonym: "Tehran has been trying to buy" is Iran's own plan
        ("Tehran has been trying to buy the Su-35 from Russia since at least 2021.", "Su-35", "Iran",
         ("operator", "talks")),
        ("Hanoi is weighing F-16s.", "F-16", "Vietnam", ("operator", "talks")),
        ("Paris has offered Rafale jets to India.", "Rafale", "France", ("supplier", "talks")),
        # a transfer "cleared" is approved: SPEC's deal
        ("The United States cleared the transfer of F-16s to Argentina last year.", "F-16", "Argentina",
         ("operator", "deal")),
        ("The first HIMARS cleared customs in Tallinn and arrived at the base.", "HIMARS", "Estonia",
         ("operator", "delivery")),
        # a warning of what another country's deal would bring, or a verb against it, is no plan of the warner's
        ("Washington argued that operating the S-400 alongside the stealth fighter could expose the aircraft's "
         "secrets to Moscow.", "S-400", "United States", ("other", "mention")),
        ("Greece, France and Cyprus objected to the sale of F-35 jets to Turkey.", "F-35", "Greece",
         ("other", "mention")),
        ("Washington threatened Cairo with sanctions over the Su-35 deal.", "Su-35", "United States",
         ("other", "mention")),
        ("Poland opposed the sale of F-35 jets to Turkey.", "F-35", "Poland", ("other", "mention")),
        ("Turkey warned that it would buy more S-400s if Washington refused.", "S-400", "Turkey", ("operator", "talks")),
        ("India threatened to cancel the Su-35 order.", "Su-35", "India", ("operator", "deal")),
        ("Swiss officials argued that the F-35 had scored highest on both capability and cost.", "F-35", "Switzerland",
         ("operator", "mention")),
        ("Turkey criticised the delay of its F-16 deliveries.", "F-16", "Turkey", ("operator", "talks")),
        # still the target when another clause comes first
        ("Ukraine said its air force shot down a Su-34 and a Kinzhal missile.", "Kinzhal", "Ukraine",
         ("other", "mention")),
    ],
)  # fmt: skip
def test_session14_rules(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str]
) -> None:
    hit = hits_of(default, text)[(system, country)]
    assert (hit.role, hit.stage) == want


@pytest.mark.parametrize(
    ("text", "system", "country"),
    [
        # "Its design relies on ..." is the system's own design, not the country's arsenal (session 14's review)
        ("Russia showed off the Su-57E at the Dubai Airshow. Its design relies heavily on the Su-35.", "Su-35", "Russia"),
        ("Poland bought the K2 tank in 2022. Its design relies on the German engine of the Leopard 2.", "Leopard 2",
         "Poland"),
        # "most of its weapons" is the country's arsenal, not the F-16 named before
        ("Armenia bought Su-30SM jets from Russia in 2019. Yerevan has since turned to India for most of its new "
         "weapons.", "Su-30", "India"),
    ],
)  # fmt: skip
def test_session14_pairs_not_connected(default: Watchlist, text: str, system: str, country: str) -> None:
    assert (system, country) not in hits_of(default, text)


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # a pair no sentence names together, connected only through "the purchase", "the battery", "it" or a
        # weapon noun, is not reported unless the reference gives the country a part or a stage (session 15)
        ("India bought MQ-9B drones. Pakistan, which operates Chinese and Turkish armed drones, criticised the "
         "purchase.", "MQ-9 Reaper", "Pakistan", None),
        ("Turkey has flown the Bayraktar TB2 since 2014. Greek officials have sought assurances from London "
         "about the missiles that will equip the Turkish aircraft.", "Bayraktar TB2", "Greece", None),
        ("Egypt ordered Rafale jets in 2015. The purchase was a shift for a country that had relied on Moscow.",
         "Rafale", "Russia", None),
        ("The US deployed THAAD in South Korea in 2017. China objected to the battery.", "THAAD", "China", None),
        # named together, the same pair is kept
        ("India bought the S-400 in 2018. The S-400 shot down Pakistani drones in May.", "S-400", "Pakistan",
         ("other", "mention")),
        # a reference that gives the country a part keeps the pair
        ("Bahrain took delivery of its first F-16 Block 70. Slovakia has also received the jets.", "F-16",
         "Slovakia", ("operator", "delivery")),
        ("Poland signed for 32 F-35 jets in 2020. The aircraft are built in the United States.", "F-35",
         "United States", ("supplier", "mention")),
    ],
)  # fmt: skip
def test_pairs_told_only_through_a_reference(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str] | None
) -> None:
    hit = hits_of(default, text).get((system, country))
    assert (None if hit is None else (hit.role, hit.stage)) == want


_WEEK = "Week in defence: India signs for MQ-9B, THAAD lands in Israel, Taiwan gets a NASAMS nod"
_RAMSTEIN = (
    "On March 8 Poland tried another route, offering to fly all of its MiG-29s to the U.S. base at Ramstein in "
    "Germany for onward transfer to Ukraine."
)


@pytest.mark.parametrize(
    ("title", "text", "system", "country", "want"),
    [
        # rounds 56, 58, 60 (session 15): a promise to give, an agreement or an offer to give its own systems
        ("", "Germany announced this month that it would hand over a third Patriot system to Ukraine from its own "
         "stocks.", "Patriot", "Germany", ("supplier", "talks")),
        ("", "Belgium signed an agreement in May to provide 30 of the F-16 jets by 2028.", "F-16", "Belgium",
         ("supplier", "deal")),
        ("", _RAMSTEIN, "MiG-29", "Poland", ("supplier", "talks")),
        ("", _RAMSTEIN, "MiG-29", "Ukraine", ("operator", "talks")),  # "for onward transfer": a purpose
        # forces of their own, and where they are
        ("", "Qatari Patriot batteries, working alongside American Patriot units stationed at Al Udeid, engaged the "
         "salvo.", "Patriot", "Qatar", ("operator", "deployment")),
        ("", "Qatari Patriot batteries, working alongside American Patriot units stationed at Al Udeid, engaged the "
         "salvo.", "Patriot", "United States", ("operator", "deployment")),
        ("", "U.S. forces at Al Dhafra Air Base in the UAE fired Patriot interceptors.", "Patriot", "United States",
         ("operator", "deployment")),
        ("", "U.S. forces at Al Dhafra Air Base in the UAE fired Patriot interceptors.", "Patriot",
         "United Arab Emirates", ("other", "mention")),
        ("", "Russian forces in Syria received S-400 systems in 2015.", "S-400", "Russia", ("operator", "delivery")),
        ("", "A Spanish Patriot battery has been stationed at Incirlik air base in Turkey since 2015.", "Patriot",
         "Turkey", ("other", "mention")),
        # a maker's own
        ("", "Israel's layered defences, including the Arrow 3, David's Sling and Iron Dome, intercepted most of the "
         "missiles.", "Iron Dome", "Israel", ("operator", "deployment")),
        ("", "Israel's own Arrow 3 interceptors have been under heavy strain.", "Arrow 3", "Israel",
         ("operator", "mention")),
        ("", "India ordered five S-400 air defence squadrons from Russia in 2018, took delivery of the first in "
         "December 2021 and has deployed three of them.", "S-400", "Russia", ("supplier", "delivery")),
        # denials: a noun form; the scope ends at a turn and after a fronted phrase
        ("", "Greek officials repeated their denial, first issued in the spring, of reports that Athens would "
         "transfer S-300 missiles to Ukraine.", "S-300", "Ukraine", ("operator", "mention")),
        ("", "Cairo denied reports that the deal was dead, but said the Su-35 jets were delivered in May.", "Su-35",
         "Egypt", ("operator", "delivery")),
        ("", "Despite the denial of reports that the deal was dead, Egypt signed a contract for Su-35 jets on Monday.",
         "Su-35", "Egypt", ("operator", "deal")),
        # a delivery as a purpose, not as a reason
        ("", "The Patriot launchers were flown to Rzeszow in Poland for onward transfer to Ukraine.", "Patriot",
         "Ukraine", ("operator", "talks")),
        ("", "Zelensky thanked Germany for transfer of a third Patriot system to Ukraine last week.", "Patriot",
         "Ukraine", ("operator", "delivery")),
        ("", "Slovakia grounded its MiG-29 fleet in 2022. The aircraft were later given to Ukraine.", "MiG-29",
         "Ukraine", ("operator", "delivery")),
        # in the all-lowercase style an acronym alias matches in lower case ("the uae", "kaan"), not the word "us"
        ("", "the uae signed a deal for 80 rafale fighters from france .", "Rafale", "United Arab Emirates",
         ("operator", "deal")),
        ("", "turkey s kaan fighter flew for the first time , and indonesia signed for 48 kaan jets .", "KAAN",
         "Indonesia", ("operator", "deal")),
        # a roundup's headline is read item by item
        (_WEEK, "The week's main defence stories in brief.", "NASAMS", "India", None),
        (_WEEK, "The week's main defence stories in brief.", "THAAD", "India", None),
        (_WEEK, "The week's main defence stories in brief.", "NASAMS", "Taiwan", ("operator", "deal")),
        ("Russia flies S-400 to Serbia for drills; Vucic says Belgrade is not buying", "The drills ended on Friday.",
         "S-400", "Serbia", ("other", "mention")),
        # rounds 62, 65, 66: acronyms that are first names; transit countries and a target's borders; money as aid;
        # an inverted condition; doubts cast; a tranche activated; "is not an option"; "when ... arrive, we will";
        # a push back against reports; reports that were not confirmed; a quoted metaphor
        ("", "downing street has confirmed that raf typhoon jets flying from bases in the region shot down a number "
         "of iranian attack drones .", "Eurofighter Typhoon", "United Kingdom", ("operator", "deployment")),
        ("", "nbc s raf sanchez reported from tel aviv that arrow 3 intercepted a missile fired from yemen .",
         "Arrow 3", "United Kingdom", None),
        ("", "they told us the patriot sale to kuwait was approved .", "Patriot", "United States", None),
        ("", "Many of the slow-flying Shahed-136 drones took hours to reach Israel's borders and were destroyed over "
         "Iraq, Syria and Jordan.", "Shahed-136", "Jordan", ("other", "mention")),
        ("", "Many of the slow-flying Shahed-136 drones took hours to reach Israel's borders and were destroyed over "
         "Iraq, Syria and Jordan.", "Shahed-136", "Israel", ("other", "mention")),
        ("", "Egypt receives $1.3 billion a year in U.S. military aid and flies one of the largest F-16 fleets in the "
         "world.", "F-16", "United States", ("other", "mention")),
        ("", '"Had we sent MQ-9 Reapers to Ukraine, most of them would have been shot down," a retired general said.',
         "MQ-9 Reaper", "Ukraine", ("operator", "talks")),
        ("Satellite images cast doubt on claims Algeria fields S-400", "Analysts studied the pictures.", "S-400",
         "Algeria", ("operator", "mention")),
        ("Indonesia activates last Rafale tranche, completing 42-jet order", "Dassault confirmed it.", "Rafale",
         "Indonesia", ("operator", "deal")),
        ("", '"Cancelling the F-35 contract is not an option we are pursuing," the Swiss defence minister said.',
         "F-35", "Switzerland", ("operator", "deal")),
        ("", 'Indonesia ordered 42 Rafale jets in 2022. "When the first Rafale aircraft arrive, we will announce it '
         'ourselves," the spokesman said.', "Rafale", "Indonesia", ("operator", "deal")),
        ("", "Colombia's defence ministry said on Monday it had not signed any contract for Rafale fighter jets, "
         "pushing back against reports in French media that a deal had been sealed.", "Rafale", "Colombia",
         ("operator", "mention")),
        ("", "Reports that the Rafale agreement was worth more than 3 billion euros were not confirmed by either side, "
         "Colombia said.", "Rafale", "Colombia", ("operator", "mention")),
        ("", 'Georgia\'s agriculture commissioner called the programme of disinfection stations "an iron dome around '
         'our barns".', "Iron Dome", "Georgia", None),
        ("", "Belarus hosts Russian forces and has taken delivery of Russian S-400 air defence systems this year.",
         "S-400", "Belarus", ("operator", "delivery")),
        ("", "Russian units in Ukraine are equipped with the Pantsir and Tor-M2 short-range systems.", "Pantsir",
         "Russia", ("operator", "mention")),
        ("", "Russian units in Ukraine are equipped with the Pantsir and Tor-M2 short-range systems.", "Pantsir",
         "Ukraine", ("other", "mention")),
        # rounds 68, 70, 72: a theatre in a list; a clause or a law used; donors that refurbish and supply
        ("", "french rafales have flown missions in libya , mali , iraq and syria .", "Rafale", "Iraq",
         ("other", "mention")),
        ("", "Greece used the clause in its contract to buy six more Rafale jets from France.", "Rafale", "Greece",
         ("operator", "deal")),
        ("", "germany , denmark and the netherlands agreed in february 2023 to refurbish and supply more than 100 "
         "leopard 1a5 tanks , and deliveries began later that year .", "Leopard 1", "Denmark",
         ("supplier", "delivery")),
        # the review of session 15: sentences these rules must leave alone
        ("", "Frontline brigades in Ukraine are now equipped with the Leopard 2A6, the general staff said.",
         "Leopard 2", "Ukraine", ("operator", "mention")),
        ("", "Poland signed a $6.5 billion contract to deliver 180 more K2 tanks to its army by 2030.",
         "K2 Black Panther", "Poland", ("operator", "deal")),
        ("", "When Turkey bought the S-400 in 2019, the U.S. removed it from the F-35 programme.", "F-35", "Turkey",
         ("operator", "cancellation")),
        ("", "When Russia attacked Ukraine's power grid, Germany sent a third Patriot system.", "Patriot", "Ukraine",
         ("operator", "delivery")),
        ("", "An F-16 was shot down over Ukraine on Monday, killing its pilot, Kyiv said.", "F-16", "Ukraine",
         ("operator", "deployment")),
        ("", "Dozens of drones and cruise missiles were intercepted over Ukraine by IRIS-T and NASAMS batteries "
         "overnight.", "IRIS-T", "Ukraine", ("operator", "deployment")),
        ("", "The first two F-35A jets entered Poland's airspace on their delivery flight from Texas on Friday.",
         "F-35", "Poland", ("operator", "delivery")),
        ("", "Ukraine received its first HIMARS launchers in U.S. aid packages last summer.", "HIMARS",
         "United States", ("supplier", "delivery")),
        ("", "Not only had they received the first K2 tanks ahead of schedule, but Poland also signed a second "
         "contract for 180 more.", "K2 Black Panther", "Poland", ("operator", "delivery")),
        ("", "Turkey's activation of the S-400 has cast doubt on its future in NATO, diplomats said.", "S-400",
         "Turkey", ("operator", "deployment")),
        ("", "Poland's air force activated its contingency options, scrambling F-16s as Russian missiles struck "
         "western Ukraine.", "F-16", "Poland", ("operator", "deployment")),
        ("", "Deploying the K2 tanks went smoothly and slowing the programme is not an option, Poland's army chief "
         "said.", "K2 Black Panther", "Poland", ("operator", "deployment")),
        ("", "When India's first S-400 squadron became operational in 2021, officials said it would be deployed near "
         "the border with Pakistan.", "S-400", "India", ("operator", "deployment")),
        ("", "Ukraine said it would send its F-16 jets to Romania for maintenance and pilot training.", "F-16",
         "Ukraine", ("operator", "talks")),
        ("", "egypt signed a contract to provide its air force with 30 more rafale jets , the french defence ministry "
         "said .", "Rafale", "Egypt", ("operator", "deal")),
        ("", "Poland signed a contract that is set to deliver the first 180 K2 tanks to its army.", "K2 Black Panther",
         "Poland", ("operator", "deal")),
        ("", "Denmark offered to fly its F-35s in NATO air policing missions over the Baltic states this summer.",
         "F-35", "Denmark", ("operator", "talks")),
        ("", "America's arsenal, such as the Patriot interceptors it sells to allies, is running dangerously low.",
         "Patriot", "United States", ("supplier", "deal")),
        ("", "Chinese J-10C fighters based in Pakistan shot down Indian jets, Islamabad said.", "J-10C", "Pakistan",
         ("operator", "deployment")),
        ("", "Russian S-400 systems stationed in Turkey have never been activated, Ankara says.", "S-400", "Russia",
         ("supplier", "mention")),
        ("", "Russian troops in Syria deployed S-400 systems after a Turkish F-16 downed a Russian jet in 2015.",
         "F-16", "Russia", ("other", "mention")),
        ("Romania receives first F-35, says Patriot battery now operational", "The ministry made the announcement.",
         "Patriot", "Romania", ("operator", "deployment")),
        ("Poland buys Patriot, HIMARS from U.S. in $10 billion deal", "The contracts were signed on Monday.",
         "HIMARS", "Poland", ("operator", "deal")),
        ("Ukraine gets F-16s from Denmark, Norway and the Netherlands", "The jets arrived on Monday.", "F-16",
         "Norway", ("supplier", "delivery")),
        ("First Patriot battery operational, Polish defence ministry says", "The battery is near Warsaw.", "Patriot",
         "Poland", ("operator", "deployment")),
        ("Taiwan, a major F-16 buyer, orders more HIMARS", "The order was approved on Friday.", "HIMARS", "Taiwan",
         ("operator", "deal")),
    ],
)  # fmt: skip
def test_session15_rules(
    default: Watchlist, title: str, text: str, system: str, country: str, want: tuple[str, str] | None
) -> None:
    hit = hits_of(default, text, title=title).get((system, country))
    assert (None if hit is None else (hit.role, hit.stage)) == want


def test_a_fronted_attacker_takes_no_stage_of_the_main_clause(default: Watchlist) -> None:
    """ "After Iran fired 180 missiles at Israel, Washington sent a THAAD battery": the sending is not Iran's (round
    72); its role here is still the weak default, a known failure kind (README)."""
    text = (
        "In October 2024, after Iran fired about 180 ballistic missiles at Israel, Washington sent a THAAD battery "
        "and roughly 100 soldiers to operate it."
    )
    assert hits_of(default, text)[("THAAD", "Iran")].stage == "mention"


@pytest.mark.parametrize(
    ("title", "text", "system", "country", "want"),
    [
        ("", "Ukraine has used the Patriot against Kinzhal missiles.",
         "Kinzhal", "Ukraine", ("other", "mention")),
        ("", "Poland deployed Patriot batteries to defend against Russian Iskander missiles.",
         "Iskander", "Poland", ("other", "mention")),
        ("", "Turkey used the TB2 against Syrian Pantsir systems in 2020.",
         "Pantsir", "Syria", ("operator", "mention")),
        ("", "India tested the S-400 systems against Su-30MKI jets of its own air force during exercises.",
         "Su-30", "India", ("operator", "deployment")),
        ("", "Ukraine defended against the Russian offensive using HIMARS and Leopard 2 tanks.",
         "HIMARS", "Ukraine", ("operator", "deployment")),
        ("", "The Israeli military said Arrow 3 intercepted a missile over the Red Sea.",
         "Arrow 3", "Israel", ("operator", "deployment")),
        ("", "The US military said Patriot batteries operated by the Kurdish allies fired at drones near "
         "Erbil.", "Patriot", "United States", ("supplier", "mention")),
        ("", "Ukraine's army chief says Russia fired 18 missiles from the air, sea and land in a short "
         "window, among them six Kinzhal missiles and three Iskander missiles.",
         "Iskander", "Russia", ("operator", "deployment")),
        ("", "Ukraine's army chief says Russia fired 18 missiles from the air, sea and land in a short "
         "window, among them six Kinzhal missiles and three Iskander missiles.",
         "Kinzhal", "Ukraine", ("other", "mention")),
        ("", "Russia fired 40 missiles overnight, including four Kinzhals.",
         "Kinzhal", "Russia", ("operator", "deployment")),
        ("", "Russia fired 30 missiles in the south overnight, among them Iskander, and Ukraine used "
         "Patriot batteries.", "Patriot", "Ukraine", ("operator", "deployment")),
        ("", "During the 2020 war, Azerbaijani forces flew Turkish-supplied Bayraktar TB2 drones over the "
         "mountains.", "Bayraktar TB2", "Azerbaijan", ("operator", "deployment")),
        ("", "Turkish technicians flew to Kyiv in March, and Ukraine received its first Bayraktar TB2 "
         "drones.", "Bayraktar TB2", "Ukraine", ("operator", "delivery")),
        ("", "Iran answered with salvos of ballistic missiles at Israeli cities, which Israel's Arrow 3 "
         "and David's Sling systems largely intercepted.", "Arrow 3", "Israel", ("operator", "deployment")),
        ("", "Turkey tested the radar in Sinop, where Russia's S-400 engaged a drone target.",
         "S-400", "Russia", ("supplier", "mention")),
        ("", "Romania approved sending a Patriot battery to Ukraine.",
         "Patriot", "Romania", ("supplier", "talks")),
        ("", "Poland approved the purchase of Patriot batteries.", "Patriot", "Poland", ("operator", "deal")),
        ("", "Croatia retired its last MiG-21s after receiving used Rafales from France.",
         "Rafale", "Croatia", ("operator", "delivery")),
        ("", "argentina signs for used danish f-16s , ending decade-long fighter search",
         "F-16", "Argentina", ("operator", "deal")),
        ("", "Ukraine lost an F-16 in battle over Zaporizhzhia, the air force said.",
         "F-16", "Ukraine", ("operator", "deployment")),
        ("", "Armenia lost the 2020 war with Azerbaijan and has since ordered CAESAR howitzers from "
         "France.", "CAESAR howitzer", "Armenia", ("operator", "deal")),
        ("", "Switzerland picked out the F-35 from four bidders, the defence department said.",
         "F-35", "Switzerland", ("operator", "talks")),
        ("", "The Rafale has since picked up momentum abroad, Dassault said of India's order.",
         "Rafale", "India", ("operator", "deal")),
        ("", "Ukraine prepares for first winter with F-16s in service.",
         "F-16", "Ukraine", ("operator", "deployment")),
        ("", "Ukraine asked for more Patriot systems, and Germany delivered the first battery in April.",
         "Patriot", "Ukraine", ("operator", "delivery")),
        ("", "Norway has pledged six F-16s, and Belgium signed an agreement in May to provide 30 of the "
         "jets by 2028.", "F-16", "Norway", ("supplier", "talks")),
        ("", "Greece operates F-16 jets, and Bulgaria bought F-16 jets, but the deal collapsed.",
         "F-16", "Greece", ("operator", "deployment")),
        ("", "In 2018 Croatia agreed to buy 12 second-hand F-16 jets from Israel, but the sale was "
         "cancelled in 2019.", "F-16", "Croatia", ("operator", "cancellation")),
        ("", "Ukraine's agency corrects its earlier report: Patriot batteries were deployed near Odesa, "
         "not Kyiv.", "Patriot", "Ukraine", ("operator", "deployment")),
        ("", "Romania's council approved donating a Patriot system to Ukraine.",
         "Patriot", "Ukraine", ("operator", "talks")),
        ("", "Latvia agreed to buy IRIS-T in 2023, and Estonia received its first IRIS-T battery in 2024.",
         "IRIS-T", "Latvia", ("operator", "deal")),
        ("", "Latvia agreed to buy IRIS-T in 2023, and Estonia received its first IRIS-T battery in 2024.",
         "IRIS-T", "Estonia", ("operator", "delivery")),
        ("", "Slovakia stopped flying the MiG-29 in August.", "MiG-29", "Slovakia", ("operator", "mention")),
        ("Iranian agency withdraws report that Su-35 fighters flew in air force drill", "The report was "
         "removed within hours.", "Su-35", "Iran", ("operator", "mention")),
        ("", "Such a transfer of S-400s to Ukraine is not on our agenda, one of the officials said.",
         "S-400", "Ukraine", ("operator", "mention")),
        ("", "Romania scrambled the two F-16s from the Borcea air base after radars picked up the drone.",
         "F-16", "Romania", ("operator", "mention")),
        ("", "In 2018 Croatia agreed to buy 12 second-hand F-16 jets from Israel, but the deal collapsed "
         "in January 2019.", "F-16", "Croatia", ("operator", "cancellation")),
        ("", "Poland prepares for the first delivery of K2 tanks.",
         "K2 Black Panther", "Poland", ("operator", "talks")),
        ("", "The Polish army prepared for the arrival of its K2 tanks, which arrived in December.",
         "K2 Black Panther", "Poland", ("operator", "delivery")),
        ("", "Ukraine has used the IRIS-T system to shoot down Russian cruise missiles and hundreds of Shahed "
         "attack drones launched by Russian forces.", "Shahed-136", "Ukraine", ("other", "mention")),
        ("", "Ukraine has used the Gepard to shoot down Shahed drones and several Patriot systems guard Kyiv.",
         "Patriot", "Ukraine", ("operator", "deployment")),
        ("", "(Corrects fifth paragraph to remove reference to Algeria taking delivery of the S-400)", "S-400",
         "Algeria", ("operator", "mention")),
        ("", "The ministry removed references to the F-35 from its website after Turkey was expelled from the "
         "programme.", "F-35", "Turkey", ("operator", "cancellation")),
        ("", "Turkey says sending S-400s to Ukraine 'not on the agenda'", "S-400", "Ukraine", ("operator", "mention")),
        ("", "The S-400 deal, signed with Russia in 2017, is not on the agenda of this week's NATO summit, Turkish "
         "officials said.", "S-400", "Turkey", ("operator", "deal")),
        ("", "(Corrects first paragraph to say the Philippines has not received any F-16 fighters; an earlier "
         "version incorrectly said the first jets had arrived.)", "F-16", "Philippines", ("operator", "mention")),
        ("", "The earlier version also said Qatar had used THAAD interceptors.", "THAAD", "Qatar",
         ("operator", "mention")),
        ("", "DUBAI - Reports that Iran has taken delivery of Chinese HQ-9B batteries remain unconfirmed.", "HQ-9",
         "Iran", ("operator", "mention")),
        ("", "Reports that Iran has taken delivery of HQ-9 batteries were confirmed by Beijing on Monday.", "HQ-9",
         "Iran", ("operator", "delivery")),
        ("", "It was the first time Washington has used a 2017 law aimed at punishing Moscow against a buyer of the "
         "S-400, China said.", "S-400", "United States", ("operator", "mention")),
        ("", "An earlier version incorrectly said the deal was signed in May; Romania signed for the F-35 in "
         "November.", "F-35", "Romania", ("operator", "deal")),
        ("", "An earlier version wrongly reported the number of tanks; Poland received 180 K2 tanks from South "
         "Korea.", "K2 Black Panther", "Poland", ("operator", "delivery")),
        ("", "Ukrainian crews have used the IRIS-T to intercept Kalibr cruise missiles, Kinzhal hypersonic "
         "missiles and Shahed drones.", "Kinzhal", "Ukraine", ("other", "mention")),
        ("", "Israel's Arrow 3 intercepted a Houthi missile over the Red Sea, and Israel's F-35 jets struck Yemen.",
         "F-35", "Israel", ("operator", "deployment")),
        ("", "Missile defence news this week. A new documentary retells how ten Nepali climbers made the first "
         "winter ascent of K2, in Pakistan, in January 2021.", "K2 Black Panther", "Pakistan", None),
        ("", "Army air defence units trained this week. Members of the Apache Stronghold group said they would "
         "continue protests after the Supreme Court of the United States declined to hear their case.",
         "AH-64 Apache", "United States", None),
        ("", "The carrier's air wing flew combat missions with F-35 jets. Petty Officer Jordan Mitchell, from "
         "Worcester, wore a faded Patriots jersey despite the team's dismal season.", "Patriot", "Jordan", None),
        ("", "The carrier's air wing flew combat missions with F-35 jets. Petty Officer Jordan Mitchell said the "
         "Patriot battery was ready.", "Patriot", "Jordan", None),
        ("", "Jordan Monday received its first F-16 Block 70 jets.", "F-16", "Jordan", ("operator", "delivery")),
        ("Polish Patriot battery goes on duty", "Officials said it was declared operational on Tuesday.",
         "Patriot", "Poland", ("operator", "deployment")),
        ("", "Poland's K2 tanks reached the summit of the army's priorities.", "K2 Black Panther", "Poland",
         ("operator", "delivery")),
        ("Chad Deploys Bayraktar TB2 Drones Against Rebels", "The drones arrived last week.", "Bayraktar TB2",
         "Chad", ("operator", "deployment")),
        ("US Approves F-16 Sale to Jordan Worth $4 Billion", "The State Department notified Congress.", "F-16",
         "Jordan", ("operator", "deal")),
        ("", "Jordan Foreign Minister Ayman Safadi said the Patriot batteries had been activated near the border.",
         "Patriot", "Jordan", ("operator", "deployment")),
        ("", "Poland signed a deal for 180 more K2 at the NATO summit in Vilnius, officials said.",
         "K2 Black Panther", "Poland", ("operator", "deal")),
        ("", "Germany delivered a Patriot battery to Ukraine as a New Jersey National Guard unit trained Polish "
         "crews on the system.", "Patriot", "Ukraine", ("operator", "delivery")),
    ],
)  # fmt: skip
def test_session16_rules(
    default: Watchlist, title: str, text: str, system: str, country: str, want: tuple[str, str] | None
) -> None:
    """Rounds 74-109 (README "Rounds 74-109"): weapons used against, a maker's forces at work, fired lists,
    "flew", second-hand "used", "lost a war", a clause with a subject of its own, a collapsed deal, stopping use,
    retractions and corrections, "picked up", "prepares for", false friends; with the sentences the review
    helpers found the first versions wrong on."""
    hit = hits_of(default, text, title=title).get((system, country))
    assert (None if hit is None else (hit.role, hit.stage)) == want


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # an operator or a supplier at mention named with the system only in another clause is not reported
        ("Ukraine's air defence also includes Patriot batteries, while mobile teams with machine guns hunt the "
         "slower Shahed drones.", "Shahed-136", "Ukraine", None),
        ("Egypt's air force flies French Rafales and American F-16s, and in 2018 it signed a contract with Russia "
         "for Su-35 fighters.", "F-16", "Russia", None),
        ("Washington has refused to sell its F-35 jets to Turkey after Ankara bought the S-400.", "S-400",
         "United States", None),
        # ... unless the system's clause carries the subject over, or the country is the one the clause goes on
        # about
        ("Greece already flies 24 Rafale jets bought from France, and has upgraded most of its older F-16 fleet.",
         "F-16", "Greece", ("operator", "mention")),
        ("Greece had already given Kyiv substantial military aid, officials said, but no Patriot systems.",
         "Patriot", "Ukraine", ("operator", "mention")),
        ("Egypt's air force flies French Rafales and American F-16s, and in 2018 it signed a contract with Russia "
         "for Su-35 fighters.", "Su-35", "Egypt", ("operator", "deal")),
        ("Switzerland's F-35 purchase has drawn criticism after the United States raised the price of each jet.",
         "F-35", "United States", ("supplier", "mention")),
        ("The Gripen is cheap to fly, and Thailand is happy with the aircraft, officials said.", "Gripen",
         "Thailand", ("operator", "mention")),
        ("the s-400 has never been activated , but turkey says it will keep the system , officials said .",
         "S-400", "Turkey", ("operator", "mention")),
        # a maker's adjective before a weapon the watchlist does not name speaks of the weapons after it only
        ("The air force flies a mix of American-built F-16s and Russian-built Su-27 and Su-30 fighters.", "F-16",
         "Russia", None),
        ("The air force flies a mix of American-built F-16s and Russian-built Su-27 and Su-30 fighters.", "Su-30",
         "Russia", ("supplier", "mention")),
        ("Iran's air force relies on ageing U.S.-made F-14 and F-4 jets and Russian MiG-29s.", "MiG-29",
         "United States", None),
        ("The first South Korean-built K2 tanks were delivered to Poland in December.", "K2 Black Panther",
         "South Korea", ("supplier", "delivery")),
        # the seller of a past purchase the buyer has received or flies has delivered it
        ("The Hellenic Air Force already flies 24 Rafale fighters bought from France since 2021.", "Rafale",
         "France", ("supplier", "delivery")),
        ("Jordan's air force flies around 50 older F-16s, many of them bought second-hand from Belgium and the "
         "Netherlands.", "F-16", "Netherlands", ("supplier", "delivery")),
        ("Cyprus acquired the Buk batteries from Russia in the 1990s.", "Buk", "Russia", ("supplier", "deal")),
        ("Ukraine deployed Leopard 2 tanks in its counteroffensive; Poland had bought Leopard 2 tanks from Germany "
         "in 2002.", "Leopard 2", "Germany", ("supplier", "deal")),
        # a country named in an invasion is a time or a cause, not a party to the sentence's systems
        ("After Russia's full-scale invasion of Ukraine, Warsaw signed for up to 1,000 K2 tanks.",
         "K2 Black Panther", "Ukraine", None),
        ("After Russia's full-scale invasion of Ukraine, Warsaw signed for up to 1,000 K2 tanks.",
         "K2 Black Panther", "Russia", None),
        ("Poland has been its biggest customer since Russia invaded Ukraine in 2022, ordering K9 howitzers.",
         "K9 Thunder", "Russia", None),
        ("Since Russia's invasion, Ukraine has fired HIMARS rockets at Russian depots.", "HIMARS", "Ukraine",
         ("operator", "deployment")),
        ("The Russian invasion of Ukraine relied on Iskander and Kinzhal missiles.", "Kinzhal", "Russia",
         ("operator", "deployment")),
        # ... and so is one named in a war between or with others (not in a trade war)
        ("In the war with Iran, Israel's Arrow 3 intercepted missiles.", "Arrow 3", "Israel",
         ("operator", "deployment")),
        ("In the war with Iran, Israel's Arrow 3 intercepted missiles.", "Arrow 3", "Iran", None),
        ("During the 2020 war between Armenia and Azerbaijan, Azerbaijani forces flew Bayraktar TB2 drones.",
         "Bayraktar TB2", "Armenia", None),
        ("Carney orders F-35 review as trade war with Washington deepens", "F-35", "United States",
         ("supplier", "deal")),
        ("Ukraine's Patriot batteries have been used in the war with Russia since 2023.", "Patriot", "Ukraine",
         ("operator", "deployment")),
        ("Ukraine's Patriot batteries have been used in the war with Russia since 2023.", "Patriot", "Russia",
         None),
        # a delivery noun with a schedule is no delivery made; deliveries that began are one, said of the deal before
        ("Poland signed for 180 K2 tanks, with deliveries from 2026.", "K2 Black Panther", "Poland",
         ("operator", "deal")),
        ("In 2020 Taipei agreed to buy 100 Harpoon launchers, with deliveries stretching to 2028.", "Harpoon",
         "Taiwan", ("operator", "deal")),
        ("Indonesia completes financing of 42-jet Rafale order as first deliveries near", "Rafale", "Indonesia",
         ("operator", "deal")),
        ("Germany resumed deliveries to Ukraine of IRIS-T systems.", "IRIS-T", "Ukraine", ("operator", "delivery")),
        ("Poland signed for K2 tanks in 2022; deliveries began in December.", "K2 Black Panther", "Poland",
         ("operator", "delivery")),
        ("Poland ordered K2 tanks in 2022. Deliveries began in December.", "K2 Black Panther", "Poland",
         ("operator", "delivery")),
        ("Poland ordered K2 tanks in 2022. Deliveries of ammunition to Ukraine began in December.",
         "K2 Black Panther", "Ukraine", None),
        # a sale that needs a partner's consent, a step on a condition: not yet done
        ("Ankara is in talks with Britain to buy 40 Eurofighter Typhoon jets, though the sale requires the consent "
         "of Germany.", "Eurofighter Typhoon", "Turkey", ("operator", "talks")),
        ("Washington offered Patriot batteries on condition that Turkey cancel the S-400 deal.", "S-400", "Turkey",
         ("operator", "deal")),
        ("Washington offered Patriot batteries on condition that Turkey cancel the S-400 deal.", "Patriot",
         "Turkey", ("operator", "talks")),
        ("The drones were engaged by Israel's Iron Dome.", "Iron Dome", "Israel", ("operator", "deployment")),
        # from the reviews: a country's clause that names no system still speaks of this one; a war phrase that is
        # the subject is no setting; a schedule the sentence says was met; "Deliveries began" after two systems
        ("China builds the J-10C, and Pakistan is its only foreign customer.", "J-10C", "Pakistan",
         ("operator", "mention")),
        ("Greece compared the Rafale, which it already flies, and the F-16.", "F-16", "Greece", ("operator", "mention")),
        ("Baykar has sold the Akinci to more than ten countries, including Pakistan and Azerbaijan, and the TB2 to "
         "more than 30.", "Bayraktar TB2", "Pakistan", None),
        ("The Patriot is built by Raytheon, and Germany has twelve batteries.", "Patriot", "Germany",
         ("operator", "mention")),
        ("The Su-35 is Russia's top export fighter, but Egypt never took delivery.", "Su-35", "Egypt",
         ("operator", "mention")),
        ("The conflict between Armenia and Azerbaijan saw Bayraktar TB2 drones destroy Armenian air defences.",
         "Bayraktar TB2", "Azerbaijan", ("operator", "mention")),
        ("In the four-day conflict between India and Pakistan in May, the Pakistan Air Force flew its J-10Cs.",
         "J-10C", "India", None),
        ("Morocco ordered 24 AH-64 Apache helicopters in 2020, with deliveries from 2024 to 2025; all have now "
         "arrived.", "AH-64 Apache", "Morocco", ("operator", "delivery")),
        ("Poland signed for 32 F-35 jets; Poland also leases MQ-9 Reaper drones. Deliveries began in 2024.", "F-35",
         "Poland", ("operator", "deal")),
        ("Britain, which fought a war with Argentina over the Falklands in 1982, keeps four Typhoon jets at Mount "
         "Pleasant.", "Eurofighter Typhoon", "Argentina", None),
        # a use verb whose object names other weapons is no use of the system in the next clause
        ("India operates large numbers of Russian-designed aircraft and air defence systems, and U.S. officials have "
         "long worried about exposing the F-35.", "F-35", "India", ("operator", "mention")),
        ("India operates Su-30 fighters and Russian-made air defence systems, and it has also ordered the F-35.",
         "Su-30", "India", ("operator", "deployment")),
        # a helper's ships or forces are no user of the system they back
        ("Israel's Arrow 3 intercepted most of the missiles, backed by U.S. warships.", "Arrow 3", "United States",
         ("other", "mention")),
        ("Israel's Arrow 3 intercepted most of the missiles, backed by U.S. warships.", "Arrow 3", "Israel",
         ("operator", "deployment")),
        # what a system is for, in the present, is no use; "in competition" is no tender; "keeps ... at" is basing
        ("Germany bought Arrow 3 in 2023. Arrow 3 intercepts ballistic missiles above the atmosphere, Pistorius "
         "said.", "Arrow 3", "Germany", ("operator", "deal")),
        ("Ukraine's Patriot intercepts Russian missiles every night.", "Patriot", "Ukraine",
         ("operator", "deployment")),
        ("Pistorius said the two were not in competition, noting that Germany had already handed Kyiv Patriot "
         "systems.", "Patriot", "Ukraine", ("operator", "delivery")),
        ("Romania launched a competition for Patriot batteries.", "Patriot", "Romania", ("operator", "talks")),
        ("Britain keeps four Typhoon jets at Mount Pleasant.", "Eurofighter Typhoon", "United Kingdom",
         ("operator", "deployment")),
        # a modal after a long delivery noun phrase still governs it
        ("Switzerland learned in July that deliveries of the five Patriot air defence fire units it ordered from the "
         "United States in 2022 will be delayed.", "Patriot", "Switzerland", ("operator", "deal")),
        # an order's first batch is no delivery
        ("In August, Thailand ordered four Gripen E/F jets as the first batch of a planned fleet of up to 12.",
         "Gripen", "Thailand", ("operator", "deal")),
        ("Thailand received the first batch of Gripen jets in May.", "Gripen", "Thailand", ("operator", "delivery")),
        # what is expected by a date: not yet done
        ("Erdogan has said he expects the S-400 batteries to be fully operational by April 2020, Turkey said.",
         "S-400", "Turkey", ("operator", "talks")),
        ("Turkey had deployed the S-400 batteries by April 2020.", "S-400", "Turkey", ("operator", "deployment")),
        # (not "designed to" in an apposition: the main verb is still the system at work)
        ("Israel's Iron Dome, designed to intercept short-range rockets, shot down 90 percent of the rockets fired "
         "from Gaza.", "Iron Dome", "Israel", ("operator", "deployment")),
        # an order's batch: not "Crowds gathered as the first batch of Abrams tanks rolled into Poland"
        ("Crowds gathered as the first batch of Abrams tanks rolled into Poland.", "M1 Abrams", "Poland",
         ("operator", "delivery")),
        ("Ukraine received 31 Abrams tanks as the first batch of U.S. armour.", "M1 Abrams", "Ukraine",
         ("operator", "delivery")),
        ("Armenia lost the 2020 war with Azerbaijan after Azerbaijan's TB2 drones destroyed its air defences.",
         "Bayraktar TB2", "Azerbaijan", ("operator", "deployment")),
        ("Armenia lost the 2020 war with Azerbaijan after Azerbaijan's TB2 drones destroyed its air defences.",
         "Bayraktar TB2", "Armenia", None),
        # a measure used is no weapon used
        ("Turkey has used the same tool against Greece, officials said of the S-400.", "S-400", "Turkey",
         ("operator", "mention")),
        ("Turkey has used the S-400 against drones, officials said.", "S-400", "Turkey", ("operator", "deployment")),
    ],
)  # fmt: skip
def test_session17_rules(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str] | None
) -> None:
    """Rounds 110-127 (README "Rounds 110-127"): the clause rule for operators and suppliers, invasions and wars as
    settings, makers' adjectives, helpers, schedules, orders' batches, capabilities; with the sentences the review
    helpers found the first versions wrong on."""
    hit = hits_of(default, text).get((system, country))
    assert (None if hit is None else (hit.role, hit.stage)) == want


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # "no indication that", "no sign that": nothing asserted
        ('Washington had "no indication" that any HIMARS launcher had been lost in Ukraine, the official said.',
         "HIMARS", "Ukraine", ("operator", "mention")),
        ("Analysts said they had seen no sign that any Israeli F-35 had been hit.", "F-35", "Israel",
         ("operator", "mention")),
        # "after buying": done before what the sentence reports; "is buying" stays a deal under way
        ("Turkey was removed from the F-35 programme in 2019 after acquiring Russian S-400 air defence systems.",
         "S-400", "Turkey", ("operator", "deal")),
        ("Turkey is buying the S-400 from Russia.", "S-400", "Turkey", ("operator", "deal")),
        # "already fires": in use; a system that "fires" missiles is what it does, no use by its maker
        ("Ukraine already fires U.S.-made ATACMS ballistic missiles at Russian airfields.", "ATACMS", "Ukraine",
         ("operator", "deployment")),
        ("The German-made IRIS-T SLM fires heat-seeking missiles, and Egypt has bought it.", "IRIS-T", "Germany",
         ("supplier", "mention")),
        # two aliases of one system ("M1A2 Abrams tanks") are one item of the list the cue governs
        ("The Polish army is fielding U.S.-made M1A2 Abrams tanks and German Leopard 2 tanks.", "Leopard 2", "Poland",
         ("operator", "deployment")),
        # "contributed" weapons are given; money or a programme are not
        ("Denmark contributed 19 F-16 jets to Ukraine.", "F-16", "Denmark", ("supplier", "delivery")),
        ("Germany contributed 500 million euros to the purchase of Patriot systems for Ukraine.", "Patriot",
         "Germany", ("supplier", "deal")),
        ("Norway has contributed to the NASAMS programme for years.", "NASAMS", "Norway", ("supplier", "mention")),
        # where a commentator works is no party to what is said
        ('"The Kinzhal is overrated," said a Berlin-based air defence analyst.', "Kinzhal", "Germany", None),
        ("India bought the S-400, a London-based think tank said.", "S-400", "United Kingdom", None),
        # a buyer for another country is a donor; its gift, joined to "agreed to buy", is still to come
        ("Canada has agreed to buy a NASAMS system from the United States and donate it to Ukraine.", "NASAMS",
         "Canada", ("supplier", "deal")),
        ("Canada has agreed to buy a NASAMS system from the United States and donate it to Ukraine.", "NASAMS",
         "Ukraine", ("operator", "talks")),
        ("Germany will buy two Patriot systems from the United States for Ukraine.", "Patriot", "Germany",
         ("supplier", "talks")),
        ("Indonesia signed a contract to buy 48 KAAN jets from Turkey, the first export order for the Turkish "
         "warplane.", "KAAN", "Indonesia", ("operator", "deal")),
        ("Norway ordered 54 of the Leopard 2 tanks in 2023, and Germany itself has ordered more than 100 for the "
         "Bundeswehr.", "Leopard 2", "Norway", ("operator", "deal")),
        ("India bought the S-400 for its air force.", "S-400", "India", ("operator", "deal")),
        # what the reviews found: another object bought, a modal, a target, a noun, a negated or possessive "for",
        # an infinitive that was carried out
        ("Warsaw wants more Patriot batteries after buying ammunition from the United States.", "Patriot", "Poland",
         ("operator", "talks")),
        ("Poland would face higher costs after ordering more K2 tanks, analysts said.", "K2 Black Panther", "Poland",
         ("operator", "talks")),
        ("Sweden declared its first Patriot air defence unit operational in 2021, three years after buying the U.S. "
         "system.",
         "Patriot", "Sweden", ("operator", "deployment")),
        ("Critics say Poland already fires off too many statements about buying K2 tanks.", "K2 Black Panther",
         "Poland", ("operator", "talks")),
        ("Poor maintenance of Turkey's F-16 jets was a contributing factor in the crash.", "F-16", "Turkey",
         ("operator", "mention")),
        ("Lithuania is buying NASAMS for its own air defence, not for Ukraine.", "NASAMS", "Lithuania",
         ("operator", "deal")),
        ("Germany will buy Patriot systems from the United States, a deal officials called crucial for Ukraine's "
         "allies.", "Patriot", "Germany", ("operator", "talks")),
        ("The Pentagon took months to buy NASAMS launchers and send them to Ukraine, which finally received them in "
         "November.", "NASAMS", "United States", ("supplier", "delivery")),
        # a later purchase is not of the system passed over ("picked ... over", "rather than"); the choice itself is
        ("Brazil picked the Gripen in December 2013 over France's Rafale, ending a long contest, and signed a "
         "contract for 36 jets the following year.", "Rafale", "France", ("supplier", "mention")),
        ("Brazil picked the Gripen in December 2013 over France's Rafale, ending a long contest, and signed a "
         "contract for 36 jets the following year.", "Gripen", "Brazil", ("operator", "deal")),
        ("Bern picked the Patriot over the Franco-Italian SAMP/T in 2022 and signed for five fire units.", "Patriot",
         "Switzerland", ("operator", "deal")),
        ("Thailand selected the Gripen over the F-16 Block 70, which Washington had offered with a financing "
         "package.", "F-16", "United States", ("supplier", "talks")),
        # clauses in a row, each a country with its verb: no bystander across them (but a fronted phrase is no clause)
        ("Sweden is offering the Saab Gripen E/F, the United States is promoting the Lockheed Martin F-16 Block 70, "
         "and France has put forward the Dassault Rafale.", "Gripen", "United States", None),
        ("During a visit to Belgrade by French President Emmanuel Macron, Serbia signed a contract for 12 Rafale "
         "fighters.", "Rafale", "France", ("supplier", "deal")),
        # (the relative clause of the one passed over keeps only its own cue; a comma clause needs a system on each side)
        ("Croatia preferred the Rafale over the F-16, which Washington had offered, and signed a deal for 12 used "
         "jets.", "Rafale", "Croatia", ("operator", "deal")),
        ("Poland ordered the K2, Germany has delivered the Leopard 2, and Ukraine received the Leopard 1.",
         "K2 Black Panther", "Germany", None),
        ("Turkey operates the S-400, Greece has the S-300.", "S-400", "Greece", None),
        # a maker that "is offering" or "is selling" its system sells it; one that "is sending" it with troops uses it
        ("Sweden is offering the Gripen E to Peru.", "Gripen", "Sweden", ("supplier", "talks")),
        ("Russia is sending S-400 batteries and troops to Belarus.", "S-400", "Russia", ("operator", "deployment")),
        # a maker's defence ministry reporting its crews' kills; a fronted place phrase is no place of the subject
        ("The Russian defence ministry says its Tor-M2 crews have shot down dozens of TB2s.", "Tor-M2", "Russia",
         ("operator", "deployment")),
        ("In Asia, Taiwan took delivery of 11 HIMARS, and Australia received its first launchers in 2023.", "HIMARS",
         "Taiwan", ("operator", "delivery")),
        ("In Europe, Lithuania and Estonia each signed for HIMARS in December 2022.", "HIMARS", "Estonia",
         ("operator", "deal")),
        # a count in brackets after each country of a list; a gapped verb ("and Estonia in 2025")
        ("Finland ordered 64 F-35s in 2022, and since then Germany (35), the Czech Republic (24) and Greece (20) have "
         "all signed F-35 contracts.", "F-35", "Czech Republic", ("operator", "deal")),
        ("Romania received its first HIMARS in 2021 and Estonia in 2025.", "HIMARS", "Estonia",
         ("operator", "delivery")),
        ("Romania received its first HIMARS in 2021 and Estonia said it was pleased.", "HIMARS", "Estonia",
         ("other", "mention")),
        # from the second review: a gapped subject takes the subject's role, not a maker's adjective's or a recipient's;
        # contributing to a mission is no gift; "lost ... to" a weapon is the other side's
        ("Poland bought American Patriot systems in 2018 and Romania in 2017.", "Patriot", "Romania",
         ("operator", "deal")),
        ("Estonia received U.S.-made HIMARS in 2025 and Latvia in 2026.", "HIMARS", "Latvia", ("operator", "delivery")),
        ("Poland contributed MiG-29 jets to Ukraine in 2023 and Slovakia 13 jets.", "MiG-29", "Slovakia",
         ("supplier", "delivery")),
        ("Romania received its first HIMARS in 2021 and the Czech Republic in 2025.", "HIMARS", "Czech Republic",
         ("operator", "delivery")),
        ("germany ( 35 ) , the czech republic ( 24 ) and greece ( 20 ) have signed f-35 contracts .", "F-35", "Germany",
         ("operator", "deal")),
        ("Belgium contributed F-16 jets to the coalition air campaign against Islamic State in Syria.", "F-16", "Syria",
         ("other", "mention")),
        ("The S-400 purchase contributed heavily to Turkey's expulsion from the F-35 programme.", "S-400", "Turkey",
         ("operator", "deal")),
        ("In Crimea, Russia lost an S-400 launcher to a Ukrainian ATACMS strike.", "ATACMS", "Russia",
         ("other", "mention")),
        ("Russia lost dozens of tanks to Javelin missiles.", "Javelin", "Russia", ("other", "mention")),
        # a buyer "for South Korean weapons" buys a maker's products for itself; a live blog's correction of an
        # earlier entry denies it
        ("Warsaw bought Chunmoo rocket launchers in a spending spree that made it the biggest customer for South "
         "Korean weapons.", "Chunmoo", "Poland", ("operator", "deal")),
        ("17:20 - CORRECTION: An earlier version of the 13:10 entry said Poland had already shipped Leopard 2 tanks "
         "to Ukraine.", "Leopard 2", "Ukraine", ("operator", "mention")),
        # from the third review: a negated purchase is no gift, "for Ukraine's army" is for Ukraine; a reacting country is
        # no party; its own or friendly weapon is no loss "to" the other side; a date after a recipient makes a second
        ("The Netherlands did not buy Patriot systems for Ukraine, officials said.", "Patriot", "Netherlands",
         ("operator", "mention")),
        ("The Netherlands purchased HIMARS for Ukraine's army last year.", "HIMARS", "Netherlands",
         ("supplier", "deal")),
        ("North Korea railed against the deployment of THAAD in South Korea.", "THAAD", "North Korea",
         ("other", "mention")),
        ("Turkey is negotiating to buy 40 Eurofighter Typhoons after Germany dropped its objections to the sale.",
         "Eurofighter Typhoon", "Germany", ("supplier", "deal")),
        ("Turkey lost the F-35 programme to its S-400 purchase.", "S-400", "Turkey", ("operator", "deal")),
        ("An earlier version of this entry said Norway had sent F-16 jets to Ukraine.", "F-16", "Ukraine",
         ("operator", "mention")),
        ("The United States delivered HIMARS to Ukraine in 2022 and Poland in 2023.", "HIMARS", "Poland",
         ("operator", "delivery")),
        # what a corrected report's original version or first draft said is retracted
        ("The original version, published last week, modelled a Russian attack on shipping and stated that Romanian "
         "F-35s had intercepted Russian aircraft.", "F-35", "Romania", ("operator", "mention")),
        ("The corrections also touched on Bulgaria, which the first draft described as flying new F-16 Block 70 jets.",
         "F-16", "Bulgaria", ("operator", "mention")),
        # what happens in a scenario or a war game has not happened
        ("In the war game, Serbia deployed HQ-9 batteries around Belgrade.", "HQ-9", "Serbia", ("operator", "mention")),
        ("Under the scenario, Poland would buy more Patriot batteries.", "Patriot", "Poland", ("operator", "talks")),
        # "followed (suit, with ...)" repeats the verb of the subject before; refurbishing for another is a gift
        ("Poland delivered 14 Leopard 2A4s in the first weeks, and Canada, Norway, Spain and Portugal followed with "
         "smaller batches.", "Leopard 2", "Spain", ("supplier", "delivery")),
        ("Britain began supplying Storm Shadow missiles to Ukraine in May 2023, and France followed with its SCALP.",
         "Storm Shadow", "France", ("supplier", "delivery")),
        ("Poland bought K2 tanks, and Romania followed by signing for Abrams tanks.", "K2 Black Panther", "Romania",
         None),
        ("Denmark, Germany and the Netherlands agreed in February 2023 to refurbish at least 100 older Leopard 1A5 "
         "tanks for Ukraine.", "Leopard 1", "Denmark", ("supplier", "deal")),
        # the wire style's " , " in a list of places flown over
        ("the netherlands bought 213 f-16s from 1979 onwards and flew them over bosnia , kosovo , libya , iraq and "
         "syria .", "F-16", "Syria", ("other", "mention")),
        # a formula or tactics used are no weapon used
        ("France delivered Rafales to Croatia. Paris used a similar formula to speed second-hand Rafales to Greece.",
         "Rafale", "France", ("supplier", "delivery")),
        # a question in bold asks; an explainer's earlier version is corrected; a prototype's flight tests, the tight
        # supply of a system and an order "dropped" read as they mean
        ("**Has any KAAN been delivered to Indonesia?**", "KAAN", "Indonesia", ("operator", "mention")),
        ("CORRECTION: An earlier version of this explainer said Finland had ordered the Arrow 3.", "Arrow 3", "Finland",
         ("operator", "mention")),
        ("Turkey builds the KAAN; the prototype, which first flew in February 2024, is still in flight testing.",
         "KAAN", "Turkey", ("supplier", "mention")),
        ("Switzerland ordered Patriot. The episode shows how tight the supply of the American air defence system has "
         "become.", "Patriot", "Switzerland", ("operator", "deal")),
        ("Indonesia's order for 11 Su-35 jets, signed in 2018, was dropped in 2021.", "Su-35", "Indonesia",
         ("operator", "cancellation")),
        ("Egypt's plan to buy Su-35s, first reported in 2018, was abandoned.", "Su-35", "Egypt",
         ("operator", "cancellation")),
        # from the fourth review: followers take the subject's role (not the recipient's list before them); an operator's
        # own test flights are use, a jet kept at the factory "for flight testing" is not
        ("Poland delivered 14 Leopard 2A4s to Ukraine, and Canada, Norway, Spain and Portugal followed with smaller "
         "batches.", "Leopard 2", "Ukraine", ("operator", "delivery")),
        ("The Netherlands sent F-16 jets to Ukraine, and Denmark followed suit weeks later.", "F-16", "Denmark",
         ("supplier", "delivery")),
        ("Poland ordered K2 tanks from South Korea, and Romania later followed.", "K2 Black Panther", "Romania",
         ("operator", "deal")),
        ("The Polish air force carried out test flights of its new F-35 jets.", "F-35", "Poland",
         ("operator", "deployment")),
        ("Koo said the first F-16 had been rolled out for Taiwan in March but remained in the United States for flight "
         "testing.", "F-16", "Taiwan", ("operator", "mention")),
        # a wire editor's note is no statement of the story; tennis's Challenger events and police K9 teams are no weapons
        ("Taiwan's first Abrams tanks arrive (adds official comment, background on HIMARS and F-16 deliveries) TAIPEI - "
         "Taiwan received its first 38 M1A2T Abrams tanks on Monday.", "F-16", "Taiwan", None),
        ("Taiwan's first Abrams tanks arrive (adds official comment, background on HIMARS and F-16 deliveries) TAIPEI - "
         "Taiwan received its first 38 M1A2T Abrams tanks on Monday.", "M1 Abrams", "Taiwan", ("operator", "delivery")),
        ("Russia's war goes on. Several players had used those Challenger events in 2021 to climb into Wimbledon's main "
         "draw, after Britain banned Russian players.", "Challenger 2", "United Kingdom", None),
        ("U.S. Customs and Border Protection's K9 teams will keep sniffing passengers' luggage, as the war goes on.",
         "K9 Thunder", "United States", None),
        ("(Corrects paragraph 1 to remove erroneous reference to Bulgaria having received its first F-16; the first "
         "aircraft is due in 2025)", "F-16", "Bulgaria", ("operator", "mention")),
        # users in general ("WHO FLIES IT", "the armies that fly it") are no use by the country named before
        ("Switzerland ordered 36 F-35A jets in 2022. WHO FLIES IT", "F-35", "Switzerland", ("operator", "deal")),
        ("Turkey sells the TB2 widely. Here is a look at the aircraft and the armies that fly it.", "Bayraktar TB2",
         "Turkey", ("supplier", "deal")),
    ],
)  # fmt: skip
def test_session18_rules(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str] | None
) -> None:
    """Rounds 128-157 (README "Rounds 128-157"): denials without a denier, past purchases behind "after", joined
    infinitives, contributions, buyers for others, commentators' cities, systems passed over, clauses in a row,
    gapped and following subjects, reactions, corrections, scenarios, wire notes; with the sentences the review
    helpers found the first versions wrong on."""
    hit = hits_of(default, text).get((system, country))
    assert (None if hit is None else (hit.role, hit.stage)) == want


def test_dropped_bombs_are_no_dropped_deal(default: Watchlist) -> None:
    """ "was dropped" cancels a plan or an order, not anything else that was dropped."""
    hit = hits_of(default, "Russia said bombs were dropped near the S-400 battery in Crimea.")[
        ("S-400", "Russia")
    ]
    assert hit.stage != "cancellation"


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # a system fired at is the other side's: the shooter is no user of it (the host still is)
        ("Russia routinely fires missiles at Patriot batteries in Ukraine.", "Patriot", "Russia", ("other", "mention")),
        ("Russia routinely fires missiles at Patriot batteries in Ukraine.", "Patriot", "Ukraine",
         ("operator", "mention")),
        ("Ukraine fired missiles at a Russian S-400 battery in Crimea.", "S-400", "Ukraine", ("other", "mention")),
        ("Ukraine fired Patriot missiles at Russian drones over Kyiv.", "Patriot", "Ukraine", ("operator", "deployment")),
        # a fronted place ends before the subject: "In Latakia, Syria, Russia has deployed" is Russia's
        ("In Latakia, Syria, Russia has deployed S-400 batteries.", "S-400", "Russia", ("operator", "deployment")),
        ("In Latakia, Syria, Russia deployed S-400 batteries.", "S-400", "Syria", ("other", "mention")),
        # dropped from a programme is cancelled; bombs dropped from jets are not
        ("Turkey was dropped from the F-35 programme in 2019.", "F-35", "Turkey", ("operator", "cancellation")),
        ("Bombs were dropped from the F-35 jets over Syria.", "F-35", "Syria", ("operator", "mention")),
        # a country refurbishing weapons for another gives them; for its own army it keeps them
        ("The Netherlands will refurbish F-16 jets for Romania.", "F-16", "Netherlands", ("supplier", "mention")),
        ("The Netherlands will refurbish F-16 jets for Romania.", "F-16", "Romania", ("operator", "mention")),
        ("Poland is refurbishing its Leopard 2A4 tanks for its own army.", "Leopard 2", "Poland",
         ("operator", "mention")),
        # waiting for a batch is no delivery of it
        ("Poland waited for the first batch of Abrams tanks.", "M1 Abrams", "Poland", ("operator", "talks")),
        ("After waiting for years, Poland received its first batch of Abrams tanks.", "M1 Abrams", "Poland",
         ("operator", "delivery")),
    ],
)  # fmt: skip
def test_session19_rules(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str] | None
) -> None:
    """Faults noticed in earlier sessions (README "Session after rounds 128-157"): a system fired at, a fronted
    place, a country dropped from a programme, refurbishing for another country, waiting for a batch."""
    hit = hits_of(default, text).get((system, country))
    assert (None if hit is None else (hit.role, hit.stage)) == want


def test_a_reaction_to_a_deployment_is_no_deployment(default: Watchlist) -> None:
    """ "China retaliated against the THAAD deployment": the reacting country is no party to it."""
    hit = hits_of(
        default, "China retaliated against the THAAD deployment at the time with informal sanctions."
    )[("THAAD", "China")]
    assert (hit.role, hit.stage) == ("other", "mention")


@pytest.mark.parametrize(
    ("text", "system", "country", "want"),
    [
        # a bystander in another clause of the sentence is not reported (README, "Rounds 74-109")
        ("Egypt relied on Washington for F-16s before turning to France for the Rafale.", "Rafale",
         "United States", None),
        ("The first IRIS-T system has been delivered to Ukraine, two days after Russia fired more than 80 cruise "
         "missiles at Ukrainian cities.", "IRIS-T", "Russia", None),
        ("India's last two S-400 squadrons will be delivered by 2026, later than planned, because of the war in "
         "Ukraine.", "S-400", "Ukraine", None),
        ("Poland ordered K2 tanks from South Korea, while Germany is still weighing more Leopard 2 tanks.",
         "K2 Black Panther", "Germany", None),
        ("Greece bought Rafale jets from France, but Turkey is buying Eurofighter jets.", "Rafale", "Turkey", None),
        ("Poland bought K2 tanks from South Korea in 2022, and it has since hosted Germany's defence minister "
         "twice.", "K2 Black Panther", "Germany", None),
        ("Greece flies the Rafale, and it has since joined exercises with Egypt and Cyprus.", "Rafale", "Egypt",
         None),
        # a ceasefire agreed is no arms deal, and India has no part in Pakistan's jets
        ("India and Pakistan agreed to a ceasefire on Saturday after four days of air battles in which "
         "Pakistan's J-10C fighters took part.", "J-10C", "India", None),
        # the known cost: a target or a buyer told only in another clause ("hundreds", "the F-16 sale")
        ("Iran supplied Russia with Shahed-136 drones; Ukraine's government said it had shot down hundreds.",
         "Shahed-136", "Ukraine", None),
        ("China staged large exercises around Taiwan after the F-16 sale was approved.", "F-16", "Taiwan", None),
        # ... unless the other clause refers back to the system ("them", "the move")
        ("South Korea deployed THAAD batteries in Seongju, but China protested the move for months.", "THAAD",
         "China", ("other", "mention")),
        ("The Netherlands delivered F-16s to Ukraine; Russia vowed to destroy them on the ground.", "F-16",
         "Russia", ("other", "mention")),
        # ... but a relative clause stays with its head, and a bystander in the same clause is reported
        ("Pakistan, which already flies Chinese and Turkish armed drones, criticised India's purchase of MQ-9B "
         "drones.", "MQ-9 Reaper", "Pakistan", ("other", "mention")),
        ("Croatia, which Serbia distrusts, took delivery of its first six Rafales.", "Rafale", "Serbia",
         ("other", "mention")),
        ("Ukraine's government said it had shot down hundreds of the Shahed-136 drones Iran supplied to Russia.",
         "Shahed-136", "Ukraine", ("other", "mention")),
    ],
)  # fmt: skip
def test_a_bystander_in_another_clause_is_not_reported(
    default: Watchlist, text: str, system: str, country: str, want: tuple[str, str] | None
) -> None:
    hit = hits_of(default, text).get((system, country))
    assert (None if hit is None else (hit.role, hit.stage)) == want


@pytest.mark.parametrize(
    "text",
    [
        "Turkey took delivery of the S-400\n" + "-" * 80 + "\nCopyright 2025 Example News",  # a divider line
        "Turkey " + "S-400-" * 3000,  # hyphenated names with no space
        "S-400 deliveries to " + ", ".join(["Poland", "Romania", "Turkey", "India", "Greece"] * 1000) + ".",
        ("Turkey took delivery of the S-400 and Poland signed for Patriot while India " * 600)[:45000],
    ],
    ids=["80 dashes after a name", "3,000 hyphenated names", "a list of 5,000 names", "45 KB, no stop"],
)
def test_a_pathological_story_takes_a_bounded_time(default: Watchlist, text: str) -> None:
    # Each grew faster than its length: 80 dashes took 144 s (3x per 10 more), the chain 4 s, the list and the
    # text without a stop (quadratic) about 25 s, so that one such story stalled every run past the Lambda's time
    # limit. Now 0.02-1.6 s: the bound is far above that, not a speed goal.
    import time

    started = time.process_time()
    find_hits(Story(id="x", title="Turkey S-400", text=text), default)
    assert time.process_time() - started < 5.0


def test_a_sentence_is_read_in_pieces_of_at_most_three_thousand_characters() -> None:
    from scraper.sentences import MAX_SENTENCE, split_sentences

    text = "Poland, " * 1000 + "bought it. Then it arrived."
    spans = split_sentences(text)
    assert max(b - a for a, b in spans) <= MAX_SENTENCE == 3000
    assert "".join(text[a:b] for a, b in spans) == text  # nothing lost between the pieces
    assert all(text[b - 1] == " " for a, b in spans[:-2])  # cut after a space, not inside "Poland"


def test_a_dsca_notice_of_one_long_sentence_keeps_its_buyer(default: Watchlist) -> None:
    # the buyer is at the start of a 1,700-character sentence and the system at its end: a first cap of 1,000
    # characters put them in different pieces and the pair was lost
    equipment = ", ".join(
        f"{n} ({n}) {thing}"
        for n, thing in enumerate(
            ["launching stations", "radar sets", "engagement control stations", "power plants", "antenna mast groups",
             "communications radios", "spare parts", "test sets", "training devices", "support vehicles"] * 5,
            start=2,
        )
    )  # fmt: skip
    text = (
        "The State Department has approved a possible Foreign Military Sale to the Government of Poland of "
        f"{equipment}, and related training, publications and logistics support, as part of the Patriot "
        "air and missile defense system, for an estimated cost of $10 billion."
    )
    assert len(text) > 1500
    hits = find_hits(Story(id="dsca", title="State Department approves possible sale", text=text), default)
    assert ("Patriot", "Poland", "operator") in {(h.system, h.country, h.role) for h in hits}


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("Turkey signed for the S-400 anti-aircraft batteries in 2017. The batteries were delivered in July 2019.",
         "delivery"),
        ("Egypt ordered NASAMS anti-aircraft batteries in 2024. The batteries were delivered on Monday.", "delivery"),
    ],
)  # fmt: skip
def test_anti_aircraft_batteries_are_batteries(default: Watchlist, text: str, stage: str) -> None:
    # a first rewrite of the kind-after-a-name pattern (against its backtracking) read "anti-aircraft batteries"
    # as aircraft, so "the batteries" no longer went on with the system and the delivery was lost
    hits = find_hits(Story(id="x", title="", text=text), default)
    assert [h.stage for h in hits if h.role == "operator"] == [stage]
