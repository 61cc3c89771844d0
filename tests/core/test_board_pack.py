"""The board pack against the hand-counted quarter in tests/board_fixture.py, in a real encrypted store: fair figures
at every decision point with rates against the loaded baseline, distance travelled, check-ins, unseen girls, small
numbers suppressed in every export, and the command line."""

from __future__ import annotations

import codecs
import csv
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from board_fixture import (
    BASELINE_CSV,
    BASELINE_ROWS,
    QUARTER,
    at,
    board_records,
    further_measures_expected,
    further_measures_got,
)
from openpyxl import load_workbook

from youthwork.domain.baseline import BadBaseline, parse_baseline_csv
from youthwork.domain.checkins import SessionCheckin
from youthwork.domain.figures import compute_weekly
from youthwork.domain.figures.board import FEWER_THAN_5, compute_board
from youthwork.domain.ids import new_id
from youthwork.domain.policy import POLICIES
from youthwork.domain.records import CaseNote
from youthwork.domain.referrals import Referral
from youthwork.domain.weeks import BadWeek, Period
from youthwork.reports.board import board_input, board_summary
from youthwork.reports.board_export import write_board_pack
from youthwork.reports.weekly import load_week_input
from youthwork.security.audit import AuditTrail
from youthwork.services.outcomes import load_baseline
from youthwork.store.profile import Profile

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery"  # tests/core/conftest.py
NOW = datetime(2026, 12, 1, tzinfo=UTC)
Q3 = Period.parse_quarter(QUARTER)


@pytest.fixture
def quarter(profile: Profile) -> tuple[Profile, dict[str, str]]:
    ids, recs, _ = board_records("team-1", "worker-1")
    profile.records.bulk_insert(recs)
    load_baseline(profile, BASELINE_CSV, name="Borough 10-24")
    return profile, ids


def cells(point) -> dict[str, tuple[int, int | None, float | None, float | None]]:
    return {
        c.key: (
            c.count,
            c.population,
            None if c.rate is None else round(c.rate, 2),
            None if c.ratio is None else round(c.ratio, 2),
        )
        for c in (*point.by_group, *point.by_age)
    }


def test_transitions_circumstances_siblings_and_referral_timings_hand_counted(quarter) -> None:
    """The measures from records beyond the pack's input, from the store as the worker recorded them (the service's
    pack gives the same: tests/server/test_server_board.py)."""
    profile, ID = quarter
    pack = board_summary(profile.db, Q3, now=NOW).to_dict()
    expected = further_measures_expected(ID)
    assert further_measures_got(pack["measures"], expected) == expected
    assert "laptop_measures" not in pack


def test_fair_figures_at_every_decision_point(quarter) -> None:
    profile, ID = quarter
    pack = board_summary(profile.db, Q3, now=NOW)
    reached = pack.point("reached")
    assert sorted(reached.figure.ids) == sorted(ID[k] for k in "ABCDEF")
    assert reached.rate == 1.5
    assert cells(reached) == {
        "black_caribbean/female": (1, 500, 2.0, 1.33),
        "black_caribbean/male": (2, 800, 2.5, 1.67),
        "white_british/female": (1, 1200, 0.83, 0.56),
        "white_british/male": (1, 1000, 1.0, 0.67),
        "not_stated/non_binary": (1, None, None, None),
        "14_15": (4, 1600, 2.5, 1.67),
        "16_17": (2, 2400, 0.83, 0.56),
    }
    referred = pack.point("referred")
    assert sorted(referred.figure.ids) == sorted(ID[k] for k in "BEG")
    assert {f.key.rsplit(".", 1)[1]: sorted(f.ids) for f in referred.by_agency} == {
        "csct": [ID["R1"]],
        "yos": sorted([ID["R2"], ID["R3"]]),
    }
    assert cells(referred)["black_african/male"] == (1, 500, 2.0, 2.67)  # G: 1/500 against 3/4000
    assert sorted(pack.point("rated_red").figure.ids) == sorted([ID["B"], ID["G"]])
    assert pack.point("safety_plan").figure.ids == (ID["E"],)
    assert pack.point("good_outcome").figure.ids == (ID["A"],)
    assert sorted(pack.point("missing").figure.ids) == sorted([ID["A"], ID["C"]])
    assert pack.point("third_nfa").figure.ids == (ID["G"],)


def test_measures_outcomes_voice_and_unseen_girls(quarter) -> None:
    profile, ID = quarter
    pack = board_summary(profile.db, Q3, now=NOW)
    assert pack.figure("neet").ids == (ID["D"],)
    assert pack.figure("missing").value == 0  # the risk indicator: nobody reached has it ticked
    assert pack.figure("missing_episodes").value == 2 and pack.figure("missing_from_care").ids == (ID["C"],)
    assert pack.figure("rhi_within_72h").ids == (ID["M1"],) and pack.figure("rhi_done").value == 1
    assert pack.figure("nrm_positive").ids == (ID["P1"],) and pack.figure("nrm_plans_agreed").value == 1
    assert pack.figure("check_ins").value == 5
    assert pack.figure("first_time_entrants").value is None
    assert pack.unseen_girls.ids == (ID["A"],)
    lines = {o.programme: o for o in pack.outcomes}
    detached, kicks = lines["detached"], lines["kicks"]
    assert sorted(detached.people) == sorted([ID["A"], ID["B"]]) and detached.average_change == 0.75
    assert sorted(detached.improved) == sorted([ID["A"], ID["B"]])
    assert dict(detached.by_capability) == {"communication": 1.0, "confidence_agency": 0.0, "managing_feelings": 1.0}
    assert set(detached.rating_ids) == {ID[k] for k in ("O1", "O2", "O3", "O4")}
    assert kicks.average_change == -1.0 and kicks.improved == ()
    voice = {(v.kind, v.key): v for v in pack.voice}
    everyone = voice[("all", "all")]
    assert len(everyone.ids) == 5 and everyone.felt_safe == 3 and everyone.someone_to_talk == 3
    assert everyone.would_help[0] == ("more_sessions", 2)
    assert len(voice[("place", "north_estate")].ids) == 3 and len(voice[("place", "park")].ids) == 2
    assert len(voice[("programme", "kicks")].ids) == 2


def test_a_girl_referred_before_the_quarter_is_not_unseen(quarter) -> None:
    """ "No referral or safety plan, ever": A's referral, sent in March and acknowledged long before the quarter
    (so neither sent in it nor still waiting), takes her off the prompt."""
    profile, ID = quarter
    profile.records.bulk_insert(
        [
            Referral(
                id=new_id(),
                team_id="team-1",
                person_id=ID["A"],
                to_agency="csct",
                status="acknowledged",
                sent_at=datetime(2026, 3, 2, 10, tzinfo=UTC),
                sent_by="worker-1",
                created_by="worker-1",
                reason="Worried about her",
                urgency="routine",
                lawful_basis="public_task",
            )
        ]
    )
    assert board_summary(profile.db, Q3, now=NOW).unseen_girls.ids == ()


def test_exports_suppress_small_numbers(quarter, tmp_path: Path) -> None:
    profile, ID = quarter
    pack = board_summary(profile.db, Q3, now=NOW)
    data = pack.to_dict(suppress=True)
    fair = {p["key"]: p for p in data["fair_figures"]}
    assert fair["reached"]["count"] == 6  # 5 or more: shown
    boys = next(c for c in fair["reached"]["by_ethnicity_and_gender"] if c["key"] == "black_caribbean/male")
    assert boys["count"] == FEWER_THAN_5 and boys["rate_per_1000"] is None and boys["ids"] == []
    assert fair["missing"]["count"] == FEWER_THAN_5 and fair["missing"]["recorded"]
    assert pack.to_dict()["fair_figures"][0]["by_ethnicity_and_gender"][1]["count"] in (1, 2)  # on screen: the count

    written = write_board_pack(profile, pack, "csv", tmp_path / "board.csv")
    # Excel reads a CSV as UTF-8 only when it starts with the byte-order mark; its rows end in CR LF.
    assert all(p.read_bytes().startswith(codecs.BOM_UTF8) for p in written)
    assert b"\r\n" in written[0].read_bytes()
    with open(written[0], encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    reached_rows = {r["group"]: r for r in rows if r["measure"] == "Reached"}
    assert reached_rows["All"]["count"] == "6" and reached_rows["All"]["rate_per_1000"] == "1.5"
    assert all(r["count"] == FEWER_THAN_5 and r["rate_per_1000"] == "" for g, r in reached_rows.items() if g != "All")
    checkins = next(r for r in rows if r["measure"] == "Check-ins")
    assert checkins["count"] == "5" and "felt safe: 3" in checkins["note"]
    assert next(r for r in rows if r["measure"] == "Knife-crime victims under 25")["count"] == "not recorded"
    with open(written[1], encoding="utf-8-sig") as f:
        records = list(csv.DictReader(f))
    traced = {r["id"] for r in records}
    assert {ID[k] for k in "ABCDEF"} <= traced  # the reached total (6) is traceable
    assert ID["G"] not in traced  # G is behind only suppressed figures (referred 3, rated red 2)

    xlsx = write_board_pack(profile, pack, "xlsx", tmp_path / "board.xlsx")[0]
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:2] == ["Measures", "Fair figures"] and "Records" in wb.sheetnames
    values = [c.value for row in wb["Fair figures"].iter_rows() for c in row]
    assert FEWER_THAN_5 in values and 1 not in values and 2 not in values
    out = json.loads(Path(write_board_pack(profile, pack, "json", tmp_path / "b.json")[0]).read_text())
    assert out["fair_figures"] == data["fair_figures"]


def test_the_pack_reads_the_same_from_only_the_sections_it_shows(quarter) -> None:
    """The pack computes (and its loader reads for) only some sections of the quarter's activity (BOARD_SECTIONS):
    everything it gives out, on screen and in every export, is as from the whole activity, which has more."""
    profile, ID = quarter
    note = CaseNote(
        id="N1", person_id=ID["A"], author_id="worker-1", written_at=at(8, 4), text="seen", team_id="team-1"
    )
    profile.records.bulk_insert([note])
    pack = board_summary(profile.db, Q3, now=NOW)
    data = load_week_input(profile.db, Q3.first, Q3.last)
    data.week = Q3  # type: ignore[assignment]  # as board_input does
    whole = compute_weekly(data, now=NOW)
    assert whole.figure("case_notes").ids == (note.id,) and whole.figure("waiting_signoff").value
    assert len(whole.sections) > len(pack.activity.sections)  # something was left out
    full = compute_board(replace(board_input(profile.db, Q3, now=NOW), activity=whole), now=NOW, local=pack.local)
    for suppress in (False, True):
        assert pack.to_dict(suppress=suppress) == full.to_dict(suppress=suppress)
    assert pack.headline() == full.headline()
    assert pack.unseen_girls == full.unseen_girls and pack.measures == full.measures
    # What the Review area reads besides the headline: each shown figure, and the people section's breakdowns.
    assert all(f == whole.figure(f.key) for f in pack.activity.figures())
    people = {s.key: s for s in whole.sections}["people"]
    assert next(s for s in pack.activity.sections if s.key == "people") == people


def test_a_checkin_names_no_one_unless_they_choose() -> None:
    """A check-in names no one by default; its one person link is optional (the young person's choice), and
    anonymising them takes it off while the answers stay."""
    policy = POLICIES[SessionCheckin.TABLE]
    assert SessionCheckin().person_id == ""
    assert [name for name in policy.field_names() if "person" in name] == ["person_id"]
    assert [(link.table, link.field, link.required) for link in policy.links] == [
        ("sessions", "session_id", False),
        ("people", "person_id", False),
    ]
    assert policy.anonymised_keeps is not None and "person_id" not in policy.anonymised_keeps


def test_baseline_csv_is_read_or_refused_in_words() -> None:
    assert parse_baseline_csv(BASELINE_CSV) == BASELINE_ROWS
    with pytest.raises(BadBaseline, match=r"Line 2.*ethnicity"):
        parse_baseline_csv("ethnicity,sex,age_band,population\nMartian,Male,14_15,3\n")
    with pytest.raises(BadBaseline, match="population"):
        parse_baseline_csv("ethnicity,sex,age_band\nwhite_british,male,14_15\n")
    with pytest.raises(BadWeek, match="2026-Q3"):
        Period.parse_quarter("summer 2026")
    assert Period.parse_quarter("2026-Q3").previous() == Period.parse_quarter("2026-Q2")


def test_no_baseline_no_rates(profile: Profile) -> None:
    _, recs, _ = board_records("team-1", "worker-1")
    profile.records.bulk_insert(recs)
    pack = board_summary(profile.db, Q3, now=NOW)
    assert pack.baseline is None and pack.point("reached").rate is None
    assert all(c.rate is None for c in pack.point("reached").by_group)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "YOUTHWORK_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", "report", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_line_loads_a_baseline_and_writes_every_format(
    profile: Profile, profile_dir: Path, tmp_path: Path
) -> None:
    _, recs, _ = board_records("team-1", "worker-1")
    profile.records.bulk_insert(recs)
    profile.close()
    (tmp_path / "borough.csv").write_text(BASELINE_CSV, encoding="utf-8")
    out = _run("baseline", "--profile", str(profile_dir), str(tmp_path / "borough.csv"), "--name", "Borough 10-24")
    assert out.returncode == 0, out.stderr
    assert "4,000 residents in 6 groups" in out.stdout
    out = _run("board", "--profile", str(profile_dir), "--quarter", QUARTER)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["fair_figures"][0]["count"] == 6 and data["fair_figures"][0]["rate_per_1000"] == 1.5
    for fmt in ("xlsx", "csv", "pdf"):
        out = _run(
            "board",
            "--profile",
            str(profile_dir),
            "--quarter",
            QUARTER,
            "--format",
            fmt,
            "--out",
            str(tmp_path / f"board.{fmt}"),
        )
        assert out.returncode == 0, out.stderr
        assert (tmp_path / f"board.{fmt}").stat().st_size > 0
    bad = _run("board", "--profile", str(profile_dir), "--quarter", "summer")
    assert bad.returncode != 0 and "2026-Q3" in bad.stderr
    # The PDF, page 1 as an image: poppler's pdftoppm (.ci/run installs poppler-utils).
    pdf = tmp_path / "board.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Board pack 2026-Q3" in text and "fewer than 5" in text and "not recorded" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    png = (tmp_path / "page.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    p = Profile.open(profile_dir, PASSPHRASE)
    try:
        reasons = sorted(e.reason for e in AuditTrail(p).search() if e.action == "exported")
    finally:
        p.close()
    assert reasons == ["format:csv", "format:json-stdout", "format:pdf", "format:xlsx"]


def test_the_organisation_adjusts_its_outcome_framework(profile: Profile, profile_dir: Path, tmp_path: Path) -> None:
    profile.close()
    out = _run("framework", "--profile", str(profile_dir))
    assert out.returncode == 0 and "Framework of Outcomes for Young People" in out.stdout
    assert out.stdout.count("\n  ") == 7 and "managing_feelings: Managing feelings" in out.stdout
    (tmp_path / "ours.csv").write_text("code,label\ncommunication,Talking and listening\nsafety,Feeling safe\n")
    out = _run("framework", "--profile", str(profile_dir), "--load", str(tmp_path / "ours.csv"), "--name", "Ours")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["Ours", "  communication: Talking and listening", "  safety: Feeling safe"]
