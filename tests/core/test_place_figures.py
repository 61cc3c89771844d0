"""The place page and the trends view against a hand-counted fixture (three weeks of November 2026, three places).

Weeks: W45 is Mon 2 - Sun 8 Nov, W46 is 9-15 Nov, W47 is 16-22 Nov (UK time is GMT in November).

Sumner Road cage
  S1 W45 Mon 2 Nov 18:00-20:00 detached, Ana and Ben, headcount 3+1, a concern; register Kai, Amara (Brandon Estate)
  S2 W45 Thu 5 Nov 17:00-19:30 youth truck, Ana, headcount 2, an incident; register Kai, Leon (Wyndham Estate)
  S4 W45 Sun 8 Nov 23:30 UTC, written "2026-11-09T00:30+01:00" (its text says W46), Kicks, 1 hour, headcount 5
  S3 W47 Mon 16 Nov 19:00-21:00 detached, Cy; register Leon, Mo (no area recorded)
  S0 W44 (26 Oct): outside the weeks
  NFA 10 Nov (W46); NFA 1 Nov (W44, outside); referral sent 17 Nov (W47)
  plans: one agreed names it to avoid, one agreed names it safe, one closed names it to avoid (not current)
Peckham Rye station: NFAs 3 and 4 Nov (W45), referral sent 12 Nov (W46); no sessions
Burgess Park: a detached session W46 Tue 10 Nov 18:00-20:00; no signals
No place: a pop-up session W46 with a concern
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from youthwork.domain.places import Deployment, Place, PlaceKind
from youthwork.domain.weeks import IsoWeek
from youthwork.reports.places import NO_PLACE, place_page, trends, weeks_ending

W45, W46, W47 = IsoWeek.parse("2026-W45"), IsoWeek.parse("2026-W46"), IsoWeek.parse("2026-W47")
WEEKS = [W45, W46, W47]


def _insert(db, table: str, **cols) -> None:
    cols.setdefault("created_at", "2026-11-01T00:00:00+00:00")
    cols.setdefault("updated_at", cols["created_at"])
    cols.setdefault("team_id", "team-1")
    names = ", ".join(cols)
    db.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})", tuple(cols.values()))


def _session(db, sid, place_id, kind, start, end, workers, heads=None, concern=0, incidents="", register=()):
    _insert(
        db,
        "sessions",
        id=sid,
        place_id=place_id,
        session_type=kind,
        starts_at=start,
        ends_at=end,
        workers=json.dumps(workers),
        headcounts=json.dumps(heads or {}),
        concern=concern,
        incidents=incidents,
        area="Peckham",
    )
    for pid in register:
        _insert(db, "attendance", id=f"{sid}-{pid}", session_id=sid, person_id=pid)


@pytest.fixture
def world(profile):
    db = profile.db
    with db.transaction():
        for pid, area in (
            ("kai", "Brandon Estate"),
            ("amara", "Brandon Estate"),
            ("leon", "Wyndham Estate"),
            ("mo", ""),
        ):
            _insert(db, "people", id=pid, first_name=pid.title(), area=area)
        for plid, name, kind in (
            ("cage", "Sumner Road cage", PlaceKind.CAGE),
            ("station", "Peckham Rye station", PlaceKind.TRANSPORT),
            ("park", "Burgess Park", PlaceKind.PARK),
        ):
            _insert(db, "places", id=plid, name=name, kind=kind)
        z = "+00:00"
        _session(
            db,
            "s1",
            "cage",
            "detached",
            f"2026-11-02T18:00{z}",
            f"2026-11-02T20:00{z}",
            ["ana", "ben"],
            {"male/14_15": 3, "female/14_15": 1},
            concern=1,
            register=("kai", "amara"),
        )
        _session(
            db,
            "s2",
            "cage",
            "youth_truck",
            f"2026-11-05T17:00{z}",
            f"2026-11-05T19:30{z}",
            ["ana"],
            {"male/16_17": 2},
            incidents="A fight by the gate",
            register=("kai", "leon"),
        )
        _session(
            db, "s4", "cage", "kicks", "2026-11-09T00:30+01:00", "2026-11-09T01:30+01:00", ["dee"], {"male/10_13": 5}
        )
        _session(
            db,
            "s3",
            "cage",
            "detached",
            f"2026-11-16T19:00{z}",
            f"2026-11-16T21:00{z}",
            ["cy"],
            register=("leon", "mo"),
        )
        _session(
            db,
            "s0",
            "cage",
            "detached",
            f"2026-10-26T18:00{z}",
            f"2026-10-26T20:00{z}",
            ["ana"],
            {"male/14_15": 9},
            concern=1,
            register=("kai",),
        )
        _session(db, "s5", "park", "detached", f"2026-11-10T18:00{z}", f"2026-11-10T20:00{z}", ["ben"])
        _session(db, "s6", "", "pop_up", f"2026-11-11T16:00{z}", f"2026-11-11T18:00{z}", ["ben"], concern=1)
        for nid, place, day in (
            ("n1", "cage", "2026-11-10"),
            ("n0", "cage", "2026-11-01"),
            ("n2", "station", "2026-11-03"),
            ("n3", "station", "2026-11-04"),
        ):
            _insert(
                db,
                "nfa_notifications",
                id=nid,
                person_id="kai",
                notified_on=day,
                place_id=place,
                offence_category="drugs",
            )
        for rid, place, sent in (("r1", "cage", "2026-11-17T10:00+00:00"), ("r2", "station", "2026-11-12T10:00+00:00")):
            _insert(db, "referrals", id=rid, person_id="leon", place_id=place, status="sent", sent_at=sent)
        for plan, status, stance in (("p1", "agreed", "avoid"), ("p2", "reviewed", "safe"), ("p3", "closed", "avoid")):
            _insert(db, "safety_plans", id=plan, person_id="kai", status=status)
            _insert(db, "plan_places", id=f"pp-{plan}", plan_id=plan, place_id="cage", stance=stance)
    profile.records.save(
        Deployment(
            place_id="cage",
            session_id="s1",
            source="asb_report",
            reference="ASB/2026/114",
            received_on=date(2026, 11, 1),
            reported="Young people gathering late at the cage",
            found="Eight young people, two new faces",
            fed_back="Fed back: a regular Monday slot",
            fed_back_on=date(2026, 11, 4),
        )
    )
    return profile


def test_the_place_page_counts_by_hand(world):
    cage = world.records.get(Place, "cage")
    page = place_page(world.db, cage, WEEKS)
    got = {
        str(w.week): (w.sessions, w.hours, w.headcount, w.named, w.concerns, w.incidents, w.nfas, w.referrals)
        for w in page.weeks
    }
    assert got == {
        "2026-W45": (3, 5.5, 11, 4, 1, 1, 0, 0),
        "2026-W46": (0, 0.0, 0, 0, 0, 0, 1, 0),
        "2026-W47": (1, 2.0, 0, 2, 0, 0, 0, 1),
    }
    assert page.by_type == {"detached": 2, "youth_truck": 1, "kicks": 1}
    assert page.by_worker == {"ana": 2, "ben": 1, "dee": 1, "cy": 1}
    assert page.plans == {"safe": 1, "avoid": 1}
    assert page.estates == {"Brandon Estate": {W45: 2}, "Wyndham Estate": {W45: 1, W47: 1}, "": {W47: 1}}
    assert page.estate_totals == {"Brandon Estate": 2, "Wyndham Estate": 1, "": 1}  # Leon both weeks: one person
    assert [d.reference for d in page.deployments] == ["ASB/2026/114"]
    total = page.totals()
    assert (total.sessions, total.headcount, total.signals) == (4, 11, 4)


def test_a_place_with_nothing_in_the_weeks_has_empty_weeks(world):
    park = world.records.get(Place, "park")
    page = place_page(world.db, park, [W45])
    assert [(w.sessions, w.signals) for w in page.weeks] == [(0, 0)]
    assert page.estates == {} and page.by_worker == {} and page.plans == {"safe": 0, "avoid": 0}


def test_the_trends_view_counts_by_hand(world):
    t = trends(world.db, WEEKS)
    assert [r.place_id for r in t.rows] == ["cage", "station", "park", NO_PLACE]
    by = {r.place_id: r for r in t.rows}
    cells = {
        pid: {str(w): (c.concerns, c.incidents, c.nfas, c.referrals) for w, c in r.weeks.items()}
        for pid, r in by.items()
    }
    assert cells["cage"] == {"2026-W45": (1, 1, 0, 0), "2026-W46": (0, 0, 1, 0), "2026-W47": (0, 0, 0, 1)}
    assert cells["station"] == {"2026-W45": (0, 0, 2, 0), "2026-W46": (0, 0, 0, 1), "2026-W47": (0, 0, 0, 0)}
    assert cells[NO_PLACE] == {"2026-W45": (0, 0, 0, 0), "2026-W46": (1, 0, 0, 0), "2026-W47": (0, 0, 0, 0)}
    # Detached and youth-truck hours only (the Kicks session is not outreach); the pop-up had no place.
    assert by["cage"].outreach_hours == {"detached": 4.0, "youth_truck": 2.5}
    assert by["park"].outreach_hours == {"detached": 2.0}
    assert [(r.pattern(), r.unreached()) for r in t.rows[:3]] == [(True, False), (True, True), (False, False)]
    totals = {str(w): (c.concerns, c.incidents, c.nfas, c.referrals) for w, c in t.totals().items()}
    assert totals == {"2026-W45": (1, 1, 2, 0), "2026-W46": (1, 0, 1, 1), "2026-W47": (0, 0, 0, 1)}
    hours_at_signals, signals_reached = t.hours_share()
    assert hours_at_signals == pytest.approx(6.5 / 8.5) and signals_reached == pytest.approx(4 / 7)


def test_two_signals_in_four_weeks_are_not_yet_a_pattern(world):
    t = trends(world.db, [W46, W47])
    assert {r.place_id: r.pattern() for r in t.rows}["cage"] is False  # the NFA and the referral: two


def test_weeks_ending_runs_oldest_first():
    assert weeks_ending(W47, 3) == WEEKS
    assert W47.monday - timedelta(days=14) == W45.monday
