"""Turning what a spreadsheet cell says into a field's value, UK-style, or a reason a youth worker understands.

Dates are day first (03/04/2009 is 3 April); Excel's own dates and times arrive typed. Words for gender and
ethnicity are matched loosely (“M”, “boy”, “White British”); anything unclear is refused, never guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from youthwork.domain.vocab import Ethnicity, Gender, SessionType
from youthwork.services.importing.sheet import Cell

_EXCEL_EPOCH = date(1899, 12, 30)
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
_WORDY_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*(am|pm)?$")
_TIME_4 = re.compile(r"^(\d{2})(\d{2})$")


class CellProblem(ValueError):
    """A cell that can't be read; the message names the column and says why."""


def text(cell: Cell) -> str:
    if type(cell) is str:  # nearly every cell of a CSV: the quick way first
        # isprintable() is False for tabs, line breaks and the odd spaces, so a printable cell needs only strip()
        plain = "  " not in cell and (cell.isprintable() or not any(ch in cell for ch in "\t\n\r\xa0\u2007\u202f"))
        return cell.strip() if plain else " ".join(cell.split())
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    return " ".join(str(cell).split())


def a_date(cell: Cell, what: str, *, today: date) -> date | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 1 <= cell < 2_958_466:  # an Excel serial day number
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        raise CellProblem(f"The {what} “{text(cell)}” isn't a date.")
    raw = text(cell)
    value = raw.lower()
    try:
        if m := _NUMERIC_DATE.match(value):
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            if len(m[3]) == 2:  # 09 is 2009 unless that is in the future
                year += 2000 if 2000 + year <= today.year else 1900
            return date(year, month, day)
        if m := _ISO_DATE.match(value):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _WORDY_DATE.match(value)) and m[2] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    except ValueError:
        raise CellProblem(f"The {what} “{raw}” isn't a real date (check the day and month).") from None
    raise CellProblem(
        f"The {what} “{raw}” isn't a date youthwork can read: write it as day/month/year, e.g. 03/04/2009."
    )


def a_time(cell: Cell, what: str) -> time | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, datetime):
        return cell.time().replace(second=0, microsecond=0)
    if isinstance(cell, time):
        return cell.replace(second=0, microsecond=0)
    if isinstance(cell, float) and 0 <= cell < 1:  # Excel keeps a time as a fraction of a day
        minutes = round(cell * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60)
    raw = text(cell)
    value = raw.lower().replace(" ", "")
    m = _TIME.match(value) or _TIME_4.match(value)
    if m:
        hour, minute = int(m[1]), int(m[2] or 0)
        suffix = m[3] if m.re is _TIME else None
        if suffix == "pm" and hour < 12:
            hour += 12
        elif suffix == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise CellProblem(f"The {what} “{raw}” isn't a time: write it as 18:30 or 6.30pm.")


def an_age(cell: Cell) -> int | None:
    raw = text(cell)
    if not raw:
        return None
    m = re.match(r"^(?:about |around |approx\.? |~)?(\d{1,2})(?:\s*(?:yrs?|years?( old)?))?$", raw.lower())
    if not m:
        raise CellProblem(f"The age “{raw}” isn't a number of years.")
    return int(m[1])


_GENDER_WORDS = {
    "m": Gender.MALE,
    "male": Gender.MALE,
    "boy": Gender.MALE,
    "man": Gender.MALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "girl": Gender.FEMALE,
    "woman": Gender.FEMALE,
    "nb": Gender.NON_BINARY,
    "non binary": Gender.NON_BINARY,
    "nonbinary": Gender.NON_BINARY,
    "other": Gender.OTHER,
    "self described": Gender.OTHER,
    "prefer to self describe": Gender.OTHER,
    "": Gender.NOT_KNOWN,
    "unknown": Gender.NOT_KNOWN,
    "not known": Gender.NOT_KNOWN,
    "prefer not to say": Gender.NOT_KNOWN,
    "not stated": Gender.NOT_KNOWN,
}


def _words(value: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())


def a_gender(cell: Cell) -> str:
    raw = text(cell)
    key = _words(raw)
    if key in _GENDER_WORDS:
        return _GENDER_WORDS[key].value
    for g in Gender:
        if key in (_words(g.value), _words(g.label)):
            return g.value
    raise CellProblem(f"The gender “{raw}” isn't one youthwork knows (male, female, non-binary, other or not known).")


def _ethnicity_words() -> dict[str, str]:
    out: dict[str, str] = {}
    for e in Ethnicity:
        out[_words(e.value)] = e.value
        out[_words(e.label)] = e.value
        group, _, detail = e.label.partition("–")
        if detail:
            out[_words(f"{group} {detail}")] = e.value
            out[_words(detail)] = out.get(_words(detail), e.value)
    out.update({"white british": Ethnicity.WHITE_BRITISH.value, "white english": Ethnicity.WHITE_BRITISH.value})
    return out


_ETHNICITY = _ethnicity_words()


def an_ethnicity(cell: Cell) -> str | None:
    raw = text(cell)
    if not raw:
        return None
    found = _ETHNICITY.get(_words(raw))
    if found is None:
        raise CellProblem(
            f"The ethnicity “{raw}” isn't one of the census options: choose the nearest, or leave it blank."
        )
    return found


def a_session_type(cell: Cell, default: str) -> str:
    raw = text(cell)
    if not raw:
        return default
    key = _words(raw)
    for t in SessionType:
        if key in (_words(t.value), _words(t.label)):
            return t.value
    kinds = ", ".join(t.label.lower() for t in SessionType)
    raise CellProblem(f"The session type “{raw}” isn't one youthwork knows ({kinds}).")


def yes_no(cell: Cell) -> bool:
    raw = _words(text(cell))
    if raw in ("", "y", "yes", "true", "1", "attended", "present", "x"):
        return True
    if raw in ("n", "no", "false", "0", "absent", "did not attend", "dna", "cancelled"):
        return False
    raise CellProblem(f"“{text(cell)}” under Attended should be yes or no.")
