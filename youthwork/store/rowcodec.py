"""Records to and from table rows: the domain codec's values, with lists/dicts as JSON text and booleans as 0/1."""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

from youthwork.domain.codec import _base, _hints, decode_value, encode_value
from youthwork.domain.records import Record


@dataclass(frozen=True, slots=True)
class TableCodec:
    cls: type[Record]
    table: str
    fields: tuple[str, ...]
    json_fields: frozenset[str]
    bool_fields: frozenset[str]

    def to_row(self, record: Record) -> dict[str, Any]:
        return {name: self.to_column(name, getattr(record, name)) for name in self.fields}

    def to_column(self, name: str, value: Any) -> Any:
        """A Python value to what the column holds."""
        encoded = encode_value(value)
        return self.wire_to_column(name, encoded)

    def wire_to_column(self, name: str, encoded: Any) -> Any:
        """A codec-encoded (wire) value to what the column holds."""
        if encoded is None:
            return None
        if name in self.json_fields:
            return json.dumps(encoded, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        if name in self.bool_fields:
            return int(bool(encoded))
        return encoded

    def column_to_wire(self, name: str, value: Any) -> Any:
        if value is None:
            return None
        if name in self.json_fields:
            return json.loads(value)
        if name in self.bool_fields:
            return bool(value)
        return value

    def from_row(self, row: Any) -> Record:
        keys = row.keys()
        values = {
            name: decode_value(self.cls, name, self.column_to_wire(name, row[name]))
            for name in self.fields
            if name in keys
        }
        return self.cls(**values)


@cache
def codec_for(cls: type[Record]) -> TableCodec:
    hints = _hints(cls)
    json_fields, bool_fields = set(), set()
    for name in cls.field_names():
        tp = _base(hints[name])
        origin = typing.get_origin(tp) or tp
        if origin in (list, dict):
            json_fields.add(name)
        elif tp is bool:
            bool_fields.add(name)
    return TableCodec(cls, cls.TABLE, tuple(cls.field_names()), frozenset(json_fields), frozenset(bool_fields))
