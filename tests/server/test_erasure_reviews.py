"""Erasure reviews decided through the public API, on SQLite and PostgreSQL (issue 13, "erasure respects ownership").

Team A erases its young person; the IGT and TYS hold records of their own about them, so each gets a review for its
supervisors. The IGT's supervisor erases the IGT's records too (an erasure of the IGT's own, then the review closed);
TYS's supervisor keeps TYS's records with a reason code. Nobody else closes a review, a review closes once, in the
decider's own name, with only the declared fields; and the "erase ours" path never reaches another team's records.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from hostile_helpers import City, build_city, referral, refused
from server_helpers import World, change, pull_all, push

from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.privacy import Erasure
from youthwork.server import schema as t


@pytest.fixture
def city(world: World) -> City:
    return build_city(world)


def _erase(team: str, person_id: str, **kw: Any) -> dict[str, Any]:
    e = to_dict(Erasure(team_id=team, person_id=person_id, **{"reason": "request", **kw}))
    return change("erasures", e["id"], e)


def _record(w: World, table: str, rid: str) -> Any:
    with w.engine.connect() as conn:
        return conn.execute(
            sa.select(t.records).where(t.records.c.table_name == table, t.records.c.record_id == rid)
        ).one()


def _reviews(w: World) -> dict[str, Any]:
    """Team -> its one erasure review on the service."""
    with w.engine.connect() as conn:
        rows = conn.execute(sa.select(t.records).where(t.records.c.table_name == "erasure_reviews")).all()
    by_team: dict[str, Any] = {}
    for r in rows:
        assert r.team_id not in by_team, "one review per team and person"
        by_team[r.team_id] = r
    return by_team


def _close(actor: Any, review: Any, **fields: Any) -> dict[str, Any]:
    body = {
        "status": "done",
        "reviewed_by": actor.user_id,
        "reviewed_at": datetime.now(UTC).isoformat(),
        **fields,
    }
    return change("erasure_reviews", review.record_id, body, base_version=review.version)


@pytest.fixture
def erased(city: City) -> City:
    """A refers its young person to TYS as well as the IGT; TYS writes a note; then A's supervisor erases them."""
    w, c, ids = city.world, city.world.client, city.ids
    pid = ids["igt_ref_person"]
    ids["tys_referral"], ids["tys_note"] = new_id(), new_id()
    (res,) = push(c, w["worker"], [change("referrals", ids["tys_referral"], referral(pid, city.team("tys")))])
    assert res["status"] == "applied", res
    (res,) = push(c, w["tys"], [change("case_notes", ids["tys_note"], {"person_id": pid, "text": "Met at the hub."})])
    assert res["status"] == "applied", res
    (res,) = push(c, w["supervisor"], [_erase(city.team("detached"), pid)])
    assert res["status"] == "applied", res
    return city


def test_each_other_team_holding_records_gets_one_review_for_its_supervisors(erased: City) -> None:
    w, ids = erased.world, erased.ids
    reviews = _reviews(w)
    assert sorted(reviews) == sorted([erased.team("igt"), erased.team("tys")])
    assert reviews[erased.team("tys")].data["tables"] == ["case_notes"]
    assert reviews[erased.team("igt")].data["status"] == "open"
    seen, _ = pull_all(w.client, w["tys_supervisor"])
    assert ("erasure_reviews", reviews[erased.team("tys")].record_id) in seen
    assert not _record(w, "case_notes", ids["tys_note"]).deleted


def test_the_igt_erases_its_own_records_and_closes_its_review(erased: City) -> None:
    w, c, ids = erased.world, erased.world.client, erased.ids
    pid = ids["igt_ref_person"]
    sup = w["igt_supervisor"]
    review = _reviews(w)[erased.team("igt")]
    results = push(c, sup, [_erase(sup.team_id, pid, reason="owner_erased"), _close(sup, review, decision="erased")])
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert _record(w, "case_notes", ids["igt_note"]).deleted
    # TYS's note stays for TYS to decide, and TYS is not asked twice.
    assert not _record(w, "case_notes", ids["tys_note"]).deleted
    reviews = _reviews(w)
    assert reviews[erased.team("tys")].data["status"] == "open"
    closed = reviews[erased.team("igt")].data
    assert (closed["status"], closed["decision"], closed["reviewed_by"]) == ("done", "erased", sup.user_id)
    # The IGT's laptops get the deletion of the note and the closed review.
    seen, _ = pull_all(c, w["igt"])
    assert seen[("case_notes", ids["igt_note"])]["op"] == "delete"
    seen, _ = pull_all(c, sup)
    assert seen[("erasure_reviews", review.record_id)]["fields"]["decision"] == "erased"


def test_tys_keeps_its_records_with_a_reason_code(erased: City) -> None:
    w, c, ids = erased.world, erased.world.client, erased.ids
    sup = w["tys_supervisor"]
    review = _reviews(w)[erased.team("tys")]
    # Keeping needs a reason from the list, never free text.
    refused(w, "tys_supervisor", [_close(sup, review, decision="kept")], "reason")
    refused(w, "tys_supervisor", [_close(sup, review, decision="kept", keep_reason="He is my cousin")], "options")
    refused(w, "tys_supervisor", [_close(sup, review)], "erased its records or kept them")
    (res,) = push(c, sup, [_close(sup, review, decision="kept", keep_reason="safeguarding")])
    assert res["status"] == "applied", res
    assert not _record(w, "case_notes", ids["tys_note"]).deleted
    data = _reviews(w)[erased.team("tys")].data
    assert (data["status"], data["decision"], data["keep_reason"]) == ("done", "kept", "safeguarding")
    # Closed once: it can't be reopened, changed or deleted afterwards.
    again = _reviews(w)[erased.team("tys")]
    refused(w, "tys_supervisor", [_close(sup, again, status="open", reviewed_by="")], "closed")
    refused(w, "tys_supervisor", [_close(sup, again, decision="erased", keep_reason="")], "closed")
    refused(
        w, "tys_supervisor", [change("erasure_reviews", again.record_id, {}, op="delete", base_version=again.version)]
    )


def test_only_a_supervisor_of_the_reviews_team_closes_it(erased: City) -> None:
    w = erased.world
    review = _reviews(w)[erased.team("tys")]
    # A TYS worker, or the supervisor of another team (in their own name or TYS's supervisor's), can't close it.
    for key in ("tys", "igt_supervisor", "b_supervisor", "supervisor", "igt", "partner"):
        refused(w, key, [_close(w[key], review, decision="kept", keep_reason="legal")])
    # TYS's own supervisor can't close it in someone else's name, or write a field the review doesn't declare.
    sup = w["tys_supervisor"]
    refused(
        w, "tys_supervisor", [_close(sup, review, decision="erased", reviewed_by=w["tys"].user_id)], "your own name"
    )
    refused(w, "tys_supervisor", [_close(sup, review, decision="erased", tables=["people"])], "tables")
    refused(w, "tys_supervisor", [_close(sup, review, decision="erased", person_id=new_id())], "person_id")
    # Nor can a review be deleted before it is decided.
    refused(
        w, "tys_supervisor", [change("erasure_reviews", review.record_id, {}, op="delete", base_version=review.version)]
    )
    assert _reviews(w)[erased.team("tys")].data["status"] == "open"


def test_erasing_ours_never_reaches_another_teams_records(erased: City) -> None:
    w, ids = erased.world, erased.ids
    pid = ids["igt_ref_person"]
    sup, team = w["igt_supervisor"], erased.team("igt")
    # A hostile IGT laptop names other teams' records about the person, or other ids, in its erasure or as deletions.
    for other in (ids["tys_note"], ids["tys_referral"], ids["igt_referral"], ids["a_note"]):
        refused(w, "igt_supervisor", [_erase(team, other, reason="owner_erased")], "isn't a young person")
    refused(w, "igt_supervisor", [_erase(team, ids["b_person"], reason="owner_erased")], "another team")
    for table, rid in (
        ("case_notes", ids["tys_note"]),
        ("referrals", ids["tys_referral"]),
        ("people", ids["b_person"]),
    ):
        refused(w, "igt_supervisor", [change(table, rid, {}, op="delete")], "another team")
    # An erasure in another team's name is refused too.
    refused(w, "igt_supervisor", [_erase(erased.team("tys"), pid, reason="owner_erased")], "your own team")
    # The IGT's own erasure takes only the IGT's records: TYS's note and review are as they were.
    (res,) = push(w.client, sup, [_erase(team, pid, reason="owner_erased")])
    assert res["status"] == "applied", res
    assert _record(w, "case_notes", ids["igt_note"]).deleted
    assert not _record(w, "case_notes", ids["tys_note"]).deleted
    assert _reviews(w)[erased.team("tys")].data["tables"] == ["case_notes"]
