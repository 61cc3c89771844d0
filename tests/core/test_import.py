"""Importing CSV and Excel sheets into a real encrypted profile: the deliberate errors of a register sheet (bad
dates, an unknown column, copies, a row in another encoding) each reported and the rest imported once; duplicates of
people already recorded matched, not added; a dry run writing nothing; a rerun and a corrected file adding only
what is new; a saved mapping; erasure taking the import's note of a person; and the outbox holding every record."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from benchmarks.import_sheet import write_csv, write_xlsx
from youthwork.domain.records import Attendance, Session, YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.privacy.erasure import ErasureService
from youthwork.services import PeopleService
from youthwork.services.importing import (
    ImportPlan,
    ImportService,
    NoNameColumn,
    Outcome,
    SheetError,
    best_for,
    mapping_named,
    save_mapping,
)
from youthwork.store.profile import Profile


def _write(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def _import(profile: Profile, path: Path, mapping: str | None = None, **kw):
    service = ImportService(profile)
    sheet = service.read(path)
    plan = service.plan(sheet, mapping_named(profile, mapping) if mapping else best_for(profile, sheet.headings), **kw)
    service.run(plan)
    return plan


def _count(profile: Profile, table: str) -> int:
    return int(profile.db.scalar(f"SELECT count(*) FROM {table}"))


def test_a_register_sheet_with_deliberate_errors_reports_each_and_imports_the_rest(profile: Profile, tmp_path) -> None:
    expected = write_csv(tmp_path / "register.csv", 2000)
    assert (expected.bad_dates, expected.copies, expected.bad_encoding) == (2, 2, 1)  # counted by hand: rows 502,
    # 1502 (31/02), 702 and 1702 (copies of the row above), 3 (Windows-1252)
    plan = _import(profile, tmp_path / "register.csv", "register")

    assert plan.unknown_columns == ["Favourite colour"]
    refused = {r.row: r.reason for r in plan.refused()}
    assert sorted(refused) == [3, 502, 702, 1502, 1702]
    assert "aren't UTF-8" in refused[3]
    assert refused[502] == "The date of birth “31/02/2009” isn't a real date (check the day and month)."
    assert refused[702] == "It is the same as row 701, so it was left out."
    imported = expected.imported
    assert plan.count(Outcome.ADDED) == imported == 1995
    assert _count(profile, "people") == imported
    assert _count(profile, "attendance") == imported
    assert _count(profile, "sessions") == 200  # 2000 rows, 10 to a session; no session lost every row
    profile.db.execute("INSERT INTO people_fts(people_fts, rank) VALUES ('integrity-check', 1)")  # search holds all
    # Every imported record is queued for the service, exactly once.
    queued = dict(profile.db.query("SELECT tbl, count(DISTINCT record_id) FROM outbox GROUP BY tbl"))
    assert queued["people"] == imported and queued["attendance"] == imported and queued["sessions"] == 200
    assert profile.db.scalar("SELECT count(*) FROM outbox WHERE tbl = 'people'") == imported
    # Sessions come in waiting for sign-off, in UK time, with their worker.
    s = profile.records.select(Session, limit=1)[0]
    assert s.status == "submitted" and s.workers == ["worker-1"] and s.team_id == "team-1"
    assert s.starts_at is not None and s.starts_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/London")
    ).hour in (
        15,
        17,
        19,
    )
    assert profile.db.scalar("SELECT count(*) FROM audit_log WHERE reason = 'imported'") >= 1


def test_excel_sheet_with_typed_dates_and_times(profile: Profile, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["Date", "Start", "End", "Place", "Name", "Age", "Gender"])
    ws.append([date(2025, 3, 4), time(18, 0), time(20, 30), "Brayards Estate", "Kaya Mensah", 15, "F"])
    ws.append([date(2025, 3, 4), time(18, 0), time(20, 30), "Brayards Estate", "Jay", "about 14", "boy"])
    ws.append(["4/3/2025", "6pm", "8.30pm", "Brayards Estate", "Rio Lewis", "16", "M"])
    book.save(tmp_path / "register.xlsx")
    plan = _import(profile, tmp_path / "register.xlsx")

    assert plan.mapping.name == "register"  # the best fit for these headings
    assert plan.count(Outcome.ADDED) == 3, [r.reason for r in plan.refused()]
    assert _count(profile, "sessions") == 1  # "4/3/2025 6pm" is the same session as the typed cells
    people = {p.first_name: p for p in profile.records.select(YoungPerson)}
    assert people["Kaya"].last_name == "Mensah" and people["Kaya"].gender == "female"
    assert people["Jay"].estimated_age == 14 and people["Jay"].age_estimated_on == date(2025, 3, 4)
    assert people["Jay"].area == "Brayards Estate"


def test_an_xlsx_register_of_many_rows(profile: Profile, tmp_path) -> None:
    expected = write_xlsx(tmp_path / "big.xlsx", 1200)
    plan = _import(profile, tmp_path / "big.xlsx", "register")
    assert sorted(r.row for r in plan.refused()) == [502, 702]
    assert _count(profile, "people") == expected.imported == 1198


def test_duplicates_of_people_already_recorded_are_matched_not_added(profile: Profile, tmp_path) -> None:
    people = PeopleService(profile)
    jay = people.add(YoungPerson(first_name="Jay", last_name="Okoro", date_of_birth=date(2010, 5, 1), area="Peckham"))
    sheet = _write(
        tmp_path / "upshot.csv",
        [
            ["Participant ID", "First Name", "Last Name", "Date of Birth", "Gender", "Postcode", "Hobby"],
            ["U1", "jay", "OKORO", "01/05/2010", "Male", "SE15 5AB", "x"],  # the same young person
            ["U2", "Jay", "Okoro", "02/05/2010", "Male", "", ""],  # another Jay Okoro: a different birthday
            ["U3", "Mia", "Lane", "2011-07-09", "Female", "", ""],
            ["U4", "Mia", "Lane", "9 July 2011", "F", "", ""],  # Mia again in the same file
        ],
    )
    plan = _import(profile, sheet)

    assert plan.mapping.name == "upshot" and plan.unknown_columns == ["Hobby"]
    by_row = {r.row: r for r in plan.rows}
    assert by_row[2].outcome == Outcome.MATCHED and by_row[2].person_id == jay.id
    assert "already recorded" in by_row[2].reason and "not added again" in by_row[2].reason
    assert by_row[3].outcome == Outcome.ADDED and by_row[4].outcome == Outcome.ADDED
    assert by_row[5].outcome == Outcome.REFUSED and "same young person as row 4" in by_row[5].reason
    assert _count(profile, "people") == 3  # Jay (already there), the other Jay, Mia
    assert profile.records.get(YoungPerson, jay.id).postcode == ""  # the match changes nothing on Jay's record

    # Asked to add matches as new: added, with the worker told to check and merge.
    sheet2 = _write(tmp_path / "again.csv", [["First Name", "Last Name", "Date of Birth"], ["Jay", "Okoro", "1/5/10"]])
    plan2 = _import(profile, sheet2, "upshot", add_duplicates=True)
    assert plan2.rows[0].outcome == Outcome.ADDED and "merge them" in plan2.rows[0].reason
    assert _count(profile, "people") == 4


def test_search_finds_imported_people_and_erasure_takes_them_from_it(profile: Profile, tmp_path) -> None:
    sheet = _write(
        tmp_path / "people.csv",
        [
            ["First Name", "Last Name", "Known As", "Date of Birth", "Postcode", "Area"],
            ["Zebedee", "Quarrington", "Zeb", "01/05/2010", "SE15 5AB", "Peckham"],
            ["Ottoline", "Vexley", "", "09/07/2011", "SE5 7QT", "Camberwell"],
        ],
    )
    _import(profile, sheet, "upshot")
    people = PeopleService(profile)
    # By a first name, a surname's start, a known-as and a postcode: the full-text index holds every imported row.
    assert [p.last_name for p in people.search("Zebedee")] == ["Quarrington"]
    assert [p.first_name for p in people.search("quarr")] == ["Zebedee"]
    assert [p.first_name for p in people.search("Zeb")] == ["Zebedee"]
    assert [p.first_name for p in people.search("SE5")] == ["Ottoline"]
    # The index agrees with the people table, row for row (FTS5's own check against its content table).
    profile.db.execute("INSERT INTO people_fts(people_fts, rank) VALUES ('integrity-check', 1)")
    # The import fills the index at the end of each chunk: afterwards a young person added by hand is indexed as ever.
    people.add(YoungPerson(first_name="Wilhelmina", last_name="Stroud", area="Peckham"))
    assert [p.last_name for p in people.search("Wilhelmina")] == ["Stroud"]
    # An erased young person can no longer be found.
    zeb = people.search("Zebedee")[0]
    ErasureService(profile).erase(zeb.id, reason="request", confirm=True)
    assert people.search("Zebedee") == [] and people.search("Quarrington") == []
    assert [p.first_name for p in people.search("Vexley")] == ["Ottoline"]


def test_a_register_row_for_someone_recorded_goes_on_their_record(profile: Profile, tmp_path) -> None:
    jay = PeopleService(profile).add(YoungPerson(first_name="Jay", last_name="Okoro", area="North Peckham"))
    sheet = _write(
        tmp_path / "reg.csv",
        [
            ["Date", "Start", "End", "Place", "Name"],
            ["03/11/2025", "18:00", "20:00", "North Peckham", "Jay Okoro"],
            ["03/11/2025", "18:00", "20:00", "North Peckham", "jay okoro"],  # ticked twice on the paper register
            ["10/11/2025", "18:00", "20:00", "North Peckham", "Jay Okoro"],
            ["10/11/2025", "25:00", "20:00", "North Peckham", "Jay Okoro"],
        ],
    )
    plan = _import(profile, sheet)
    outcomes = [(r.row, r.outcome) for r in plan.rows]
    assert outcomes == [(2, "matched"), (3, "refused"), (4, "matched"), (5, "refused")]
    assert "already on this session's register (row 2)" in plan.rows[1].reason
    assert plan.rows[3].reason == "The start time “25:00” isn't a time: write it as 18:30 or 6.30pm."
    assert _count(profile, "people") == 1
    assert {a.person_id for a in profile.records.select(Attendance)} == {jay.id}
    assert _count(profile, "attendance") == 2


def test_a_dry_run_writes_nothing(profile: Profile, tmp_path) -> None:
    write_csv(tmp_path / "r.csv", 300)
    before = {t: _count(profile, t) for t in ("people", "sessions", "attendance", "outbox", "import_rows")}
    service = ImportService(profile)
    plan = service.plan(service.read(tmp_path / "r.csv"), mapping_named(profile, "register"))
    assert plan.new_people == 299 and plan.new_sessions == 30 and plan.new_register_lines == 299
    assert {t: _count(profile, t) for t in before} == before


def test_a_rerun_adds_nothing_and_a_corrected_file_adds_only_the_fixed_rows(profile: Profile, tmp_path) -> None:
    rows = [
        ["First Name", "Last Name", "Date of Birth"],
        ["Amara", "Stone", "03/04/2009"],
        ["Leah", "Banks", "31/02/2009"],
        ["Kofi", "Mensah", "12/12/2008"],
    ]
    _import(profile, _write(tmp_path / "a.csv", rows), "upshot")
    assert _count(profile, "people") == 2
    again = _import(profile, tmp_path / "a.csv", "upshot")
    assert [r.outcome for r in again.rows] == ["done", "refused", "done"]
    assert _count(profile, "people") == 2

    rows[2][2] = "28/02/2009"  # the worker fixes Leah's date and imports the file again
    fixed = _import(profile, _write(tmp_path / "a-fixed.csv", rows), "upshot")
    assert [r.outcome for r in fixed.rows] == ["done", "added", "done"]
    assert _count(profile, "people") == 3
    assert _count(profile, "outbox") == 3 + profile.db.scalar("SELECT count(*) FROM outbox WHERE tbl = 'audit_log'")


def test_upshot_export_with_attendance(profile: Profile, tmp_path) -> None:
    sheet = _write(
        tmp_path / "upshot.csv",
        [
            ["First Name", "Last Name", "Date of Birth", "Session Date", "Start Time", "End Time", "Venue", "Attended"],
            ["Amara", "Stone", "03/04/2009", "05/11/2025", "17:00", "19:00", "Kicks Burgess Park", "Yes"],
            ["Leah", "Banks", "03/05/2009", "05/11/2025", "17:00", "19:00", "Kicks Burgess Park", "No"],
            ["Kofi", "Mensah", "03/06/2009", "05/11/2025", "17:00", "19:00", "Kicks Burgess Park", "maybe"],
        ],
    )
    plan = _import(profile, sheet, "upshot", session_type="kicks")
    assert [r.outcome for r in plan.rows] == ["added", "added", "refused"]
    assert plan.rows[2].reason == "“maybe” under Attended should be yes or no."
    assert _count(profile, "people") == 2 and _count(profile, "attendance") == 1
    assert profile.records.select(Session)[0].session_type == "kicks"


def test_a_mapping_is_saved_per_source(profile: Profile, tmp_path) -> None:
    save_mapping(
        profile, "Old database", {"Forename": "first_name", "Family name": "last_name", "Born": "date_of_birth"}
    )
    sheet = _write(tmp_path / "old.csv", [["Forename", "Family name", "Born"], ["Tia", "Ward", "01/02/2010"]])
    plan = _import(profile, sheet)
    assert plan.mapping.name == "Old database" and plan.count(Outcome.ADDED) == 1
    with pytest.raises(ValidationError, match="not something a column can fill"):
        save_mapping(profile, "Bad", {"Forename": "shoe_size"})
    with pytest.raises(NoNameColumn, match="None of the columns holds a name"):
        _import(profile, _write(tmp_path / "x.csv", [["Colour"], ["red"]]), "register")


def test_files_that_are_not_sheets_are_refused_in_words(profile: Profile, tmp_path) -> None:
    service = ImportService(profile)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SheetError, match="old Excel file"):
        service.read(tmp_path / "old.xls")
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip")
    with pytest.raises(SheetError, match="can't be opened as an Excel workbook"):
        service.read(tmp_path / "fake.xlsx")
    (tmp_path / "win.csv").write_bytes("First Name,Last Name\r\nZoë,Ward\r\n".encode("cp1252"))
    plan = service.plan(service.read(tmp_path / "win.csv", "cp1252"), mapping_named(profile, "upshot"))
    assert plan.rows[0].name == "Zoë Ward" and plan.rows[0].outcome == Outcome.ADDED


def test_erasure_takes_the_imports_note_of_the_person(profile: Profile, tmp_path) -> None:
    sheet = _write(tmp_path / "a.csv", [["First Name", "Last Name"], ["Amara", "Stone"], ["Kofi", "Mensah"]])
    plan = _import(profile, sheet, "upshot")
    amara = plan.rows[0].person_id
    assert profile.db.scalar("SELECT count(*) FROM import_rows WHERE person_id = ?", (amara,)) == 1
    ErasureService(profile).erase(amara, reason="request", confirm=True)
    assert profile.db.scalar("SELECT count(*) FROM import_rows WHERE person_id = ?", (amara,)) == 0
    assert profile.db.scalar("SELECT count(*) FROM import_rows") == 1
    # The ledger holds no names: a hash of the row, its number and who it made.
    assert "Kofi" not in json.dumps([list(r) for r in profile.db.query("SELECT * FROM import_rows")])


def test_a_row_the_merge_test_calls_a_possible_duplicate_is_added_and_offered_for_merge(
    profile: Profile, tmp_path
) -> None:
    from youthwork.domain.duplicates import candidate_pairs

    people = PeopleService(profile)
    jay = people.add(YoungPerson(first_name="Jay", area="Brayards Estate", estimated_age=15, incomplete=True))
    kim = people.add(YoungPerson(first_name="Kim", last_name="Roe", phone="07700 900123", area="Elsewhere"))
    day = (date.today() - timedelta(days=7)).strftime("%d/%m/%Y")  # an age given a week ago is the same age band
    sheet = _write(
        tmp_path / "reg.csv",
        [
            ["Date", "Start", "End", "Place", "Name", "Age", "Phone"],
            # The quick-add "Jay, about 15" of a register, now with his surname: same name, estate and age band.
            [day, "18:00", "20:00", "Brayards Estate", "Jay Okoro", "15", ""],
            [day, "18:00", "20:00", "Brayards Estate", "Kimberley Roe", "16", "+44 7700 900123"],
            [day, "18:00", "20:00", "Brayards Estate", "Ola Ade", "15", ""],
        ],
    )
    save_mapping(
        profile,
        "register",
        {
            "Date": "session_date",
            "Start": "start_time",
            "End": "end_time",
            "Place": "place",
            "Name": "full_name",
            "Age": "age",
            "Phone": "phone",
        },
    )
    plan = _import(profile, sheet, "register")
    by_name = {r.name: r for r in plan.rows}
    assert [r.outcome for r in plan.rows] == ["added", "added", "added"]  # not sure enough to join: added
    assert "same name or nickname, estate and age band" in by_name["Jay Okoro"].reason
    assert "may be a young person already recorded" in by_name["Kimberley Roe"].reason
    assert "same phone number" in by_name["Kimberley Roe"].reason
    assert by_name["Ola Ade"].reason == ""
    # ...and the merge view's finder offers exactly those pairs.
    pairs = {(c.first, c.second) for c in candidate_pairs(profile.records.select(YoungPerson))}
    assert pairs == {(jay.id, by_name["Jay Okoro"].person_id), (kim.id, by_name["Kimberley Roe"].person_id)}


def import_traced(profile: Profile, tmp_path: Path, trace: Callable[[str], None]) -> ImportPlan:
    """A 300-row register imported in chunks of 100 with `trace` seeing every statement SQLite runs."""
    write_csv(tmp_path / "register.csv", 300)
    service = ImportService(profile)
    plan = service.plan(service.read(tmp_path / "register.csv"), mapping_named(profile, "register"))
    profile.db._conn.set_trace_callback(trace)
    try:
        service.run(plan, chunk_rows=100)
    finally:
        profile.db._conn.set_trace_callback(None)
    return plan


def test_an_import_chunk_writes_its_records_with_no_savepoint_open(profile: Profile, tmp_path) -> None:
    """While a savepoint is open SQLite copies every page that existed when it began to a sub-journal before changing
    it: a chunk's own savepoint cost 0.6 s of CPU per 20,000 young people (the people indexes' pages), so a chunk's
    records go straight into its transaction. Seen through SQLite's own statement trace."""
    open_savepoints: list[str] = []
    at_insert: list[int] = []

    def trace(sql: str) -> None:
        words = sql.split()
        if words[0] == "SAVEPOINT":
            open_savepoints.append(words[1])
        elif words[0] == "RELEASE" or words[:2] == ["ROLLBACK", "TO"]:
            open_savepoints.pop()
        elif words[:3] == ["INSERT", "INTO", "people"]:
            at_insert.append(len(open_savepoints))

    plan = import_traced(profile, tmp_path, trace)
    assert plan.new_people > 250
    assert at_insert, "the trace saw the people written"
    assert set(at_insert) == {0}


def test_an_import_chunk_writes_its_young_people_and_registers_many_to_a_statement(profile: Profile, tmp_path) -> None:
    """An INSERT that fires triggers runs in a statement transaction of its own: at its start the full-text index
    writes out what it holds (a segment of one young person, to be merged again) and SQLite copies each page the
    statement changes to a sub-journal. A statement per row was ~15% of an import's writing; a chunk's young people
    and its register entries now go many to a statement. Seen through SQLite's statement trace (which shows a
    statement again at each trigger it fires)."""
    rows_per_statement: dict[str, set[int]] = {"people": set(), "attendance": set()}

    def trace(sql: str) -> None:
        words = sql.split(None, 3)
        if words[:2] == ["INSERT", "INTO"] and words[2] in rows_per_statement:
            rows_per_statement[words[2]].add(sql.count("), (") + 1)

    plan = import_traced(profile, tmp_path, trace)
    assert plan.new_people > 250
    assert all(rows_per_statement.values()), "the trace saw the people and registers written"
    # A chunk of ~100 rows (whole sessions of 10) as 64 + 32 + ...: never one statement per row.
    assert all(max(rows) >= 64 for rows in rows_per_statement.values()), rows_per_statement
    assert profile.db.scalar("SELECT count(*) FROM people") == plan.new_people
    assert profile.db.scalar("SELECT count(*) FROM attendance") == plan.new_people
    assert profile.db.scalar("SELECT count(*) FROM outbox WHERE tbl IN ('people', 'sessions', 'attendance')") == (
        profile.db.scalar(
            "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM sessions) + (SELECT count(*) FROM attendance)"
        )
    )


def test_bulk_insert_splits_rows_into_statements_and_writes_every_one(profile: Profile, monkeypatch) -> None:
    """More rows than a statement takes (four, here): full statements, then the rest by powers of two, so that few
    shapes of statement are ever prepared; every row is written once, in order, with its outbox entry, and found by
    name."""
    from youthwork.store import repository

    monkeypatch.setattr(repository, "ROWS_PER_STATEMENT", 4)
    people = [YoungPerson(first_name=f"Zephyrine{i:02d}", last_name="Okafor", area="Peckham") for i in range(11)]
    shapes: list[int] = []

    def trace(sql: str) -> None:
        if sql.startswith("INSERT INTO people "):
            shapes.append(sql.count("), (") + 1)

    profile.db._conn.set_trace_callback(trace)
    try:
        with profile.transaction():
            assert profile.records.bulk_insert(people, outbox=True) == 11
    finally:
        profile.db._conn.set_trace_callback(None)
    assert sorted(set(shapes), reverse=True) == [4, 2, 1]  # 4 + 4 + 2 + 1
    assert [r[0] for r in profile.db.query("SELECT id FROM people ORDER BY rid")] == [p.id for p in people]
    assert sorted(r[0] for r in profile.db.query("SELECT record_id FROM outbox")) == sorted(p.id for p in people)
    search = PeopleService(profile).search
    assert all([found.id for found in search(p.first_name)] == [p.id] for p in people)
