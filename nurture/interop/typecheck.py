"""Does a model object read from an edited file hold the types its fields declare?

The document codec (``nurture.documents``) builds model objects as fast as it
can and trusts the shapes it was given: a JSON export edited by hand can carry
``"cadence_days": "2w"`` or ``"extra": [1]`` into a Contact, where they would
break the review, the news list or the vCard export much later. An import
checks each object against its dataclass annotations first, so that such a
record is reported with its field and skipped instead.

A checker is compiled once per annotation (a closure per type): checking the
55,000 records of a large export costs under half of decoding them.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

from nurture.errors import ValidationError

# (where, what was wanted, what was there), or None when the value fits.
Problem = tuple[str, str, Any] | None
Checker = Callable[[Any, str], Problem]


def check_types(obj: object) -> None:
    """Raise ``ValidationError`` naming the first field (``emails.0.label``) of the wrong type."""
    hint: object = type(obj)  # (mypy does not see a class as Hashable; an object is)
    problem = _checker(hint)(obj, "")
    if problem is not None:
        where, wanted, value = problem
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        raise ValidationError(where or "record", f"must be {wanted}, not {shown}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@functools.cache
def _checker(hint: Any) -> Checker:
    if hint is Any:
        return lambda value, path: None
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return _union(typing.get_args(hint))
    if origin is list:
        return _list(_checker(typing.get_args(hint)[0]))
    if origin is dict:
        return _dict(_checker(typing.get_args(hint)[1]))
    if origin is not None:  # frozenset[...] and the like: not in the model's documents
        return _plain(origin, _name(origin))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint)
    return _plain(hint, _name(hint))


def _union(options: tuple[Any, ...]) -> Checker:
    checks = [_checker(option) for option in options]
    wanted = " or ".join(_name(option) for option in options)

    def check(value: Any, path: str) -> Problem:
        if any(c(value, path) is None for c in checks):
            return None
        return path, wanted, value
    return check


def _list(item: Checker) -> Checker:
    def check(value: Any, path: str) -> Problem:
        if type(value) is not list:
            return path, "a list", value
        for index, element in enumerate(value):
            found = item(element, _join(path, str(index)))
            if found is not None:
                return found
        return None
    return check


def _dict(item: Checker) -> Checker:
    def check(value: Any, path: str) -> Problem:
        if type(value) is not dict or not all(type(k) is str for k in value):
            return path, "an object", value
        for key, element in value.items():
            found = item(element, _join(path, key))
            if found is not None:
                return found
        return None
    return check


def _dataclass(cls: type) -> Checker:
    hints = typing.get_type_hints(cls)
    fields = [(f.name, _checker(hints[f.name])) for f in dataclasses.fields(cls)]
    wanted = _name(cls)

    def check(value: Any, path: str) -> Problem:
        if not isinstance(value, cls):
            return path, wanted, value
        for name, field_check in fields:
            found = field_check(getattr(value, name), _join(path, name))
            if found is not None:
                return found
        return None
    return check


def _plain(hint: Any, wanted: str) -> Checker:
    if hint is type(None):
        fits = _is_none
    elif hint is int:
        fits = _is_whole
    elif hint is float:
        fits = _is_number
    elif isinstance(hint, type) and issubclass(hint, datetime.date) \
            and not issubclass(hint, datetime.datetime):
        fits = functools.partial(_is_day, hint)
    else:
        fits = functools.partial(_is_a, hint)

    def check(value: Any, path: str) -> Problem:
        return None if fits(value) else (path, wanted, value)
    return check


def _is_none(value: Any) -> bool:
    return value is None


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_day(hint: type, value: Any) -> bool:
    # A DateTime is a date too; a date field must not hold an instant.
    return isinstance(value, hint) and not isinstance(value, datetime.datetime)


def _is_a(hint: type, value: Any) -> bool:
    return isinstance(value, hint)


def _name(hint: Any) -> str:
    if hint is type(None):
        return "empty (null)"
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list", dict: "an object"}
    if hint in names:
        return names[hint]
    if isinstance(hint, type) and issubclass(hint, Enum):
        return "one of " + ", ".join(str(m.value) for m in hint)
    if isinstance(hint, type) and issubclass(hint, datetime.datetime):
        return "a date and time"
    if isinstance(hint, type) and issubclass(hint, datetime.date):
        return "a date"
    return getattr(hint, "__name__", str(hint))
