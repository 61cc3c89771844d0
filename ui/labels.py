"""How values read on screen: UK dates, vocabulary labels, ages, RAG colours."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtGui import QColor

from ui.theme import RAG_COLOURS
from youthwork.domain.vocab import Rag, SessionStatus, SessionType, Vocab


def label_of(vocab: type[Vocab], value: str | None, empty: str = "") -> str:
    if not value:
        return empty
    try:
        return vocab(value).label
    except ValueError:
        return str(value)


def rag_short(value: str | None) -> str:
    return {"red": "Red", "amber": "Amber", "green": "Green"}.get(value or "", "")


def rag_label(value: str | None) -> str:
    return label_of(Rag, value, "Not rated")


def rag_colour(value: str | None) -> QColor | None:
    colour = RAG_COLOURS.get(value or "")
    return QColor(colour) if colour else None


def session_type(value: str | None) -> str:
    return label_of(SessionType, value)


def session_status(value: str | None) -> str:
    return label_of(SessionStatus, value)


def uk_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone() if value.tzinfo else value
    return value.strftime("%d/%m/%Y")


def uk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo else value
    return local.strftime("%d/%m/%Y %H:%M")


def time_of(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo else value
    return local.strftime("%H:%M")


def parse_uk_date(text: str) -> date | None:
    """dd/mm/yyyy (also with dashes or dots); raises ValueError with a plain message."""
    text = text.strip()
    if not text:
        return None
    for sep in "/-.":
        text = text.replace(sep, "/")
    parts = text.split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError("Write the date as day/month/year, for example 14/03/2010.")
    day, month, year = (int(p) for p in parts)
    if year < 100:
        year += 2000 if year <= date.today().year % 100 else 1900
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("That date does not exist: check the day and month.") from None


def split_list(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


def join_list(values: Any) -> str:
    return ", ".join(str(v) for v in (values or []))
