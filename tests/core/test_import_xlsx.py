"""Excel files are read by calamine, and the import sees exactly what openpyxl's reading gave it (the reader the
import had before, kept below as the reference): the same headings, the same row numbers, the same cells by type
and value, and the same text for each cell, which is what a row's key in the import ledger is made of, so a file
half imported before the change and run again after it still imports only the rest.

Workbooks are generated with openpyxl (text, whole and other numbers, dates, datetimes, times, durations, numbers
in date and time formats, yes/no cells, blank cells, blank rows, blank rows and columns before the data, unicode,
both date systems, inline and shared strings) and read both ways. The few places where the two differ on purpose
are tests of their own at the end."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from youthwork.services.importing import ImportService, Outcome, SheetError, mapping_named
from youthwork.services.importing.cells import text
from youthwork.services.importing.sheet import Cell, Sheet, SheetRow, read_sheet
from youthwork.store.profile import Profile

_T = TypeVar("_T", datetime, time, timedelta)

# --- the reference: the openpyxl reader as it was ------------------------------------------------------------------


def openpyxl_sheet(path: Path) -> Sheet:
    """youthwork's Excel reading before calamine (youthwork/services/importing/sheet.py, main at 4284073)."""
    book = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        first = next(rows)
        sheet = Sheet(name=path.name, headings=["" if h is None else " ".join(str(h).split()) for h in first])
        for number, values in enumerate(rows, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            cells: list[Cell] = [
                v if v is None or isinstance(v, str | int | float | date | datetime | time) else str(v) for v in values
            ]
            sheet.rows.append(SheetRow(number, cells))
        return sheet
    finally:
        book.close()


_XML_BLANK = " \t\n\r"  # what an XML reader may drop from a cell holding nothing else


def _same_cell(old: Cell, new: Cell) -> bool:
    if isinstance(old, str) and not old.strip(_XML_BLANK):
        # "" or spaces alone: calamine gives "" (read as None), openpyxl kept them; blank to every reader of a cell
        return new is None and text(old) == text(new)
    if isinstance(old, float) and old.is_integer() and type(new) is int:
        return old == new and text(old) == text(new)  # a whole number openpyxl found written as 1e+20 or 12.0
    return type(old) is type(new) and old == new and text(old) == text(new)


def _trimmed(cells: list[Cell]) -> list[Cell]:
    """Without the blank cells at the end: openpyxl filled a row out to the sheet's recorded width, calamine to the
    last column with a value in it; the planner reads a missing cell as a blank one."""
    end = len(cells)
    while end and (cells[end - 1] is None or (isinstance(cells[end - 1], str) and not str(cells[end - 1]).strip())):
        end -= 1
    return cells[:end]


def assert_same_sheet(old: Sheet, new: Sheet) -> None:
    assert _trimmed(list(new.headings)) == _trimmed(list(old.headings))
    assert [r.number for r in new.rows] == [r.number for r in old.rows]
    for o, n in zip(old.rows, new.rows, strict=True):
        a, b = _trimmed(o.cells), _trimmed(n.cells)
        assert len(a) == len(b) and all(_same_cell(x, y) for x, y in zip(a, b, strict=True)), (o.number, a, b)
        assert not n.bad_encoding


# --- generated workbooks -------------------------------------------------------------------------------------------

_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")  # an escaped character in OOXML: calamine reads it, openpyxl didn't
_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
words = st.text(st.characters(codec="utf-8"), max_size=12).filter(
    lambda s: not ILLEGAL_CHARACTERS_RE.search(s) and not _ESCAPE.search(s) and s not in _ERRORS
)
# Times to the millisecond, as Excel keeps them. Both readers round a serial number to the nearest millisecond, but
# one rounds the day and its fraction together and the other the fraction alone, so a time with parts of a
# millisecond in it (computed, never typed) may come out a millisecond apart; a whole one always agrees.
_DAY_MS = 86_400_000


def _whole_ms(t: _T) -> _T:
    if isinstance(t, timedelta):
        return timedelta(milliseconds=round(t / timedelta(milliseconds=1)))
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


plain_number_formats = st.sampled_from(["General", "0", "0.00", "#,##0", '0" yrs"', "0%", "@", "00000"])
day_formats = st.sampled_from(
    ["yyyy-mm-dd", "dd/mm/yyyy", "d-mmm-yy", "mm-dd-yy", "m/d/yy h:mm", "yyyy-mm-dd hh:mm:ss", "h:mm", "h:mm:ss"]
)
duration_formats = st.sampled_from(["[h]:mm:ss", "[h]:mm", "[mm]:ss"])


def cells(first_day: date) -> st.SearchStrategy[tuple[object, str | None]]:
    """A cell: its value and, for a number, the number format it is shown in. Days from `first_day`, the first the
    workbook's date system has (openpyxl wrote an earlier one as a negative number, which Excel shows as ####)."""
    start = datetime.combine(first_day, time())
    return st.one_of(
        st.tuples(st.none(), st.none()),
        st.tuples(words, st.none()),
        st.tuples(st.sampled_from(NAMES), st.none()),
        st.tuples(st.integers(-(2**53), 2**53), plain_number_formats),
        st.tuples(st.floats(allow_nan=False, allow_infinity=False), plain_number_formats),
        st.tuples(st.integers(0, 2_957_003 * _DAY_MS).map(lambda ms: ms / _DAY_MS), day_formats),  # to 9999 both ways
        st.tuples(st.integers(0, 10_000 * _DAY_MS).map(lambda ms: ms / _DAY_MS), duration_formats),
        st.tuples(st.booleans(), st.none()),
        st.tuples(st.dates(min_value=first_day), st.none()),
        st.tuples(
            st.datetimes(min_value=start, max_value=datetime(9999, 12, 31, 23, 59, 59)).map(_whole_ms), st.none()
        ),
        st.tuples(st.times().map(_whole_ms), st.none()),
        st.tuples(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=1000)).map(_whole_ms), st.none()),
    )


NAMES = ["Zoë", "Siobhán", "Nguyễn", "李小龙", "Ali 😀", " Ama ", "O'Neil", "a\nb", "15", "01/02/2010", "=A1", "  "]


@st.composite
def workbooks(draw: st.DrawFn) -> tuple[list[list[tuple[object, str | None]]], int, int, bool, bool, bool]:
    mac = draw(st.booleans())  # the 1904 date system (old Mac Excel)
    row: st.SearchStrategy[list[tuple[object, str | None]]] = st.one_of(
        st.just([]), st.lists(cells(date(1904, 1, 1) if mac else date(1900, 1, 1)), max_size=6)
    )
    return (
        draw(st.lists(row, max_size=8)),
        draw(st.integers(0, 3)),  # blank rows above
        draw(st.integers(0, 2)),  # blank columns to the left
        draw(st.booleans()),  # empty cells written as cells (as ws.append does) or left out
        mac,
        draw(st.booleans()),  # strings shared, as Excel writes them, or inline, as openpyxl does
    )


def _shared_strings(data: bytes) -> bytes:
    """The same workbook with its inline strings moved to a shared strings table, the way Excel saves a file."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: src.read(n) for n in src.namelist()}
    strings: list[bytes] = []

    def share(m: re.Match[bytes]) -> bytes:
        strings.append(m[2] or b"<t/>")  # an empty string's cell is <c ... t="inlineStr" />
        return m[1] + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    sheet = "xl/worksheets/sheet1.xml"
    inline = re.compile(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"(?: />|><is>(.*?)</is></c>)', re.S)
    parts[sheet] = inline.sub(share, parts[sheet])
    assert b"inlineStr" not in parts[sheet]
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = b'<sst xmlns="' + ns + b'">' + b"".join(b"<si>" + s + b"</si>" for s in strings)
    parts["xl/sharedStrings.xml"] += b"</sst>"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rel = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdShared" Type="' + rel + b'" Target="sharedStrings.xml"/></Relationships>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def _write(
    path: Path, rows: list[list[tuple[object, str | None]]], top: int, left: int, empties: bool, mac: bool, shared: bool
) -> Path:
    book = Workbook()
    if mac:
        book.epoch = CALENDAR_MAC_1904
    ws = book.active
    assert ws is not None
    for r, line in enumerate(rows, start=1 + top):
        for c, (value, number_format) in enumerate(line, start=1 + left):
            if value is None and not empties:
                continue
            written = ws.cell(row=r, column=c, value=value)
            if number_format is not None:
                written.number_format = number_format
    buf = io.BytesIO()
    book.save(buf)
    path.write_bytes(_shared_strings(buf.getvalue()) if shared else buf.getvalue())
    return path


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workbooks())
def test_calamine_reads_what_openpyxl_read(tmp_path: Path, book) -> None:
    path = _write(tmp_path / "sheet.xlsx", *book)
    try:
        old: Sheet | None = openpyxl_sheet(path)
    except StopIteration:  # no row at all
        old = None
    try:
        new = read_sheet(path)
    except SheetError as e:
        # Nothing in the sheet, or blank cells only (written as cells): openpyxl gave a row of blank headings, which
        # the plan refused for having no name column; calamine sees no cells, and says the sheet is empty.
        assert "The first sheet of the workbook is empty" in str(e)
        assert old is None or not (old.rows or any(old.headings))
        return
    assert old is not None
    assert_same_sheet(old, new)


# --- the cases that matter most, written out -----------------------------------------------------------------------


def test_row_numbers_are_excels_with_blank_rows_and_columns_before_and_between(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws["C1"], ws["D1"], ws["E1"] = "Name", "Date of birth", "Age"  # the headings start in column C
    ws["C4"], ws["D4"], ws["E4"] = "Kaya Mensah", date(2010, 5, 1), 15  # rows 2 and 3 blank
    ws["C5"], ws["D5"] = "   ", None  # blank but for spaces
    ws["C7"], ws["E7"] = "Jay", 14.0
    book.save(tmp_path / "s.xlsx")
    sheet = read_sheet(tmp_path / "s.xlsx")
    assert sheet.headings == ["", "", "Name", "Date of birth", "Age"]
    assert [(r.number, r.cells) for r in sheet.rows] == [
        (4, [None, None, "Kaya Mensah", datetime(2010, 5, 1), 15]),
        (7, [None, None, "Jay", None, 14]),
    ]
    assert_same_sheet(openpyxl_sheet(tmp_path / "s.xlsx"), sheet)


def test_headings_are_row_one_even_when_it_is_blank(tmp_path: Path) -> None:
    """As before: the heading row is row 1; a sheet whose headings are lower gives no headings, not shifted rows."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws["A3"], ws["A4"] = "Name", "Kaya"
    book.save(tmp_path / "s.xlsx")
    sheet = read_sheet(tmp_path / "s.xlsx")
    assert not any(sheet.headings) and [(r.number, r.cells) for r in sheet.rows] == [(3, ["Name"]), (4, ["Kaya"])]
    assert_same_sheet(openpyxl_sheet(tmp_path / "s.xlsx"), sheet)


def test_an_error_cell_keeps_its_words_so_the_row_is_refused_with_them(profile: Profile, tmp_path: Path) -> None:
    """calamine reads #N/A as an empty cell; the file goes to openpyxl instead, so a date of birth that a lookup
    failed to find is still refused in words rather than imported as no date of birth."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Name", "Date of birth"])
    ws.append(["Kaya Mensah", "#N/A"])  # openpyxl writes an error cell for an error's words
    ws.append(["Jay Okoro", date(2010, 5, 1)])
    book.save(tmp_path / "s.xlsx")
    assert b't="e"' in zipfile.ZipFile(tmp_path / "s.xlsx").read("xl/worksheets/sheet1.xml")
    sheet = read_sheet(tmp_path / "s.xlsx")
    assert [r.cells for r in sheet.rows] == [["Kaya Mensah", "#N/A"], ["Jay Okoro", datetime(2010, 5, 1)]]
    assert_same_sheet(openpyxl_sheet(tmp_path / "s.xlsx"), sheet)

    plan = ImportService(profile).plan(sheet, mapping_named(profile, "register"))
    assert [(r.row, r.reason) for r in plan.refused()] == [
        (2, "The date of birth “#N/A” isn't a date youthwork can read: write it as day/month/year, e.g. 03/04/2009.")
    ]
    assert plan.count(Outcome.ADDED) == 1


def test_a_chart_sheet_first_is_passed_over(tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Name"])
    ws.append(["Kaya"])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Chart", 0).add_chart(chart)
    book.save(tmp_path / "s.xlsx")
    sheet = read_sheet(tmp_path / "s.xlsx")
    assert sheet.headings == ["Name"] and [r.cells for r in sheet.rows] == [["Kaya"]]


def test_files_that_are_not_workbooks_are_refused_in_words(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    book = Workbook()
    book.active.append(["Name"])
    book.save(good)
    parts = {n: zipfile.ZipFile(good).read(n) for n in zipfile.ZipFile(good).namelist()}

    def zipped(path: Path, files: dict[str, bytes]) -> Path:
        with zipfile.ZipFile(path, "w") as z:
            for name, body in files.items():
                z.writestr(name, body)
        return path

    not_zip = tmp_path / "a.xlsx"
    not_zip.write_bytes(b"First name,Last name\r\nKaya,Mensah\r\n")
    old_excel = tmp_path / "b.xlsx"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))  # an .xls (or a locked file) renamed
    half = tmp_path / "c.xlsx"
    half.write_bytes(good.read_bytes()[:300])
    odf = zipped(tmp_path / "d.xlsx", ODS)  # calamine would read it: refused as openpyxl refused it
    binary = zipped(
        tmp_path / "e.xlsx",
        {
            "[Content_Types].xml": parts["[Content_Types].xml"].replace(
                b"sheet.main+xml", b"sheet.binary.macroEnabled.main"
            )
        },
    )
    sheet_xml = "xl/worksheets/sheet1.xml"
    broken = zipped(tmp_path / "f.xlsx", {**parts, sheet_xml: parts[sheet_xml][:-40]})  # was a traceback
    for path in (not_zip, old_excel, half, odf, binary, broken):
        with pytest.raises(SheetError, match="can't be opened as an Excel workbook"):
            read_sheet(path)
    empty = tmp_path / "g.xlsx"
    Workbook().save(empty)
    with pytest.raises(SheetError, match="The first sheet of the workbook is empty"):
        read_sheet(empty)


ODS = {
    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
    "META-INF/manifest.xml": b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    b'<manifest:file-entry manifest:full-path="/" '
    b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
    "content.xml": b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
    b'<table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string"><text:p>Name'
    b"</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
    b"</office:document-content>",
}


def test_numbers_and_days_come_as_openpyxl_gave_them(tmp_path: Path) -> None:
    """Excel keeps every number as a float and a day as a number in a date format: a whole number reads as an int
    (a heading 12 is "12", not "12.0"), one of 10^16 or more stays the float openpyxl read from 1e+16, and a day is a
    datetime at midnight (its text, in a row's key, is "2010-05-01T00:00:00", as before)."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append([12, 12.0, 1e16, 2**53, 12.5, "Name"])
    ws.append([-0.0, 1.0, 1e16, 2**53, date(2010, 5, 1), datetime(2010, 5, 1, 18, 30)])
    ws.append(["x", time(18, 30), timedelta(hours=26), True, None, ""])
    book.save(tmp_path / "s.xlsx")
    sheet = read_sheet(tmp_path / "s.xlsx")
    assert sheet.headings == ["12", "12", "1e+16", "9007199254740992", "12.5", "Name"]
    cells = [r.cells for r in sheet.rows]
    assert cells == [
        [0, 1, 1e16, 2**53, datetime(2010, 5, 1), datetime(2010, 5, 1, 18, 30)],
        ["x", time(18, 30), "1 day, 2:00:00", True, None, None],
    ]
    assert [type(c) for c in cells[0][:4]] == [int, int, float, int]
    assert text(cells[0][4]) == "2010-05-01T00:00:00"
    assert_same_sheet(openpyxl_sheet(tmp_path / "s.xlsx"), sheet)


def test_more_rows_than_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import youthwork.services.importing.sheet as sheet_module

    monkeypatch.setattr(sheet_module, "MAX_ROWS", 3)
    book = Workbook()
    ws = book.active
    assert ws is not None
    for r in (["Name"], ["a"], [], ["b"], ["c"]):
        ws.append(r)
    book.save(tmp_path / "s.xlsx")
    assert len(read_sheet(tmp_path / "s.xlsx").rows) == 3  # the blank row does not count
    ws.append(["d"])
    book.save(tmp_path / "s.xlsx")
    with pytest.raises(SheetError, match="more than 3 rows"):
        read_sheet(tmp_path / "s.xlsx")


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip bomb: a small file whose sheet unpacks to far more than any caseload; calamine would unpack it whole."""
    import youthwork.services.importing.sheet as sheet_module

    book = Workbook()
    ws = book.active
    assert ws is not None
    for r in (["Name", "Notes"], *([f"Young person {i}", "x" * 200] for i in range(2_000))):
        ws.append(r)
    book.save(tmp_path / "s.xlsx")
    unpacked = sum(i.file_size for i in zipfile.ZipFile(tmp_path / "s.xlsx").infolist())
    assert (tmp_path / "s.xlsx").stat().st_size < unpacked // 5  # it packs small, as a bomb does
    monkeypatch.setattr(sheet_module, "MAX_UNPACKED_BYTES", unpacked - 1)
    with pytest.raises(SheetError, match="too large to import"):
        read_sheet(tmp_path / "s.xlsx")
    monkeypatch.setattr(sheet_module, "MAX_UNPACKED_BYTES", unpacked)
    assert len(read_sheet(tmp_path / "s.xlsx").rows) == 2_000


# --- where the two differ, on purpose ------------------------------------------------------------------------------


def test_an_escaped_character_is_read_as_excel_shows_it(tmp_path: Path) -> None:
    """Excel saves a carriage return in a cell (text pasted from Windows) as _x000D_; openpyxl left those letters in
    the name, calamine reads the character, which the import then trims away like any other space at the end."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Name"])
    ws.append(["Kaya Mensah_x000D_"])
    book.save(tmp_path / "s.xlsx")
    assert openpyxl_sheet(tmp_path / "s.xlsx").rows[0].cells == ["Kaya Mensah_x000D_"]
    assert read_sheet(tmp_path / "s.xlsx").rows[0].cells == ["Kaya Mensah\r"]
    assert text("Kaya Mensah\r") == "Kaya Mensah"
