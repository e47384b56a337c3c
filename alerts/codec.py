"""Stored values <-> plain data: the one conversion both store adapters share.

A model value becomes a dict of JSON-safe values (str, int, float, bool, None, lists,
dicts) and back. Datetimes are ISO-8601 UTC strings with microseconds, so their string
order is their time order, which lets DynamoDB conditions and SQLite ``WHERE`` clauses
compare them. Unknown keys are ignored and missing keys take the field's default, so an
item written before a field was added still loads. ``to_attribute`` / ``from_attribute``
turn that plain data into DynamoDB's attribute values and back; SQLite keeps it as JSON.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")


def format_time(value: datetime) -> str:
    """UTC ISO-8601 with microseconds; a naive datetime is taken to be UTC already."""
    global _LAST_TIME
    last = _LAST_TIME
    if value is last[0]:  # a run stamps thousands of records with its one ``now``
        return last[1]
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    text = aware.astimezone(UTC).isoformat(timespec="microseconds")
    _LAST_TIME = (value, text)
    return text


_LAST_TIME: tuple[datetime | None, str] = (None, "")  # the last value formatted (datetimes are immutable)


def parse_time(text: str) -> datetime:
    """The inverse of ``format_time``: always timezone-aware (UTC)."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_plain(value: Any) -> Any:
    """A dataclass (or a value inside one) as JSON-safe data."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value  # the common case first: a first run stores thousands of records
    names = _FIELDS.get(kind, ())
    if names == ():  # a type not seen yet: its field names, or None for a type that is no dataclass
        names = _FIELDS[kind] = (
            tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None
        )
    if names is not None:
        return {name: to_plain(getattr(value, name)) for name in names}
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store a value of type {type(value).__name__}: {value!r}")


# A dataclass's field names (None: the type is no dataclass), looked up once per type.
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def from_plain(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a dataclass of type ``cls`` from ``to_plain`` output."""
    kwargs: dict[str, Any] = {}
    for name, hint in _hints(cls):
        if name in data:
            kwargs[name] = _convert(hint, data[name])
    return cls(**kwargs)


_HINTS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _hints(cls: type) -> tuple[tuple[str, Any], ...]:
    """The init fields of ``cls`` with their resolved types, computed once per class."""
    if cls not in _HINTS:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init)
    return _HINTS[cls]


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        return tuple(_convert(item_hint, item) for item in value)
    if hint is datetime:
        return parse_time(value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return from_plain(hint, value)
    if hint is int:
        return int(value)
    if hint is float:
        return float(value)
    if hint is bool:
        return bool(value)
    return value


def to_attribute(value: Any) -> dict[str, Any]:
    """Plain data as a DynamoDB attribute value (the low-level client's wire form)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": repr(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, list):
        return {"L": [to_attribute(item) for item in value]}
    if isinstance(value, dict):
        return {"M": {name: to_attribute(item) for name, item in value.items()}}
    raise TypeError(f"cannot store a value of type {type(value).__name__} in DynamoDB")


def from_attribute(av: dict[str, Any]) -> Any:
    """A DynamoDB attribute value as plain data; numbers come back as int or float."""
    (kind, value), *_ = av.items()
    if kind == "N":
        return float(value) if any(c in value for c in ".eE") else int(value)
    if kind == "L":
        return [from_attribute(item) for item in value]
    if kind == "M":
        return {name: from_attribute(item) for name, item in value.items()}
    if kind == "NULL":
        return None
    return value  # S, BOOL
