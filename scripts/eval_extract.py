"""Score main-text extraction on saved pages against their expected text.

Usage: python scripts/eval_extract.py [FOLDER]   (default: tests/data/pages)

Each NAME.html in FOLDER needs a NAME.txt with the expected main text. For every page it prints token
recall (share of expected tokens found, as a multiset), noise (share of output tokens not expected)
and token F1, then the same figures for the whole-page text (every visible string) as a baseline.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scraper.extract import extract_main_text  # noqa: E402

DEFAULT_FOLDER = ROOT / "tests" / "data" / "pages"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Score:
    """Token overlap between an extraction and the expected text."""

    expected: int
    found: int
    common: int

    @property
    def recall(self) -> float:
        return self.common / self.expected if self.expected else 1.0

    @property
    def noise(self) -> float:
        return 1.0 - self.common / self.found if self.found else 0.0

    @property
    def f1(self) -> float:
        precision = 1.0 - self.noise
        total = precision + self.recall
        return 2 * precision * self.recall / total if total else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.expected + other.expected, self.found + other.found, self.common + other.common)


def tokens(text: str) -> Counter[str]:
    """Lower-cased word tokens as a multiset."""
    return Counter(_TOKEN.findall(text.lower()))


def score(expected: str, found: str) -> Score:
    """Multiset token overlap of `found` against `expected`."""
    want, got = tokens(expected), tokens(found)
    return Score(sum(want.values()), sum(got.values()), sum((want & got).values()))


def whole_page_text(html: bytes) -> str:
    """Every visible string of the page: the baseline an extractor must beat."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    return soup.get_text(" ")


def evaluate(folder: Path) -> list[tuple[str, Score, Score]]:
    """(page name, extractor score, whole-page score) for every page with an expected text."""
    rows = []
    for page in sorted(folder.glob("*.html")):
        truth = page.with_suffix(".txt")
        if not truth.exists():
            continue
        html = page.read_bytes()
        expected = truth.read_text(encoding="utf-8")
        found, baseline = extract_main_text(html), whole_page_text(html)
        rows.append((page.stem, score(expected, found), score(expected, baseline)))
    return rows


def format_table(rows: list[tuple[str, Score, Score]]) -> str:
    """The per-page and overall table that the test prints and this script shows."""
    lines = [f"{'page':<24} {'recall':>6} {'noise':>6} {'F1':>6}   {'whole-page F1':>13}"]
    total = baseline = Score(0, 0, 0)
    for name, got, base in rows:
        lines.append(f"{name:<24} {got.recall:6.3f} {got.noise:6.3f} {got.f1:6.3f}   {base.f1:13.3f}")
        total, baseline = total + got, baseline + base
    overall = f"{total.recall:6.3f} {total.noise:6.3f} {total.f1:6.3f}"
    lines.append(f"{'overall (micro)':<24} {overall}   {baseline.f1:13.3f}")
    if rows:
        mean_f1 = sum(got.f1 for _, got, _ in rows) / len(rows)
        mean_base = sum(base.f1 for _, _, base in rows) / len(rows)
        lines.append(f"{'mean per page':<24} {'':>6} {'':>6} {mean_f1:6.3f}   {mean_base:13.3f}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DEFAULT_FOLDER
    rows = evaluate(folder)
    if not rows:
        print(f"{folder}: no NAME.html with a NAME.txt beside it", file=sys.stderr)
        return 2
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
