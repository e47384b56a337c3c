"""``python bench/run.py``: the job against the sequential baseline on one loopback feed farm.

Prints a table: wall time of a first run and of a steady run (nothing changed: 304s), CPU seconds, peak
RSS, requests and bytes, CPU per changed 50-item feed (parse + match), match throughput, the handler's
cold import time, the ratios to the baseline, and PASS/MISS per target of issue 5.

The farm runs in this process; the job (``bench/job.py``) and the baseline (``bench/baseline.py``) each
run in a child process, so that neither pays for the farm's CPU and each has its own peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.farm import FeedFarm, watchlist_yaml  # noqa: E402

# Targets of issue 5 (2-core machine, 100 feeds x 50 items, 300 ms latency).
FIRST_RATIO = 0.1
STEADY_WALL, STEADY_CPU = 1.0, 0.3
CHANGED_FEED_MS = 10.0
PEAK_RSS_MB = 128.0
IMPORT_MS = 250.0


@dataclass(slots=True)
class Row:
    what: str
    job: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""


@dataclass(slots=True)
class Results:
    rows: list[Row] = field(default_factory=list)

    def add(
        self,
        what: str,
        job: str,
        baseline: str = "",
        ratio: str = "",
        target: str = "",
        ok: bool | None = None,
    ) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        self.rows.append(Row(what, job, baseline, ratio, target, verdict))

    def table(self) -> str:
        head = Row("measure", "job", "baseline", "job/baseline", "target", "")
        rows = [head, *self.rows]
        cols = ("what", "job", "baseline", "ratio", "target", "verdict")
        widths = [max(len(getattr(r, c)) for r in rows) for c in cols]
        lines = []
        for n, row in enumerate(rows):
            cells = [getattr(row, c).ljust(w) for c, w in zip(cols, widths, strict=True)]
            lines.append("| " + " | ".join(cells) + " |")
            if n == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


class _Job:
    """The job's child process: one ``run`` command per run, answers as JSON lines."""

    def __init__(self, env: dict[str, str], tree: Path, log: Path) -> None:
        self.log = log
        with open(log, "w") as errors:
            self.proc = subprocess.Popen(
                [_python(), str(ROOT / "bench" / "job.py")],
                cwd=tree,
                env=env,
                text=True,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
            )
        self.ready = self._read()

    def _read(self) -> dict:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"bench/job.py exited early:\n{tail}")
        return json.loads(line)

    def run(self) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        return self._read()

    def quit(self) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        answer = self._read()
        self.proc.wait(30)
        return answer


def run_farm_phase(args: argparse.Namespace, workdir: Path) -> dict:
    """Baseline (first and second pass) and the job (first, steady, changed) on one farm."""
    out: dict = {}
    with FeedFarm(feeds=args.feeds, items=args.items, latency=args.latency, hosts=args.hosts) as farm:
        watchlist = workdir / "watchlist.yaml"
        watchlist.write_text(watchlist_yaml(farm.sources, str(ROOT / "watchlist.yaml")), encoding="utf-8")
        if not args.skip_baseline:
            farm.reset_stats()
            done = subprocess.run(
                [_python(), str(ROOT / "bench" / "baseline.py"), str(watchlist), "2"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            out["baseline"] = json.loads(done.stdout)
            stats = farm.reset_stats()
            out["baseline"]["bytes"] = stats.bytes_sent / 2
            out["baseline"]["requests"] = stats.requests / 2
        env = {
            **os.environ,
            "WATCHLIST": str(watchlist),
            "DB_PATH": str(workdir / "bench.db"),
            "ALLOW_PRIVATE_HOSTS": "true",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("TABLE_NAME", None)
        tree = Path(args.tree) if args.tree else _compiled_copy(workdir / "tree")
        job = _Job(env, tree, workdir / "job.log")
        farm.reset_stats()
        out["first"] = job.run()
        out["first_farm"] = farm.reset_stats()
        out["steady"] = job.run()
        out["steady_farm"] = farm.reset_stats()
        changed = max(1, args.feeds // 10)
        for index in range(changed):
            farm.add_items(index, args.new_items)
        out["changed"] = job.run()
        out["changed_count"] = changed
        out["changed_farm"] = farm.reset_stats()
        out["peak"] = job.quit()
        out["ready"] = job.ready
    return out


# Country names beyond the default watchlist's, so the match benchmark watches 200 countries.
_MORE_COUNTRIES = (
    "Afghanistan",
    "Albania",
    "Andorra",
    "Angola",
    "Austria",
    "Bangladesh",
    "Barbados",
    "Belize",
    "Benin",
    "Bhutan",
    "Bolivia",
    "Bosnia and Herzegovina",
    "Botswana",
    "Brunei",
    "Burkina Faso",
    "Burundi",
    "Cambodia",
    "Cameroon",
    "Cape Verde",
    "Central African Republic",
    "Chile",
    "Colombia",
    "Comoros",
    "Costa Rica",
    "Cuba",
    "Cyprus",
    "Djibouti",
    "Dominican Republic",
    "Ecuador",
    "El Salvador",
    "Equatorial Guinea",
    "Eritrea",
    "Eswatini",
    "Ethiopia",
    "Fiji",
    "Gabon",
    "Gambia",
    "Ghana",
    "Guatemala",
    "Guinea",
    "Guinea-Bissau",
    "Guyana",
    "Haiti",
    "Honduras",
    "Iceland",
    "Ireland",
    "Ivory Coast",
    "Jamaica",
    "Kenya",
    "Kiribati",
    "Kosovo",
    "Kyrgyzstan",
    "Laos",
    "Lebanon",
    "Lesotho",
    "Liberia",
    "Libya",
    "Liechtenstein",
    "Luxembourg",
    "Madagascar",
    "Malawi",
    "Maldives",
    "Mali",
    "Malta",
    "Mauritania",
    "Mauritius",
    "Moldova",
    "Monaco",
    "Mongolia",
    "Montenegro",
    "Mozambique",
    "Namibia",
    "Nauru",
    "Nepal",
    "New Zealand",
    "Nicaragua",
    "Niger",
    "North Macedonia",
    "Palau",
    "Panama",
    "Papua New Guinea",
    "Paraguay",
    "Peru",
    "Rwanda",
    "Samoa",
    "San Marino",
    "Senegal",
    "Seychelles",
    "Sierra Leone",
    "Solomon Islands",
    "Somalia",
    "South Sudan",
    "Sri Lanka",
    "Sudan",
    "Suriname",
    "Tajikistan",
    "Tanzania",
    "Timor-Leste",
    "Togo",
    "Tonga",
    "Trinidad and Tobago",
    "Tunisia",
    "Turkmenistan",
    "Tuvalu",
    "Uganda",
    "Uruguay",
    "Uzbekistan",
    "Vanuatu",
    "Yemen",
    "Zambia",
    "Zimbabwe",
    "Antigua and Barbuda",
    "Bahamas",
    "Dominica",
    "Grenada",
    "Saint Lucia",
    "Saint Kitts and Nevis",
    "Saint Vincent and the Grenadines",
    "Sao Tome and Principe",
    "Marshall Islands",
    "Micronesia",
    "Vatican City",
    "Palestine",
    "Western Sahara",
    "Greenland",
    "Puerto Rico",
    "Somaliland",
    "Abkhazia",
    "Transnistria",
)


def _big_watchlist(systems: int = 50, countries: int = 200):  # -> Watchlist
    """The default watchlist's first 50 systems and its countries padded to 200 with more names."""
    import yaml

    from scraper.watchlist import parse_watchlist

    data = yaml.safe_load((ROOT / "watchlist.yaml").read_text(encoding="utf-8"))
    data["feeds"] = []
    data.pop("watches", None)
    data["systems"] = data["systems"][:systems]
    have = {c["name"] for c in data["countries"]}
    extra = [{"name": n} for n in _MORE_COUNTRIES if n not in have]
    data["countries"] = (data["countries"] + extra)[:countries]
    wl = parse_watchlist(yaml.safe_dump(data, sort_keys=False), "bench-watchlist.yaml", require_feeds=False)
    return wl, len(wl.systems), len(wl.countries)


def measure_cpu_phases(args: argparse.Namespace) -> dict:
    """In-process CPU costs: parse + match of a changed feed, match throughput, watchlist load."""
    from scraper.match import find_hits
    from scraper.model import Story
    from scraper.parse import parse_feed
    from scraper.watchlist import load_watchlist

    out: dict = {}
    started = time.process_time()
    load_watchlist(str(ROOT / "watchlist.yaml"), require_feeds=False).index.compile()  # compiled lazily
    out["watchlist_load"] = time.process_time() - started
    watchlist = load_watchlist(str(ROOT / "watchlist.yaml"), require_feeds=False)
    farm = FeedFarm(feeds=20, items=args.items, latency=0, seed=11)
    for index in range(20):
        farm.add_items(index, args.new_items)
    bodies = [farm.body(i) for i in range(20)]
    parse_feed(bodies[0], url="http://bench/0", feed_name="warm-up")
    parse_times, match_new, match_all = [], [], []
    for index, body in enumerate(bodies):
        started = time.process_time()
        stories = parse_feed(body, url=f"http://bench/{index}", feed_name="bench")
        parse_times.append(time.process_time() - started)
        started = time.process_time()
        for story in stories[: args.new_items]:
            find_hits(story, watchlist)
        match_new.append(time.process_time() - started)
        started = time.process_time()
        for story in stories:
            find_hits(story, watchlist)
        match_all.append(time.process_time() - started)
    out["parse_feed"] = statistics.median(parse_times)
    out["match_new"] = statistics.median(match_new)
    out["match_all"] = statistics.median(match_all)

    big, n_systems, n_countries = _big_watchlist()
    texts = [farm._story() for _ in range(600)]  # three ~1.3 KB stories make one 3 KB story
    long_stories = [
        Story(id=f"s{n}", title=texts[3 * n][0], text=" ".join(t for _, t in texts[3 * n : 3 * n + 3])[:3000])
        for n in range(200)
    ]
    find_hits(long_stories[0], big)
    started = time.process_time()
    for story in long_stories:
        find_hits(story, big)
    spent = time.process_time() - started
    out["match_rate"] = len(long_stories) / spent
    out["match_watch"] = f"{n_systems} systems x {n_countries} countries"
    return out


def _compiled_copy(tree: Path) -> Path:
    """This tree's code, copied with its .pyc compiled ahead, as ``sam build`` ships it.

    The Lambda never compiles our sources (the build ships unchecked-hash .pyc), so neither does the
    measured job: from a checkout without .pyc (PYTHONDONTWRITEBYTECODE, a fresh clone), a first run
    compiled the modules it imports lazily, about 50 ms that depended on the machine's settings."""
    import shutil

    tree.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "demo_feeds")
    for name in ("scraper", "alerts"):
        shutil.copytree(ROOT / name, tree / name, ignore=skip)
    shutil.copy2(ROOT / "handler.py", tree / "handler.py")
    _compile(_python(), tree, "--invalidation-mode", "unchecked-hash")
    return tree


def _compile(python: str, tree: Path, *options: str) -> None:
    """Byte-compile every module under ``tree`` with ``python`` (its .pyc are for that version)."""
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j", "0", *options, str(tree)],
        capture_output=True,
        text=True,
        check=True,
    )


def _host_replica(build: Path, python: str) -> Path | None:
    """The built package's files with native wheels for this machine, when the build is for another.

    ``sam build`` installs arm64 wheels (the Lambda's architecture), which an x86 machine cannot
    import. The replica has the same files, the same sources and the same unchecked-hash .pyc, so its
    import time stands for the package's (on this CPU). Kept in .aws-sam/ and rebuilt with the build.
    """
    import platform
    import shutil

    probe = next(build.glob("lxml/etree.cpython-*.so"), None)
    if probe is None or platform.machine() in probe.name:
        return None
    replica = ROOT / ".aws-sam" / f"bench-{platform.machine()}"
    stamp = replica / ".built-from"
    if stamp.exists() and stamp.read_text() == str(probe.stat().st_mtime):
        return replica
    shutil.rmtree(replica, ignore_errors=True)
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--no-warn-conflicts",
            "-r",
            str(ROOT / "requirements.txt"),
            "--target",
            str(replica),
            "--only-binary=:all:",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    for name in ("boto3", "botocore", "s3transfer", "bin"):  # the Lambda runtime provides boto3
        shutil.rmtree(replica / name, ignore_errors=True)
    for path in replica.glob("*.dist-info"):
        if path.name.split("-")[0] in ("boto3", "botocore", "s3transfer"):
            shutil.rmtree(path)
    for name in ("handler.py", "scraper", "alerts", "watchlist.yaml"):
        source = build / name
        if source.is_dir():
            shutil.copytree(source, replica / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source, replica / name)
    for cache in list(replica.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
    _compile(python, replica, "--invalidation-mode", "unchecked-hash")
    # The Lambda runtime brings its own precompiled boto3 (outside the package): so does the replica.
    runtime = replica / "_lambda_runtime"
    pin = next(
        line.split()[0]
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith("boto3==")
    )
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            pin,
            "--target",
            str(runtime),
            "--only-binary=:all:",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    _compile(python, runtime)
    stamp.write_text(str(probe.stat().st_mtime))
    return replica


def measure_imports(repeats: int = 5) -> dict:
    """Cold import of ``handler`` and then of the run path, in fresh interpreters, median of runs."""
    build = ROOT / ".aws-sam" / "build" / "WatchFunction"
    py312 = sorted(Path.home().glob(".pyenv/versions/3.12*/bin/python3.12"))
    if build.exists() and py312:
        python, cwd, where = str(py312[-1]), build, "built package, python3.12"
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"}
        replica = _host_replica(build, python)
        if replica is not None:
            cwd, where = replica, "built package (host wheels), python3.12"
            build = replica
        env["PYTHONPATH"] = f"{build}{os.pathsep}{build / '_lambda_runtime'}"
    else:
        python, cwd, where = _python(), ROOT, "source tree"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = (
        "import time; t0 = time.perf_counter()\n"
        "import handler\n"
        "t1 = time.perf_counter()\n"
        "import scraper.runtime, scraper.run, scraper.fetch, scraper.parse, scraper.match\n"
        "import scraper.dedupe, alerts.outbox, alerts.store_dynamo\n"
        "import aws_lambda_powertools.logging, aws_lambda_powertools.metrics\n"
        "t2 = time.perf_counter()\n"
        "try:\n    import boto3; boto3.client\n    t3 = time.perf_counter()\n"
        "except ImportError:\n    t3 = t2 - 1\n"
        "print(t1 - t0, t2 - t1, t3 - t2)\n"
    )
    heavy = "('boto3', 'botocore', 'httpx', 'feedparser', 'bs4', 'lxml', 'aws_lambda_powertools', 'yaml')"
    probe = f"import sys, handler; print(' '.join(m for m in {heavy} if m in sys.modules))"
    samples = []
    for _ in range(repeats):
        done = subprocess.run([python, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode:
            return {"where": where, "error": done.stderr.strip().splitlines()[-1:]}
        samples.append([float(x) for x in done.stdout.split()])
    heavy = subprocess.run(
        [python, "-c", probe], cwd=cwd, env=env, capture_output=True, text=True
    ).stdout.strip()
    return {
        "where": where,
        "handler": statistics.median(s[0] for s in samples),
        "run_path": statistics.median(s[1] for s in samples),
        "boto3": statistics.median(s[2] for s in samples),
        "heavy_at_handler_import": heavy or "none",
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(job: float, base: float | None) -> str:
    return f"{job / base:.3f}" if base else ""


def build_table(args: argparse.Namespace, farm: dict, cpu: dict, imports: dict) -> Results:
    r = Results()
    base = farm.get("baseline", {}).get("runs", [{}, {}])
    b1, b2 = base[0], base[-1]
    first, steady, changed = farm["first"], farm["steady"], farm["changed"]
    bw = b1.get("wall")
    r.add(
        "first run: wall",
        _ms(first["wall"]),
        _ms(bw) if bw else "",
        _ratio(first["wall"], bw),
        f"<= {FIRST_RATIO} x baseline",
        first["wall"] <= FIRST_RATIO * bw if bw else None,
    )
    r.add(
        "first run: CPU", _ms(first["cpu"]), _ms(b1["cpu"]) if b1 else "", _ratio(first["cpu"], b1.get("cpu"))
    )
    r.add(
        "first run: requests / KB",
        f"{first['requests']} / {first['bytes'] / 1024:.0f}",
        f"{farm['baseline']['requests']:.0f} / {farm['baseline']['bytes'] / 1024:.0f}" if b1 else "",
    )
    r.add(
        "first run: new stories / hits",
        f"{first['stories_new']} / {first['hits']}",
        f"{b1.get('stories', '')} / {b1.get('hits', '')} (keyword pairs)" if b1 else "",
    )
    r.add(
        "steady run: wall",
        _ms(steady["wall"]),
        _ms(b2["wall"]) if b2 else "",
        _ratio(steady["wall"], b2.get("wall")),
        f"<= {STEADY_WALL:.1f} s",
        steady["wall"] <= STEADY_WALL,
    )
    r.add(
        "steady run: CPU",
        _ms(steady["cpu"]),
        _ms(b2["cpu"]) if b2 else "",
        _ratio(steady["cpu"], b2.get("cpu")),
        f"<= {STEADY_CPU:.1f} s",
        steady["cpu"] <= STEADY_CPU,
    )
    statuses = ", ".join(f"{v} {k}" for k, v in sorted(steady["statuses"].items()))
    r.add(
        "steady run: requests / KB",
        f"{steady['requests']} ({statuses}) / {steady['bytes'] / 1024:.0f}",
        f"{farm['baseline']['requests']:.0f} / {farm['baseline']['bytes'] / 1024:.0f}" if b1 else "",
    )
    n = farm["changed_count"]
    r.add(
        f"changed run ({n} feeds x {args.new_items} new): wall / CPU",
        f"{_ms(changed['wall'])} / {_ms(changed['cpu'])}",
    )
    per_feed = (changed["cpu"] - steady["cpu"]) / n
    r.add("  end to end, CPU per changed feed (all stages)", _ms(per_feed))
    changed_ms = (cpu["parse_feed"] + cpu["match_new"]) * 1000
    r.add(
        f"CPU per changed {args.items}-item feed: parse + match {args.new_items} new",
        f"{changed_ms:.1f} ms ({cpu['parse_feed'] * 1000:.1f} + {cpu['match_new'] * 1000:.1f})",
        "",
        "",
        f"<= {CHANGED_FEED_MS:.0f} ms",
        changed_ms <= CHANGED_FEED_MS,
    )
    r.add(
        f"  parse + match all {args.items} (a new feed)",
        f"{(cpu['parse_feed'] + cpu['match_all']) * 1000:.1f} ms",
    )
    r.add(f"match throughput, 3 KB stories, {cpu['match_watch']}", f"{cpu['match_rate']:.0f} stories/s")
    r.add("watchlist load + compile (default watchlist)", _ms(cpu["watchlist_load"]))
    peak = farm["peak"]["peak_rss_mb"]
    r.add(
        "peak RSS (all runs, one process)",
        f"{peak:.0f} MB",
        f"{farm['baseline']['peak_rss_mb']:.0f} MB" if b1 else "",
        "",
        f"<= {PEAK_RSS_MB:.0f} MB",
        peak <= PEAK_RSS_MB,
    )
    if "error" in imports:
        r.add(f"cold import ({imports['where']})", "failed: " + " ".join(imports["error"]))
    else:
        r.add(
            f"cold import handler ({imports['where']})",
            _ms(imports["handler"]),
            "",
            "",
            f"<= {IMPORT_MS:.0f} ms",
            imports["handler"] * 1000 <= IMPORT_MS,
        )
        total = imports["handler"] + imports["run_path"]
        r.add(
            "  handler + run path imports (first invocation)",
            _ms(total),
            "",
            "",
            f"<= {IMPORT_MS:.0f} ms",
            total * 1000 <= IMPORT_MS,
        )
        boto = imports["boto3"]
        r.add("  + import boto3 (Lambda runtime's copy)", _ms(boto) if boto >= 0 else "n/a")
        r.add("  heavy modules loaded by `import handler`", imports["heavy_at_handler_import"])
    return r


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per response")
    parser.add_argument("--hosts", type=int, default=25, help="distinct host names the feeds are spread over")
    parser.add_argument("--new-items", type=int, default=5, help="new items per changed feed")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--tree",
        help="source tree the job is imported from as it is (default: a copy of this one, precompiled)",
    )
    parser.add_argument("--json", help="also write the raw measurements to this file")
    parser.add_argument("--quick", action="store_true", help="20 feeds x 20 items, 50 ms: checks the harness")
    args = parser.parse_args(argv)
    if args.quick:
        args.feeds = min(args.feeds, 20)
        args.items = min(args.items, 20)
        args.latency, args.hosts = 0.05, 5
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        farm = run_farm_phase(args, Path(tmp))
    cpu = measure_cpu_phases(args)
    imports = measure_imports(2 if args.quick else 5)
    table = build_table(args, farm, cpu, imports)
    print(
        f"bench/run.py: {args.feeds} feeds x {args.items} items, {args.latency * 1000:.0f} ms latency, "
        f"{args.hosts} hosts; {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    print(table.table())
    if args.json:
        Path(args.json).write_text(
            json.dumps({"farm": farm, "cpu": cpu, "imports": imports}, default=str, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
