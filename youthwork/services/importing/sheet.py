"""Reading a CSV or Excel file into headings and rows of cells, whatever program wrote it.

A CSV is read as UTF-8 (with or without the byte-order mark Excel writes) unless an encoding is named. A row with
bytes that are not UTF-8 (one pasted from an old Windows export, say) is kept and marked, so it is refused on its
own with a reason instead of the whole file failing or a name being garbled. Excel cells keep their types: a date
typed into Excel arrives as a date, not as text to guess at.

Excel files are read by calamine (python-calamine, in Rust: 0.23 s of CPU for the benchmark's 20,000 rows, where
openpyxl's read-only parsing took 2 s), its cells turned into exactly what openpyxl gave, which is what the import's
row keys were made from (tests/core/test_import_xlsx.py compares the two on generated workbooks): an empty cell is
None, not "", a whole number an int, not 12.0, and a day a datetime at midnight. calamine reads an error cell (#N/A,
#REF!) as empty, where openpyxl keeps its words, which a date or name column then refuses with a reason; so a
workbook with an error cell anywhere is read by openpyxl, as before. Where they differ on purpose: a character
Excel saved escaped (_x000D_, a carriage return) is read as the character; a sheet whose recorded size is smaller
than its cells is read whole; a sheet of formatted but empty cells is "empty", not a row of blank headings.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from youthwork.domain.errors import ShownError

log = logging.getLogger(__name__)

Cell = str | int | float | date | datetime | time | None
MAX_ROWS = 200_000
# What a workbook's parts may add up to once unpacked: 200,000 rows of a wide caseload sheet are about 200 MB of XML,
# and calamine unpacks a sheet whole, so a small file that unpacks to gigabytes (a zip bomb) is refused first.
MAX_UNPACKED_BYTES = 1 << 30


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
    if _has_error_cells(data):
        return _read_xlsx_openpyxl(name, data)
    from python_calamine import CalamineWorkbook, SheetTypeEnum  # only when an Excel file is imported

    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            # The first sheet of cells: openpyxl's worksheets[0] passed over chart sheets too.
            first = next((i for i, m in enumerate(book.sheets_metadata) if m.typ != SheetTypeEnum.ChartSheet), None)
            if first is None:
                raise SheetError("The workbook has no sheet of cells to import.")
            # Not skip_empty_area: row 1 of the list is the sheet's row 1 even when the first rows or columns are blank.
            values = book.get_sheet_by_index(first).to_python(skip_empty_area=False)
    except SheetError:
        raise
    except Exception as e:  # calamine raises its own types for a zip that isn't a workbook, or a broken sheet
        log.info("not a workbook", exc_info=True)
        raise SheetError(f"The file can't be opened as an Excel workbook ({type(e).__name__}).") from None
    if not values:
        raise SheetError("The first sheet of the workbook is empty.")
    return _first_sheet(name, _as_openpyxl(values[0]), (_as_openpyxl(raw) for raw in values[1:]))


def _first_sheet(name: str, headings: Sequence[object], rows: Iterable[list[Cell]]) -> Sheet:
    """A workbook's sheet from its heading row and the rows under it (Excel's row 2 on), blank rows passed over: the
    same for either reader."""
    sheet = Sheet(name=name, headings=[_clean_heading(h) for h in headings])
    for number, cells in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        sheet.rows.append(SheetRow(number, cells))
        if len(sheet.rows) > MAX_ROWS:
            raise SheetError(f"The sheet has more than {MAX_ROWS:,} rows: split it and import each part.")
    return sheet


_MIDNIGHT = time()
_EXPONENT_FROM = 1e16  # a number this large is written as 1e+16, which openpyxl read as a float


def _as_openpyxl(row: Sequence[object]) -> list[Cell]:
    """A row of calamine's cells as openpyxl read them: "" is an empty cell; 12.0 the whole number 12, as openpyxl
    read a number written without a point or an exponent (and Excel and openpyxl write a whole number below 10^16 so;
    1e+16 stays a float); a day a datetime at midnight. A time of day, a day and time and yes/no pass as they are, a
    duration as its text, as before."""
    out: list[Cell] = []
    for v in row:
        if type(v) is str:
            out.append(v or None)
        elif type(v) is float:
            out.append(int(v) if v.is_integer() and -_EXPONENT_FROM < v < _EXPONENT_FROM else v)
        elif type(v) is date:
            out.append(datetime.combine(v, _MIDNIGHT))
        else:
            out.append(_cell(v))
    return out


# An error cell's type (t="e", quoted either way, spaces allowed around =). Any match, even in a cell's text, only
# sends the file to openpyxl; no error cell can be missed.
_ERROR_CELL = re.compile(rb"""\st\s*=\s*(?:"e"|'e')""")


# The workbook part's content type in [Content_Types].xml: .xlsx, .xlsm and their templates (not .xlsb's binary one).
_WORKBOOK_TYPE = re.compile(rb"\.(?:sheet|template)(?:\.macroEnabled)?\.main\+xml")


def _has_error_cells(data: bytes) -> bool:
    """Whether any part of the workbook but its shared strings has an error cell (a sheet lives at any path the
    workbook names, so every part is looked at). The file is checked for being a workbook here, as openpyxl did."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            # The sizes the zip declares: zipfile reads no part beyond its declared size, so this bounds the scan.
            if sum(part.file_size for part in book.infolist()) > MAX_UNPACKED_BYTES:
                raise SheetError(
                    f"The workbook is too large to import (more than {MAX_UNPACKED_BYTES >> 20:,} MB unpacked): split"
                    " it and import each part."
                )
            # An .xlsb, .ods or other zip given the .xlsx name is refused, as openpyxl did, not read by another of
            # calamine's readers (KeyError for a zip without the list of its parts' types, as openpyxl said).
            if not _WORKBOOK_TYPE.search(book.read("[Content_Types].xml")):
                raise SheetError("The file can't be opened as an Excel workbook (it is a zip of something else).")
            for part in book.namelist():
                if part.endswith(".xml") and not part.endswith("sharedStrings.xml"):
                    xml = book.read(part)
                    if (b'"e"' in xml or b"'e'" in xml) and _ERROR_CELL.search(xml):
                        return True
    except SheetError:
        raise
    except Exception as e:  # zipfile.BadZipFile for a file that isn't a zip: a CSV renamed, an old .xls, a damaged copy
        log.info("not a workbook", exc_info=True)
        raise SheetError(f"The file can't be opened as an Excel workbook ({type(e).__name__}).") from None
    return False


def _read_xlsx_openpyxl(name: str, data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a file that isn't a workbook
        log.info("not a workbook", exc_info=True)
        raise SheetError(f"The file can't be opened as an Excel workbook ({type(e).__name__}).") from None
    try:
        if not book.worksheets:
            raise SheetError("The workbook has no sheet of cells to import.")
        rows = book.worksheets[0].iter_rows(values_only=True)
        try:
            first = next(rows)
        except StopIteration:
            raise SheetError("The first sheet of the workbook is empty.") from None
        return _first_sheet(name, first, ([_cell(v) for v in values] for values in rows))
    finally:
        book.close()


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | date | datetime | time):
        return value
    return str(value)


def _clean_heading(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())
