"""Measure the matcher on the labeled corpus: pair precision/recall/F1, role and stage accuracy,
false strong alarms, confusions, and throughput.

    python scripts/eval_match.py                      # through `python handler.py match` (subprocess)
    python scripts/eval_match.py --in-process -v      # call find_hits directly; list every miss

Each corpus line is {"id", "title", "text", "expected": [{"system", "country", "stages", "role",
"optional"?}]}. Label names may be any alias; they are resolved through the watchlist's own index, so
"K2" in a label means whatever the watchlist calls K2. An ``optional`` pair (a bystander that one sentence
happens to name) is neither required nor counted against precision.

Definitions: a pair is (story, system, country). Stage accuracy is over matched pairs labeled
``operator`` (the ones that alert); all-pairs stage accuracy is printed too. A false strong alarm is
what would page someone wrongly: an ``operator`` hit at delivery, deployment or cancellation where the
label lists no such stage, or where the label says the country is not the operator (or has no label).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.aliases import build_index, normalize  # noqa: E402
from scraper.model import STRONG_STAGES, Entity, Story, Watchlist  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"


@dataclass
class Report:
    stories: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    role_ok: int = 0
    stage_ok: int = 0
    stage_n: int = 0
    stage_all_ok: int = 0
    stage_all_n: int = 0
    strong_false: int = 0
    strong_no_label: int = 0  # the wording: a strong stage where the label has none
    stage_confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    role_confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def stage_accuracy(self) -> float:
        return self.stage_ok / self.stage_n if self.stage_n else 1.0

    @property
    def role_accuracy(self) -> float:
        return self.role_ok / self.tp if self.tp else 1.0


def load_corpus(directory: Path = CORPUS) -> list[dict[str, Any]]:
    """The labeled stories of a directory of ``*.jsonl`` files, or of one such file."""
    paths = [directory] if directory.is_file() else sorted(directory.glob("*.jsonl"))
    rows: list[dict[str, Any]] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def canonical(watchlist: Watchlist, name: str, kind: str) -> str:
    """A label's name as the watchlist calls it (labels may use any alias)."""
    for entity in watchlist.systems if kind == "system" else watchlist.countries:
        if entity.name == name:
            return name
    for mention in watchlist.index.find(normalize(f" {name} ")):
        if mention.kind == kind:
            return str(mention.name)
    return name


def hits_in_process(rows: list[dict[str, Any]], watchlist: Watchlist) -> list[dict[str, str]]:
    from scraper.match import find_hits

    hits: list[dict[str, str]] = []
    for row in rows:
        story = Story(id=row["id"], title=row.get("title", ""), text=row.get("text", ""))
        hits.extend(hit.to_json() for hit in find_hits(story, watchlist))
    return hits


def hits_by_command(rows: list[dict[str, Any]], watchlist_path: str) -> list[dict[str, str]]:
    """Run the corpus through `python handler.py match`, the command users run."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({"id": row["id"], "title": row["title"], "text": row["text"]}) + "\n")
        name = handle.name
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / "handler.py"), "match", "--watchlist", watchlist_path, name],
            capture_output=True, text=True, cwd=ROOT, check=False, timeout=600,
        )  # fmt: skip
    finally:
        os.unlink(name)
    if done.returncode != 0:
        raise SystemExit(f"handler.py match failed ({done.returncode}): {done.stderr.strip()[:2000]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def evaluate(rows: list[dict[str, Any]], hits: list[dict[str, str]], watchlist: Watchlist) -> Report:
    report = Report(stories=len(rows))
    predicted: dict[tuple[str, str, str], dict[str, str]] = {
        (h["id"], h["system"], h["country"]): h for h in hits
    }
    for row in rows:
        gold: dict[tuple[str, str, str], dict[str, Any]] = {}
        for label in row.get("expected", []):
            key = (row["id"], canonical(watchlist, label["system"], "system"),
                   canonical(watchlist, label["country"], "country"))  # fmt: skip
            gold[key] = label
        mine = {key: hit for key, hit in predicted.items() if key[0] == row["id"]}
        for key, label in gold.items():
            hit = mine.get(key)
            optional = bool(label.get("optional"))
            if hit is None:
                if not optional:
                    report.fn += 1
                    report.misses.append(f"FN {key} want {label['role']}/{'|'.join(label['stages'])}")
                continue
            if not optional:
                report.tp += 1
                if hit["role"] == label["role"]:
                    report.role_ok += 1
                else:
                    report.role_confusions[(label["role"], hit["role"])] += 1
                    report.misses.append(f"ROLE {key} want {label['role']} got {hit['role']}")
            good = hit["stage"] in label["stages"]
            report.stage_all_n += 1
            report.stage_all_ok += good
            if label["role"] == "operator" and not optional:
                report.stage_n += 1
                report.stage_ok += good
            if not good:
                report.stage_confusions[(label["stages"][0], hit["stage"])] += 1
                wanted = "|".join(label["stages"])
                report.misses.append(f"STAGE {key} want {wanted} got {hit['stage']}: {hit['evidence'][:140]}")
            alerting = hit["role"] == "operator" and (label["role"] != "operator" or optional)
            if (
                hit["stage"] in STRONG_STAGES
                and hit["role"] == "operator"
                and not STRONG_STAGES & set(label["stages"])
            ):
                report.strong_no_label += 1
            if (
                hit["stage"] in STRONG_STAGES
                and hit["role"] == "operator"
                and (alerting or not STRONG_STAGES & set(label["stages"]))
            ):
                report.strong_false += 1
                report.misses.append(f"ALARM {key} {hit['role']}/{hit['stage']}: {hit['evidence'][:140]}")
        for key, hit in mine.items():
            if key in gold:
                continue
            report.fp += 1
            report.misses.append(f"FP {key} {hit['role']}/{hit['stage']}: {hit['evidence'][:140]}")
            if hit["stage"] in STRONG_STAGES and hit["role"] == "operator":
                report.strong_false += 1
                report.strong_no_label += 1
    return report


def synthetic_watchlist(real: Watchlist, systems: int = 50, countries: int = 200) -> Watchlist:
    """The real watchlist padded with invented entries to 50 systems and 200 countries."""
    rng = random.Random(3)

    def word() -> str:
        return "".join(
            rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
        )

    more_systems = [
        Entity(f"ZX-{n}", (f"ZX-{n}", f"{word().title()} {n}", word().title() + "-M"))
        for n in range(max(0, systems - len(real.systems)))
    ]
    more_countries = [
        Entity(word().title() + "ia", (word().title() + "ian", word().title() + " City"))
        for _ in range(max(0, countries - len(real.countries)))
    ]
    all_systems = (*real.systems, *more_systems)[:systems]
    all_countries = (*real.countries, *more_countries)[:countries]
    return Watchlist(
        feeds=(), systems=all_systems, countries=all_countries, stages=real.stages,
        index=build_index(all_systems, all_countries),
    )  # fmt: skip


# Background prose for the "typical" throughput story: what surrounds the names in a real article.
FILLER = (
    "The ministry published the figures in its annual report on Tuesday.",
    "Officials spoke on condition of anonymity because they were not authorised to brief reporters.",
    "The programme has been criticised by auditors for cost overruns and a shortage of trained staff.",
    "Budget documents show spending on maintenance rising by about eight percent over five years.",
    "Analysts said the decision reflected a broader shift in procurement priorities across the region.",
    "A spokesperson for the manufacturer declined to comment on commercial negotiations.",
    "Parliament's committee is expected to review the annual budget in a closed session.",
    "Industry executives have warned that supply chains for electronics remain fragile.",
    "The company reported higher quarterly revenue, driven by demand for spare parts and training.",
    "Satellite images reviewed by researchers showed new construction at the site over the summer.",
    "The report did not say how many personnel would be needed to run the new equipment.",
    "Experts cautioned that integrating new hardware into existing networks often takes several years.",
    "Local residents complained about noise from the construction work near the airfield.",
    "The opposition party demanded more transparency about the total cost of the programme.",
    "Inflation and currency swings have pushed up the price of many imported components.",
    "The think tank's study compared readiness rates across a dozen armed services.",
)


def _stories(
    rows: list[dict[str, Any]], dense: bool = False, quiet: bool = False, news: bool = False
) -> list[Story]:
    """200 stories of ~3 KB stitched from corpus stories and background prose (see ``throughput``)."""
    from scraper.sentences import split_sentences

    rng = random.Random(5)
    texts = [row["text"] for row in rows]
    sentences = [text[a:b].strip() for text in texts for a, b in split_sentences(text)]
    stories = []
    for n in range(200):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < 3000:
            if news:
                parts.append(rng.choice(sentences))
                parts.append(" ".join(rng.sample(FILLER, 2)))
                continue
            if not quiet:
                parts.append(rng.choice(texts))
            if not dense:
                parts.append(" ".join(rng.sample(FILLER, 3)))
        title = rng.choice(FILLER) if quiet else rng.choice(rows)["title"]
        stories.append(Story(id=f"s{n}", title=title, text=" ".join(parts)[:3100]))
    return stories


def throughput(
    rows: list[dict[str, Any]],
    watchlist: Watchlist,
    seconds: float = 3.0,
    dense: bool = False,
    quiet: bool = False,
    news: bool = False,
    profile: bool = False,
) -> tuple[float, int]:
    """Stories per CPU second of find_hits on ~3 KB stories stitched from corpus stories.

    ``dense``: nothing but corpus text (every sentence names a system or a country, a worst case);
    ``quiet``: background prose only (no watched name: most stories in a feed); ``news``: one corpus
    sentence, then two of background prose (about one watched name per two to three sentences, the
    density of a real defence article); otherwise "typical": whole corpus stories and background prose
    in about equal parts (most sentences name something). ``profile`` prints where the time goes.
    """
    from scraper.match import find_hits

    stories = _stories(rows, dense, quiet, news)
    size = sum(len(s.text) + len(s.title) for s in stories) // len(stories)
    for story in stories:  # warm caches, as a Lambda container is after its first story
        find_hits(story, watchlist)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(lambda: [find_hits(story, watchlist) for story in stories])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return _rate(lambda story: find_hits(story, watchlist), stories, seconds), size


def _rate(work: Callable[[Story], object], stories: list[Story], seconds: float) -> float:
    """Stories per CPU second of ``work``, called on each story in turn for about ``seconds``."""
    done = 0
    started = time.process_time()
    while time.process_time() - started < seconds:
        for story in stories:
            work(story)
        done += len(stories)
    return done / (time.process_time() - started)


def scan_floor(rows: list[dict[str, Any]], watchlist: Watchlist, seconds: float = 3.0) -> float:
    """Stories per CPU second of the three scans every story with watched names needs before any rule runs:
    the alias automaton over the story, the sentence splitter and the cue lexicon over the whole story, on
    the "typical" stories of ``throughput``. No matcher built on these scans can run faster than this."""
    from scraper.aliases import lower_aligned
    from scraper.lexicon import compile_lexicon
    from scraper.sentences import split_sentences

    index = watchlist.index or build_index(watchlist.systems, watchlist.countries)
    lexicon = compile_lexicon(tuple(watchlist.stages))

    def scans(story: Story) -> None:
        text = f"{normalize(story.title).strip()}\n\n{normalize(story.text).strip()}"
        index.find(text)
        split_sentences(text)
        lexicon.scan(lower_aligned(text))

    stories = _stories(rows)
    for story in stories:
        scans(story)
    return _rate(scans, stories, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchlist", default=str(ROOT / "watchlist.yaml"))
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument(
        "--in-process", action="store_true", help="call find_hits instead of handler.py match"
    )
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput measurement")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--profile", action="store_true", help="profile find_hits on the typical stories")
    args = parser.parse_args(argv)

    from scraper.watchlist import load_watchlist

    watchlist = load_watchlist(args.watchlist, require_feeds=False)
    rows = load_corpus(Path(args.corpus))
    if not rows:  # a wrong path would otherwise score a perfect 1.000 on nothing
        parser.error(f"--corpus {args.corpus}: no labeled stories (*.jsonl lines) there")
    hits = hits_in_process(rows, watchlist) if args.in_process else hits_by_command(rows, args.watchlist)
    report = evaluate(rows, hits, watchlist)
    if args.verbose:
        for line in report.misses:
            print(line)
    via = "find_hits (in process)" if args.in_process else "python handler.py match"
    print(f"corpus: {report.stories} stories, {report.tp + report.fn} required pairs, via {via}")
    print(f"pair precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}")
    print(f"role accuracy {report.role_accuracy:.3f}  (on {report.tp} matched pairs)")
    print(f"stage accuracy {report.stage_accuracy:.3f}  (operator pairs, n={report.stage_n}); "
          f"all matched pairs {report.stage_all_ok / max(1, report.stage_all_n):.3f}")  # fmt: skip
    print(
        f"false strong alarms {report.strong_false} (an operator hit at delivery/deployment/cancellation where "
        f"the label has no strong stage, or marks the pair an optional bystander; where the label has no strong "
        f"stage at all: {report.strong_no_label})"
    )
    print(
        "stage confusions (label -> hit): "
        + (", ".join(f"{a}->{b} x{n}" for (a, b), n in report.stage_confusions.most_common()) or "none")
    )
    print(
        "role confusions (label -> hit): "
        + (", ".join(f"{a}->{b} x{n}" for (a, b), n in report.role_confusions.most_common()) or "none")
    )
    if not args.no_speed:
        big = synthetic_watchlist(watchlist)
        rate, size = throughput(rows, big, profile=args.profile)
        dense_rate, _ = throughput(rows, big, dense=True)
        quiet_rate, _ = throughput(rows, big, quiet=True)
        news_rate, _ = throughput(rows, big, news=True)
        floor = scan_floor(rows, big)
        print(
            f"throughput per core, {size} B stories, 50 systems x 200 countries: typical (half corpus text, "
            f"half background) {rate:,.0f}/s; dense (all corpus text) {dense_rate:,.0f}/s; "
            f"no watched name {quiet_rate:,.0f}/s; news-like (1 corpus sentence in 3) {news_rate:,.0f}/s"
        )
        print(
            f"scan floor (alias automaton, sentence splitter and cue lexicon over each whole typical story, no "
            f"rule): {floor:,.0f}/s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
