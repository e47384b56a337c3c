"""vet_hits: operator hits at a strong stage are demoted when the words say the country is not the
operator, and left alone when they say it is. Each rule: one demotion, one non-demotion."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.model import Hit, Story, Watchlist
from scraper.vet import vet_hits
from scraper.watchlist import load_watchlist

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def watchlist() -> Watchlist:
    return load_watchlist(str(ROOT / "watchlist.yaml"), require_feeds=False)


def vetted(watchlist: Watchlist, system: str, country: str, stage: str, evidence: str, text: str = "") -> Hit:
    """The hit the matcher would page on, after vetting against its evidence (and story)."""
    story = Story(id="s", title="", text=text or evidence)
    hit = Hit("s", system, country, "operator", stage, evidence)
    return vet_hits(story, (hit,), watchlist)[0]


@pytest.mark.parametrize(
    ("system", "country", "stage", "sentence", "role"),
    [
        # 1. targets
        (
            "Kinzhal",
            "Ukraine",
            "deployment",
            "Ukrainian gunners used the battery to shoot down Russian Kinzhal missiles.",
            "other",
        ),
        (
            "Kinzhal",
            "Russia",
            "deployment",
            "Ukrainian gunners used the battery to shoot down Russian Kinzhal missiles.",
            "operator",
        ),
        (
            "IRIS-T",
            "Russia",
            "deployment",
            "The IRIS-T battery has intercepted most of the Russian drones fired at the city.",
            "other",
        ),
        (
            "IRIS-T",
            "Ukraine",
            "deployment",
            "Ukraine has used the IRIS-T battery against Russian drones since 2022.",
            "operator",
        ),
        (
            "THAAD",
            "Iran",
            "deployment",
            "The THAAD battery was deployed in response to an Iranian missile attack.",
            "other",
        ),
        (
            "Patriot",
            "Israel",
            "delivery",
            "Washington sent Patriot units to the region after the Hamas attack on Israel.",
            "other",
        ),
        # 2. hosts
        (
            "THAAD",
            "South Korea",
            "deployment",
            "The U.S. military installed a THAAD battery in South Korea in 2017.",
            "other",
        ),
        (
            "THAAD",
            "South Korea",
            "deployment",
            "South Korea deployed its own THAAD battery near the coast.",
            "operator",
        ),
        (
            "Patriot",
            "Qatar",
            "delivery",
            "Washington sent Patriot units to guard American bases in countries such as Qatar.",
            "other",
        ),
        # 3. geography
        (
            "S-400",
            "China",
            "deployment",
            "India has deployed two S-400 squadrons to watch the border with China.",
            "other",
        ),
        (
            "S-400",
            "India",
            "deployment",
            "India has deployed two S-400 squadrons to watch the border with China.",
            "operator",
        ),
        # 4. sellers
        (
            "Leopard 2",
            "Norway",
            "delivery",
            "Finland, Norway and Denmark were among those that sent Leopards.",
            "supplier",
        ),
        (
            "Leopard 2",
            "Norway",
            "delivery",
            "Norway received its first new Leopard 2 tanks in 2024.",
            "operator",
        ),
        ("Leopard 2", "Spain", "delivery", "Spain has also sent Leopard 2 tanks to Ukraine.", "supplier"),
        (
            "F-16",
            "Israel",
            "cancellation",
            "Zagreb cancelled its plan to buy second-hand Israeli F-16s.",
            "supplier",
        ),
        (
            "AH-64 Apache",
            "Israel",
            "delivery",
            "Morocco turned to Israel and last year ordered Apaches, the first of which arrived in May.",
            "supplier",
        ),
        (
            "Leopard 2",
            "Ukraine",
            "delivery",
            "Slovakia received Leopard 2 tanks as a reward for the weapons Bratislava sent to Ukraine.",
            "other",
        ),
    ],
)
def test_roles(watchlist: Watchlist, system: str, country: str, stage: str, sentence: str, role: str) -> None:
    assert vetted(watchlist, system, country, stage, sentence).role == role


@pytest.mark.parametrize(
    ("system", "country", "stage", "sentence", "expected"),
    [
        # 5. quantified negation and silence
        (
            "Rafale",
            "Indonesia",
            "delivery",
            "None of the Rafales has yet been handed over to Indonesia.",
            "mention",
        ),
        (
            "Rafale",
            "Indonesia",
            "delivery",
            "All six Rafales have been handed over to Indonesia.",
            "delivery",
        ),
        (
            "J-10C",
            "India",
            "deployment",
            "Pakistani J-10C jets downed Indian aircraft; India silent on losses.",
            "mention",
        ),
        # 7. "any"
        (
            "Taurus KEPD 350",
            "Ukraine",
            "delivery",
            "Berlin said any transfer of Taurus missiles to Ukraine was for later.",
            "talks",
        ),
        # 8. the alternative not chosen
        (
            "SAMP/T",
            "Poland",
            "deployment",
            "Poland relies on American batteries rather than European ones such as the SAMP/T.",
            "mention",
        ),
        (
            "SAMP/T",
            "Italy",
            "deployment",
            "Italy relies on the SAMP/T rather than American batteries.",
            "deployment",
        ),
        # 9. coordinated clauses
        (
            "Bayraktar TB2",
            "Kuwait",
            "delivery",
            "Poland took delivery of its first TB2 drones in 2022, and Kuwait signed for the drone in 2023.",
            "deal",
        ),
        (
            "Bayraktar TB2",
            "Kuwait",
            "delivery",
            "The first TB2 drones arrived in 2022, and Kuwait signed for more in 2023.",
            "delivery",
        ),
        (
            "S-400",
            "Turkey",
            "delivery",
            "Russia delivered the S-400 in 2019, and Turkey paid for it in cash.",
            "delivery",
        ),
        # 10. another weapon
        (
            "THAAD",
            "North Korea",
            "deployment",
            "North Korea fired two short-range ballistic missiles into the sea.",
            "mention",
        ),
        (
            "THAAD",
            "United States",
            "deployment",
            "The battery fired two interceptors during the test.",
            "deployment",
        ),
    ],
)
def test_stages(
    watchlist: Watchlist, system: str, country: str, stage: str, sentence: str, expected: str
) -> None:
    assert vetted(watchlist, system, country, stage, sentence).stage == expected


def test_a_report_denied_in_the_next_sentence_is_not_a_delivery(watchlist: Watchlist) -> None:
    claim = "Local media reported that the first J-10C jets had been delivered to Egypt."
    denied = f"{claim} These reports are false, a military spokesman said."
    confirmed = f"{claim} The air force showed the jets at a parade on Sunday."
    assert vetted(watchlist, "J-10C", "Egypt", "delivery", claim, denied).stage == "mention"
    assert vetted(watchlist, "J-10C", "Egypt", "delivery", claim, confirmed).stage == "delivery"


def test_a_demoted_stage_falls_back_to_what_the_story_asserts(watchlist: Watchlist) -> None:
    evidence = "None of the Rafales has yet been handed over to Indonesia."
    text = f"Indonesia signed a contract for 42 Rafale jets in 2022. {evidence}"
    assert vetted(watchlist, "Rafale", "Indonesia", "delivery", evidence, text).stage == "deal"


def test_hits_that_do_not_alert_loudly_are_returned_untouched(watchlist: Watchlist) -> None:
    hits = (
        Hit("s", "Kinzhal", "Ukraine", "operator", "talks", "Ukraine shot down Russian Kinzhal missiles."),
        Hit("s", "Kinzhal", "Ukraine", "other", "deployment", "Ukraine shot down Russian Kinzhal missiles."),
    )
    assert vet_hits(Story(id="s", title="", text=""), hits, watchlist) is hits


def test_a_refusal_in_an_earlier_sentence_kept_with_this_one_does_not_veto_it(watchlist: Watchlist) -> None:
    # A lowercase wire sentence after a normal one stays one "sentence" for the splitter; the
    # spokesperson's refusal belongs to the first, not to the delivery in the second.
    evidence = (
        "A spokesperson for the maker declined to comment on the talks. bratislava - slovakia has completed "
        "the transfer of all 13 of its mig-29 fighters to ukraine , the ministry said ."
    )
    assert vetted(watchlist, "MiG-29", "Ukraine", "delivery", evidence).stage == "delivery"
