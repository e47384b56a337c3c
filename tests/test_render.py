"""Rendered messages: what an analyst sees, Slack's limits, and nothing a feed can inject."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from email import message_from_string
from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.changes import Sighting, decide_alerts, feed_health_alert
from alerts.model import Alert
from alerts.render import (
    render_console,
    render_email,
    render_email_digest,
    render_slack,
    render_slack_digest,
    render_slack_reply,
    slack_digest_parts,
)
from scraper.model import Hit, Watch

PUBLISHED = datetime(2024, 6, 2, 14, 30, tzinfo=UTC)
BASE = Alert(
    id="a" * 64,
    kind="stage",
    system="S-400",
    country="Turkey",
    old_stage="deal",
    new_stage="delivery",
    title="Ankara takes delivery of first S-400 battery",
    url="https://news.example/s400?x=1&y=2",
    source="Wire Feed",
    published=PUBLISHED,
    evidence="Officials in Ankara said the first S-400 units arrived at Murted air base.",
    names=("S-400", "Ankara"),
    sources=("news.example", "other.example"),
)


def every_kind() -> list[Alert]:
    return [
        BASE,
        dataclasses.replace(BASE, kind="new", old_stage=None, new_stage="deal"),
        dataclasses.replace(BASE, kind="every", old_stage="delivery"),
        dataclasses.replace(BASE, kind="also_reported", old_stage="delivery", parent_id="b" * 64),
        dataclasses.replace(BASE, note="confirmed by a second source"),
        feed_health_alert(
            "https://f.example/rss", "Feed F", 5, PUBLISHED, False, PUBLISHED, error="HTTP 503"
        ),
        feed_health_alert("https://f.example/rss", "Feed F", 7, PUBLISHED, True, PUBLISHED),
    ]


def huge(alert: Alert) -> Alert:
    return dataclasses.replace(
        alert,
        title="S-400 & Patriot <b>" + "T" * 300,
        evidence=("Ankara & <S-400> " * 700)[:10_240],
        source="Src " * 100,
        sources=tuple(f"site{n}.example" for n in range(400)),
        note="n" * 5000,
    )


def texts(payload: dict) -> list[str]:
    """Every text string in a Block Kit payload."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload)
    return found


def check_slack_limits(payload: dict) -> None:
    assert isinstance(payload["text"], str) and payload["text"]
    blocks = payload["blocks"]
    assert 1 <= len(blocks) <= 50
    for block in blocks:
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert len(block["text"]["text"]) <= 150
        elif block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        elif block["type"] == "context":
            assert len(block["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in block["elements"])
    # Slack also refuses a message whose blocks hold ~12,000 characters in all (seen from ~11,300).
    assert sum(len(t) for t in texts({"blocks": blocks})) <= 10_000
    json.dumps(payload)  # serialisable as sent


@pytest.mark.parametrize("alert", every_kind() + [huge(a) for a in every_kind()], ids=lambda a: a.kind)
def test_slack_payloads_respect_limits(alert: Alert) -> None:
    check_slack_limits(render_slack(alert))
    check_slack_limits(render_slack_reply(alert))


def test_truncation_is_marked() -> None:
    payload = render_slack(huge(BASE))
    sections = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    assert any(text.endswith("…") for text in sections)
    # Cutting never leaves half an entity such as "&am".
    for text in texts(payload):
        assert not re.search(r"&[a-z]{0,3}…", text)


def test_slack_message_shows_pair_change_link_source_time_evidence_and_count() -> None:
    payload = render_slack(BASE)
    header = payload["blocks"][0]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "S-400 x Turkey: deal -> delivery"},
    }
    body = "\n".join(texts(payload))
    assert "<https://news.example/s400?x=1&amp;y=2|Ankara takes delivery of first S-400 battery>" in body
    assert "Wire Feed" in body and "2024-06-02 14:30 UTC" in body
    assert "Officials in *Ankara* said the first *S-400* units arrived" in body
    assert "Reported by 2 independent sources: news.example, other.example" in body
    new = render_slack(dataclasses.replace(BASE, kind="new", old_stage=None, new_stage="deal"))
    assert new["blocks"][0]["text"]["text"] == "S-400 x Turkey: new (deal)"


HOSTILE = [
    "<!channel> deliveries <!here|here> <@U123ABC> <!subteam^S0123|ops>",
    "@channel @here @everyone look",
    "<https://evil.example|click here>",
    "Tom & Jerry > Turkey < Greece",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_untrusted_text_cannot_mention_or_link_in_slack(text: str) -> None:
    alert = dataclasses.replace(BASE, title=text, evidence=text, source=text, sources=(text,), note=text)
    for payload in (render_slack(alert), render_slack_reply(alert), render_slack_digest([alert], [alert])):
        for value in texts(payload):
            assert "<!" not in value and "<@" not in value
            assert "<https://evil" not in value
            assert not re.search(r"(?<!\u200b)@(channel|here|everyone)\b", value.replace("@\u200b", ""))
            # The only '<' left are our own links to the story.
            assert all(m.startswith("<https://news.example/") for m in re.findall(r"<[^>]*>", value))


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x.example/a",
        "//x.example",
        "https://",
        "https://ok.example/a b|<x>",
    ],
)
def test_only_http_links(url: str) -> None:
    alert = dataclasses.replace(BASE, url=url)
    slack = "\n".join(texts(render_slack(alert)))
    _, html, _ = render_email(alert)
    if url.startswith("https://ok.example"):
        assert "<https://ok.example/a%20b%7C%3Cx%3E|" in slack
        assert 'href="https://ok.example/a%20b%7C%3Cx%3E"' in html
    else:
        assert "<" + url not in slack and "|Ankara takes" not in slack
        assert "href=" not in html


def test_email_subjects() -> None:
    assert render_email(BASE)[0] == "[S-400 x Turkey] delivery (was: deal)"
    new = dataclasses.replace(BASE, kind="new", old_stage=None, new_stage="deal")
    assert render_email(new)[0] == "[S-400 x Turkey] new: deal"


def every_only_alerts(*stages: str) -> list[Alert]:
    """What an ``alert_on: [every]`` watch of Patriot x Poland sends for stories at these stages, in turn."""
    watch = Watch(("Patriot",), ("Poland",), alert_on=("every",))
    state, sent = None, []
    for n, stage in enumerate(stages):
        hit = Hit(f"s{n}", "Patriot", "Poland", "operator", stage, f"Poland and the Patriot: {stage}.")
        sighting = Sighting(hit, f"Story {n}", f"https://news.example/{n}", "Wire", PUBLISHED, ("a.example",))
        state, alerts = decide_alerts(state, [sighting], watch, PUBLISHED, seeding=False)
        sent += alerts
    return sent


def test_an_every_alert_at_a_lower_stage_is_another_report_not_a_stage_change() -> None:
    first, _, again = every_only_alerts("talks", "deal", "talks")
    said = "talks (another report; the pair stays at deal)"
    slack = render_slack(again)
    subject, html, text = render_email(again)
    assert slack["blocks"][0]["text"]["text"] == f"Patriot x Poland: {said}"
    assert slack["text"].startswith(f"Patriot x Poland: {said}:")
    assert subject == f"[Patriot x Poland] {said}"
    assert f"Patriot x Poland: {said}" in html and text.startswith(f"Patriot x Poland: {said}\n")
    assert render_console(again).startswith(f"Patriot x Poland: {said}\n")
    assert f"*{said}*" in json.dumps(render_slack_digest([first, again]))
    for shown in (json.dumps(slack), subject, html, text, render_email_digest([first, again])[2]):
        assert "deal -&gt; talks" not in shown and "deal -> talks" not in shown and "was: deal" not in shown
    # the same stage again keeps its wording
    same = every_only_alerts("deal", "deal")[1]
    assert render_slack(same)["blocks"][0]["text"]["text"] == "Patriot x Poland: deal (another report)"
    assert render_email(same)[0] == "[Patriot x Poland] deal (another report)"


def test_email_header_injection_is_folded_to_one_line() -> None:
    evil = dataclasses.replace(
        BASE,
        system="S-400\r\nBcc: victim@example.com",
        country="Turkey\nX: y",
        source="Feed\u2028Cc: a@b.example",
        title="t\r\nBcc: x@example.com",
    )
    for subject, _, _ in (render_email(evil), render_email_digest([evil, evil])):
        assert "\r" not in subject and "\n" not in subject and "\u2028" not in subject
        msg = EmailMessage()
        msg["Subject"] = subject  # the stdlib refuses a value that would start a new header
        parsed = message_from_string(msg.as_string())
        assert parsed["Bcc"] is None and parsed["Cc"] is None and parsed["X"] is None


def test_email_html_escapes_every_untrusted_value() -> None:
    evil = "<script>alert(1)</script>\"'&"
    alert = dataclasses.replace(
        BASE,
        title=evil,
        evidence=evil + " Ankara",
        source=evil,
        sources=(evil,),
        note=evil,
        names=("Ankara", "<script>"),
    )
    for _, html, text in (render_email(alert), render_email_digest([alert], [alert])):
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "style=" in html  # inline styles, no stylesheet for mail clients to drop
        assert "<strong>Ankara</strong>" in html
        assert evil in text  # the text part is plain and shows the words as written


def test_the_email_text_part_and_the_console_mark_the_names_as_slack_does() -> None:
    alert = dataclasses.replace(
        BASE,
        evidence="The US Army will protect us. India's plant in Indiana got S-400s; the S-400 came.",
        names=("US", "India", "S-400"),
    )
    marked = "The *US* Army will protect us. *India's* plant in Indiana got *S-400s*; the *S-400* came."
    assert marked in json.dumps(render_slack(alert))
    assert marked in render_email(alert)[2].splitlines()
    assert marked in render_console(alert).splitlines()
    assert marked in render_email_digest([alert, alert])[2].splitlines()


def test_a_feed_health_alert_says_since_when_it_fails_and_names_the_feed_once() -> None:
    since = datetime(2026, 11, 27, 13, 19, tzinfo=UTC)
    failing = feed_health_alert(
        "https://f.example/rss", "Broken Feed", 5, since, False, since, error="HTTP 503"
    )
    _, html, text = render_email(failing)
    for part in (html, text, render_console(failing)):
        assert "Broken Feed · failing since 2026-11-27 13:19 UTC" in part and "published" not in part
    assert render_slack(failing)["text"] == "Feed failing: Broken Feed"
    recovered = feed_health_alert("https://f.example/rss", "Broken Feed", 7, since, True, since)
    assert "published" not in render_email(recovered)[2] and "published" not in render_email(recovered)[1]
    assert render_slack(recovered)["text"] == "Feed recovered: Broken Feed"


def test_email_has_the_same_content_as_slack() -> None:
    _, html, text = render_email(dataclasses.replace(BASE, note="confirmed by a second source"))
    for part in (html, text):
        assert "Wire Feed" in part and "2024-06-02 14:30 UTC" in part
        assert "Reported by 2 independent sources" in part
        assert "confirmed by a second source" in part
    assert 'href="https://news.example/s400?x=1&amp;y=2"' in html


def shown_in(parts: list[tuple[list[Alert], list[Alert]]]) -> list[str]:
    """The titles each rendered part shows, all parts together, checking each part's limits."""
    seen = []
    for alerts, also in parts:
        payload = render_slack_digest(alerts, also)
        check_slack_limits(payload)
        assert "not shown" not in json.dumps(payload)
        seen += re.findall(r"Story \d+|Late copy", json.dumps(payload))
    return seen


def test_a_long_slack_digest_is_split_into_messages_that_show_every_alert() -> None:
    alerts = []
    for n in range(120):
        alerts.append(dataclasses.replace(BASE, id=str(n), country=f"Country{n % 60}", title=f"Story {n}"))
    also = [
        dataclasses.replace(
            BASE, kind="also_reported", country="Country1", source="Late Wire", title="Late copy"
        )
    ]
    parts = slack_digest_parts(alerts, also)
    assert len(parts) > 1
    assert sorted(shown_in(parts)) == sorted([f"Story {n}" for n in range(120)] + ["Late copy"])
    assert [a for part, _ in parts for a in part] == sorted(alerts, key=lambda a: int(a.country[7:]))
    first = render_slack_digest(*parts[0])
    assert first["blocks"][0]["text"]["text"].startswith(f"Defense watch digest: {len(parts[0][0])} alerts")
    country1 = next(
        b["text"]["text"]
        for part in parts
        for b in render_slack_digest(*part)["blocks"]
        if b["type"] == "section" and "*S-400 x Country1*" in b["text"]["text"]
    )
    assert country1.count("Story ") == 2 and "Also reported by *Late Wire* (" in country1


def test_a_crowded_pair_goes_on_in_continued_sections_and_messages() -> None:
    alerts = [dataclasses.replace(huge(BASE), id=str(n), title=f"Story {n} " + "T" * 290) for n in range(30)]
    parts = slack_digest_parts(alerts)
    assert sorted(shown_in(parts)) == sorted(f"Story {n}" for n in range(30))
    assert "(continued)" in json.dumps(render_slack_digest(*parts[0]))


def test_a_digest_given_more_than_one_message_holds_counts_the_rest() -> None:
    alerts = [dataclasses.replace(huge(BASE), id=str(n), country=f"C{n}") for n in range(60)]
    payload = render_slack_digest(alerts)
    check_slack_limits(payload)
    assert re.search(r"… and \d+ more not shown", payload["blocks"][-1]["elements"][0]["text"])


def test_a_digest_of_later_reports_only_does_not_say_zero_alerts() -> None:
    also = [dataclasses.replace(BASE, kind="also_reported", source="Late Wire", title="Late copy")]
    header = render_slack_digest([], also)["blocks"][0]["text"]["text"]
    assert header == "Defense watch: 1 more report"
    assert render_email_digest([], also)[0].startswith("[defense watch] 1 more report: S-400 x Turkey")
    assert render_email_digest([BASE])[0].startswith("[defense watch] 1 alert: S-400 x Turkey")


def test_a_long_title_full_of_escapes_is_cut_in_its_label_and_the_link_stays_whole() -> None:
    # Escaping lengthens such a title; the section was cut at 3,000 characters inside the link ("…&lt;&lt;").
    url = "https://news.example/a?" + "&".join(f"k{n}=v" for n in range(80))
    link = re.compile(r"<https://news\.example/a\?[^|<>]*\|[^|<>]{2000,}…>")
    for repeats in (90, 400):  # escaped, about 2,500 and 11,000 characters
        alert = dataclasses.replace(BASE, url=url, title="S-400 & <Patriot> " * repeats)
        title = render_slack(alert)["blocks"][1]["text"]["text"]
        reply = render_slack_reply(alert)["blocks"][0]["text"]["text"]
        assert title[0] == title[-1] == "*" and link.fullmatch(title[1:-1]), title[-40:]
        assert link.search(reply) and reply.endswith("…>"), reply[-40:]
        for text in (title, reply):
            assert len(text) <= 3000
            assert not re.search(r"&(?!amp;|lt;|gt;)", text)  # every entity whole


def test_a_very_long_story_url_leaves_the_title_unlinked_instead_of_a_broken_link() -> None:
    url = "https://news.example/" + "%D0%BF" * 600
    alert = dataclasses.replace(BASE, url=url)
    for payload in (render_slack(alert), render_slack_digest([alert, alert])):
        check_slack_limits(payload)
        assert "news.example/%D0" not in json.dumps(payload) and "Ankara takes delivery" in json.dumps(
            payload
        )


def test_email_digest_lists_every_alert_and_also_reported() -> None:
    alerts = [dataclasses.replace(BASE, id=str(n), title=f"Story {n}") for n in range(12)]
    also = [dataclasses.replace(BASE, kind="also_reported", source="Late Wire", title="Late copy")]
    subject, html, text = render_email_digest(alerts, also)
    assert subject.startswith("[defense watch] 12 alerts")
    assert all(f"Story {n}" in html and f"Story {n}" in text for n in range(12))
    assert "Also reported by Late Wire (" in text and "Late copy" in html and "Late Wire (" in html


def test_console_strips_terminal_escapes() -> None:
    out = render_console(dataclasses.replace(BASE, title="\x1b[2J\x1b]0;pwned\x07Title"))
    assert "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[0] == "S-400 x Turkey: deal -> delivery"


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(alphabet=st.sampled_from("<>&!@|*_ab: \n\r\u2028channelhere/"), max_size=400),
    evidence=st.text(max_size=4000),
    names=st.lists(st.text(min_size=1, max_size=8), max_size=3),
)
def test_no_text_can_form_a_mention_or_break_limits(title: str, evidence: str, names: list[str]) -> None:
    alert = dataclasses.replace(
        BASE, title=title, evidence=title + evidence, source=title, names=tuple(names)
    )
    for payload in (render_slack(alert), render_slack_digest([alert] * 3, [alert])):
        check_slack_limits(payload)
        for value in texts(payload):
            assert "<!" not in value and "<@" not in value
            assert not re.search(r"@(channel|here|everyone)\b", value)
    assert "\n" not in render_email(alert)[0] and "\r" not in render_email(alert)[0]


def test_names_are_marked_as_aliases_match_whole_words_and_acronyms_in_capitals() -> None:
    alert = dataclasses.replace(
        BASE,
        evidence="The US Army will protect us and its users. India's plant in Indiana got S-400s; the S-400 came.",
        names=("US", "India", "S-400"),
    )
    body = json.dumps(render_slack(alert))
    assert "The *US* Army will protect us and its users." in body
    assert "*India's* plant in Indiana got *S-400s*; the *S-400* came." in body
