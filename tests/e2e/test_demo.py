"""Demo mode without the window: a real `youthwork-server` child on loopback, two enrolled demo devices, and the
background second device. A record made on device B reaches device A, and one made on A reaches B."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from youthwork.demo import DEMO_PASSPHRASE, DemoWorld, sync_once
from youthwork.domain.records import CaseNote, YoungPerson
from youthwork.store.profile import Profile
from youthwork.sync.engine import rejections


@pytest.fixture
def world(tmp_path: Path) -> Iterator[DemoWorld]:
    w = DemoWorld.start(tmp_path / "demo", people=40, weeks=3, interval=0.3)  # week 3 back is signed off
    yield w
    w.stop()


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def has(directory: Path, record_id: str) -> bool:
    with Profile.open(directory, DEMO_PASSPHRASE) as p:
        return any(
            p.db.scalar(f"SELECT count(*) FROM {table} WHERE id = ?", (record_id,))
            for table in ("people", "case_notes")
        )


def snapshot(directory: Path) -> tuple[set[tuple[str, str]], set[str]]:
    with Profile.open(directory, DEMO_PASSPHRASE) as p:
        people = {(r[0], r[1]) for r in p.db.query("SELECT id, area FROM people")}
        notes = {r[0] for r in p.db.query("SELECT id FROM case_notes")}
    return people, notes


def test_records_sync_both_ways_and_stop_ends_the_server(world: DemoWorld) -> None:
    assert world.url.startswith("http://127.0.0.1:")
    second = world.second
    assert second is not None
    with Profile.open(world.profile_dir, DEMO_PASSPHRASE) as a:
        assert a.db.scalar("SELECT count(*) FROM people") >= 40
        assert a.outbox.count() == 0  # the demo records went to the server at start
        assert rejections(a) == []  # and the service accepted every one (a newcomer sees no "not accepted")

    # B -> A: the second device records and syncs on its own.
    wait_for(lambda: second.cycles >= 2)
    made_on_b = list(second.made)
    with Profile.open(world.profile_dir, DEMO_PASSPHRASE) as a:
        sync_once(a)
    for rid in made_on_b:
        assert has(world.profile_dir, rid)

    # A -> B: the worker records something in "the app" and it syncs; B picks it up at its next cycle.
    with Profile.open(world.profile_dir, DEMO_PASSPHRASE) as a:
        person = a.records.save(YoungPerson(first_name="Newcomer", area="Peckham", team_id=a.team_id))
        note = a.records.save(CaseNote(person_id=person.id, text="Met today.", team_id=a.team_id))
        report = sync_once(a)
    assert report.pushed == 2 and report.rejected == 0
    seen = second.cycles
    wait_for(lambda: second.cycles >= seen + 2)
    assert has(world.device_b_dir, person.id) and has(world.device_b_dir, note.id)
    assert second.errors == 0

    # Edits too: once B stops and A syncs, both laptops hold the same records with the same values.
    wait_for(lambda: len(second.edited) >= 1)
    second.stop()
    with Profile.open(world.profile_dir, DEMO_PASSPHRASE) as a:
        sync_once(a)
    assert snapshot(world.profile_dir) == snapshot(world.device_b_dir)

    server = world.server
    world.stop()
    assert server.poll() is not None
    world.stop()  # twice is fine


def test_in_process_server_as_in_a_frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOUTHWORK_DEMO_IN_PROCESS", "1")
    world = DemoWorld.start(tmp_path / "demo", people=10, weeks=1, second_device=False)
    try:
        assert world.server.poll() is None
        with Profile.open(world.device_b_dir, DEMO_PASSPHRASE) as b:
            b.records.save(YoungPerson(first_name="Threaded", area="Peckham", team_id=b.team_id))
            assert sync_once(b).pushed == 1
        with Profile.open(world.profile_dir, DEMO_PASSPHRASE) as a:
            sync_once(a)
            assert a.db.scalar("SELECT count(*) FROM people WHERE first_name = 'Threaded'") == 1
    finally:
        world.stop()
    assert world.server.poll() is not None


def test_a_server_left_by_a_killed_app_is_stopped_at_the_next_start(tmp_path: Path) -> None:
    """A second start while the first one's service still runs (as if that app were still going) gets a service of
    its own; the first one's ends once the end of its stdin that its app held is gone (the app killed outright:
    tests/e2e/test_demo_child.py does that with a real process)."""
    first = DemoWorld.start(tmp_path / "demo", people=5, weeks=1, second_device=False)
    orphan = first.server
    try:
        second = DemoWorld.start(tmp_path / "demo", people=5, weeks=1, second_device=False)
        assert second.url != first.url and second.server.poll() is None
        second.stop()
        orphan.stdin.close()  # what the system does when the app that started it dies
        orphan.wait(timeout=30)
        assert orphan.returncode is not None
    finally:
        first.stop()


def test_a_referral_to_each_demo_receiving_team_is_accepted_and_the_answer_comes_back(world: DemoWorld) -> None:
    from youthwork.domain.referrals import Referral, ReferralStatus
    from youthwork.services.referrals import ReferralService

    second = world.second
    assert second is not None and len(world.receiving_dirs) == 2
    with Profile.open(world.profile_dir, DEMO_PASSPHRASE) as a:
        referrals = ReferralService(a)
        person = a.db.scalar("SELECT id FROM people ORDER BY first_name LIMIT 1")
        sent = [
            referrals.send(
                Referral(
                    person_id=person,
                    to_agency=agency,
                    reason="Older boys asking him to carry packages out of London",
                    lawful_basis="public_task",
                    shared_fields=[],
                )
            )
            for agency in ("tys", "igt")
        ]
        assert all(r.to_team_id for r in sent)  # addressed to the demo's teams, learned at start
        report = sync_once(a)
        assert report.rejected == 0, rejections(a)
        wait_for(lambda: {r.id for r in sent} <= set(second.answered), timeout=90)
        sync_once(a)
        for r in sent:
            view = referrals.get(r.id)
            assert view is not None and view.status == ReferralStatus.ACCEPTED
            assert any(e.note.startswith("Accepted by the Demo") for e in view.events)
    assert second.errors == 0
