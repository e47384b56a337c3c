"""The commands as a user types them (subprocesses, like a shell)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.loopback import Loopback, Route

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT.parent / "shared" / "examples" / "reuters-turkey-samp-t.txt"


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "EMAIL_", "SMTP_"))}
    full_env.pop("TABLE_NAME", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "handler.py"), *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        cwd=cwd,
        timeout=120,
    )


def run_one_source(tmp_path: Path, source: str, *flags: str) -> subprocess.CompletedProcess[str]:
    """`run --alert-backlog` over one source (a watchlist feed entry, as YAML flow) watching Patriot x Poland."""
    watchlist = tmp_path / "w.yaml"
    watchlist.write_text(
        f"feeds:\n  - {source}\nsystems:\n  - name: Patriot\ncountries:\n  - name: Poland\n", encoding="utf-8"
    )
    env = {"DB_PATH": str(tmp_path / "w.db"), "ALLOW_PRIVATE_HOSTS": "true"}
    return run("run", "--watchlist", str(watchlist), "--alert-backlog", *flags, env=env)


def test_demo_alerts_an_s400_delivery_then_nothing_new(tmp_path: Path) -> None:
    env = {"DEMO_DB_PATH": str(tmp_path / "demo.db")}
    first = run("run", "--demo", env=env)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    sent = [line for line in lines if line.strip().startswith("alert ") and ": sent" in line]
    assert any("S-400 x India" in line and "delivery" in line for line in sent), first.stdout
    assert any("Patriot x Poland" in line and "deal" in line for line in sent), first.stdout
    # the denial and the football story alert nothing
    assert not any("S-400 x Turkey" in line and "delivery" in line for line in sent)
    assert "New England" not in "\n".join(sent)
    # the wire story carried by two feeds is one alert, not two
    assert sum("S-400 x India" in line for line in sent) == 1
    second = run("run", "--demo", env=env)
    assert second.returncode == 0, second.stderr
    assert not [line for line in second.stdout.splitlines() if line.strip().startswith("alert ")], (
        second.stdout
    )


def test_demo_never_reaches_real_channels_or_the_real_store(tmp_path: Path) -> None:
    # README: "offline, embedded store, console alerts". With the local run's settings in the environment, the
    # demo's 23 alerts went to the SMTP server and its pair states into DB_PATH, where they would hold back
    # the real alerts of the same pairs
    real_db = tmp_path / "watch.db"
    env = {
        "DB_PATH": str(real_db),
        "DEMO_DB_PATH": str(tmp_path / "demo.db"),
        "EMAIL_FROM": "watch@example.org",
        "EMAIL_TO": "analyst@example.org",
        "SMTP_URL": "smtp://127.0.0.1:9",  # nothing listens: a try would show as a failed email delivery
        "SLACK_WEBHOOK_URL": "https://hooks.slack.example/services/T0/B0/x",
    }
    result = run("run", "--demo", env=env)
    assert result.returncode == 0, result.stderr
    alerts = [line for line in result.stdout.splitlines() if line.strip().startswith("alert ")]
    assert alerts and all(" via console: sent" in line for line in alerts), alerts
    assert not real_db.exists() and (tmp_path / "demo.db").exists()


def test_the_run_report_prints_no_terminal_escapes_from_a_feed(tmp_path: Path, loopback: Loopback) -> None:
    # a story link with an OSC (sets the terminal's title) and a clear-screen reached the terminal raw in the
    # report's note about the link; the alerts and `status` were already cleaned
    link = f"{loopback.url}/art\x1b]0;PWNED\x07\x1b[2J"
    loopback.routes["/feed.xml"] = Route(
        body=(
            "<?xml version='1.0'?><rss version='2.0'><channel><title>W</title>"
            f"<item><title>Poland signs for Patriot</title><link>{link}</link><guid>g1</guid>"
            "<description>Poland signed a contract for Patriot systems.</description></item></channel></rss>"
        ).encode(),
        headers={"Content-Type": "application/rss+xml"},
    )
    result = run_one_source(tmp_path, f"{{name: Wire, url: '{loopback.url}/feed.xml', full_text: true}}")
    assert result.returncode == 0, result.stderr
    assert "/art" in result.stdout and "PWNED" in result.stdout  # the note is there, its escapes are not
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_run_json_prints_one_json_document_and_the_console_alerts_on_stderr(tmp_path: Path) -> None:
    result = run("run", "--demo", "--json", env={"DEMO_DB_PATH": str(tmp_path / "demo.db")})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # the console alerts printed first made this unreadable
    assert any(a["pair"] == "S-400 x India" and a["status"] == "sent" for a in report["alerts"]), report
    assert "S-400 x India" in result.stderr  # the alerts themselves are still shown


def test_match_on_the_example_story() -> None:
    story = {"id": "reuters-1", "title": "", "text": EXAMPLE.read_text(encoding="utf-8")}
    result = run("match", "--watchlist", "watchlist.yaml", stdin=json.dumps(story) + "\n")
    assert result.returncode == 0, result.stderr
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    by_pair = {(h["system"], h["country"]): h for h in hits}
    assert {("SAMP/T", "Turkey"), ("S-400", "Turkey"), ("Patriot", "Turkey")} <= set(by_pair)
    assert by_pair[("S-400", "Turkey")]["stage"] not in {"delivery", "deployment"}
    assert set(hits[0]) == {"id", "system", "country", "role", "stage", "evidence"}


def test_match_reports_a_bad_line_and_goes_on() -> None:
    good = json.dumps(
        {
            "id": "a",
            "title": "Poland signs for Patriot",
            "text": "Poland signed a contract for Patriot air defence batteries.",
        }
    )
    result = run("match", stdin="{not json\n" + good + "\n")
    assert result.returncode == 1
    assert "<stdin>:1: not JSON" in result.stderr
    assert '"Poland"' in result.stdout


def test_cluster_keeps_templated_stories_about_other_buyers_apart_as_the_job_does(tmp_path: Path) -> None:
    body = (
        "The State Department approved a possible sale to the Government of {} of Patriot missiles and related "
        "equipment at an estimated cost of four billion dollars. The agency delivered the required "
        "certification notifying Congress of the possible sale today. The proposed sale will improve the "
        "buyer's capability to meet current and future threats."
    )
    lines = [
        json.dumps({"id": country, "title": f"{country} - Patriot", "text": body.format(country)})
        for country in ("Poland", "Romania", "Poland")
    ]
    lines[2] = lines[2].replace('"id": "Poland"', '"id": "copy"')
    stories = tmp_path / "stories.jsonl"
    stories.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("cluster", str(stories))  # ./watchlist.yaml, as for every command
    assert result.returncode == 0, result.stderr
    clusters = {row["id"]: row["cluster"] for row in map(json.loads, result.stdout.splitlines())}
    assert clusters == {"Poland": "Poland", "Romania": "Romania", "copy": "Poland"}
    missing = run("cluster", "--watchlist", str(tmp_path / "none.yaml"), str(stories))
    assert missing.returncode == 2 and "none.yaml" in missing.stderr


@pytest.mark.parametrize("command", ["match", "cluster"])
def test_a_story_line_that_is_not_utf8_is_reported_and_the_rest_goes_on(tmp_path: Path, command: str) -> None:
    stories = tmp_path / "stories.jsonl"
    stories.write_bytes(
        '{"id": "latin1", "title": "Türkiye buys S-400"}\n'.encode("latin-1")
        + '{"id": "good", "title": "Türkiye buys S-400"}\n'.encode()
    )
    result = run(command, str(stories))
    assert result.returncode == 1
    assert result.stderr == f"{stories}:1: not UTF-8 (byte 0xfc at column 29)\n"
    assert '"id": "good"' in result.stdout and "latin1" not in result.stdout


@pytest.mark.parametrize("command", ["match", "cluster"])
def test_a_story_file_may_start_with_a_utf8_bom(tmp_path: Path, command: str) -> None:
    stories = tmp_path / "stories.jsonl"
    stories.write_bytes('{"id": "bom", "title": "Türkiye buys S-400"}\n'.encode("utf-8-sig"))
    for result in (run(command, str(stories)), run(command, stdin=stories.read_text(encoding="utf-8"))):
        assert result.returncode == 0, result.stderr
        assert '"id": "bom"' in result.stdout


def test_a_bad_watchlist_is_refused_with_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "feeds:\n  - name: X\n    url: ftp://nowhere\nsystems:\n  - name: S-400\n    aliases: S-400\n"
        "countries: []\n",
        encoding="utf-8",
    )
    for command in ("run", "validate"):
        result = run(command, "--watchlist", str(bad), env={"DB_PATH": str(tmp_path / "x.db")})
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"{bad}:6:" in result.stderr and "aliases" in result.stderr
        assert f"{bad}:3:" in result.stderr  # every problem at once, not just the first


def test_validate_summarises_the_default_watchlist() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_a_bad_environment_is_a_clear_error(tmp_path: Path) -> None:
    result = run(
        "run", env={"DB_PATH": str(tmp_path / "x.db"), "EMAIL_FROM": "watch@example.org", "LOG_LEVEL": "LOUD"}
    )
    assert result.returncode == 2
    assert "EMAIL_FROM and EMAIL_TO must be set together" in result.stderr
    assert "LOG_LEVEL" in result.stderr


def test_status_after_a_demo_run(tmp_path: Path) -> None:
    assert run("run", "--demo", env={"DEMO_DB_PATH": str(tmp_path / "demo.db")}).returncode == 0
    status = run("status", env={"DB_PATH": str(tmp_path / "demo.db")})
    assert status.returncode == 0, status.stderr
    assert "S-400 x India" in status.stdout and "delivery" in status.stdout


def test_empty_watchlist_entries_are_errors_not_skipped(tmp_path: Path) -> None:
    # "- {}" in every section would otherwise validate as an empty, useless watchlist
    path = tmp_path / "empty.yaml"
    path.write_text("feeds:\n  - {}\nsystems:\n  - {}\ncountries:\n  - {}\n", encoding="utf-8")
    result = run("validate", "--watchlist", str(path))
    assert result.returncode == 2
    for line, section in ((2, "feeds[0]"), (4, "systems[0]"), (6, "countries[0]")):
        assert f"{path}:{line}: {section} is empty" in result.stderr


def test_a_lone_surrogate_in_a_storys_words_is_replaced_not_a_crash() -> None:
    line = '{"id": "a", "title": "Turkey \\ud800 S-400", "text": "Turkey deployed the S-400 \\udc00."}'
    result = run("match", stdin=line + "\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["evidence"] == "Turkey deployed the S-400 \ufffd."


def test_a_story_id_that_is_no_text_is_a_line_error_and_the_rest_is_matched() -> None:
    lines = [
        '{"id": "s\\ud800", "title": "", "text": "Turkey deployed the S-400."}',
        '{"id": "ok", "title": "", "text": "Turkey deployed the S-400."}',
    ]
    for command in ("match", "cluster"):
        result = run(command, stdin="\n".join(lines) + "\n")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert '<stdin>:1: "id" holds a lone surrogate escape' in result.stderr
        assert '"id": "ok"' in result.stdout


def test_status_drops_terminal_escapes_from_feed_titles() -> None:
    from datetime import UTC, datetime

    from alerts.model import PairState
    from scraper.runtime import show_status
    from scraper.watchlist import load_watchlist

    pair = PairState(
        system="S-400",
        country="Turkey",
        stage="delivery",
        since=datetime(2026, 11, 1, tzinfo=UTC),
        story_id="s",
        title="\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 batteries arrive",
        url="https://news.example/a\x1b[2J",
    )

    class Store:
        def list_pairs(self) -> list[PairState]:
            return [pair]

    text = show_status(Store(), load_watchlist(str(ROOT / "watchlist.yaml")))
    assert "S-400 x Turkey" in text and "batteries arrive" in text
    assert "\x1b" not in text and "\x07" not in text


def test_status_says_its_times_are_utc() -> None:
    # "since 2026-11-27 13:17" did not say which clock, while alerts say UTC
    from datetime import UTC, datetime, timedelta, timezone

    from alerts.model import PairState
    from scraper.runtime import show_status
    from scraper.watchlist import load_watchlist

    paris = timezone(timedelta(hours=1))
    pairs = [
        PairState("S-400", "Turkey", "delivery", datetime(2026, 11, 27, 13, 17, tzinfo=UTC), "s", "T", "u"),
        PairState("S-400", "India", "deal", datetime(2026, 11, 27, 14, 17, tzinfo=paris), "s", "T", "u"),
    ]

    class Store:
        def list_pairs(self) -> list[PairState]:
            return pairs

    lines = show_status(Store(), load_watchlist(str(ROOT / "watchlist.yaml"))).splitlines()
    assert all(" since 2026-11-27 13:17 UTC  T  u" in line for line in lines), lines


def test_a_table_without_an_aws_region_is_a_configuration_error(tmp_path: Path) -> None:
    env = {
        "TABLE_NAME": "watch",
        "AWS_REGION": "",
        "AWS_DEFAULT_REGION": "",
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
    }
    result = run("status", env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "AWS_REGION" in result.stderr and "dynamodb" in result.stderr


@pytest.mark.parametrize("value", ["--deadline=-1", "--deadline=nan", "--deadline=soon"])
def test_a_deadline_that_is_no_positive_number_is_a_usage_error(tmp_path: Path, value: str) -> None:
    # "-1" or "nan" used to postpone every feed of the run silently
    result = run("run", value, env={"DB_PATH": str(tmp_path / "x.db")})
    assert result.returncode == 2 and "must be a positive number of seconds" in result.stderr


def test_a_db_path_that_is_a_directory_is_a_configuration_error(tmp_path: Path) -> None:
    result = run("status", env={"DB_PATH": str(tmp_path)})
    assert result.returncode == 2 and "is a directory" in result.stderr and "Traceback" not in result.stderr


def test_every_command_reads_watchlist_as_run_does(tmp_path: Path) -> None:
    # WATCHLIST with a trailing newline or space (as a shell or a .env file leaves it) works for every command
    result = run("validate", env={"WATCHLIST": str(ROOT / "watchlist.yaml") + " \n"})
    assert result.returncode == 0, result.stderr


def test_extract_refuses_a_file_that_is_no_html_page_and_reads_the_rest(tmp_path: Path) -> None:
    pdf, page = tmp_path / "notice.pdf", tmp_path / "page.html"
    pdf.write_bytes(b"%PDF-1.4 1 0 obj<</Length 9>>stream\nx\x9c+Q\x08endstream")
    page.write_text("<html><body><p>Poland signed a contract for Patriot systems.</p></body></html>")
    result = run("extract", str(pdf), str(page))
    assert result.returncode == 1
    assert result.stderr == f"{pdf}: not an HTML page (no HTML markup)\n"
    assert [json.loads(line)["file"] for line in result.stdout.splitlines()] == [str(page)]


def test_import_handler_loads_nothing_heavy() -> None:
    # README: the match, validate and cluster commands and a cold start pay for heavy modules only when used (a
    # URL check imported httpx at the top of scraper.config and doubled `import handler`)
    heavy = ("boto3", "botocore", "httpx", "feedparser", "bs4", "lxml", "aws_lambda_powertools", "yaml")
    probe = f"import sys, handler; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr


def test_extract_says_what_a_run_does_with_a_page_too_big_a_tree(tmp_path: Path) -> None:
    # it printed the whole text of a page a run refuses (the run matches the feed's summary instead)
    page = tmp_path / "big.html"
    page.write_bytes(
        b"<html><body><article><p>" + b"<span>Warsaw</span>" * 100_000 + b"</p></article></body></html>"
    )
    result = run("extract", str(page))
    assert result.returncode == 1 and result.stdout == ""
    assert "more than 150,000" in result.stderr and "summary" in result.stderr


def test_run_json_escapes_c1_control_characters(tmp_path: Path, loopback: Loopback) -> None:
    # JSON escapes C0 characters itself; a CSI (U+009B) in a listing's link reached the terminal raw in a note
    loopback.routes["/news"] = Route(
        body="<html><body><a class='story' href='/art\u009b2J'>Poland signs for Patriot</a></body></html>".encode(),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    source = (
        f"{{name: Desk, url: '{loopback.url}/news', kind: html, item_selector: a.story, full_text: true}}"
    )
    result = run_one_source(tmp_path, source, "--json")
    assert result.returncode == 0, result.stderr
    notes = json.loads(result.stdout)["notes"]
    assert any("/art\u009b2J" in note for note in notes), notes  # the note is there
    assert "\u009b" not in result.stdout and "\\u009b" in result.stdout  # escaped
