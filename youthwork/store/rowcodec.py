"""Records to and from table rows: the domain codec's values, with lists/dicts as JSON text and booleans as 0/1.

Converters are worked out once per record type (not per value): lists of 100,000 people decode row by row, and the
generic codec's per-value type inspection would dominate a search.
"""

from __future__ import annotations

import json
import operator
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from youthwork.domain.codec import base_type, decode_value, encode_value, field_types
from youthwork.domain.memo import cached
from youthwork.domain.records import Record

Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


# One encoder, not a new JSONEncoder per call (json.dumps builds one whenever options are given).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _json_text(value: Any) -> str:
    return _ENCODER.encode(encode_value(value))


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _decode_datetime(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _decode_date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True, eq=False)
class TableCodec:
    cls: type[Record]
    table: str
    fields: tuple[str, ...]
    json_fields: frozenset[str]
    bool_fields: frozenset[str]
    encoders: dict[str, Convert]  # Python value -> column
    decoders: dict[str, Convert]  # column (not None) -> Python value

    def to_row(self, record: Record) -> dict[str, Any]:
        enc = self.encoders
        out = {}
        for name in self.fields:
            value = getattr(record, name)
            out[name] = None if value is None else enc[name](value)
        return out

    def wire_of(self, record: Record) -> dict[str, Any]:
        """`encode_value` of every field, fast: one C-level read of all the fields, and only dates and
        containers converted (an import encodes tens of thousands of records)."""
        values = _getter(self.cls)(record)
        wire_kinds = _wire_kinds(self.cls)
        return {
            name: value if value is None or kind == 0 else value.isoformat() if kind == 1 else encode_value(value)
            for name, kind, value in zip(self.fields, wire_kinds, values, strict=True)
        }

    def wire_row(self, wire: dict[str, Any]) -> list[Any]:
        """A whole record's wire values (`encode_value` of each field) as the table's columns, in `fields` order:
        the wire value itself but for lists and dicts (JSON text) and booleans (0/1)."""
        out = [wire[name] for name in self.fields]
        for i, convert in _column_from_wire(self.cls):
            if out[i] is not None:
                out[i] = convert(out[i])
        return out

    def to_column(self, name: str, value: Any) -> Any:
        """A Python value to what the column holds."""
        return None if value is None else self.encoders[name](value)

    def wire_to_column(self, name: str, encoded: Any) -> Any:
        """A codec-encoded (wire) value to what the column holds."""
        return self.to_column(name, decode_value(self.cls, name, encoded))

    def column_to_wire(self, name: str, value: Any) -> Any:
        if value is None:
            return None
        if name in self.json_fields:
            return json.loads(value)
        if name in self.bool_fields:
            return bool(value)
        return value

    def from_row(self, row: Any) -> Record:
        return self.from_rows([row])[0]

    def from_rows(self, rows: list[Any]) -> list[Record]:
        """`from_row` of each of one query's rows, with the column plan worked out once (a row's column names are
        rebuilt at each ask: a fifth of decoding a young person)."""
        if not rows:
            return []
        plan, cls = _plan(self, tuple(rows[0].keys())), self.cls
        out = []
        for r in rows:
            values: dict[str, Any] = {name: None if (v := r[i]) is None else dec(v) for name, i, dec in plan}
            out.append(cls(**values))
        return out


@cache
def _plan(codec: TableCodec, keys: tuple[str, ...]) -> tuple[tuple[str, int, Convert], ...]:
    """Which column index feeds which field, for one shape of result row (Row lookups by name are slow)."""
    return tuple((k, i, codec.decoders[k]) for i, k in enumerate(keys) if k in codec.decoders)


def _from_json_text(container: type[Any]) -> Convert:
    """A JSON column's decoder: the text parsed, as the field's container type (list or dict)."""
    return lambda v: container(json.loads(v))


@cached
@cached
def _getter(cls: type[Record]) -> Callable[[Record], tuple[Any, ...]]:
    return operator.attrgetter(*cls.field_names())


@cached
def _wire_kinds(cls: type[Record]) -> tuple[int, ...]:
    """Per field: 0 kept as it is, 1 a date or time (ISO text), 2 a list or dict (encoded inside)."""
    out = []
    for name in cls.field_names():
        tp = base_type(field_types(cls)[name])
        origin = typing.get_origin(tp) or tp
        out.append(2 if origin in (list, dict) or tp is Any else 1 if tp in (datetime, date) else 0)
    return tuple(out)


def _json_of_wire(value: Any) -> str:
    return _ENCODER.encode(value)


@cached
def _column_from_wire(cls: type[Record]) -> tuple[tuple[int, Convert], ...]:
    """The fields whose column is not their wire value, by position, with the conversion."""
    codec = codec_for(cls)
    return tuple(
        (i, _json_of_wire if name in codec.json_fields else int)
        for i, name in enumerate(codec.fields)
        if name in codec.json_fields or name in codec.bool_fields
    )


@cached  # every get and select asks for it: building it again took ~55 µs, a second per Today page at 100,000
def codec_for(cls: type[Record]) -> TableCodec:
    hints = field_types(cls)
    json_fields, bool_fields = set(), set()
    encoders: dict[str, Convert] = {}
    decoders: dict[str, Convert] = {}
    for name in cls.field_names():
        tp = base_type(hints[name])
        origin = typing.get_origin(tp) or tp
        if origin in (list, dict):
            json_fields.add(name)
            encoders[name], decoders[name] = _json_text, _from_json_text(origin)
        elif tp is bool:
            bool_fields.add(name)
            encoders[name], decoders[name] = int, bool
        elif tp is datetime:
            encoders[name], decoders[name] = _iso, _decode_datetime
        elif tp is date:
            encoders[name], decoders[name] = _iso, _decode_date
        elif tp is int:
            encoders[name], decoders[name] = _identity, int
        else:
            encoders[name], decoders[name] = _identity, _identity
    return TableCodec(
        cls, cls.TABLE, tuple(cls.field_names()), frozenset(json_fields), frozenset(bool_fields), encoders, decoders
    )
