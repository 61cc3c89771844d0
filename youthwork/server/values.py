"""Checking incoming field values against the record's declared types, strictly (the codec itself is lenient)."""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from typing import Any

from youthwork.domain.codec import field_types
from youthwork.domain.records import Record


def _options(tp: Any) -> tuple[list[Any], bool]:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = typing.get_args(tp)
        return [a for a in args if a is not type(None)], type(None) in args
    return [tp], False


def _matches(tp: Any, value: Any) -> bool:
    origin = typing.get_origin(tp) or tp
    if tp is Any:
        return True
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53
    if tp is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    if tp is datetime:
        if not isinstance(value, str):
            return False
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return False
        return True
    if tp is date:
        if not isinstance(value, str):
            return False
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return isinstance(value, list) and all(_ok(item, v) for v in value)
    if origin is dict:
        _key, item = typing.get_args(tp) or (str, Any)
        return isinstance(value, dict) and all(isinstance(k, str) and _ok(item, v) for k, v in value.items())
    return False


def _ok(tp: Any, value: Any) -> bool:
    options, nullable = _options(tp)
    if value is None:
        return nullable
    return any(_matches(o, value) for o in options)


_WHAT = {str: "text", int: "a whole number", bool: "true or false", datetime: "a date and time", date: "a date"}


def value_problem(cls: type[Record], name: str, value: Any) -> str | None:
    """Why `value` can't be stored in field `name`, or None if it can."""
    tp = field_types(cls)[name]
    if _ok(tp, value):
        return None
    options, _ = _options(tp)
    base = typing.get_origin(options[0]) or options[0]
    what = _WHAT.get(base, "a list" if base is list else "a set of values" if base is dict else "another kind of value")
    return f"The field {name} should be {what}."


def text_problem(value: Any) -> str | None:
    """Strings the databases cannot store: NUL characters and unpaired surrogates (valid in JSON, not in UTF-8)."""
    if isinstance(value, str):
        if "\x00" in value:
            return "Text can't contain NUL characters."
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "Text contains characters that are not valid Unicode."
        return None
    if isinstance(value, list | tuple):
        for v in value:
            if problem := text_problem(v):
                return problem
    elif isinstance(value, dict):
        for k, v in value.items():
            if (problem := text_problem(k)) or (problem := text_problem(v)):
                return problem
    return None
