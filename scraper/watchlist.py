"""Load and validate the watchlist YAML into a ``Watchlist`` with its aliases compiled once.

Every problem in a file is collected and reported together in one ``ConfigError``, one line each:
``watchlist.yaml:14: systems[2].aliases must be a list of strings, got 'S-400'``. Line numbers come
from the YAML node tree (``yaml.compose``), so values are read from nodes, never from a plain dict.
Plain scalars that a string field expects are taken verbatim, which sidesteps YAML 1.1 surprises
(``22:30`` as the integer 1350, ``NO`` as false).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from scraper.aliases import alias_form, alias_key, build_index, normalize
from scraper.config import has_control, usable_url
from scraper.errors import ConfigError
from scraper.model import AlertSettings, Entity, QuietHours, Source, Watch, Watchlist

_TOP_KEYS = ("feeds", "systems", "countries", "watches", "stages", "alerts")
_FEED_KEYS = ("name", "url", "kind", "item_selector", "title_selector", "date_selector", "full_text")
_SYSTEM_KEYS = ("name", "aliases", "exclude", "ambiguous", "origin")
_COUNTRY_KEYS = ("name", "aliases", "exclude", "ambiguous")
_WATCH_KEYS = ("systems", "countries", "alert_on", "notify", "min_sources")
_ALERT_KEYS = ("digest_after", "quiet_hours", "failing_after", "max_attempts", "alert_backlog")
_QUIET_KEYS = ("channel", "start", "end", "tz")
_STAGE_NAMES = ("talks", "deal", "delivery", "deployment", "cancellation")
_ALERT_ON = ("new", "stage", "every")
_CHANNELS = ("slack", "email", "console")
_NULL = "tag:yaml.org,2002:null"


@dataclass
class _Reader:
    """Walks the node tree, converting values and collecting (line, message) problems."""

    path: str
    problems: list[tuple[int, str]] = field(default_factory=list)

    def error(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        self.problems.append((line, message))

    def mapping(self, node: yaml.Node, where: str, allowed: tuple[str, ...]) -> dict[str, yaml.Node]:
        """A mapping's values by key; unknown and repeated keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{where} must be a mapping, got {_show(node)}")
            return {}
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # YAML allows `? [a, b]`; its value is nodes
                self.error(
                    key_node,
                    f"{where + ': ' if where else ''}a key must be a name, got {_show(key_node)} "
                    f"(expected one of: {', '.join(allowed)})",
                )
                continue
            key = str(key_node.value)
            field_name = f"{where}.{key}" if where else key
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = (
                    f"; did you mean '{close[0]}'?" if close else f" (expected one of: {', '.join(allowed)})"
                )
                self.error(key_node, f"{field_name} is not a known key{hint}")
            elif key in out:
                self.error(key_node, f"{field_name} is given twice")
            else:
                out[key] = value_node
        return out

    def string(self, node: yaml.Node, where: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag != _NULL and str(node.value).strip():
            return str(node.value).strip()
        self.error(node, f"{where} must be a non-empty string, got {_show(node)}")
        return None

    def strings(self, node: yaml.Node, where: str) -> list[str] | None:
        items = self.string_items(node, where)
        return None if items is None else [value for value, _ in items]

    def string_items(self, node: yaml.Node, where: str) -> list[tuple[str, yaml.Node]] | None:
        """A list of strings, each with its node: a problem with one item is reported on its line."""
        if not isinstance(node, yaml.SequenceNode) or any(
            not isinstance(item, yaml.ScalarNode) or item.tag == _NULL for item in node.value
        ):
            self.error(node, f"{where} must be a list of strings, got {_show(node)}")
            return None
        values: list[tuple[str, yaml.Node]] = []
        for i, item in enumerate(node.value):
            if not str(item.value).strip():
                self.error(item, f"{where}[{i}] must not be empty")
            else:
                values.append((str(item.value).strip(), item))
        return values

    def choices(self, node: yaml.Node, where: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        items = self.string_items(node, where)
        if items is None:
            return None
        if not items:
            self.error(node, f"{where} must name at least one of: {', '.join(allowed)}")
        for value, item in items:
            if value not in allowed:
                self.error(
                    item, f"{where}: '{value}' is not one of {', '.join(allowed)}{_hint(value, allowed)}"
                )
        return tuple(dict.fromkeys(v for v, _ in items if v in allowed))

    def boolean(self, node: yaml.Node, where: str) -> bool | None:
        value = _scalar(node)
        if isinstance(value, bool):
            return value
        self.error(node, f"{where} must be true or false, got {_show(node)}")
        return None

    def integer(self, node: yaml.Node, where: str, minimum: int) -> int | None:
        value = _scalar(node)
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return value
        self.error(node, f"{where} must be a whole number >= {minimum}, got {_show(node)}")
        return None

    def items(self, node: yaml.Node | None, where: str, required: bool) -> list[yaml.Node]:
        """The entries of a top-level list section."""
        if node is None:
            if required:
                self.error(None, f"{where} is required")
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{where} must be a list, got {_show(node)}")
            return []
        if required and not node.value:
            self.error(node, f"{where} must not be empty")
        return list(node.value)


def _scalar(node: yaml.Node) -> Any:
    """A scalar as YAML types it (bool, int, str...); None for anything else."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError):  # ValueError: an integer of more than 4,300 digits
        return None
    finally:
        loader.dispose()


def _show(node: yaml.Node | None) -> str:
    """How a wrong value is quoted back to the user."""
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)  # a value of thousands of characters is not quoted back whole
        return "nothing" if node.tag == _NULL else repr(value if len(value) <= 80 else value[:77] + "...")
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return "nothing"


def _hint(value: str, allowed: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


# The same node tree (tags, values, line marks) from libyaml when PyYAML was built with it.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_watchlist(text: str, path: str = "watchlist.yaml", *, require_feeds: bool = True) -> Watchlist:
    """Validate watchlist YAML; every problem is raised together as one ``ConfigError``."""
    try:
        try:
            root = yaml.compose(text, Loader=_FAST_LOADER)  # libyaml: ten times faster on a cold start
        except yaml.YAMLError:
            try:  # libyaml's messages are terse: the pure-Python parser says what is wrong, in words
                root = yaml.compose(text, Loader=yaml.SafeLoader)
            except yaml.reader.ReaderError as exc:  # a control character: it has a position, not a mark
                row = text.count("\n", 0, exc.position) + 1
                raise ConfigError(
                    f"{path}:{row}: YAML syntax error: the control character {chr(exc.character)!r} is not "
                    "allowed in YAML"
                ) from exc
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
                line = f"{mark.line + 1}:" if mark is not None else ""
                problem = getattr(exc, "problem", None) or str(exc)
                raise ConfigError(f"{path}:{line} YAML syntax error: {problem}") from exc
    except RecursionError as exc:  # thousands of nested [[[...]]]: no watchlist is shaped like that
        raise ConfigError(f"{path}: YAML nested too deeply to be a watchlist") from exc
    reader = _Reader(path)
    if root is None:
        raise ConfigError(f"{path}: the watchlist is empty; it needs at least systems and countries")
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError(
            f"{path}:{root.start_mark.line + 1}: the watchlist must be a mapping with systems and countries "
            f"(and feeds), got {_show(root)}"
        )
    top = reader.mapping(root, "", _TOP_KEYS)
    feeds = _read_feeds(reader, reader.items(top.get("feeds"), "feeds", require_feeds))
    names: dict[str, str] = {}  # canonical names key hits and storage: unique in any spelling
    origins = _names_in(top.get("countries"))  # systems come first in the file but name countries
    systems = _read_entities(reader, top.get("systems"), "systems", _SYSTEM_KEYS, origins, names)
    countries = _read_entities(reader, top.get("countries"), "countries", _COUNTRY_KEYS, (), names)
    system_names = tuple(s.name for s in systems)
    country_names = tuple(c.name for c in countries)
    if isinstance(top.get("watches"), yaml.SequenceNode) and not top["watches"].value:
        reader.error(top["watches"], "watches must not be empty (leave it out to watch every pair)")
    watches = tuple(
        watch
        for i, node in enumerate(reader.items(top.get("watches"), "watches", False))
        if (watch := _read_watch(reader, node, f"watches[{i}]", system_names, country_names)) is not None
    )
    stages = _read_stages(reader, top["stages"]) if "stages" in top else ()
    alerts = _read_alerts(reader, top["alerts"]) if "alerts" in top else AlertSettings()
    if reader.problems:
        lines = [
            f"{path}:{line}: {message}" if line else f"{path}: {message}" for line, message in reader.problems
        ]
        raise ConfigError("\n".join(sorted(lines, key=line_order)))
    return Watchlist(
        feeds=feeds,
        systems=systems,
        countries=countries,
        watches=watches,
        stages=stages,
        alerts=alerts,
        path=path,
        index=build_index(systems, countries),
    )


def line_order(message: str) -> int:
    """Sort key of a `file:line: ...` message: its line number (the file may be `s3://bucket/key`)."""
    found = _LINE_OF.match(message)
    return int(found.group(1)) if found else 0


_LINE_OF = re.compile(r"[^\n]*?:(\d+):")


def _read_feeds(reader: _Reader, nodes: list[yaml.Node]) -> tuple[Source, ...]:
    feeds: list[Source] = []
    seen_names: set[str] = set()
    seen_urls: set[str] = set()
    for i, node in enumerate(nodes):
        where = f"feeds[{i}]"
        values = reader.mapping(node, where, _FEED_KEYS)
        if not values:
            if isinstance(node, yaml.MappingNode) and not node.value:  # "- {}": no feed at all, not skipped
                reader.error(node, f"{where} is empty (a feed needs a name and a url)")
            continue
        name = reader.string(values["name"], f"{where}.name") if "name" in values else None
        url = _read_url(reader, values.get("url"), node, f"{where}.url")
        kind = reader.string(values["kind"], f"{where}.kind") if "kind" in values else "feed"
        if "name" not in values:
            reader.error(node, f"{where}.name is required")
        if kind not in (None, "feed", "html"):
            reader.error(values["kind"], f"{where}.kind must be 'feed' or 'html', got '{kind}'")
        selectors = {
            key: _read_selector(reader, values[key], f"{where}.{key}")
            for key in ("item_selector", "title_selector", "date_selector")
            if key in values
        }
        if kind == "html" and "item_selector" not in values:
            reader.error(node, f"{where}.item_selector is required when kind is 'html'")
        full_text = (
            reader.boolean(values["full_text"], f"{where}.full_text") if "full_text" in values else False
        )
        if name is not None:
            if name.casefold() in seen_names:
                reader.error(values["name"], f"{where}.name '{name}' is used by another feed")
            seen_names.add(name.casefold())
        if url is not None:
            if url in seen_urls:
                reader.error(values["url"], f"{where}.url {url} is listed twice")
            seen_urls.add(url)
        if name and url and kind in ("feed", "html"):
            feeds.append(Source(name, url, kind or "feed", full_text=bool(full_text), **selectors))
    return tuple(feeds)


def _read_url(reader: _Reader, node: yaml.Node | None, parent: yaml.Node, where: str) -> str | None:
    if node is None:
        reader.error(parent, f"{where} is required")
        return None
    url = reader.string(node, where)
    if url is None:
        return None
    try:  # urlsplit refuses a broken [IPv6] host, .port a port that is not a number up to 65535
        parts = urlsplit(url)
        parts.port  # noqa: B018 (read for its check)
    except ValueError as exc:
        reader.error(node, f"{where} is not a valid URL ({exc}), got '{url}'")
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        reader.error(node, f"{where} must be an http:// or https:// URL, got {_show(node)}")
        return None
    if not usable_url(url, parts.hostname):
        reader.error(
            node,
            f"{where} cannot be fetched: a control character in it, or a host name no resolver takes (an empty "
            f"or invalid label), got {_show(node)}",
        )
        return None
    if parts.username or parts.password:
        reader.error(node, f"{where} must not carry credentials; secrets never go in the watchlist")
        return None
    return url


def _read_selector(reader: _Reader, node: yaml.Node, where: str) -> str | None:
    selector = reader.string(node, where)
    if selector is None:
        return None
    import soupsieve  # beautifulsoup4's selector engine: the one that will run this selector

    try:
        soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as exc:
        reader.error(node, f"{where} is not a valid CSS selector: {str(exc).splitlines()[0]}")
        return None
    except NotImplementedError as exc:  # soupsieve's answer to a pseudo-element or an @-rule
        reader.error(node, f"{where} cannot select elements of a page: {exc}")
        return None
    except ValueError as exc:  # soupsieve's nesting limit
        reader.error(node, f"{where} is not a usable CSS selector: {exc}")
        return None
    return selector


def _names_in(section: yaml.Node | None) -> tuple[str, ...]:
    """The `name` of each entry of a section, read leniently (the section reports its own errors)."""
    if not isinstance(section, yaml.SequenceNode):
        return ()
    return tuple(
        str(value.value).strip()
        for entry in section.value
        if isinstance(entry, yaml.MappingNode)
        for key, value in entry.value
        if key.value == "name" and isinstance(value, yaml.ScalarNode)
    )


def _read_entities(
    reader: _Reader,
    section: yaml.Node | None,
    kind: str,
    allowed: tuple[str, ...],
    countries: tuple[str, ...],
    names: dict[str, str],
) -> tuple[Entity, ...]:
    entities: list[Entity] = []
    for i, node in enumerate(reader.items(section, kind, True)):
        where = f"{kind}[{i}]"
        values = reader.mapping(node, where, allowed)
        if not values:
            if isinstance(node, yaml.MappingNode) and not node.value:  # "- {}": not silently skipped
                reader.error(node, f"{where} is empty (it needs a name)")
            continue
        if "name" not in values:
            reader.error(node, f"{where}.name is required")
            continue
        name = reader.string(values["name"], f"{where}.name")
        if name is None:
            continue
        if len(name) > MAX_ALIAS:
            reader.error(values["name"], f"{where}.name is longer than {MAX_ALIAS} characters")
            continue
        if has_control(name):  # it keys storage and heads every alert
            reader.error(values["name"], f"{where}.name {name!r} {_CONTROL_CHARACTER}")
            continue
        if not _is_safe_alias(name):  # the name is always an alias too
            reader.error(values["name"], f"{where}.name '{name}' {_UNSAFE_ALIAS}")
            continue
        if alias_key(name) in names:
            reader.error(
                values["name"], f"{where}.name '{name}' is already the name of {names[alias_key(name)]}"
            )
            continue
        names[alias_key(name)] = f"{where} '{name}' (line {node.start_mark.line + 1})"
        aliases = _read_aliases(reader, values.get("aliases"), f"{where}.aliases", name)
        exclude = _read_aliases(reader, values.get("exclude"), f"{where}.exclude", None)
        ambiguous = _read_ambiguous(reader, values.get("ambiguous"), f"{where}.ambiguous", aliases)
        origin: tuple[str, ...] = ()
        if "origin" in values:
            listed = reader.string_items(values["origin"], f"{where}.origin") or []
            origin = tuple(country for country, _ in listed)
            for country, item in listed:
                if countries and country not in countries:
                    reader.error(
                        item,
                        f"{where}.origin: '{country}' is not a country in this file"
                        + _hint(country, countries),
                    )
        line = node.start_mark.line + 1
        entities.append(Entity(name, aliases, exclude, ambiguous, origin, line))
    return tuple(entities)


# The longest name, alias or exclude phrase: a name is a few words, and the alias alternation is built
# (and compiled by the regex engine) one nesting level per character.
MAX_ALIAS = 100


_UNSAFE_ALIAS = "needs at least two letters or digits to match safely"
_CONTROL_CHARACTER = "holds a control character (a NUL, a tab, an escape), which no story writes"


def _is_safe_alias(value: str) -> bool:
    """One letter or digit ("X", "5") would match in almost every story."""
    return sum(c.isalnum() for c in normalize(value)) >= 2


def _read_aliases(reader: _Reader, node: yaml.Node | None, where: str, name: str | None) -> tuple[str, ...]:
    """Aliases (or excludes) in file order, the canonical name first, spelling variants folded."""
    values = [name] if name else []
    if node is not None:
        listed = reader.string_items(node, where)
        if listed is not None and not listed:
            reader.error(node, f"{where} must not be empty (leave it out to use the name alone)")
        for value, item in listed or ():
            if has_control(value):
                reader.error(item, f"{where}: {value!r} {_CONTROL_CHARACTER}")
            elif not _is_safe_alias(value):
                reader.error(item, f"{where}: '{value}' {_UNSAFE_ALIAS}")
            elif len(value) > MAX_ALIAS:
                reader.error(item, f"{where}: '{value[:40]}...' is longer than {MAX_ALIAS} characters")
            else:
                values.append(value)
    folded: dict[tuple[str, ...], str] = {}
    for value in values:  # "S-400" and "S400" are one alias; "SAMP-T" and "SAMPT" are two
        folded.setdefault(alias_form(value), value)
    return tuple(folded.values())


def _read_ambiguous(
    reader: _Reader, node: yaml.Node | None, where: str, aliases: tuple[str, ...]
) -> tuple[str, ...]:
    """`true` flags every alias of the entry, a list flags those aliases only."""
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        flag = _scalar(node)
        if not isinstance(flag, bool):
            reader.error(
                node, f"{where} must be true, false or a list of this entry's aliases, got {_show(node)}"
            )
        return aliases if flag is True else ()
    forms = {alias_form(a): a for a in aliases}
    listed = reader.string_items(node, where) or []
    for value, item in listed:
        if alias_form(value) not in forms:
            reader.error(
                item, f"{where}: '{value}' is not one of this entry's aliases{_hint(value, aliases)}"
            )
    return tuple(dict.fromkeys(forms[f] for v, _ in listed if (f := alias_form(v)) in forms))


def _read_watch(
    reader: _Reader, node: yaml.Node, where: str, systems: tuple[str, ...], countries: tuple[str, ...]
) -> Watch | None:
    values = reader.mapping(node, where, _WATCH_KEYS)
    if not isinstance(node, yaml.MappingNode):
        return None
    defaults = Watch((), ())
    alert_on = (
        reader.choices(values["alert_on"], f"{where}.alert_on", _ALERT_ON) if "alert_on" in values else None
    )
    notify = reader.choices(values["notify"], f"{where}.notify", _CHANNELS) if "notify" in values else None
    min_sources = (
        reader.integer(values["min_sources"], f"{where}.min_sources", 1) if "min_sources" in values else None
    )
    return Watch(
        systems=_read_names(reader, values.get("systems"), f"{where}.systems", systems, "system"),
        countries=_read_names(reader, values.get("countries"), f"{where}.countries", countries, "country"),
        alert_on=alert_on or defaults.alert_on,
        notify=notify or defaults.notify,
        min_sources=min_sources or defaults.min_sources,
    )


def _read_names(
    reader: _Reader, node: yaml.Node | None, where: str, known: tuple[str, ...], noun: str
) -> tuple[str, ...]:
    """Canonical names of a watch; "*", ["*"] or nothing means every one."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value == "*"):
        return known
    items = reader.string_items(node, where)
    if items is None or [name for name, _ in items] == ["*"]:
        return known
    if not node.value:  # an empty list would watch nothing: surely not what was meant
        reader.error(node, f'{where} must not be empty (leave it out or write "*" for every {noun})')
        return known
    for name, item in items:
        if name not in known:
            reader.error(item, f"{where}: '{name}' is not a {noun} in this file{_hint(name, known)}")
    return tuple(dict.fromkeys(n for n, _ in items if n in known))


def _read_stages(reader: _Reader, node: yaml.Node) -> tuple[tuple[str, tuple[str, ...]], ...]:
    values = reader.mapping(node, "stages", _STAGE_NAMES)
    return tuple(
        (stage, tuple(phrases))
        for stage, value in values.items()
        if (phrases := reader.strings(value, f"stages.{stage}")) is not None
    )


def _read_alerts(reader: _Reader, node: yaml.Node) -> AlertSettings:
    values = reader.mapping(node, "alerts", _ALERT_KEYS)
    settings: dict[str, Any] = {}
    for key, minimum in (("digest_after", 1), ("failing_after", 1), ("max_attempts", 1)):
        if key in values and (number := reader.integer(values[key], f"alerts.{key}", minimum)) is not None:
            settings[key] = number
    if (
        "alert_backlog" in values
        and (flag := reader.boolean(values["alert_backlog"], "alerts.alert_backlog")) is not None
    ):
        settings["alert_backlog"] = flag
    if "quiet_hours" in values:
        windows = [
            window
            for i, item in enumerate(reader.items(values["quiet_hours"], "alerts.quiet_hours", False))
            if (window := _read_quiet_hours(reader, item, f"alerts.quiet_hours[{i}]")) is not None
        ]
        settings["quiet_hours"] = tuple(windows)
    return replace(AlertSettings(), **settings)


def _read_quiet_hours(reader: _Reader, node: yaml.Node, where: str) -> QuietHours | None:
    values = reader.mapping(node, where, _QUIET_KEYS)
    if not values:
        return None
    found: dict[str, str | None] = {}
    for key in _QUIET_KEYS:
        if key in values:
            found[key] = reader.string(values[key], f"{where}.{key}")
        elif key != "tz":
            reader.error(node, f"{where}.{key} is required")
    checks: dict[str, Callable[[str], bool]] = {
        "channel": _CHANNELS.__contains__,
        "start": _is_hhmm,
        "end": _is_hhmm,
    }
    expected = {"channel": "one of " + ", ".join(_CHANNELS), "start": "a time HH:MM", "end": "a time HH:MM"}
    for key, check in checks.items():
        value = found.get(key)
        if value is not None and not check(value):
            reader.error(values[key], f"{where}.{key} must be {expected[key]}, got {_show(values[key])}")
            found[key] = None
    tz = found.get("tz") or "UTC"
    if "tz" in values and not _is_zone(tz):
        reader.error(
            values["tz"], f"{where}.tz {_show(values['tz'])} is not a known time zone (e.g. 'Europe/Paris')"
        )
        return None
    channel, start, end = found.get("channel"), found.get("start"), found.get("end")
    if channel is None or start is None or end is None:
        return None
    return QuietHours(channel, start, end, tz)


def _is_hhmm(value: str) -> bool:
    hours, _, minutes = value.partition(":")
    return (
        len(hours) in (1, 2) and len(minutes) == 2 and hours.isdigit() and minutes.isdigit()
        and int(hours) < 24 and int(minutes) < 60
    )  # fmt: skip


def _is_zone(name: str) -> bool:
    if name == "UTC":
        return True
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, RecursionError):  # "a/" * 5000 recursed in zoneinfo
        return False
    return True


def load_watchlist(location: str, *, s3_client: Any = None, require_feeds: bool = True) -> Watchlist:
    """Read and validate a watchlist from a path or ``s3://bucket/key`` (through the given client)."""
    if location.startswith("s3://"):
        bucket, _, key = location[len("s3://") :].partition("/")
        if not bucket or not key:
            raise ConfigError(f"{location}: an S3 watchlist is written s3://bucket/key")
        if s3_client is None:
            raise ConfigError(f"{location}: reading a watchlist from S3 needs an S3 client")
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            data = s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "error")
            raise ConfigError(f"{location}: cannot read the watchlist from S3 ({code})") from exc
        except BotoCoreError as exc:
            raise ConfigError(f"{location}: cannot read the watchlist from S3: {exc}") from exc
    else:
        try:
            data = Path(location).read_bytes()
        except OSError as exc:
            raise ConfigError(f"{location}: cannot read the watchlist: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{location}: the watchlist is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    return parse_watchlist(text, location, require_feeds=require_feeds)
