"""A register sheet for the import benchmark and tests: `rows` lines of sessions (about 10 young people each), with
deliberate errors at known rows, so what should be refused can be counted by hand.

Every young person is distinct by construction (name from their number, date of birth from their number), so no
two rows can collide by chance; the errors are:
  - every 1000th row (from 500): a date of birth that doesn't exist (31/02/...);
  - every 1000th row (from 700): an exact copy of the row before it;
  - row 3 (the first data row after one): bytes in Windows-1252, not UTF-8 (CSV only);
  - an unknown column, "Favourite colour" (reported, not refused).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HEADINGS = ["Date", "Start", "End", "Place", "Name", "Date of birth", "Gender", "Favourite colour"]
FIRST = ["Amara", "Jayden", "Leah", "Kofi", "Maya", "Tyler", "Zainab", "Reece", "Chloe", "Omar", "Ellie", "Dami"]
PLACES = ["North Peckham", "Brayards Estate", "Kicks Burgess Park", "Youth truck Rye Lane"]
GENDERS = ["male", "female", "F", "M", "non-binary"]
PER_SESSION = 10


@dataclass(frozen=True, slots=True)
class Expected:
    rows: int
    bad_dates: int
    copies: int
    bad_encoding: int

    @property
    def refused(self) -> int:
        return self.bad_dates + self.copies + self.bad_encoding

    @property
    def imported(self) -> int:
        return self.rows - self.refused


def person_row(i: int, start: date) -> list[str]:
    """Row i's cells: session i // PER_SESSION, young person i (distinct name and date of birth)."""
    session = i // PER_SESSION
    day = start + timedelta(days=session // 3)
    hour = 15 + session % 3 * 2
    born = date(2006, 1, 1) + timedelta(days=i % 3000)
    return [
        day.strftime("%d/%m/%Y"),
        f"{hour}:00",
        f"{hour + 2}:00",
        PLACES[session % len(PLACES)],
        f"{FIRST[i % len(FIRST)]} Person{i}",
        born.strftime("%d/%m/%Y"),
        GENDERS[i % len(GENDERS)],
        "blue",
    ]


def rows_with_errors(rows: int, start: date) -> tuple[list[list[str]], Expected]:
    out: list[list[str]] = []
    bad_dates = copies = 0
    for i in range(rows):
        if i % 1000 == 700 and out:
            out.append(list(out[-1]))
            copies += 1
            continue
        cells = person_row(i, start)
        if i % 1000 == 500:
            cells[5] = "31/02/2009"
            bad_dates += 1
        out.append(cells)
    return out, Expected(rows, bad_dates, copies, 0)


def write_csv(path: Path, rows: int, start: date | None = None) -> Expected:
    start = start or date.today() - timedelta(days=rows // PER_SESSION // 3 + 30)
    data, expected = rows_with_errors(rows, start)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    lines = []
    for n, cells in enumerate(data):
        one = io.StringIO()
        csv.writer(one, lineterminator="\r\n").writerow(cells)
        encoded = one.getvalue().encode("utf-8")
        if n == 1:  # the sheet's row 3: a name typed on an old Windows machine
            encoded = one.getvalue().replace(cells[4], "Zoë " + cells[4].split()[-1]).encode("cp1252")
        lines.append(encoded)
    path.write_bytes(buf.getvalue().encode("utf-8") + b"".join(lines))
    return Expected(expected.rows, expected.bad_dates, expected.copies, 1)


def write_xlsx(path: Path, rows: int, start: date | None = None) -> Expected:
    from openpyxl import Workbook

    start = start or date.today() - timedelta(days=rows // PER_SESSION // 3 + 30)
    data, expected = rows_with_errors(rows, start)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Register")
    sheet.append(HEADINGS)
    for cells in data:
        sheet.append(cells)
    book.save(path)
    return expected
