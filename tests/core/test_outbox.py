"""The outbox: what the sync engine relies on. Pulled changes are applied by `apply_page` (tests/sync/test_apply.py)."""

from __future__ import annotations

import pytest

from youthwork.domain import YoungPerson
from youthwork.domain.hlc import Timestamp


def test_new_record_queues_all_fields_and_an_edit_only_the_changed_ones(profile):
    p = profile.records.save(YoungPerson(first_name="Kai", area="Peckham", risk_indicators=["gang"]))
    p.known_as = "K"
    profile.records.save(p)
    profile.records.save(p)  # nothing changed: nothing queued
    first, second = profile.outbox.pending()
    assert (first.table, first.record_id, first.op, first.base_version) == ("people", p.id, "upsert", 0)
    assert first.fields["risk_indicators"] == ["gang"] and first.fields["first_name"] == "Kai"
    assert set(second.fields) == {"known_as", "updated_at"}
    assert Timestamp.parse(first.hlc) < Timestamp.parse(second.hlc)
    assert profile.outbox.count() == 2


def test_record_and_outbox_entry_commit_together_or_not_at_all(profile):
    with pytest.raises(RuntimeError), profile.transaction():
        profile.records.save(YoungPerson(first_name="Gone"))
        raise RuntimeError("crash mid-way")
    assert profile.records.count(YoungPerson) == 0 and profile.outbox.count() == 0
    # A failing outbox insert (duplicate change id) takes the record with it.
    profile.db.execute(
        "CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(Exception, match="disk full"):
        profile.records.save(YoungPerson(first_name="AlsoGone"))
    assert profile.records.count(YoungPerson) == 0 and profile.outbox.count() == 0


def test_acknowledge_removes_entries_and_never_moves_versions(profile):
    """The version an acknowledgement reports may include other laptops' changes not pulled yet: it is not kept."""
    p = profile.records.save(YoungPerson(first_name="Kai"))
    p.known_as = "K"
    profile.records.save(p)
    first, second = profile.outbox.pending()
    profile.outbox.acknowledge([first.change_id])
    assert profile.records.server_version(YoungPerson, p.id) == 0
    [left] = profile.outbox.pending()
    assert left.change_id == second.change_id and left.base_version == 0
    p.known_as = "Kai K"
    profile.records.save(p)
    assert profile.outbox.pending()[-1].base_version == 0


def test_nested_transactions_roll_back_only_the_inner_part(profile):
    with profile.transaction():
        profile.records.save(YoungPerson(first_name="Kept"))
        with pytest.raises(ValueError), profile.transaction():
            profile.records.save(YoungPerson(first_name="Dropped"))
            raise ValueError
    assert [p.first_name for p in profile.records.select(YoungPerson)] == ["Kept"]
    assert profile.outbox.count() == 1


def test_hlc_survives_reopening(profile_dir, profile):
    from tests.core.conftest import PASSPHRASE
    from youthwork.store.profile import Profile

    profile.records.save(YoungPerson(first_name="A"))
    last = profile.outbox.pending()[-1].hlc
    profile.close()
    with Profile.open(profile_dir, PASSPHRASE) as again:
        assert str(again.outbox.clock.last) == last
        again.records.save(YoungPerson(first_name="B"))
        assert again.outbox.pending()[-1].hlc > last


def test_a_crash_mid_transaction_leaves_neither_record_nor_outbox_entry(profile_dir, profile):
    import subprocess
    import sys
    from pathlib import Path

    from tests.core.conftest import PASSPHRASE
    from youthwork.store.profile import Profile

    profile.close()
    code = (
        "import os, sys\n"
        "from youthwork.domain import YoungPerson\n"
        "from youthwork.store.profile import Profile\n"
        "p = Profile.open(sys.argv[1], sys.argv[2])\n"
        "p.records.save(YoungPerson(first_name='Committed'))\n"
        "with p.transaction():\n"
        "    p.records.save(YoungPerson(first_name='Lost'))\n"
        "    p.db.execute('PRAGMA cache_size = 10')\n"
        "    for i in range(600):  # enough that pages spill into the WAL before the commit\n"
        "        p.records.save(YoungPerson(first_name='Lost', address='x' * 500))\n"
        "    os._exit(9)  # the laptop dies before the commit\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code, str(profile_dir), PASSPHRASE], cwd=root, timeout=60)
    assert out.returncode == 9
    assert (profile_dir / "youthwork.db-wal").stat().st_size > 200_000  # uncommitted pages did reach the disk
    with Profile.open(profile_dir, PASSPHRASE) as again:
        assert [p.first_name for p in again.records.select(YoungPerson)] == ["Committed"]
        assert [e.fields["first_name"] for e in again.outbox.pending()] == ["Committed"]
