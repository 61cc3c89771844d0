"""Records to and from plain JSON-able values: the one encoding used by the store, the wire and exports."""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from youthwork.domain.memo import cached
from youthwork.domain.records import Record


@cached
def field_types(cls: type[Record]) -> dict[str, Any]:
    """Each field's resolved type annotation (cached: the store and sync ask per row)."""
    return typing.get_type_hints(cls)


def base_type(tp: Any) -> Any:
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


@cached
def _kind(cls: type[Record], name: str) -> tuple[Any, Any]:
    """A field's concrete type and its origin (list, dict, ...), worked out once per field."""
    tp = base_type(field_types(cls)[name])
    return tp, typing.get_origin(tp) or tp


def decode_value(cls: type[Record], name: str, value: Any) -> Any:
    if value is None:
        return None
    tp, origin = _kind(cls, name)
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
    return {name: encode_value(getattr(record, name)) for name in _names(type(record))}


@cached
def _names(cls: type[Record]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def from_dict(cls: type[Record], data: dict[str, Any]) -> Record:
    decoders = _decoders(cls)
    out = {}
    for k, v in data.items():
        if k in decoders:
            fn = decoders[k]
            out[k] = v if fn is None or v is None else fn(v)
    return cls(**out)


def _as_datetime(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _as_date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


@cached
def _decoders(cls: type[Record]) -> dict[str, Any]:
    """`decode_value` for each field, chosen once per record type (None: taken as it is). The service builds a record
    from every change it checks."""
    out: dict[str, Any] = {}
    for name in _names(cls):
        tp, origin = _kind(cls, name)
        out[name] = (
            _as_datetime
            if tp is datetime
            else _as_date
            if tp is date
            else bool
            if tp is bool
            else int
            if tp is int
            else list
            if origin is list
            else dict
            if origin is dict
            else None
        )
    return out
