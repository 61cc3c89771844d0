"""Reading a CSV or Excel file into headings and rows of cells, whatever program wrote it.

A CSV is read as UTF-8 (with or without the byte-order mark Excel writes) unless an encoding is named. A row with
bytes that are not UTF-8 (one pasted from an old Windows export, say) is kept and marked, so it is refused on its
own with a reason instead of the whole file failing or a name being garbled. Excel cells keep their types: a date
typed into Excel arrives as a date, not as text to guess at.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from youthwork.domain.errors import ShownError

log = logging.getLogger(__name__)

Cell = str | int | float | date | datetime | time | None
MAX_ROWS = 200_000


class SheetError(ShownError):
    """The file can't be read as a sheet at all."""


@dataclass(slots=True)
class SheetRow:
    number: int  # as the worker sees it in Excel: the heading is row 1
    cells: list[Cell]
    bad_encoding: bool = False


@dataclass(slots=True)
class Sheet:
    name: str
    headings: list[str]
    rows: list[SheetRow] = field(default_factory=list)
    file_id: str = ""  # SHA-256 of the file's bytes


def read_sheet(path: Path, encoding: str | None = None) -> Sheet:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SheetError(f"There is no file {path}.") from None
    file_id = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheet = _read_xlsx(path.name, data)
    elif suffix in (".csv", ".txt", ""):
        sheet = _read_csv(path.name, data, encoding)
    elif suffix == ".xls":
        raise SheetError("That is an old Excel file (.xls). Open it in Excel and save it as .xlsx or CSV, then import.")
    else:
        raise SheetError(f"youthwork imports CSV or Excel (.xlsx) files, not {suffix} files.")
    sheet.file_id = file_id
    return sheet


def _read_csv(name: str, data: bytes, encoding: str | None) -> Sheet:
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise SheetError(f"“{encoding}” is not an encoding youthwork knows (try utf-8 or cp1252).") from None
        except UnicodeDecodeError:
            raise SheetError(f"The file is not in {encoding}: try without --encoding, or with utf-8.") from None
    else:
        # Undecodable bytes become lone surrogates, found again per row below.
        text = data.decode("utf-8-sig", errors="surrogateescape")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headings = next(reader)
    except StopIteration:
        raise SheetError("The file is empty.") from None
    sheet = Sheet(name=name, headings=[_clean_heading(h) for h in headings])
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            bad = any(_has_surrogates(c) for c in cells)
            clean: list[Cell] = [c.encode("utf-8", "replace").decode("utf-8") if bad else c for c in cells]
            sheet.rows.append(SheetRow(number, clean, bad))
            if len(sheet.rows) > MAX_ROWS:
                raise SheetError(f"The file has more than {MAX_ROWS:,} rows: split it and import each part.")
    except csv.Error as e:
        raise SheetError(f"The file stops making sense as CSV near line {reader.line_num} ({e}).") from None
    return sheet


_SURROGATE = re.compile("[\udc80-\udcff]")  # a byte the encoding could not read, kept by surrogateescape


def _has_surrogates(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def _read_xlsx(name: str, data: bytes) -> Sheet:
    from openpyxl import load_workbook  # only when an Excel file is imported

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a file that isn't a workbook
        log.info("not a workbook", exc_info=True)
        raise SheetError(f"The file can't be opened as an Excel workbook ({type(e).__name__}).") from None
    try:
        ws = book.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            first = next(rows)
        except StopIteration:
            raise SheetError("The first sheet of the workbook is empty.") from None
        sheet = Sheet(name=name, headings=[_clean_heading(h) for h in first])
        for number, values in enumerate(rows, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            sheet.rows.append(SheetRow(number, [_cell(v) for v in values]))
            if len(sheet.rows) > MAX_ROWS:
                raise SheetError(f"The sheet has more than {MAX_ROWS:,} rows: split it and import each part.")
        return sheet
    finally:
        book.close()


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | date | datetime | time):
        return value
    return str(value)


def _clean_heading(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())
