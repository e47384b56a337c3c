"""Alert -> Slack Block Kit payload, email (subject, html, text) and console text (pure).

Every title, evidence sentence, source name and URL comes from strangers' feeds, so:
Slack text escapes ``&``, ``<`` and ``>`` (then ``<!channel>``, ``<@U123>`` or a forged
``<https://evil|click>`` cannot be formed) and breaks bare ``@channel``/``@here``/``@everyone``
with a zero-width space; links are made only for http(s) URLs; email header values are folded
to one line (no CR/LF can start a new header) and HTML escapes every value (issue 4).
Slack's limits are respected and truncation is marked with "…": header plain_text <= 150
chars, section/context text <= 3000, <= 50 blocks per message (Block Kit reference).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from alerts.model import Alert
from scraper.report import counted

HEADER_LIMIT = 150
TEXT_LIMIT = 3000
BLOCK_LIMIT = 50
# Slack refuses a message whose blocks hold about 12,000 characters in all (``msg_blocks_too_long``,
# undocumented; seen from ~11,300): a digest message stays well under it, and a longer digest is split.
DIGEST_BUDGET = 9000
URL_LIMIT = 1000  # a longer link target is dropped (the title stays) rather than cut mid-link
LINK_LIMIT = TEXT_LIMIT - 2  # a link alone in a bold section: "*<url|label>*"
SUBJECT_LIMIT = 200
ELLIPSIS = "…"
_ZWSP = "\u200b"
_MENTION = re.compile(r"@(?=(channel|here|everyone)\b)", re.IGNORECASE)
# C0/C1 controls (ANSI escapes too) except tab and newline; they have no place in a message.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Everything that can end a line in some mail or terminal software.
_LINE_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


# --- text helpers -------------------------------------------------------------------


def _clean(text: str) -> str:
    return _CONTROL.sub("", text or "")


def terminal_line(text: str) -> str:
    """Untrusted text on one line with no control character (ANSI escapes, bells): for a terminal."""
    return _one_line(text)


def terminal_text(text: str) -> str:
    """Text with untrusted parts (a feed's links in a run report's notes) for a terminal: its lines kept, no
    control character (ANSI escapes, bells)."""
    return _clean(text)


def _one_line(text: str) -> str:
    return " ".join(_LINE_BREAKS.sub(" ", _clean(text)).split())


def _slack_escape(text: str) -> str:
    """Escape Slack's control characters and defuse bare broadcast mentions."""
    text = _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub("@" + _ZWSP, text)


def _plain_safe(text: str) -> str:
    """For plain_text objects, which Slack shows verbatim (no entities, links or mentions parsed):
    no escaping, but broadcast and ``<!...>``/``<@...>`` forms are still broken as a second line."""
    text = _MENTION.sub("@" + _ZWSP, _clean(text))
    return re.sub(r"<(?=[!@#])", "<" + _ZWSP, text)


def safe_url(url: str) -> str | None:
    """The URL percent-encoded for embedding, or None unless it is an absolute http(s) URL."""
    url = (url or "").strip()
    if not url or _CONTROL.search(url) or _LINE_BREAKS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    # Encodes | < > " space and non-ASCII, so the URL cannot end a Slack link or an attribute.
    return quote(url, safe=_URL_SAFE)


def _fit(raw: str, limit: int, render: Callable[[str], str]) -> str:
    """``render(raw)`` cut to ``limit`` chars, shortening the raw text so no escape is split.

    The longest raw prefix that fits, found by bisection: escaping can triple a text's length, and
    taking the overshoot off the raw text cut a title of "&" and "<" down to a bare "…"."""
    out = render(raw)
    if len(out) <= limit:
        return out
    fits, too_long = 0, len(raw)  # render("…") fits any limit used here
    while too_long - fits > 1:
        cut = (fits + too_long) // 2
        if len(render(raw[:cut].rstrip() + ELLIPSIS)) <= limit:
            fits = cut
        else:
            too_long = cut
    return render(raw[:fits].rstrip() + ELLIPSIS)


def _mark_names(
    text: str, names: Sequence[str], escape: Callable[[str], str], wrap: Callable[[str], str]
) -> str:
    """Escape ``text`` and wrap every whole-word occurrence of a name, with a plural or possessive ending
    ("S-400s", "Turkey's"). As aliases match: an acronym of two to four capitals only in capitals ("US", not
    "us"), any other name in any case; "India" is not marked inside "Indiana"."""
    wanted = sorted({n for n in names if n and n.strip()}, key=len, reverse=True)
    if not wanted:
        return escape(text)
    pieces = [f"(?-i:{re.escape(n)})" if _ACRONYM.fullmatch(n) else re.escape(n) for n in wanted]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(pieces) + r")(?:'s|\u2019s|s'|es|s)?(?!\w)", re.IGNORECASE)
    out: list[str] = []
    pos = 0
    for found in pattern.finditer(text):
        start, end = found.start(), found.end()
        out.append(escape(text[pos:start]))
        out.append(wrap(escape(text[start:end])))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


_ACRONYM = re.compile(r"[A-Z]{2,4}")


def _when(value: datetime | None) -> str:
    if value is None:
        return "date unknown"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _pair(alert: Alert) -> str:
    return f"{alert.system} x {alert.country}"


def _is_feed(alert: Alert) -> bool:
    return alert.kind.startswith("feed_")


def repeat_change(alert: Alert) -> str | None:
    """How an ``every`` alert for a story that left its pair where it was reads, in every message and the
    run report: "deal (another report)", or "talks (another report; the pair stays at deal)" for a story at
    another stage (not "deal -> talks": the pair did not move). None for an alert that reports a change."""
    if alert.kind != "every" or not (alert.repeat or alert.old_stage == alert.new_stage):
        return None
    if alert.old_stage in (None, alert.new_stage):
        return f"{alert.new_stage} (another report)"
    return f"{alert.new_stage} (another report; the pair stays at {alert.old_stage})"


def headline(alert: Alert) -> str:
    """Raw one-line summary: "S-400 x Turkey: deal -> delivery" or "S-400 x Turkey: new (deal)"."""
    if alert.kind == "feed_failing":
        return f"Feed failing: {alert.source}"
    if alert.kind == "feed_recovered":
        return f"Feed recovered: {alert.source}"
    pair = _pair(alert)
    if alert.kind == "also_reported":
        return f"{pair}: {alert.new_stage}, also reported by {alert.source}"
    if (repeat := repeat_change(alert)) is not None:
        return f"{pair}: {repeat}"
    if alert.old_stage is None:
        return f"{pair}: new ({alert.new_stage})"
    return f"{pair}: {alert.old_stage} -> {alert.new_stage}"


def _source_time(alert: Alert) -> str:
    """ "Wire Feed · published 2024-06-02 14:30 UTC"; a feed health alert has no story, and its time is
    when the outage began: "Broken Feed · failing since 2026-11-27 13:19 UTC"."""
    source, when = alert.source or "unknown source", _when(alert.published)
    if alert.kind == "feed_failing":
        return f"{source} · failing since {when}"
    if alert.kind == "feed_recovered":
        return f"{source} · recovered (failing since {when})"
    return f"{source} · published {when}"


def _sources_line(alert: Alert) -> str:
    sources = alert.sources or ((alert.source,) if alert.source else ())
    count = len(sources)
    noun = "independent source" if count == 1 else "independent sources"
    return f"Reported by {count} {noun}: {', '.join(sources)}"


# --- Slack --------------------------------------------------------------------------


def _slack_link(url: str, title: str, limit: int = 500, total: int = LINK_LIMIT) -> str:
    """``<url|label>`` (the label alone for a URL that is not http(s) or too long): the label at most ``limit``
    characters and the whole at most ``total``. The label is what is shortened, never mid-entity, so no cut of
    the section it sits in splits the link (a long title full of "&" or "<" grows as it is escaped)."""
    raw = _one_line(title) or url or "(untitled)"
    target = safe_url(url)
    href = target.replace("&", "&amp;") if target is not None else ""
    room = min(limit, total - len(href) - 3)
    if not href or len(href) > URL_LIMIT or room < 20:  # no room for a readable label: leave it unlinked
        return _fit(raw, min(limit, total), _slack_escape)
    return f"<{href}|{_fit(raw, room, _slack_escape)}>"


def _header(text: str) -> dict[str, Any]:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": _fit(_one_line(text), HEADER_LIMIT, _plain_safe)},
    }


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:TEXT_LIMIT]}}


def _context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn[:TEXT_LIMIT]}]}


def _slack_evidence(alert: Alert, limit: int) -> str:
    return _fit(
        alert.evidence.strip(),
        limit,
        lambda raw: _mark_names(raw, alert.names, _slack_escape, lambda s: f"*{s}*"),
    )


def render_slack(alert: Alert) -> dict[str, Any]:
    """One alert as a Block Kit message (blocks plus the ``text`` notification fallback)."""
    if alert.kind == "also_reported":
        return render_slack_reply(alert)
    blocks: list[dict[str, Any]] = [_header(headline(alert))]
    if _is_feed(alert):
        said = _fit(f"{alert.evidence}", TEXT_LIMIT - 600, _slack_escape)
        blocks.append(
            _section(said + "\n" + _slack_link(alert.url, alert.url, total=TEXT_LIMIT - len(said) - 1))
        )
    else:
        blocks.append(_section(f"*{_slack_link(alert.url, alert.title, TEXT_LIMIT - 10)}*"))
        blocks.append(_context(_fit(_source_time(alert), TEXT_LIMIT, _slack_escape)))
        if alert.evidence.strip():
            blocks.append(_section(_slack_evidence(alert, TEXT_LIMIT)))
        blocks.append(_context(_fit(_sources_line(alert), TEXT_LIMIT, _slack_escape)))
    if alert.note:
        blocks.append(_context(_fit(f"Note: {alert.note}", TEXT_LIMIT, _slack_escape)))
    # A feed's title is its name again ("Feed failing: Broken Feed: Broken Feed failing"): the headline says it.
    fallback = headline(alert) if _is_feed(alert) else f"{headline(alert)}: {_one_line(alert.title)}"
    return {"text": _fit(fallback, TEXT_LIMIT, _slack_escape), "blocks": blocks}


def _also_line(alert: Alert, limit: int = 700) -> str:
    source = _fit(_one_line(alert.source) or "another source", 200, _slack_escape)
    prefix = f"Also reported by *{source}* ({alert.new_stage}): "
    return prefix + _slack_link(alert.url, alert.title, limit, TEXT_LIMIT - len(prefix))


def render_slack_reply(alert: Alert) -> dict[str, Any]:
    """A thread reply for a later source of an event already alerted."""
    line = _also_line(alert, TEXT_LIMIT - 300)
    return {"text": line, "blocks": [_section(line)]}


def _digest_line(alert: Alert) -> str:
    change = headline(alert).split(": ", 1)[-1]
    meta = _fit(f"{alert.source} · {_when(alert.published)}", 300, _slack_escape)
    line = f"• *{_slack_escape(change)}*: {_slack_link(alert.url, alert.title, 300)} ({meta})"
    if not _is_feed(alert):
        count = len(alert.sources) or 1
        line += f" · {counted(count, 'source')}"
    if alert.note:
        line += f" · {_fit(alert.note, 200, _slack_escape)}"
    if alert.evidence.strip():
        line += "\n    " + _slack_evidence(alert, 400)
    return line


def _group(alerts: Sequence[Alert]) -> dict[str, list[Alert]]:
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        key = "Feeds" if _is_feed(alert) else _pair(alert)
        groups.setdefault(key, []).append(alert)
    return groups


def _digest_groups(
    alerts: Sequence[Alert], also_reported: Sequence[Alert]
) -> tuple[list[Alert], dict[str, list[Alert]]]:
    """(the "also reported" alerts, every alert grouped by pair): a pair's alerts, then its later sources."""
    extra = [*also_reported, *(a for a in alerts if a.kind == "also_reported")]
    groups = _group([a for a in alerts if a.kind != "also_reported"])
    for alert in extra:
        groups.setdefault(_pair(alert), []).append(alert)
    return extra, groups


def _digest_entry(alert: Alert) -> str:
    return _also_line(alert, 300) if alert.kind == "also_reported" else _digest_line(alert)


def _digest_sections(groups: dict[str, list[Alert]]) -> list[tuple[str, list[Alert]]]:
    """Section texts (each within Slack's limit) and the alerts each shows; a pair too long for one
    section goes on in the next ("(continued)"), so no line is dropped."""
    sections: list[tuple[str, list[Alert]]] = []
    for key, members in groups.items():
        text = f"*{_slack_escape(key)}*"
        shown: list[Alert] = []
        for alert in members:
            line = _digest_entry(alert)
            if shown and len(text) + 1 + len(line) > TEXT_LIMIT:
                sections.append((text, shown))
                text, shown = f"*{_slack_escape(key)}* (continued)", []
            text = (text + "\n" + line)[:TEXT_LIMIT]  # one line always fits: its parts are capped
            shown.append(alert)
        sections.append((text, shown))
    return sections


def slack_digest_parts(
    alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()
) -> list[tuple[list[Alert], list[Alert]]]:
    """A digest split into the messages Slack accepts: (alerts, also reported) of each, in order.

    Each message stays under ``DIGEST_BUDGET`` characters and the block limit, so every alert
    is shown in one of them (the outbox marks an alert sent only with the message that showed it)."""
    _, groups = _digest_groups(alerts, also_reported)
    parts: list[list[Alert]] = []
    size = blocks = 0
    for text, shown in _digest_sections(groups):
        if not parts or size + len(text) > DIGEST_BUDGET or blocks + 1 > BLOCK_LIMIT - 2:
            parts.append([])
            size = blocks = 0
        parts[-1].extend(shown)
        size += len(text)
        blocks += 1
    also = {a.id for a in also_reported}
    return [([a for a in part if a.id not in also], [a for a in part if a.id in also]) for part in parts]


def render_slack_digest(alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> dict[str, Any]:
    """Many alerts as one message grouped by pair; "also reported by" lines join their pair.

    Meant for one of ``slack_digest_parts``; given more, it shows what fits and counts the rest."""
    extra, groups = _digest_groups(alerts, also_reported)
    count = sum(map(len, groups.values())) - len(extra)
    reports = counted(len(extra), "more report")
    if count:
        title = f"Defense watch digest: {counted(count, 'alert')}" + (f", {reports}" if extra else "")
    else:
        title = f"Defense watch: {reports}"
    blocks: list[dict[str, Any]] = [_header(title)]
    sections = _digest_sections(groups)
    size = 0
    for position, (text, _) in enumerate(sections):
        if len(blocks) >= BLOCK_LIMIT - 1 or size + len(text) > DIGEST_BUDGET:
            rest = sum(len(members) for _, members in sections[position:])
            blocks.append(_context(f"{ELLIPSIS} and {rest} more not shown"))
            break
        blocks.append(_section(text))
        size += len(text)
    summary = ", ".join(f"{key} ({len(members)})" for key, members in groups.items())
    text = _fit(f"{title}: {summary}", TEXT_LIMIT, _slack_escape)
    return {"text": text, "blocks": blocks}


# --- email --------------------------------------------------------------------------


def header_value(text: str, limit: int = SUBJECT_LIMIT) -> str:
    """A mail header value: one line (no CR/LF or other breaks), bounded length."""
    line = _one_line(text)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + ELLIPSIS


def email_subject(alert: Alert) -> str:
    """ "[S-400 x Turkey] delivery (was: deal)", "[S-400 x Turkey] new: deal", ..."""
    if alert.kind == "feed_failing":
        return header_value(f"[feed] {alert.source} failing since {_when(alert.published)}")
    if alert.kind == "feed_recovered":
        return header_value(f"[feed] {alert.source} recovered")
    pair = f"[{_pair(alert)}]"
    if alert.kind == "also_reported":
        return header_value(f"{pair} {alert.new_stage}: also reported by {alert.source}")
    if (repeat := repeat_change(alert)) is not None:
        return header_value(f"{pair} {repeat}")
    if alert.old_stage is None:
        return header_value(f"{pair} new: {alert.new_stage}")
    return header_value(f"{pair} {alert.new_stage} (was: {alert.old_stage})")


def _h(text: str) -> str:
    return html.escape(_clean(text), quote=True)


def _html_link(url: str, title: str) -> str:
    label = _h(_one_line(title)[:1000] or url[:300] or "(untitled)")
    target = safe_url(url)
    if target is None:
        return label
    return f'<a href="{_h(target)}" style="color:#1264a3;text-decoration:none">{label}</a>'


def _html_evidence(alert: Alert) -> str:
    evidence = alert.evidence.strip()[:10_000]
    return _mark_names(evidence, alert.names, _h, lambda s: f"<strong>{s}</strong>")


_P = '<p style="margin:4px 0;color:#555;font-size:13px">'


def _html_alert(alert: Alert) -> str:
    parts = [
        f'<h2 style="margin:0 0 8px;font-size:18px;color:#1d1c1d">{_h(headline(alert))}</h2>',
        f'<p style="margin:4px 0;font-size:15px;font-weight:bold">{_html_link(alert.url, alert.title)}</p>',
        f"{_P}{_h(_source_time(alert))}</p>",
    ]
    if alert.evidence.strip():
        parts.append(
            '<blockquote style="margin:8px 0;padding:4px 10px;border-left:3px solid #ccc;'
            f'color:#1d1c1d">{_html_evidence(alert)}</blockquote>'
        )
    if not _is_feed(alert):
        parts.append(f"{_P}{_h(_sources_line(alert))}</p>")
    if alert.note:
        parts.append(f"{_P}Note: {_h(alert.note)}</p>")
    return "\n".join(parts)


def _html_page(body: str) -> str:
    return (
        '<!DOCTYPE html><html><body style="font-family:Arial,Helvetica,sans-serif;margin:0;padding:16px">'
        f"\n{body}\n</body></html>"
    )


def _text_evidence(alert: Alert) -> str:
    """The evidence for a text part or a terminal, its matched names marked as Slack marks them."""
    return _mark_names(alert.evidence.strip()[:10_000], alert.names, _clean, lambda s: f"*{s}*")


def _text_alert(alert: Alert) -> str:
    lines = [headline(alert), _one_line(alert.title)]
    if safe_url(alert.url):
        lines.append(_one_line(alert.url))
    lines.append(_one_line(_source_time(alert)))
    if alert.evidence.strip():
        lines += ["", _text_evidence(alert)]
    if not _is_feed(alert):
        lines.append(_one_line(_sources_line(alert)))
    if alert.note:
        lines.append(f"Note: {_one_line(alert.note)}")
    return "\n".join(lines)


def _also_text(alert: Alert) -> str:
    return (
        f"Also reported by {_one_line(alert.source)} ({alert.new_stage}): {_one_line(alert.title)} "
        f"{_one_line(alert.url)}"
    )


def _also_html(alert: Alert) -> str:
    return f"{_P}Also reported by {_h(alert.source)} ({alert.new_stage}): {_html_link(alert.url, alert.title)}</p>"


def render_email(alert: Alert) -> tuple[str, str, str]:
    """(subject, html, text) for one alert; the subject is a safe one-line header value."""
    if alert.kind == "also_reported":
        return email_subject(alert), _html_page(_also_html(alert)), _also_text(alert)
    return email_subject(alert), _html_page(_html_alert(alert)), _text_alert(alert)


def render_email_digest(alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> tuple[str, str, str]:
    """One email for many alerts, grouped by pair, with "also reported by" lines."""
    extra, groups = _digest_groups(alerts, also_reported)
    subject = header_value(f"[defense watch] {_digest_count(extra, groups)}: {', '.join(groups)}")
    html_parts: list[str] = []
    for key, members in groups.items():
        html_parts.append(f'<h1 style="font-size:20px;border-bottom:1px solid #ddd">{_h(key)}</h1>')
        for alert in members:  # the pair's alerts, then its later sources
            if alert.kind == "also_reported":
                html_parts.append(_also_html(alert))
            else:
                html_parts.append(f'<div style="margin:0 0 16px">{_html_alert(alert)}</div>')
    return subject, _html_page("\n".join(html_parts)), _text_digest(groups)


def _digest_count(extra: Sequence[Alert], groups: dict[str, list[Alert]]) -> str:
    """ "12 alerts", or "2 more reports" for a digest of later sources only."""
    count = sum(map(len, groups.values())) - len(extra)
    return counted(count, "alert") if count else counted(len(extra), "more report")


def _text_digest(groups: dict[str, list[Alert]]) -> str:
    """A digest's plain text: a heading per pair, then its alerts and its later sources."""
    parts: list[str] = []
    for key, members in groups.items():
        parts.append(f"== {_one_line(key)} ==")
        for alert in members:
            if alert.kind == "also_reported":
                parts.append(_also_text(alert))
            else:
                parts += [_text_alert(alert), ""]
    return "\n".join(parts)


# --- console ------------------------------------------------------------------------


def render_console(alert: Alert) -> str:
    """Plain text for a terminal; control characters (ANSI escapes) are removed."""
    if alert.kind == "also_reported":
        return _also_text(alert)
    return _text_alert(alert)


def render_console_digest(alerts: Sequence[Alert], also_reported: Sequence[Alert] = ()) -> str:
    """Many alerts for a terminal, grouped by pair as the Slack and email digests are."""
    extra, groups = _digest_groups(alerts, also_reported)
    return f"=== {_digest_count(extra, groups)} ===\n\n{_text_digest(groups)}"
