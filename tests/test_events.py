"""One event, one alert (issue 6) through whole runs: loopback feeds, a Slack sink or a fake
Slack API, the embedded store."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from scraper.config import read_config
from scraper.run import RunOptions
from scraper.runtime import execute, load_watchlist_for, open_store, show_status
from scraper.watchlist import load_watchlist
from tests.loopback import Loopback, Route

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

WIRE = (
    "Turkey has taken delivery of the first components of a second S-400 battery from Russia, the "
    "defence ministry in Ankara said on Monday. Cargo aircraft landed at Murted air base near the "
    "capital and unloading will continue for several days, officials said. Washington has warned "
    "that the purchase could bring new sanctions."
)
# Light edits a republishing outlet makes: its own intro, a trimmed tail, a changed verb.
COPIES = {
    "alpha": ("Turkey takes delivery of second S-400 battery parts", WIRE),
    "bravo": (
        "Second S-400 battery starts arriving in Turkey",
        "(Bravo Defence) - "
        + WIRE.replace(" Washington has warned that the purchase could bring new sanctions.", ""),
    ),
    "charlie": (
        "Russian S-400 components land in Ankara",
        WIRE.replace("landed at", "touched down at").replace("several days", "a few days"),
    ),
}
OTHER = (
    "Turkey hits back at sanctions threat over S-400",
    "Turkey's foreign ministry summoned the US envoy on Tuesday to protest a sanctions bill in Congress "
    "that targets its S-400 purchase. Ankara said it will not give up the Russian-made system, which it "
    "received in 2019.",
)


def rss(site: str, items: list[tuple[str, str, str]], at: datetime = NOW) -> Route:
    body = "".join(
        f"<item><guid isPermaLink='false'>{site}-{guid}</guid><title>{title}</title>"
        f"<link>https://{site}.example/{guid}</link><pubDate>{format_datetime(at - timedelta(minutes=i))}</pubDate>"
        f"<description>{text}</description></item>"
        for i, (guid, title, text) in enumerate(items)
    )
    xml = (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{site}</title><link>https://{site}.example/"
        f"</link><description>d</description>{body}</channel></rss>"
    )
    return Route(body=xml.encode(), headers={"Content-Type": "application/rss+xml"})


def write_watchlist(
    path: Path, loopback: Loopback, sites: list[str], extra: str = "", watch: str = ""
) -> Path:
    feeds = "".join(f"  - name: {s.title()} News\n    url: {loopback.url}/{s}.xml\n" for s in sites)
    path.write_text(
        f"""feeds:
{feeds}systems:
  - name: S-400
    aliases: [S-400, S400, Triumf]
    origin: [Russia]
  - name: Patriot
    aliases: [Patriot, PAC-3]
    origin: [United States]
countries:
  - name: Turkey
    aliases: [Turkey, Turkish, Ankara]
  - name: Russia
    aliases: [Russia, Russian, Moscow]
  - name: United States
    aliases: [United States, US, U.S., Washington]
  - name: Poland
    aliases: [Poland, Polish, Warsaw]
  - name: Romania
    aliases: [Romania, Romanian, Bucharest]
  - name: Sweden
    aliases: [Sweden, Swedish, Stockholm]
  - name: Spain
    aliases: [Spain, Spanish, Madrid]
  - name: Germany
    aliases: [Germany, German, Berlin]
  - name: Greece
    aliases: [Greece, Greek, Athens]
  - name: Netherlands
    aliases: [Netherlands, Dutch]
  - name: Italy
    aliases: [Italy, Italian, Rome]
  - name: Japan
    aliases: [Japan, Japanese, Tokyo]
  - name: Qatar
    aliases: [Qatar, Qatari, Doha]
  - name: Finland
    aliases: [Finland, Finnish, Helsinki]
  - name: Denmark
    aliases: [Denmark, Danish, Copenhagen]
{watch}{extra}""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def slack_sink(loopback: Loopback) -> list[dict]:
    posted: list[dict] = []

    def hook(request):
        posted.append(json.loads(request.body))
        return 200, {"Content-Type": "text/plain"}, b"ok"

    loopback.routes["/hook"] = Route(handler=hook)
    return posted


def run(tmp_path: Path, watchlist: Path, env: dict[str, str], *, now: datetime = NOW, backlog: bool = True):
    config = read_config(
        {
            "DB_PATH": str(tmp_path / "watch.db"),
            "WATCHLIST": str(watchlist),
            "ALLOW_PRIVATE_HOSTS": "true",
            **env,
        }
    )
    return execute(
        config,
        load_watchlist_for(config),
        options=RunOptions(alert_backlog=backlog),
        now=now,
        console=io.StringIO(),
    )


def test_three_copies_of_one_wire_story_are_one_alert_with_three_sources(
    tmp_path, loopback, slack_sink
) -> None:
    for site, (title, text) in COPIES.items():
        loopback.routes[f"/{site}.xml"] = rss(site, [("s400", title, text)])
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, list(COPIES))
    report = run(tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"})
    assert [a.pair for a in report.alerts if a.status == "sent"] == ["S-400 x Turkey"]
    assert len(slack_sink) == 1
    text = json.dumps(slack_sink[0])
    assert "3 independent sources" in text
    for site in COPIES:
        assert f"{site}.example" in text


def test_different_stories_about_one_pair_are_not_merged(tmp_path, loopback) -> None:
    from scraper.dedupe import cluster_stories
    from scraper.model import Story

    stories = [
        Story(id="a", title=COPIES["alpha"][0], text=WIRE),
        Story(id="b", title=OTHER[0], text=OTHER[1]),
    ]
    clusters = cluster_stories(stories)
    assert clusters["a"] != clusters["b"]


def test_bot_token_path_replies_in_the_thread_of_the_first_alert(tmp_path, loopback) -> None:
    posts: list[dict] = []

    def post_message(request):
        assert request.headers["authorization"] == "Bearer xoxb-test-token"
        body = json.loads(request.body)
        posts.append(body)
        return (
            200,
            {"Content-Type": "application/json"},
            json.dumps({"ok": True, "channel": "C1", "ts": f"1700000000.{len(posts):06d}"}).encode(),
        )

    loopback.routes["/api/chat.postMessage"] = Route(handler=post_message)
    loopback.routes["/alpha.xml"] = rss("alpha", [("s400", *COPIES["alpha"])])
    loopback.routes["/bravo.xml"] = rss("bravo", [])
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, ["alpha", "bravo"])
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_CHANNEL": "C1",
        "SLACK_API_URL": loopback.url + "/api",
    }
    run(tmp_path, watchlist, env)
    assert len(posts) == 1 and "thread_ts" not in posts[0]
    first_ts = "1700000000.000001"

    loopback.routes["/bravo.xml"] = rss("bravo", [("s400", *COPIES["bravo"])], at=NOW + timedelta(hours=1))
    run(tmp_path, watchlist, env, now=NOW + timedelta(hours=1))
    assert len(posts) == 2
    assert posts[1]["thread_ts"] == first_ts
    assert "bravo.example" in json.dumps(posts[1])

    run(tmp_path, watchlist, env, now=NOW + timedelta(hours=2))
    assert len(posts) == 2  # nothing new, nothing sent


def test_twelve_alerts_in_one_run_are_one_digest(tmp_path, loopback, slack_sink) -> None:
    countries = [
        "Poland",
        "Romania",
        "Sweden",
        "Spain",
        "Germany",
        "Greece",
        "Netherlands",
        "Italy",
        "Japan",
        "Qatar",
        "Finland",
        "Denmark",
    ]
    items = [
        (f"p{i}", f"{country} signs Patriot deal", f"{country} signed a contract for Patriot batteries.")
        for i, country in enumerate(countries)
    ]
    loopback.routes["/alpha.xml"] = rss("alpha", items)
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, ["alpha"])
    report = run(tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"})
    sent = [a for a in report.alerts if a.status == "sent"]
    assert len(sent) == 12, [(a.pair, a.change) for a in report.alerts]
    assert len(slack_sink) == 1
    assert "digest" in slack_sink[0]["text"].lower()
    assert len(slack_sink[0]["blocks"]) <= 50


def test_quiet_hours_hold_then_release_as_one_digest(tmp_path, loopback, slack_sink) -> None:
    loopback.routes["/alpha.xml"] = rss(
        "alpha",
        [
            ("a", "Poland signs Patriot deal", "Poland signed a contract for Patriot batteries."),
            ("b", "Romania signs Patriot deal", "Romania signed a contract for Patriot batteries."),
        ],
    )
    quiet = 'alerts:\n  quiet_hours:\n    - {channel: slack, start: "22:00", end: "07:00", tz: UTC}\n'
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, ["alpha"], extra=quiet)
    night = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    report = run(tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}, now=night)
    assert slack_sink == []
    assert {a.status for a in report.alerts} == {"held"}
    morning = datetime(2026, 11, 26, 7, 5, tzinfo=UTC)
    run(tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}, now=morning)
    assert len(slack_sink) == 1
    assert "Poland" in json.dumps(slack_sink[0]) and "Romania" in json.dumps(slack_sink[0])
    run(tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}, now=morning + timedelta(hours=1))
    assert len(slack_sink) == 1


def test_min_sources_holds_a_delivery_until_a_second_site_then_sends_once(
    tmp_path, loopback, slack_sink
) -> None:
    watch = (
        "watches:\n  - systems: [S-400]\n    countries: [Turkey]\n    alert_on: [new, stage]\n"
        "    min_sources: 2\n"
    )
    loopback.routes["/alpha.xml"] = rss("alpha", [("s400", *COPIES["alpha"])])
    loopback.routes["/bravo.xml"] = rss("bravo", [])
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, ["alpha", "bravo"], watch=watch)
    env = {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}
    report = run(tmp_path, watchlist, env)
    assert slack_sink == []  # one source is not enough for a delivery
    assert "S-400 x Turkey: delivery held until 2 independent sources report it (min_sources; 1 so far)" in (
        report.notes
    )  # and the report says why, as does status
    config = read_config({"DB_PATH": str(tmp_path / "watch.db"), "WATCHLIST": str(watchlist)})
    (line,) = [
        ln for ln in show_status(open_store(config), load_watchlist_for(config)).splitlines() if "S-400" in ln
    ]
    assert line.endswith("(delivery held: 1 of 2 sources)"), line
    lowered = watchlist.read_text(encoding="utf-8").replace("min_sources: 2", "min_sources: 1")
    (tmp_path / "lowered.yaml").write_text(lowered, encoding="utf-8")
    (line,) = [
        ln
        for ln in show_status(open_store(config), load_watchlist(str(tmp_path / "lowered.yaml"))).splitlines()
        if "S-400" in ln
    ]  # not "1 of 1 sources": it waits for the pair's next report
    assert line.endswith("(delivery held: min_sources is now 1, sent with the next delivery report)"), line
    loopback.routes["/bravo.xml"] = rss("bravo", [("s400", *COPIES["bravo"])], at=NOW + timedelta(hours=1))
    run(tmp_path, watchlist, env, now=NOW + timedelta(hours=1))
    assert len(slack_sink) == 1
    text = json.dumps(slack_sink[0])
    assert "delivery" in text and "second source" in text
    run(tmp_path, watchlist, env, now=NOW + timedelta(hours=2))
    assert len(slack_sink) == 1


def _release(country: str, system: str) -> tuple[str, str]:
    """A maker's templated delivery release: two of them differ in little but the buyer."""
    return (
        f"First {system} battery handed over to {country}",
        f"The manufacturer handed over the first {system} battery to the armed forces of {country} on "
        "Tuesday at a ceremony at its plant. The handover comes three years after the order was placed "
        "and opens the delivery of the remaining units, the company said in a statement. The programme "
        "includes training for operators and maintenance crews and a package of spare parts. The company "
        "said the schedule agreed with the customer remains on track and declined to give further details.",
    )


def test_templated_notices_about_other_buyers_are_not_one_event_or_a_second_source(
    tmp_path, loopback, slack_sink
) -> None:
    """Two sites each publish one templated release, for different buyers: nearly the same text, two events.
    Neither confirms the other's delivery (min_sources 2 holds both), and each alert counts its own site."""
    watch = "watches:\n  - systems: [Patriot]\n    countries: [Poland, Romania]\n    min_sources: 2\n"
    loopback.routes["/alpha.xml"] = rss("alpha", [("pl", *_release("Poland", "Patriot"))])
    loopback.routes["/bravo.xml"] = rss("bravo", [("ro", *_release("Romania", "Patriot"))])
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, ["alpha", "bravo"], watch=watch)
    env = {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}
    report = run(tmp_path, watchlist, env)
    assert {(h["country"], h["stage"]) for h in report.hits} >= {
        ("Poland", "delivery"),
        ("Romania", "delivery"),
    }
    assert slack_sink == [], "a delivery on one site was confirmed by another buyer's release"
    # with one source enough, each alert names its own site alone
    (tmp_path / "again").mkdir()
    watchlist.write_text(watchlist.read_text().replace("min_sources: 2", "min_sources: 1"))
    run(tmp_path / "again", watchlist, env)  # a fresh store
    texts = sorted(json.dumps(message) for message in slack_sink)
    assert len(texts) == 2 and "Poland" in texts[0] and "Romania" in texts[1]
    assert "alpha.example" in texts[0] and "bravo.example" not in texts[0]
    assert "bravo.example" in texts[1] and "alpha.example" not in texts[1]


def test_a_story_without_a_link_is_its_feeds_site_and_takes_a_copys_link(
    tmp_path, loopback, slack_sink
) -> None:
    """A wire's item has no link; an aggregator carries it linking to the wire's own site. One publisher:
    no second source for min_sources, and the alert's headline links to the copy's page."""
    title, text = COPIES["alpha"]
    item = (
        f"<item><guid isPermaLink='false'>w-1</guid><title>{title}</title><description>{text}</description>"
    )
    wire = f"<?xml version='1.0'?><rss version='2.0'><channel><title>w</title>{item}</item></channel></rss>"
    loopback.routes["/alpha.xml"] = Route(body=wire.encode(), headers={"Content-Type": "application/rss+xml"})
    page = f"{loopback.url}/news/s400-parts"  # the wire's own site: the host its feed is on
    copy = rss("bravo", [("x", title, text)]).body.replace(b"https://bravo.example/x", page.encode())
    loopback.routes["/bravo.xml"] = Route(body=copy, headers={"Content-Type": "application/rss+xml"})
    watch = "watches:\n  - systems: [S-400]\n    countries: [Turkey]\n    min_sources: 2\n"
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, ["alpha", "bravo"], watch=watch)
    env = {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}
    report = run(tmp_path, watchlist, env)
    assert ("S-400", "Turkey", "delivery") in {(h["system"], h["country"], h["stage"]) for h in report.hits}
    assert slack_sink == [], "one publisher counted as two sources"
    (tmp_path / "again").mkdir()
    watchlist.write_text(watchlist.read_text().replace("min_sources: 2", "min_sources: 1"))
    run(tmp_path / "again", watchlist, env)  # a fresh store
    assert len(slack_sink) == 1
    message = json.dumps(slack_sink[0])
    assert "Reported by 1 independent source" in message and f"<{page}|" in message


def test_an_acronym_in_a_tokenised_story_is_marked_in_the_evidence(tmp_path, loopback, slack_sink) -> None:
    """SPEC's example style is all lower case: an acronym that matched there ("us") is marked like any name."""
    text = "the us army took delivery of two more patriot batteries on tuesday , officials said ."
    loopback.routes["/alpha.xml"] = rss("alpha", [("us", "us army receives more patriot batteries", text)])
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, ["alpha"])
    run(tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"})
    (message,) = slack_sink
    evidence = json.dumps(message)
    assert (
        "Patriot x United States" in evidence
        and "*us* army" in evidence
        and "*patriot* batteries" in evidence
    )


def test_webhook_path_puts_later_sources_in_the_next_digest(tmp_path, loopback, slack_sink) -> None:
    loopback.routes["/alpha.xml"] = rss("alpha", [("s400", *COPIES["alpha"])])
    loopback.routes["/bravo.xml"] = rss("bravo", [])
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, ["alpha", "bravo"])
    env = {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}
    run(tmp_path, watchlist, env)
    assert len(slack_sink) == 1
    loopback.routes["/bravo.xml"] = rss("bravo", [("s400", *COPIES["bravo"])], at=NOW + timedelta(hours=1))
    run(tmp_path, watchlist, env, now=NOW + timedelta(hours=1))
    assert len(slack_sink) == 1  # no message of its own: it waits for a digest
    run(tmp_path, watchlist, env, now=NOW + timedelta(hours=8))
    assert len(slack_sink) == 2
    text = json.dumps(slack_sink[1])
    assert "Also reported by" in text and "bravo.example" in text
    run(tmp_path, watchlist, env, now=NOW + timedelta(hours=9))
    assert len(slack_sink) == 2


def test_a_seeding_run_keeps_copies_apart_and_a_later_copy_joins_the_stored_ones(
    tmp_path, loopback, slack_sink
) -> None:
    from alerts.store_sqlite import SqliteStore

    for site, (title, text) in COPIES.items():
        loopback.routes[f"/{site}.xml"] = rss(site, [("s400", title, text)])
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, list(COPIES))
    report = run(tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}, backlog=False)
    assert report.stories_new == 3 and not slack_sink  # a first run seeds: nothing to alert on
    stored = {
        r.id: r.cluster
        for r in SqliteStore(str(tmp_path / "watch.db")).recent_stories(NOW - timedelta(days=1))
    }
    assert len(set(stored.values())) == 3  # not paired by text: no alert counts their sources

    # The next run is no first run: a fourth copy is paired with the stored ones by text.
    title, text = COPIES["charlie"]
    loopback.routes["/alpha.xml"] = rss(
        "alpha", [("s400-again", "Ankara receives more S-400 parts", text), ("s400", *COPIES["alpha"])]
    )
    later = NOW + timedelta(hours=1)
    run(tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}, now=later, backlog=False)
    records = SqliteStore(str(tmp_path / "watch.db")).recent_stories(NOW - timedelta(days=1))
    again = [r for r in records if r.id not in stored]
    assert len(again) == 1 and again[0].cluster in set(stored.values())
    assert not slack_sink  # a repeat of the seeded stage


def test_an_unreadable_stored_fingerprint_does_not_stop_later_runs(tmp_path, loopback, slack_sink) -> None:
    import sqlite3

    title, text = COPIES["alpha"]
    loopback.routes["/alpha.xml"] = rss("alpha", [("s400", title, text)])
    watchlist = write_watchlist(tmp_path / "w.yaml", loopback, ["alpha"])
    run(tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}, backlog=False)
    with sqlite3.connect(tmp_path / "watch.db") as db:  # a damaged row, as a bad restore might leave
        db.execute("UPDATE stories SET data = json_set(data, '$.fingerprint', 'not hex at all')")
    loopback.routes["/alpha.xml"] = rss(
        "alpha",
        [
            (
                "f35",
                "Poland receives more Patriot batteries",
                "Poland has taken delivery of two more Patriot batteries from the United States, the defence ministry said.",
            ),
            ("s400", title, text),
        ],
    )
    later = run(
        tmp_path, watchlist, {"SLACK_WEBHOOK_URL": loopback.url + "/hook"}, now=NOW + timedelta(hours=1)
    )
    assert later.stories_new == 1
    assert [a.pair for a in later.alerts if a.status == "sent"] == ["Patriot x Poland"]
