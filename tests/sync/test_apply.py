"""The laptop's one merge path, `apply_page`: every rule for a pulled change, on a real encrypted store.

A field with an unsent change is left alone; an unsent local delete is not undone; a tombstone deletes; an older
version never overwrites a newer one; a new row takes its defaults; unknown kinds and fields are skipped; nothing is
queued; a page and its cursor commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import make_profile

from youthwork.domain.codec import to_dict
from youthwork.domain.protocol import ServerChange
from youthwork.domain.records import YoungPerson
from youthwork.services import PeopleService
from youthwork.store.profile import Profile
from youthwork.sync.apply import PageResult, apply_page, settle_skipped


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    p = make_profile(tmp_path / "laptop")
    yield p
    p.close()


def page(profile: Profile, *changes: tuple[str, str, str, dict[str, Any], int], cursor: str = "") -> PageResult:
    with profile.transaction():
        result = apply_page(
            profile.db, [ServerChange(table=t, record_id=r, op=op, fields=f, version=v) for t, r, op, f, v in changes]
        )
        if cursor:
            profile.outbox.set_cursor(cursor)
    return result


def pulled(profile: Profile, person: YoungPerson, version: int) -> PageResult:
    return page(profile, ("people", person.id, "upsert", to_dict(person), version))


def test_a_new_record_arrives_with_its_version_defaults_and_search_and_queues_nothing(profile: Profile) -> None:
    other = YoungPerson(first_name="Remote", last_name="Person", area="Camberwell")
    assert pulled(profile, other, 5) == PageResult(applied=1, deleted=0, skipped=0)
    assert profile.records.get(YoungPerson, other.id) == other
    assert profile.records.server_version(YoungPerson, other.id) == 5
    assert [x.id for x in PeopleService(profile).search("camber")] == [other.id]
    assert profile.outbox.count() == 0
    # a view that leaves columns out (a narrower role's view): the new row takes the record's defaults for them
    narrow = YoungPerson(first_name="Narrow")
    page(profile, ("people", narrow.id, "upsert", {"id": narrow.id, "first_name": "Narrow"}, 2))
    got = profile.records.get(YoungPerson, narrow.id)
    assert got is not None and (got.first_name, got.area, got.risk_indicators) == ("Narrow", "", [])


def test_an_unsent_local_field_is_left_alone_and_the_rest_applied(profile: Profile) -> None:
    p = profile.records.save(YoungPerson(first_name="Kai", area="Peckham"))
    pulled(profile, p, 1)
    profile.outbox.acknowledge([e.change_id for e in profile.outbox.pending()])
    p.known_as = "local nickname"
    profile.records.save(p)
    before = profile.outbox.count()
    remote = {"known_as": "server nickname", "area": "Walworth", "nfa_count": 2, "unknown_field": "x"}
    page(profile, ("people", p.id, "upsert", remote, 3))
    got = profile.records.get(YoungPerson, p.id)
    assert (got.known_as, got.area, got.nfa_count) == ("local nickname", "Walworth", 2)
    assert profile.records.server_version(YoungPerson, p.id) == 3
    assert profile.outbox.count() == before


def test_a_record_deleted_here_but_unsent_is_not_brought_back(profile: Profile) -> None:
    p = profile.records.save(YoungPerson(first_name="Del"))
    pulled(profile, p, 1)
    profile.outbox.acknowledge([e.change_id for e in profile.outbox.pending()])
    profile.records.delete(YoungPerson, p.id)
    p.first_name = "Back"
    result = pulled(profile, p, 2)
    assert result == PageResult(applied=0, deleted=0, skipped=1)
    assert profile.records.get(YoungPerson, p.id) is None
    assert [e.op for e in profile.outbox.pending()] == ["delete"]


def test_a_tombstone_deletes_and_an_unknown_kind_is_skipped(profile: Profile) -> None:
    other = YoungPerson(first_name="Gone", area="Camberwell")
    pulled(profile, other, 1)
    result = page(profile, ("people", other.id, "delete", {}, 2), ("no_such_table", "x", "upsert", {}, 1))
    assert result == PageResult(applied=0, deleted=1, skipped=1)
    assert profile.records.get(YoungPerson, other.id) is None
    assert PeopleService(profile).search("camber") == []


def test_an_older_version_never_overwrites_a_newer_one(profile: Profile) -> None:
    p = YoungPerson(first_name="Kai", area="Walworth")
    pulled(profile, p, 4)
    old = YoungPerson(id=p.id, first_name="Kai", area="Peckham")
    pulled(profile, old, 3)  # a page replayed after a crash, or a stale copy
    assert profile.records.get(YoungPerson, p.id).area == "Walworth"
    assert profile.records.server_version(YoungPerson, p.id) == 4


def test_a_page_and_its_cursor_roll_back_together(profile: Profile) -> None:
    p = YoungPerson(first_name="Rolled")
    with pytest.raises(RuntimeError), profile.transaction():
        apply_page(
            profile.db, [ServerChange(table="people", record_id=p.id, op="upsert", fields=to_dict(p), version=1)]
        )
        profile.outbox.set_cursor("c-1")
        raise RuntimeError("network dropped mid-page")
    assert profile.records.get(YoungPerson, p.id) is None and profile.outbox.get_cursor() is None
    pulled_with_cursor = page(profile, ("people", p.id, "upsert", to_dict(p), 1), cursor="c-42")
    assert pulled_with_cursor.applied == 1 and profile.outbox.get_cursor() == "c-42"


def test_a_page_outside_a_transaction_is_refused(profile: Profile) -> None:
    with pytest.raises(AssertionError, match="one transaction"):
        apply_page(profile.db, [])


def test_a_value_left_alone_is_kept_aside_until_the_record_goes(profile: Profile) -> None:
    p = profile.records.save(YoungPerson(first_name="Kai", area="Peckham"))
    pulled(profile, p, 1)
    with profile.transaction():  # as the engine acknowledges: the entry goes, what was kept aside for it too
        (entry,) = profile.outbox.pending()
        profile.outbox.acknowledge([entry.change_id])
        settle_skipped(profile.db, "people", p.id, entry.fields, 1)
    assert profile.db.scalar("SELECT count(*) FROM sync_state WHERE key LIKE 'skipped:%'") == 0
    p.area = "Nunhead"
    profile.records.save(p)
    page(profile, ("people", p.id, "upsert", {"area": "Walworth", "first_name": "Kai"}, 3))
    kept = profile.db.query("SELECT key, value FROM sync_state WHERE key LIKE 'skipped:%'")
    assert [(r["key"], r["value"]) for r in kept] == [(f"skipped:people:{p.id}:area", '{"v":3,"value":"Walworth"}')]
    page(profile, ("people", p.id, "upsert", {"area": "Camberwell"}, 2))  # an older page doesn't replace it
    assert profile.db.scalar("SELECT value FROM sync_state WHERE key LIKE 'skipped:%'") == '{"v":3,"value":"Walworth"}'
    page(profile, ("people", p.id, "delete", {}, 4))  # gone: nothing personal is kept for it
    assert profile.db.scalar("SELECT count(*) FROM sync_state WHERE key LIKE 'skipped:%'") == 0
