"""Loading and validating watchlists: the default file, every optional section, every error, S3."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
import yaml

from scraper.aliases import normalize
from scraper.errors import ConfigError
from scraper.model import AlertSettings, QuietHours, Source, Watch
from scraper.watchlist import load_watchlist, parse_watchlist
from scraper.watchlist_check import check_watchlist, summarize_watchlist

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "data" / "watchlists"
MINIMAL = """\
feeds:
  - {name: Wire, url: "https://news.example.com/rss"}
systems:
  - name: S-400
countries:
  - name: Turkey
"""


def problems(text: str, **kwargs: bool) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_watchlist(text, "wl.yaml", **kwargs)
    return str(caught.value).splitlines()


# --- the default watchlist -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def default():
    return load_watchlist(str(ROOT / "watchlist.yaml"))


def test_default_watchlist_loads_with_the_required_coverage(default) -> None:
    assert len(default.feeds) >= 8
    assert all(feed.url.startswith("https://") for feed in default.feeds)
    assert len(default.systems) >= 30
    assert len(default.countries) >= 55
    names = {entity.name for entity in (*default.systems, *default.countries)}
    assert {"S-400", "Patriot", "SAMP/T", "IRIS-T", "Leopard 2", "Bayraktar TB2", "THAAD", "F-35"} <= names
    assert {"Turkey", "India", "China", "Ukraine", "United States", "Jordan", "Georgia", "Chad"} <= names
    countries = {country.name for country in default.countries}
    assert all(set(system.origin) <= countries and system.origin for system in default.systems)


def test_default_watchlist_raises_no_warnings(default) -> None:
    assert check_watchlist(default) == []


@pytest.mark.parametrize(
    ("designation", "system"),
    [("Su-30MK2", "Su-30"), ("Su-30MKK", "Su-30"), ("F-16AM", "F-16"), ("F-16 Block 52", "F-16"),
     ("F-15K", "F-15"), ("F-15SG", "F-15"), ("MiG-29SMT", "MiG-29"), ("J-10A", "J-10C"),
     ("AH-64D", "AH-64 Apache"), ("UH-60L", "Black Hawk"), ("Gripen D", "Gripen")],
)  # fmt: skip
def test_default_watchlist_knows_the_variants_news_names(default, designation: str, system: str) -> None:
    """Whole-word matching means "Su-30" does not match "Su-30MK2": each variant in service is listed."""
    found = default.index.find(normalize(f"Vietnam flies {designation} jets."))
    assert [(m.kind, m.name) for m in found] == [("country", "Vietnam"), ("system", system)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Triumf, S400, SA-21 Growler", ["S-400", "S-400", "S-400"]),
        ("MIM-104, PAC-3 MSE, PAC-2", ["Patriot", "Patriot", "Patriot"]),
        ("SAMP-T, SAMPT, Aster 30, Mamba", ["SAMP/T"] * 4),
        ("Türkiye, Turkish, Ankara", ["Turkey"] * 3),
        ("Kyiv, Kiev, Ukrainian", ["Ukraine"] * 3),
        ("the U.S. and the Pentagon", ["United States", "United States"]),
        ("New England Patriots, Patriot Act", []),
        ("a Thanksgiving turkey", []),
        ("the South China Sea", []),
        ("Atlanta, Georgia", []),
        ("Michael Jordan", []),
        ("the Bayraktar Akinci", ["Bayraktar Akinci"]),
        ("a Leopard 1A5 and a Leopard 2A6", ["Leopard 1", "Leopard 2"]),
    ],
)
def test_default_watchlist_aliases(default, text: str, expected: list[str]) -> None:
    assert [m.name for m in default.index.find(normalize(text))] == expected


@pytest.mark.parametrize(
    ("word", "name"),
    [("turkey", "Turkey"), ("Georgia", "Georgia"), ("Jordan", "Jordan"), ("Chad", "Chad"),
     ("patriot", "Patriot"), ("Iron Dome", "Iron Dome"), ("Leopard", "Leopard 2"), ("Abrams", "M1 Abrams"),
     ("Washington", "United States")],
)  # fmt: skip
def test_false_friends_need_a_defence_context(default, word: str, name: str) -> None:
    (mention,) = default.index.find(f"about {word} today")
    assert (mention.name, mention.ambiguous) == (name, True)


def test_default_watchlist_summary(default) -> None:
    summary = summarize_watchlist(default)
    assert (
        f"{len(default.feeds)} feeds, {len(default.systems)} systems, {len(default.countries)} countries"
        in summary
    )
    assert "Turkey" in summary


# --- every section parsed ------------------------------------------------------------------------


def test_every_optional_section_is_read() -> None:
    wl = load_watchlist(str(SAMPLES / "full.yaml"))
    assert wl.feeds[1] == Source(
        "Ministry news page",
        "http://ministry.example.org/news",
        "html",
        item_selector="article h2 a",
        title_selector="h1",
        date_selector="time[datetime]",
        full_text=True,
    )
    patriot, samp_t = wl.systems
    assert patriot.aliases == ("Patriot", "MIM-104", "PAC-3", "PAC-3 MSE")  # canonical name first
    assert patriot.ambiguous == patriot.aliases  # `ambiguous: true` flags every alias
    assert patriot.exclude == ("New England Patriots",)
    assert samp_t.ambiguous == ("Mamba",)
    assert samp_t.origin == ("France", "Italy")
    assert wl.watches[0] == Watch(("Patriot",), ("Poland",), ("new", "stage", "every"), ("slack",), 2)
    assert wl.watches[1].systems == ("Patriot", "SAMP/T")
    assert wl.watches[1].countries == ("United States", "France", "Italy", "Poland")
    assert wl.watch_for("SAMP/T", "Poland") == wl.watches[1]
    assert dict(wl.stages) == {
        "deal": ("letter of offer and acceptance",),
        "delivery": ("handover ceremony", "rolled out to the unit"),
    }
    assert wl.alerts == AlertSettings(
        digest_after=3,
        failing_after=4,
        max_attempts=6,
        alert_backlog=True,
        quiet_hours=(
            QuietHours("email", "22:30", "07:00", "Europe/Warsaw"),  # unquoted 22:30 is not YAML's 1350
            QuietHours("slack", "0:00", "06:15", "UTC"),
        ),
    )


def test_a_matcher_only_watchlist_needs_no_feeds() -> None:
    text = (SAMPLES / "matcher-only.yaml").read_text(encoding="utf-8")
    wl = parse_watchlist(text, require_feeds=False)
    assert (wl.feeds, wl.watches, wl.alerts) == ((), (), AlertSettings())
    assert wl.watch_for("S-400", "Turkey") == Watch(("S-400",), ("Turkey",))
    assert [m.name for m in wl.index.find("Moscow sold the S400 to Ankara")] == ["Russia", "S-400", "Turkey"]
    assert problems(text) == ["wl.yaml: feeds is required"]


def test_spelling_variants_of_an_alias_are_folded() -> None:
    wl = parse_watchlist(MINIMAL.replace("- name: S-400", "- name: S-400\n    aliases: [S400, s 400, S-400]"))
    assert wl.systems[0].aliases == ("S-400",)


# --- errors --------------------------------------------------------------------------------------


def test_every_problem_is_reported_together_with_file_line_and_field() -> None:
    path = str(SAMPLES / "bad.yaml")
    with pytest.raises(ConfigError) as caught:
        load_watchlist(path)
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{path}:3: feeds[0].item_selector is required when kind is 'html'",
        f"{path}:4: feeds[0].url must be an http:// or https:// URL, got 'ftp://example.org/news'",
        f"{path}:8: feeds[1].ful_text is not a known key; did you mean 'full_text'?",
        f"{path}:11: systems[0].aliases must be a list of strings, got 'S-400'",
        f"{path}:13: systems[1].aliases[1] must not be empty",
        f"{path}:14: systems[1].origin: 'Untied States' is not a country in this file",
        f"{path}:15: systems[2].name 'S400' is already the name of systems[0] 'S-400' (line 10)",
        f"{path}:19: countries[0].ambiguous: 'turkey bird' is not one of this entry's aliases",
        f"{path}:22: watches[0].systems: 'Patriots' is not a system in this file; did you mean 'Patriot'?",
        f"{path}:24: watches[0].alert_on: 'sometimes' is not one of new, stage, every",
        f"{path}:25: watches[0].min_sources must be a whole number >= 1, got '0'",
        f"{path}:27: stages.delivered is not a known key; did you mean 'delivery'?",
        f"{path}:33: alerts.quiet_hours[0].tz 'Mars/Olympus' is not a known time zone (e.g. 'Europe/Paris')",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("systems: [S-400\ncountries: []\n", "wl.yaml:2: YAML syntax error: expected ',' or ']'"),
        ("feeds:\n\t- name: x\n", "wl.yaml:2: YAML syntax error: found character '\\t'"),
        ("", "wl.yaml: the watchlist is empty"),
        ("- S-400\n", "wl.yaml:1: the watchlist must be a mapping"),
    ],
)
def test_unreadable_yaml_is_refused_with_its_line(text: str, expected: str) -> None:
    assert problems(text)[0].startswith(expected)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("countries:", "countrys: []\ncountries:"),
         "wl.yaml:5: countrys is not a known key; did you mean 'countries'?"),
        (("countries:", "? [a, b]\n: 1\ncountries:"),
         "wl.yaml:5: a key must be a name, got a list (expected one of: feeds, systems, countries,"),
        (("  - name: Turkey", "  - name: Turkey\n    ? {a: b}\n    : 1"),
         "wl.yaml:7: countries[0]: a key must be a name, got a mapping (expected one of: name, aliases,"),
        (("  - name: Turkey", "  - name: Turkey\n    name: Türkiye"),
         "wl.yaml:7: countries[0].name is given twice"),
        (("- name: S-400", "- name: S-400\n    aliases: []"),
         "wl.yaml:5: systems[0].aliases must not be empty"),
        (("- name: S-400", "- name: S-400\n    aliases: [S-400, '-']"),
         "wl.yaml:5: systems[0].aliases: '-' needs at least two letters or digits to match safely"),
        (("- name: S-400", "- name: X"),
         "wl.yaml:4: systems[0].name 'X' needs at least two letters or digits to match safely"),
        (("- name: Turkey", "- name: 'T.'\n    aliases: [Turkey]"),
         "wl.yaml:6: countries[0].name 'T.' needs at least two letters or digits to match safely"),
        (("- name: S-400", "- name: S-400\n    aliases: [[S400]]"),
         "wl.yaml:5: systems[0].aliases must be a list of strings, got a list"),
        (("- name: S-400", "- name: S-400\n    ambiguous: maybe"),
         "wl.yaml:5: systems[0].ambiguous must be true, false or a list of this entry's aliases"),
        (("- name: Turkey", "- name: Turkey\n    origin: [Russia]"),
         "wl.yaml:7: countries[0].origin is not a known key (expected one of: name, aliases, exclude, "
         "ambiguous)"),
        (("- name: S-400", "- name: S-400\n    origin: [Turkye]"),
         "wl.yaml:5: systems[0].origin: 'Turkye' is not a country in this file; did you mean 'Turkey'?"),
        (("- name: Turkey", "- name: s 400"),
         "wl.yaml:6: countries[0].name 's 400' is already the name of systems[0] 'S-400' (line 4)"),
        (('url: "https://news.example.com/rss"', "url: https://user:pw@news.example.com/rss"),
         "wl.yaml:2: feeds[0].url must not carry credentials; secrets never go in the watchlist"),
        (('url: "https://news.example.com/rss"', "url: news.example.com/rss"),
         "wl.yaml:2: feeds[0].url must be an http:// or https:// URL, got 'news.example.com/rss'"),
        # validate said OK for a URL no run can fetch, and echoed its escapes to the terminal
        (('url: "https://news.example.com/rss"', 'url: "https://news.example.com/\\e]0;PWNED\\a"'),
         "wl.yaml:2: feeds[0].url cannot be fetched: a control character in it, or a host name no resolver takes "
         "(an empty or invalid label), got 'https://news.example.com/\\x1b]0;PWNED\\x07'"),
        (('url: "https://news.example.com/rss"', "url: https://news..example.com/rss"),
         "wl.yaml:2: feeds[0].url cannot be fetched"),
        (("{name: Wire,", "{name: Wire, kind: html, item_selector: 'a[href',"),
         "wl.yaml:2: feeds[0].item_selector is not a valid CSS selector"),
        (('url: "https://news.example.com/rss"', 'url: "https://[::1/rss"'),
         "wl.yaml:2: feeds[0].url is not a valid URL (Invalid IPv6 URL), got 'https://[::1/rss'"),
        (('url: "https://news.example.com/rss"', "url: https://news.example.com:99999/rss"),
         "wl.yaml:2: feeds[0].url is not a valid URL (Port out of range 0-65535)"),
        (("{name: Wire,", "{name: Wire, kind: html, item_selector: 'p::before',"),
         "wl.yaml:2: feeds[0].item_selector cannot select elements of a page: Pseudo-element found"),
        (("{name: Wire,", "{name: Wire, kind: html, item_selector: '" + ":is(a," * 9000 + "a" + ")" * 9000 + "',"),
         "wl.yaml:2: feeds[0].item_selector is not a usable CSS selector: Selector exceeds"),
        (("{name: Wire,", "{name: Wire, kind: rss,"),
         "wl.yaml:2: feeds[0].kind must be 'feed' or 'html', got 'rss'"),
        (("{name: Wire,", "{name: Wire, full_text: sometimes,"),
         "wl.yaml:2: feeds[0].full_text must be true or false, got 'sometimes'"),
        (("systems:", "watches:\n  - notify: [slack, pager]\nsystems:"),
         "wl.yaml:4: watches[0].notify: 'pager' is not one of slack, email, console"),
        (("systems:", "watches:\n  - countries: [Turkye]\nsystems:"),
         "wl.yaml:4: watches[0].countries: 'Turkye' is not a country in this file; did you mean 'Turkey'?"),
        (("systems:", "watches: []\nsystems:"),  # not "every pair", as leaving it out would mean
         "wl.yaml:3: watches must not be empty (leave it out to watch every pair)"),
        (("systems:", "watches:\n  - systems: []\nsystems:"),
         'wl.yaml:4: watches[0].systems must not be empty (leave it out or write "*" for every system)'),
        (("systems:", "watches:\n  - {systems: [S-400], countries: []}\nsystems:"),
         'wl.yaml:4: watches[0].countries must not be empty (leave it out or write "*" for every country)'),
        (("systems:", "alerts:\n  digest_after: many\nsystems:"),
         "wl.yaml:4: alerts.digest_after must be a whole number >= 1, got 'many'"),
        (("systems:", "alerts:\n  quiet_hours:\n    - {channel: slack, start: '25:00'}\nsystems:"),
         "wl.yaml:5: alerts.quiet_hours[0].end is required"),
        (("systems:", "stages:\n  delivery: handed over\nsystems:"),
         "wl.yaml:4: stages.delivery must be a list of strings, got 'handed over'"),
        (("  - name: S-400", "  - name: S-400\n    aliases: [" + "Triumf " * 15 + "]"),
         "wl.yaml:5: systems[0].aliases: 'Triumf Triumf Triumf Triumf Triumf Trium...' is longer than 100"),
        (("  - name: Turkey", "  - name: " + "T" * 101),
         "wl.yaml:6: countries[0].name is longer than 100 characters"),
        # a NUL or an escape became the canonical name, in storage and at the head of every alert
        (("  - name: S-400", '  - name: "S-400\\0x"'),
         "wl.yaml:4: systems[0].name 'S-400\\x00x' holds a control character"),
        (("  - name: Turkey", '  - name: Turkey\n    aliases: ["\\e[31mTürkiye"]'),
         "wl.yaml:7: countries[0].aliases: '\\x1b[31mTürkiye' holds a control character"),
    ],
)  # fmt: skip
def test_each_kind_of_mistake_is_named(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in MINIMAL
    assert any(line.startswith(expected) for line in problems(MINIMAL.replace(old, new, 1))), expected


def test_aliases_with_no_break_or_zero_width_characters_are_accepted() -> None:
    # "S\u00a0400" and Persian "ایران‌ها" (a zero-width non-joiner, standard in its spelling) are text, not control
    # characters: a first stricter check refused the whole watchlist
    text = MINIMAL.replace("  - name: S-400", '  - name: S-400\n    aliases: ["S\u00a0400"]').replace(
        "  - name: Turkey", '  - name: Iran\n    aliases: ["ایران\u200cها"]\n  - name: Turkey'
    )
    watchlist = parse_watchlist(text, "wl.yaml")
    assert "ایران\u200cها" in watchlist.countries[0].aliases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL + "alerts:\n  digest_after: " + "9" * 5000 + "\n",
         "wl.yaml:8: alerts.digest_after must be a whole number >= 1, got '999"),
        (MINIMAL + "watches: " + "[" * 5000 + "]" * 5000 + "\n", "wl.yaml: YAML nested too deeply to be a watchlist"),
        (MINIMAL + "alerts:\n  quiet_hours:\n    - {channel: slack, start: '22:00', end: '06:00', tz: '"
         + "a/" * 5000 + "'}\n", "wl.yaml:9: alerts.quiet_hours[0].tz"),
        (MINIMAL.replace("name: S-400", "name: S-400\x07"),
         "wl.yaml:4: YAML syntax error: the control character '\\x07' is not allowed in YAML"),
    ],
    ids=["a number of 5,000 digits", "nested 5,000 deep", "a time zone of 5,000 parts", "a control character"],
)  # fmt: skip
def test_odd_watchlists_get_a_line_and_a_reason_not_a_traceback(text: str, expected: str) -> None:
    # each raised out of `validate` and `run` (ValueError, RecursionError) or named a character position only
    lines = problems(text)
    assert any(line.startswith(expected) for line in lines), lines
    assert all(len(line) < 400 for line in lines)  # a huge value is not quoted back whole


def test_a_problem_with_one_item_of_a_block_list_names_that_items_line() -> None:
    text = """\
feeds:
  - {name: Wire, url: "https://news.example.com/rss"}
systems:
  - name: S-400
    aliases:
      - S400
      - '+'
    ambiguous:
      - S400
      - Triumf
    origin:
      - Turkey
      - Russia
countries:
  - name: Turkey
watches:
  - systems:
      - S-400
      - Patriot
    countries:
      - Turkey
      - Turkye
    alert_on:
      - new
      - sometimes
    notify:
      - slack
      - pager
"""
    assert problems(text) == [
        "wl.yaml:7: systems[0].aliases: '+' needs at least two letters or digits to match safely",
        "wl.yaml:10: systems[0].ambiguous: 'Triumf' is not one of this entry's aliases",
        "wl.yaml:13: systems[0].origin: 'Russia' is not a country in this file",
        "wl.yaml:19: watches[0].systems: 'Patriot' is not a system in this file",
        "wl.yaml:22: watches[0].countries: 'Turkye' is not a country in this file; did you mean 'Turkey'?",
        "wl.yaml:25: watches[0].alert_on: 'sometimes' is not one of new, stage, every",
        "wl.yaml:28: watches[0].notify: 'pager' is not one of slack, email, console",
    ]


def test_a_problem_with_an_ambiguous_list_is_reported_once() -> None:
    text = MINIMAL.replace("- name: S-400", "- name: S-400\n    ambiguous: ['']")
    assert problems(text) == ["wl.yaml:5: systems[0].ambiguous[0] must not be empty"]


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nowhere\.yaml: cannot read the watchlist"):
        load_watchlist(str(tmp_path / "nowhere.yaml"))
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("countries:\n  - name: T\xfcrkiye\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="is not UTF-8"):
        load_watchlist(str(latin1))


# --- warnings ------------------------------------------------------------------------------------


def test_risky_aliases_are_warned_about() -> None:
    wl = parse_watchlist(
        MINIMAL
        + """\
  - name: Chad
  - name: Jordan
    ambiguous: true
  - name: United States
    aliases: [US, us]
  - name: North Korea
  - name: South Korea
    aliases: [Korea]
  - name: Niger
    aliases: [S400]
""",
        "wl.yaml",
    )
    advice = "mark it ambiguous (needs a defence context) or remove it"
    assert check_watchlist(wl) == [
        f"wl.yaml:6: country 'Turkey': alias 'Turkey' is a common English word or name; {advice}",
        f"wl.yaml:7: country 'Chad': alias 'Chad' is a common English word or name; {advice}",
        f"wl.yaml:10: country 'United States': alias 'us' is a common English word or name; {advice}",
        "wl.yaml:13: country 'South Korea': alias 'Korea' is inside 'North Korea' of country 'North Korea'; "
        "the longer name wins where it appears",
        "wl.yaml:15: country 'Niger': alias 'S400' is also an alias of system 'S-400' (line 4); "
        "only the first entry will get its matches",
    ]


def test_an_alias_in_any_case_that_matches_another_entrys_acronym_is_warned_about() -> None:
    """'usa' matches "USA" too (any case), so it competes with the acronym 'USA' of another entry."""
    wl = parse_watchlist(
        MINIMAL + "  - name: USA\n  - name: America\n    aliases: [usa]\n  - name: Uae\n    aliases: [UAE]\n",
        "wl.yaml",
    )
    warnings = [w for w in check_watchlist(wl) if "both match" in w]
    assert warnings == [
        "wl.yaml:8: country 'America': alias 'usa' and alias 'USA' of country 'USA' (line 7) both match 'USA'; "
        "only one entry will get those matches",
    ]


# --- S3 ------------------------------------------------------------------------------------------


def test_a_watchlist_is_read_from_s3(aws_env: str) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="watch-config")
    s3.put_object(Bucket="watch-config", Key="lists/watchlist.yaml", Body=MINIMAL.encode())
    wl = load_watchlist("s3://watch-config/lists/watchlist.yaml", s3_client=s3)
    assert wl.path == "s3://watch-config/lists/watchlist.yaml"
    assert [s.name for s in wl.systems] == ["S-400"]
    s3.put_object(Bucket="watch-config", Key="bad.yaml", Body=b"systems: x\n")
    with pytest.raises(ConfigError, match=r"s3://watch-config/bad\.yaml:1: systems must be a list, got 'x'"):
        load_watchlist("s3://watch-config/bad.yaml", s3_client=s3, require_feeds=False)
    with pytest.raises(ConfigError, match=r"s3://watch-config/missing\.yaml: cannot read .*NoSuchKey"):
        load_watchlist("s3://watch-config/missing.yaml", s3_client=s3)


def test_s3_locations_are_checked_before_any_request() -> None:
    with pytest.raises(ConfigError, match="s3://bucket/key"):
        load_watchlist("s3://only-a-bucket", s3_client=object())
    with pytest.raises(ConfigError, match="needs an S3 client"):
        load_watchlist("s3://bucket/watchlist.yaml")


def _nodes(node: yaml.Node) -> list[tuple[object, ...]]:
    """What the reader uses of a node tree: kinds, tags, values and line marks, in order."""
    out: list[tuple[object, ...]] = [(type(node).__name__, node.tag, node.start_mark.line)]
    if isinstance(node, yaml.ScalarNode):
        return [(*out[0], node.value)]
    children = node.value if isinstance(node, yaml.SequenceNode) else [c for pair in node.value for c in pair]
    for child in children:
        out.extend(_nodes(child))
    return out


@pytest.mark.parametrize(
    "path",
    [ROOT / "watchlist.yaml", ROOT / "tests" / "data" / "watchlists" / "full.yaml"],
    ids=lambda p: p.name,
)
def test_libyaml_reads_the_same_tree_as_the_pure_python_parser(path: Path) -> None:
    # the watchlist is parsed with libyaml when PyYAML has it (a faster cold start); errors are
    # reported by the pure-Python parser (the tests above), so the trees must agree
    text = path.read_text(encoding="utf-8")
    fast = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert _nodes(fast) == _nodes(yaml.compose(text, Loader=yaml.SafeLoader))


def test_a_watch_an_earlier_watch_covers_is_warned_about_and_the_summary_says_which_wins() -> None:
    # the first watch naming a pair decides its alerts: a narrower watch after a broad one never applies
    wl = parse_watchlist(
        MINIMAL
        + """\
    ambiguous: true
  - name: India
watches:
  - {systems: "*", countries: [Turkey], notify: [slack]}
  - {systems: [S-400], countries: [India, Turkey], alert_on: [every], notify: [email]}
  - {systems: [S-400], countries: [Turkey], notify: [email]}
""",
        "wl.yaml",
    )
    assert check_watchlist(wl) == [  # watches[1] still decides S-400 x India
        "wl.yaml: watches[2] never applies: every pair it names is named by an earlier watch, which decides its "
        "alerts (the first watch naming a pair wins): put the narrower watch first",
    ]
    assert "the first watch naming a pair decides its alerts" in summarize_watchlist(wl)


def test_messages_about_an_s3_watchlist_sort_by_line() -> None:
    from scraper.watchlist import line_order

    messages = ["s3://bucket/wl.yaml:16: b", "s3://bucket/wl.yaml: a", "s3://bucket/wl.yaml:4: c"]
    assert sorted(messages, key=line_order) == [messages[1], messages[2], messages[0]]
