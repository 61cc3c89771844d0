"""Checking incoming field values against the record's declared types, strictly (the codec itself is lenient)."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any

from youthwork.domain.codec import field_types
from youthwork.domain.memo import cached
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
    if _checker(cls, name)(value):
        return None
    options, _ = _options(field_types(cls)[name])
    base = typing.get_origin(options[0]) or options[0]
    what = _WHAT.get(base, "a list" if base is list else "a set of values" if base is dict else "another kind of value")
    return f"The field {name} should be {what}."


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


@cached
def _checker(cls: type[Record], name: str) -> Callable[[Any], bool]:
    """`_ok` for one field, worked out once: a push checks every field of every change (a sixth of its time went
    on taking the field's type apart again). Text and true/false, most fields, get a one-line check of their own."""
    tp = field_types(cls)[name]
    options, nullable = _options(tp)
    if len(options) == 1 and options[0] in (str, bool):
        test = _is_text if options[0] is str else _is_bool
        if nullable:
            return lambda value: value is None or test(value)
        return lambda value: value is not None and test(value)
    if len(options) == 1 and typing.get_args(options[0]) == (str,) and typing.get_origin(options[0]) is list:
        # A list of text (risk indicators, workers, ...)
        return lambda value: (
            (value is None and nullable) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        )
    return partial(_ok, tp)


def text_problem(value: Any) -> str | None:
    """Strings the databases cannot store: NUL characters and unpaired surrogates (valid in JSON, not in UTF-8)."""
    if isinstance(value, str):
        return _str_problem(value)
    if isinstance(value, list | tuple):
        for v in value:
            # Text and plain values in place, containers by recursion: a push checks every value it carries.
            if isinstance(v, str):
                if problem := _str_problem(v):
                    return problem
            elif isinstance(v, list | tuple | dict) and (problem := text_problem(v)):
                return problem
    elif isinstance(value, dict):
        for k, v in value.items():
            if problem := _str_problem(k) if isinstance(k, str) else text_problem(k):
                return problem
            if isinstance(v, str):
                if problem := _str_problem(v):
                    return problem
            elif isinstance(v, list | tuple | dict) and (problem := text_problem(v)):
                return problem
    return None


def _str_problem(value: str) -> str | None:
    if "\x00" in value:
        return "Text can't contain NUL characters."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "Text contains characters that are not valid Unicode."
    return None
