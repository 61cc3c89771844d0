"""Records to and from plain JSON-able values: the one encoding used by the store, the wire and exports."""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from datetime import date, datetime
from functools import cache
from typing import Any

from youthwork.domain.records import RECORD_TYPES, Record


@cache
def _hints(cls: type[Record]) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _base(tp: Any) -> Any:
    """The concrete type behind `X | None`."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else Any
    return tp


def encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode_value(v) for k, v in value.items()}
    return value


def decode_value(cls: type[Record], name: str, value: Any) -> Any:
    if value is None:
        return None
    tp = _base(_hints(cls)[name])
    origin = typing.get_origin(tp) or tp
    if tp is datetime:
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if tp is date:
        return date.fromisoformat(value) if isinstance(value, str) else value
    if tp is bool:
        return bool(value)
    if tp is int:
        return int(value)
    if origin is list:
        return list(value)
    if origin is dict:
        return dict(value)
    return value


def to_dict(record: Record) -> dict[str, Any]:
    return {f.name: encode_value(getattr(record, f.name)) for f in fields(record)}


def from_dict(cls: type[Record], data: dict[str, Any]) -> Record:
    known = set(cls.field_names())
    return cls(**{k: decode_value(cls, k, v) for k, v in data.items() if k in known})


def record_type(table: str) -> type[Record]:
    try:
        return RECORD_TYPES[table]
    except KeyError:
        raise KeyError(f"unknown record type {table!r}") from None
