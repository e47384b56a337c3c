"""Floors on the labeled corpus, so that no change to the matcher can silently make it worse.

The corpus (tests/data/corpus/*.jsonl) is described in scripts/eval_match.py; the floors are the issue's
"done when": pair F1 >= 0.92, stage accuracy >= 0.88, zero false strong alarms.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from scraper.model import Watchlist
from scraper.watchlist import load_watchlist

ROOT = Path(__file__).resolve().parent.parent


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_match", ROOT / "scripts" / "eval_match.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_match"] = module
    spec.loader.exec_module(module)
    return module


EVAL = _eval_module()


@pytest.fixture(scope="module")
def watchlist() -> Watchlist:
    return load_watchlist(str(ROOT / "watchlist.yaml"), require_feeds=False)


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return EVAL.load_corpus()


def test_corpus_is_big_and_varied_enough(corpus: list[dict[str, Any]]) -> None:
    kinds = [row["kind"] for row in corpus]
    assert len(corpus) >= 150
    assert len({row["id"] for row in corpus}) == len(corpus)
    assert kinds.count("trap") >= 40
    assert kinds.count("false_friend") >= 20
    assert all(not row["expected"] for row in corpus if row["kind"] == "false_friend")
    assert sum(1 for row in corpus if any(e["role"] == "supplier" for e in row["expected"])) >= 30
    assert sum(1 for row in corpus if row["style"] == "tokenised") >= 30


def test_floors_hold_in_process(corpus: list[dict[str, Any]], watchlist: Watchlist) -> None:
    report = EVAL.evaluate(corpus, EVAL.hits_in_process(corpus, watchlist), watchlist)
    misses = "\n".join(report.misses[:40])
    assert report.f1 >= 0.92, misses
    assert report.stage_accuracy >= 0.88, misses
    assert report.strong_false == 0, misses


def test_false_friend_stories_make_no_hits(corpus: list[dict[str, Any]], watchlist: Watchlist) -> None:
    friends = [row for row in corpus if row["kind"] == "false_friend"]
    hits = EVAL.hits_in_process(friends, watchlist)
    assert hits == []


def test_floors_hold_through_the_match_command(corpus: list[dict[str, Any]], watchlist: Watchlist) -> None:
    """The same figures through `python handler.py match`, the path users and the script take."""
    report = EVAL.evaluate(corpus, EVAL.hits_by_command(corpus, str(ROOT / "watchlist.yaml")), watchlist)
    assert report.f1 >= 0.92
    assert report.stage_accuracy >= 0.88
    assert report.strong_false == 0


def test_late_rounds_do_not_get_worse(watchlist: Watchlist) -> None:
    """Rounds 9-23, 28, 30, 32, 33-37 but 34, 38, 40, 42, 44-46, 50-52, 56, 58, 60, 62, 65, 66, 68, 70, 72, 75, 76,
    78, 80-82, 86, 87, 91, 93, 94, 96, 98, 99, 101, 110, 112, 115, 116, 119, 121, 125-127, 129, 131, 133, 135, 137,
    139, 143-145, 148, 150, 151, 153, 154 and 157 (tests/data/late_rounds) were written after the rules, blind, to
    measure first contact; then each shaped the rules after its
    first-contact figures (round 22 as a check of
    figures only). Their figures are not targets: this only stops a change from quietly making them worse (README,
    "Measured"). Rounds 33-52 label fewer bystanders optional than the rounds before them, or label a bystander's
    true background stage while marking it optional, so the set's precision fell and its broad alarm count rose when
    they joined it (F1 0.912 on the 708 stories before round 33, 0.902 on the 1,158 before rounds 75-101)."""
    report, misses = _alarms_in(ROOT / "tests" / "data" / "late_rounds", watchlist)
    # 0.907 on the 1,590 stories before rounds 128-157 (the same before their session's rules)
    assert report.f1 >= 0.904, misses
    assert report.role_accuracy >= 0.914, misses
    # 0.796 on the 1,590 stories before rounds 128-157 (0.794 before their session's rules)
    assert report.stage_accuracy >= 0.792, misses
    assert report.strong_false <= 783, misses  # 690 of them in those 1,590 stories


def test_the_untuned_rounds_do_not_get_worse(watchlist: Watchlist) -> None:
    """Rounds 24-27, 29, 31, 34, 39, 41, 43, 47-49, 53-55, 57, 59, 61, 63, 64, 67, 69, 71, 73, 74, 77, 79, 83-85,
    88-90, 92, 95, 97, 100, 102-109, 111, 113, 114, 117, 118, 120, 122-124, 128, 130, 132, 134, 136, 138, 140-142,
    146, 147, 149, 152, 155 and 156 (tests/data/first_contact) were written blind, each before or after a session's
    rules, and none of their stories has been read: their figures
    are the honest estimate for unseen news (README, "Measured"). Fix what they show only by writing the next
    untuned round; this guard only stops a change from making them worse."""
    report, misses = _alarms_in(ROOT / "tests" / "data" / "first_contact", watchlist)
    assert report.f1 >= 0.885, misses  # 0.889 on the 1,122 stories before rounds 128-157
    assert report.role_accuracy >= 0.901, misses
    assert report.stage_accuracy >= 0.751, misses  # 0.750 on those 1,122
    assert report.strong_false <= 806, misses  # 683 of them in those 1,122 stories


def _alarms_in(directory: Path, watchlist: Watchlist) -> tuple[Any, str]:
    """The eval report on one directory of labeled stories, and its false strong alarms as text."""
    rows = EVAL.load_corpus(directory)
    report = EVAL.evaluate(rows, EVAL.hits_in_process(rows, watchlist), watchlist)
    return report, "\n".join(m for m in report.misses if m.startswith("ALARM"))


def test_the_eval_script_reads_one_file_and_refuses_a_path_without_stories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(EVAL.load_corpus(ROOT / "tests" / "data" / "late_rounds" / "round32.jsonl")) == 36
    with pytest.raises(SystemExit) as stopped:  # a wrong path used to score a perfect 1.000 on nothing
        EVAL.main(["--in-process", "--no-speed", "--corpus", str(tmp_path)])
    assert stopped.value.code == 2
    assert "no labeled stories" in capsys.readouterr().err
