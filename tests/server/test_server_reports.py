"""GET /reports/weekly: the team's figures from the service's records equal the app's from its store, for the same
records pushed through sync; supervisors of the team only, counting only what they may see."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from server_helpers import World, change, push

from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.nfa import NfaNotification
from youthwork.domain.records import Attendance, CaseNote, RagRating, Record, Session, YoungPerson
from youthwork.domain.referrals import Referral
from youthwork.domain.safety_plans import SafetyPlan
from youthwork.domain.vocab import Role
from youthwork.domain.weeks import IsoWeek
from youthwork.reports.weekly import weekly_report
from youthwork.store.profile import Profile

WEEK = "2026-W46"  # a week in the past: the service refuses sessions in the future
BST = timezone(timedelta(hours=1))


def records(team: str, worker: str) -> list[Record]:
    ID: dict[str, str] = defaultdict(new_id)  # readable names to the UUIDv7 ids the service requires

    def s(sid: str, start: datetime, hours: float, **kw) -> Session:
        return Session(
            id=ID[sid],
            team_id=team,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            area="Estate",
            workers=[worker],
            created_by=worker,
            **kw,
        )

    def a(sid: str, pid: str) -> Attendance:
        return Attendance(id=ID[f"{sid}-{pid}"], team_id=team, session_id=ID[sid], person_id=ID[pid])

    u = datetime(2026, 11, 9, 18, tzinfo=UTC)
    return [
        YoungPerson(
            id=ID["ra"],
            team_id=team,
            first_name="Amara",
            gender="female",
            date_of_birth=date(2010, 5, 1),
            ethnicity="black_caribbean",
        ),
        YoungPerson(
            id=ID["rb"],
            team_id=team,
            first_name="Kofi",
            gender="male",
            estimated_age=13,
            age_estimated_on=date(2026, 1, 1),
        ),
        s("rs0", u - timedelta(days=14), 2, status="approved"),
        s(
            "rs1",
            u,
            2.5,
            status="approved",
            concern=True,
            concern_details="x",
            headcounts={"male/14_15": 3},
            core_activities=["prevention", "engagement"],
        ),
        s("rs2", u + timedelta(days=6, hours=5), 2.5, status="submitted", session_type="outreach"),  # into Monday
        s("rs3", datetime(2026, 11, 16, 0, 30, tzinfo=BST), 1, status="submitted", session_type="kicks"),
        a("rs0", "ra"),
        a("rs1", "ra"),
        a("rs1", "rb"),
        a("rs2", "rb"),
        CaseNote(
            id=ID["rn1"],
            team_id=team,
            person_id=ID["ra"],
            author_id=worker,
            written_at=u + timedelta(hours=3),
            text="note",
        ),
        CaseNote(
            id=ID["rn2"],
            team_id=team,
            person_id=ID["ra"],
            author_id=worker,
            written_at=u + timedelta(hours=4),
            text="fixed",
            corrects_id=ID["rn1"],
        ),
        Referral(
            id=ID["rr1"],
            team_id=team,
            person_id=ID["rb"],
            to_agency="tys",
            status="sent",
            reason="r",
            lawful_basis="public_task",
            risk_indicators=["cce", "missing"],
            sent_at=u + timedelta(days=1),
            sent_by=worker,
        ),
        Referral(
            id=ID["rr2"],
            team_id=team,
            person_id=ID["ra"],
            to_agency="camhs",
            status="sent",
            urgency="urgent",
            reason="r",
            lawful_basis="public_task",
            sent_at=u - timedelta(days=20),
            sent_by=worker,
        ),
        SafetyPlan(
            id=ID["rp1"],
            team_id=team,
            person_id=ID["ra"],
            status="agreed",
            agreed_at=u + timedelta(days=1),
            review_date=date(2026, 11, 13),
            created_by=worker,
            contacts=[{"name": "Childline", "number": "0800 1111", "when": "any time"}],
        ),
        *[
            NfaNotification(
                id=ID[f"rnfa{i}"],
                team_id=team,
                person_id=ID["rb"],
                notified_on=date(2026, 10, 1 + i),
                offence_category="drugs",
            )
            for i in range(3)
        ],
        # RAG: ra red before the week and green in it (towards green); rb amber for the first time.
        RagRating(
            id=ID["rag1"], team_id=team, person_id=ID["ra"], rating="red", reason="r", set_at=u - timedelta(days=14)
        ),
        RagRating(
            id=ID["rag2"], team_id=team, person_id=ID["ra"], rating="green", reason="r", set_at=u + timedelta(hours=1)
        ),
        RagRating(
            id=ID["rag3"], team_id=team, person_id=ID["rb"], rating="amber", reason="r", set_at=u + timedelta(hours=2)
        ),
    ]


def test_service_figures_equal_the_apps(world: World, tmp_path: Path) -> None:
    worker, supervisor = world["worker"], world["supervisor"]
    team = worker.team_id
    recs = records(team, worker.user_id)
    # Drafts of records go up the way a laptop sends them: every field of the record.
    changes = [change(r.TABLE, r.id, {k: v for k, v in to_dict(r).items() if k != "id"}) for r in recs]
    # Sessions already signed off or returned go up the way they do for real: the worker submits them with their
    # registers, then the supervisor's device sends the decision (a signed-off session's register is fixed).
    review = ("status", "reviewed_by", "reviewed_at", "review_comment")
    decided = {
        c["record_id"]: {k: c["fields"].pop(k) for k in review if k in c["fields"]}
        for c in changes
        if c["table"] == "sessions" and c["fields"]["status"] in ("approved", "returned")
    }
    for c in changes:
        if c["record_id"] in decided:
            c["fields"]["status"] = "submitted"
    results = push(world.client, worker, changes)
    versions = {c["record_id"]: r["version"] for c, r in zip(changes, results, strict=True)}
    results += push(
        world.client,
        supervisor,
        [change("sessions", sid, fields, base_version=versions[sid]) for sid, fields in decided.items()],
    )
    assert [r["reason"] for r in results if r["status"] != "applied"] == []

    r = world.client.get("/api/v1/reports/weekly", params={"team": team, "week": WEEK}, headers=supervisor.headers)
    assert r.status_code == 200, r.text
    server = r.json()

    profile, _ = Profile.create(tmp_path / "p", "correct horse battery")
    try:
        profile.records.bulk_insert(recs)
        app = weekly_report(profile.db, IsoWeek.parse(WEEK), team_id=team)
    finally:
        profile.close()
    app_dict = app.to_dict()
    # "as_of" is now for both (a week in the past: the end of the week); the figures and their records must match.
    assert server["sections"] == app_dict["sections"]
    values = {f["key"]: f["value"] for s in server["sections"] for f in s["figures"]}
    assert values["sessions"] == 3 and values["hours"] == 6.0 and values["reached"] == 2
    assert values["reached_new"] == 1 and values["case_notes"] == 1 and values["waiting_signoff"] == 2
    assert values["referrals"] == 1 and values["referrals_overdue"] == 1
    assert values["plans_created"] == 1 and values["nfa_prompts_open"] == 1
    assert (values["rag_red"], values["rag_amber"], values["rag_green"]) == (0, 1, 1)
    parts = {
        f["key"]: f["value"]
        for s in server["sections"]
        for _, p in [(b["title"], b["parts"]) for b in s["breakdowns"]]
        for f in p
    }
    assert parts["referrals_by_risk.cce"] == 1 and parts["referrals_by_risk.missing"] == 1
    assert parts["sessions_by_activity.prevention"] == 1 and parts["sessions_by_activity.engagement"] == 1
    assert values["rag_towards_green"] == 1 and values["rag_towards_red"] == 0 and values["rag_newly_rated"] == 1


def test_only_supervisors_of_the_team(world: World) -> None:
    """Administrators manage accounts, not case records: no case-level report for them, of any team (finding 10)."""
    team = world["worker"].team_id
    get = world.client.get
    params = {"team": team, "week": WEEK}
    assert get("/api/v1/reports/weekly", params=params, headers=world["worker"].headers).status_code == 403
    for team_id in world.teams.values():
        r = get("/api/v1/reports/weekly", params={"team": team_id, "week": WEEK}, headers=world["admin"].headers)
        assert r.status_code == 403 and r.json()["code"] == "not_a_supervisor"
    other = {"team": world["igt"].team_id, "week": WEEK}
    body = get("/api/v1/reports/weekly", params=other, headers=world["supervisor"].headers).json()
    assert body["message"] == "Supervisors can see their own team's report only."
    bad = get("/api/v1/reports/weekly", params={"team": team, "week": "week 47"}, headers=world["supervisor"].headers)
    assert bad.status_code == 400 and "2026-W47" in bad.json()["message"]
    missing = get("/api/v1/reports/weekly", params={"team": "nope", "week": WEEK}, headers=world["supervisor"].headers)
    assert missing.status_code == 403
    assert get("/api/v1/reports/weekly", params=params).status_code == 401


@pytest.mark.parametrize("week", ["2026-W13", "2026-W43"])
def test_clock_change_weeks_are_answered(world: World, week: str) -> None:
    team = world["worker"].team_id
    r = world.client.get(
        "/api/v1/reports/weekly", params={"team": team, "week": week}, headers=world["supervisor"].headers
    )
    assert r.status_code == 200
    assert r.json()["hours_in_week"] == {"2026-W13": 167, "2026-W43": 169}[week]


def test_a_sign_off_syncs_to_the_worker(world: World) -> None:
    from server_helpers import pull_all

    worker, supervisor = world["worker"], world["supervisor"]
    start = datetime(2026, 11, 10, 18, tzinfo=UTC)
    s = Session(
        team_id=worker.team_id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        area="Estate",
        workers=[worker.user_id],
        status="submitted",
        headcounts={"male/14_15": 2},
    )
    [created] = push(
        world.client, worker, [change("sessions", s.id, {k: v for k, v in to_dict(s).items() if k != "id"})]
    )
    assert created["status"] == "applied"
    signed = {
        "status": "approved",
        "reviewed_by": supervisor.user_id,
        "reviewed_at": datetime.now(UTC).isoformat(),
        "review_comment": "Good.",
    }
    [result] = push(world.client, supervisor, [change("sessions", s.id, signed, base_version=created["version"])])
    assert result["status"] == "applied", result
    seen, _ = pull_all(world.client, worker)
    fields = seen[("sessions", s.id)]["fields"]
    assert fields["status"] == "approved" and fields["reviewed_by"] == supervisor.user_id
    r = world.client.get(
        "/api/v1/reports/weekly", params={"team": worker.team_id, "week": "2026-W46"}, headers=supervisor.headers
    )
    status = {f["key"]: f["ids"] for s_ in r.json()["sections"] for _t in s_["breakdowns"] for f in _t["parts"]}
    assert s.id in status["sessions_by_status.approved"]


def _figures(body: dict) -> dict[str, list[str]]:
    """Every figure and breakdown part of a report: key -> the record ids behind it."""
    out = {f["key"]: f.get("ids", []) for s in body["sections"] for f in s["figures"]}
    for s in body["sections"]:
        out |= {p["key"]: p.get("ids", []) for b in s["breakdowns"] for p in b["parts"]}
    return out


def test_a_report_counts_another_teams_young_person_only_by_what_was_shared(world: World) -> None:
    """Finding 10: a TYS supervisor's report names a detached team's young person (referred to TYS, then met at a TYS
    session) by the minimum the referral shared: their ethnicity, which TYS may not see, is "not stated" there."""
    c, worker = world.client, world["worker"]
    tys_sup = world.add_actor("tys_sup", "tys", Role.SUPERVISOR)
    pid, rid, sid, aid = new_id(), new_id(), new_id(), new_id()
    push(c, worker, [change("people", pid, {"first_name": "Jay", "gender": "male", "ethnicity": "black_african"})])
    referral = {
        "person_id": pid,
        "to_team_id": world.teams["tys"],
        "reason": "Missing episodes",
        "lawful_basis": "public_task",
        "status": "sent",
    }
    (res,) = push(c, worker, [change("referrals", rid, referral)])
    assert res["status"] == "applied", res
    start = datetime(2026, 11, 10, 18, tzinfo=UTC)
    session = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "area": "Estate",
        "workers": [tys_sup.user_id],
        "status": "submitted",
    }
    results = push(
        c,
        tys_sup,
        [change("sessions", sid, session), change("attendance", aid, {"session_id": sid, "person_id": pid})],
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    params = {"team": tys_sup.team_id, "week": WEEK}
    r = c.get("/api/v1/reports/weekly", params=params, headers=tys_sup.headers)
    assert r.status_code == 200, r.text
    figures = _figures(r.json())
    assert pid in figures["reached"] and pid in figures["reached_by_gender.not_known"]
    assert pid in figures["reached_by_ethnicity.not_stated"]
    assert not any(pid in ids for key, ids in figures.items() if key.startswith("reached_by_ethnicity.black"))
    assert "black_african" not in r.text
    # The owning team's supervisor sees them whole.
    r = c.get(
        "/api/v1/reports/weekly", params={"team": worker.team_id, "week": WEEK}, headers=world["supervisor"].headers
    )
    assert r.status_code == 200
