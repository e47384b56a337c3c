"""Measure near-duplicate clustering on tests/data/dedupe and print the threshold table.

    python scripts/eval_dedupe.py            # the table, then the shipped settings' score
    python scripts/eval_dedupe.py --write    # rebuild stories.jsonl from events.jsonl first

events.jsonl holds hand-written originals: 30 topics (one weapon/country pair on one day),
each with two or three different events (a third "follow-up" quotes the first event's lead
sentence, as wire reaction stories do), and for 12 events an outlet's own rewording.
stories.jsonl is built from it deterministically: each original plus 2-4 republications
edited the way outlets edit wire copy (headline, intro, byline, trim, reorder, spelling,
added paragraph, wording, tokenised text, summary only), plus the rewordings and, for
those events, a copy with the outlet's own lead over the verbatim wire body. Scores are
pairwise over all stories: a pair is positive when both report the same event.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scraper import dedupe
from scraper.model import Story

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "dedupe"
OUTLETS = (
    ("Daily Sentinel", "dailysentinel.com", "Maria Lopez"),
    ("The Frontier Post", "frontierpost.co.uk", "James Whitfield"),
    ("Anadolu Wire", "aa.com.tr", "Ayse Kaya"),
    ("Korea Herald Online", "koreaherald.co.kr", "Kim Min-jun"),
    ("Defense Brief", "defensebrief.net", "Tom Becker"),
    ("Asia Pacific Report", "apreport.com.au", "Sarah Nguyen"),
    ("Times of Delhi", "timesofdelhi.in", "Rahul Mehta"),
    ("Euro Security Today", "eurosecurity.eu", "Anna Novak"),
    ("Warsaw Voice", "warsawvoice.pl", "Piotr Zielinski"),
    ("Gulf Observer", "gulfobserver.ae", "Omar Haddad"),
)
_US_TO_UK = {
    "defense": "defence",
    "program": "programme",
    "armor": "armour",
    "center": "centre",
    "kilometers": "kilometres",
    "organization": "organisation",
    "prioritize": "prioritise",
    "authorizes": "authorises",
    "modernization": "modernisation",
    "neighboring": "neighbouring",
    "canceled": "cancelled",
}
_SPELL = {**_US_TO_UK, **{uk: us for us, uk in _US_TO_UK.items()}}


def _respell(text: str) -> str:
    return re.sub(r"\b(" + "|".join(_SPELL) + r")\b", lambda m: _SPELL[m.group(1)], text)


def _tokenise(text: str) -> str:
    """Lower-cased, punctuation split off, possessives as "turkey s": the corpus style of examples/."""
    text = re.sub(r"'s\b", " s", text.lower())
    return re.sub(r"\s+", " ", re.sub(r"([,.;:!?()\"])", r" \1 ", text)).strip()


def _copy(event: dict, paragraphs: list[str], n: int, rng: random.Random) -> dict:
    """One republication: another headline plus a few of the edits outlets make to wire copy."""
    outlet, domain, byline = OUTLETS[rng.randrange(len(OUTLETS))]
    title = event["alt_titles"][(n - 1) % len(event["alt_titles"])]
    paras = list(paragraphs)
    edits = rng.sample(
        ["intro", "byline", "trim", "reorder", "spelling", "add_end", "wording", "tokenise", "summary"],
        k=rng.randint(2, 4),
    )
    short = event["mode"] == "short"
    lead = 0  # index of the lead paragraph (1 once a byline is inserted above it)
    for edit in edits:
        if edit == "intro":
            paras[lead] = f"({outlet}) — {paras[lead]}"
        elif edit == "byline":
            paras.insert(0, f"By {byline}, {outlet}")
            lead = 1
        elif edit == "trim" and len(paras) > lead + 2:
            paras.pop()
        elif edit == "reorder" and len(paras) > lead + 3:  # two body paragraphs swap; the lead stays
            paras[lead + 1], paras[lead + 2] = paras[lead + 2], paras[lead + 1]
        elif edit == "spelling":
            title, paras = _respell(title), [_respell(p) for p in paras]
        elif edit == "add_end":
            paras.append(f"{outlet} has asked officials for further comment on the report.")
        elif edit == "wording":
            paras = [p.replace(" said ", " stated ", 1) for p in paras]
        elif edit == "tokenise":
            title, paras = _tokenise(title), [_tokenise(p) for p in paras]
        elif edit == "summary" and not short:
            paras = paras[lead : lead + 1]
            lead = 0
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return {
        "id": f"{event['event']}-{n}",
        "title": title,
        "text": "\n\n".join(paras),
        "url": f"https://www.{domain}/news/{rng.randrange(10**6)}-{slug}?utm_source=rss",
        "event": event["event"],
        "topic": event["topic"],
        "edits": edits,
    }


def build_stories(events: Sequence[dict]) -> list[dict]:
    """Originals and their republications, in a fixed pseudo-random order."""
    backgrounds = {e["topic"]: e["background"] for e in events if "background" in e}
    stories = []
    for event in events:
        paragraphs = [backgrounds[event["topic"]] if p == "@bg" else p for p in event["paragraphs"]]
        stories.append(
            {
                "id": f"{event['event']}-0",
                "title": event["title"],
                "text": "\n\n".join(paragraphs),
                "url": f"https://wire.example.com/{event['event']}",
                "event": event["event"],
                "topic": event["topic"],
                "edits": [],
            }
        )
        rng = random.Random(event["event"])
        copies = rng.randint(2, 4)
        stories.extend(_copy(event, paragraphs, n, rng) for n in range(1, copies + 1))
        for n, rewrite in enumerate(event.get("rewrites", ()), start=copies + 1):
            # a hand-written rewording (an outlet's own version of the wire story), plus edits
            rewritten = {**event, "alt_titles": [rewrite["title"]]}
            stories.append(_copy(rewritten, rewrite["paragraphs"], n, rng) | {"edits": ["rewrite"]})
            if len(paragraphs) > 2:  # the outlet's own lead on top of the verbatim wire body
                relead = [rewrite["paragraphs"][0], *paragraphs[1:]]
                stories.append(_copy(event, relead, n + 10, rng) | {"edits": ["relead"]})
    random.Random(6).shuffle(stories)
    return stories


def load_stories(path: Path = DATA / "stories.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(labels: Sequence[dict], clusters: Sequence[str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 of predicted clusters against events, plus the number of
    merged pairs of different events about the same topic (must be zero)."""
    tp = fp = fn = wrong = 0
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            same, merged = labels[i]["event"] == labels[j]["event"], clusters[i] == clusters[j]
            tp += same and merged
            fp += merged and not same
            fn += same and not merged
            wrong += merged and not same and labels[i]["topic"] == labels[j]["topic"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": precision, "r": recall, "f1": f1, "topic_merges": wrong}


def _single_link(n: int, pairs: Sequence[tuple[int, int, float]], threshold: float) -> list[str]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, sim in pairs:
        if sim >= threshold:
            parent[max(find(a), find(b))] = min(find(a), find(b))
    return [str(find(i)) for i in range(n)]


def _shingles(title: str, text: str, k: int, joined: bool) -> set[int]:
    parts = [f"{title} {text}"] if joined else [title, text]
    out: set[int] = set()
    for part in parts:
        words = dedupe.words_of(part)
        grams = [" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))]
        out |= {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams}
    return out


def _simhash(shingles: set[int]) -> int:
    counts = [0] * 64
    for h in shingles:
        for bit in range(64):
            counts[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if counts[bit] > 0)


Measure = Callable[[dict, dict], float]


def _measures(stories: Sequence[dict]) -> dict[str, list[tuple[int, int, float]]]:
    """Pairwise similarities of every story pair under each candidate method."""
    out: dict[str, list[tuple[int, int, float]]] = {}
    n = len(stories)
    for k in (2, 3, 4, 5):
        for joined in (False, True):
            sets = [_shingles(s["title"], s["text"], k, joined) for s in stories]
            sims = [_simhash(s) for s in sets]
            tag = f"k={k}{' joined' if joined else ''}"
            jac, con, sim = [], [], []
            for i in range(n):
                for j in range(i + 1, n):
                    shared = len(sets[i] & sets[j])
                    jac.append((i, j, shared / len(sets[i] | sets[j])))
                    con.append((i, j, shared / min(len(sets[i]), len(sets[j]))))
                    sim.append((i, j, 1 - bin(sims[i] ^ sims[j]).count("1") / 64))
            out[f"jaccard {tag}"] = jac
            out[f"containment {tag}"] = con
            out[f"simhash64 {tag}"] = sim
        for rate in (2, 4, 8):
            fps = [
                dedupe.fingerprint(s["title"], s["text"], shingle_size=k, sample_rate=rate) for s in stories
            ]
            pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
            out[f"sampled 1/{rate} k={k}"] = [(i, j, dedupe.similarity(fps[i], fps[j])) for i, j in pairs]
            if rate != 4:
                continue
            for lead in (0.2, 0.3, 0.4, 0.5, 0.6):
                for body in (None, 0.7, 0.8, 0.9):
                    # body: two long texts (>= LONG_TEXT shingles) sharing this much need no lead match
                    name = f"sampled 1/{rate} k={k} lead>={lead}" + (f" |long>={body}" if body else "")
                    out[name] = [
                        (i, j, dedupe.similarity(fps[i], fps[j]))
                        for i, j in pairs
                        if dedupe.lead_similarity(fps[i], fps[j]) >= lead
                        or (
                            body is not None
                            and min(fps[i].size, fps[j].size) >= dedupe.LONG_TEXT
                            and dedupe.similarity(fps[i], fps[j]) >= body
                        )
                    ]
    return out


GRID = [round(0.05 * i, 2) for i in range(2, 20)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rebuild stories.jsonl from events.jsonl")
    parser.add_argument("--all", action="store_true", help="print every threshold, not just the best rows")
    args = parser.parse_args(argv)
    if args.write:
        events = load_stories(DATA / "events.jsonl")
        lines = [json.dumps(s, ensure_ascii=False) for s in build_stories(events)]
        (DATA / "stories.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stories = load_stories()
    events = {s["event"] for s in stories}
    print(f"{len(stories)} stories, {len(events)} events, {len({s['topic'] for s in stories})} topics\n")
    print(f"{'method':38} {'thr':>5} {'P':>6} {'R':>6} {'F1':>6} {'merges':>6}  F1>=0.95 & 0 merges")
    for name, pairs in _measures(stories).items():
        rows = [(t, score(stories, _single_link(len(stories), pairs, t))) for t in GRID]
        ok = [t for t, s in rows if s["f1"] >= 0.95 and s["topic_merges"] == 0]
        best_t, best = max(rows, key=lambda row: (row[1]["f1"], -row[1]["topic_merges"]))
        window = f"{min(ok):.2f}..{max(ok):.2f}" if ok else "-"
        for t, s in rows if args.all else [(best_t, best)]:
            scores = f"{s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['topic_merges']:6d}"
            print(f"{name:38} {t:5.2f} {scores}  {window}")
    typed = [Story(id=s["id"], title=s["title"], text=s["text"], url=s["url"]) for s in stories]
    from scraper.watchlist import load_watchlist

    # as the job clusters: the default watchlist's names keep templated stories about other pairs apart
    index = load_watchlist(str(ROOT / "watchlist.yaml"), require_feeds=False).index
    subjects = dedupe.StorySubjects(index, [(s.title, s.text) for s in typed])
    result = dedupe.cluster_stories(typed, subjects=subjects)
    final = score(stories, [result[s["id"]] for s in stories])
    print(
        f"\nshipped (cluster_stories, containment >= {dedupe.NEAR_DUPLICATE}, k={dedupe.SHINGLE_SIZE}, "
        f"1/{dedupe.SAMPLE_RATE}, subjects from watchlist.yaml): P={final['p']:.3f} R={final['r']:.3f} "
        f"F1={final['f1']:.3f} topic merges={final['topic_merges']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
