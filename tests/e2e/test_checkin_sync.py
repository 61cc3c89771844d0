"""End to end, on SQLite and PostgreSQL: a coach takes check-ins at a session on one laptop, in the real check-in
window with the number keys; two are anonymous and one young person chooses to put his name on his. After both
laptops sync with a real `youthwork-server` process, the check-ins are in the quarter's board pack on the supervisor's
laptop, by place and programme, showing no names; the anonymous ones have no person link anywhere (the coach's
table and outbox, the service's records, the supervisor's laptop), and only the chosen one names him."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from server_process import PASSWORD, ServerProcess, sync_once

from ui.backend import Backend
from ui.checkins.dialog import CheckinDialog
from youthwork.domain.checkins import SessionCheckin
from youthwork.domain.clock import utc_now
from youthwork.domain.records import Session, YoungPerson
from youthwork.domain.weeks import Period
from youthwork.reports.board import board_summary
from youthwork.services.people import PeopleService
from youthwork.services.sessions import SessionService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-checkins"), database_url)
    server.add_team("Detached North", "detached")
    server.add_user("coach", "Detached North")
    server.add_user("jo", "Detached North", role="supervisor")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title())
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    return profile


def _service_checkins(server: ServerProcess) -> dict[str, dict[str, Any]]:
    """The service's stored check-ins, by id, as an operator reads them (JSON text on SQLite, decoded on PostgreSQL)."""
    rows = server.rows("SELECT record_id, data FROM records WHERE table_name = 'session_checkins'")
    return {rid: json.loads(data) if isinstance(data, str) else data for rid, data in rows}


@pytest.mark.slow
def test_a_checkin_reaches_the_supervisors_quarter(tmp_path: Path, server: ServerProcess, qtbot) -> None:
    coach = _laptop(tmp_path, server, "coach")
    jo = _laptop(tmp_path, server, "jo")
    try:
        kai = PeopleService(coach).add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))
        starts = utc_now() - timedelta(days=1)  # yesterday's session: its quarter is this one or the last
        session = SessionService(coach).save_draft(
            Session(
                session_type="kicks", area="Brenchley Gardens", starts_at=starts, ends_at=starts + timedelta(hours=2)
            ),
            [kai.id],
        )
        backend = Backend.for_profile(coach, tmp_path / "coach")
        dialog = CheckinDialog(backend, session)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)  # its keys (Alt+N) work in the active window
        for keys in ("113", "2", "0", "4"):  # yes, yes, more sessions · not sure, skip, indoors
            for key in keys:
                qtbot.keyClick(dialog, key)
        # Kai chooses to put his name on his: Alt+N, his answers, then himself from the register.
        qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        for key in "321":  # no, not sure, nothing - it's good
            qtbot.keyClick(dialog, key)
        qtbot.keyClick(dialog.names, "k")
        qtbot.keyClick(dialog.names, Qt.Key.Key_Return)
        assert dialog.saved == 3 and "Saved with your name on it (3" in dialog.status.text()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        taken = coach.records.select(SessionCheckin, "session_id = ?", (session.id,), order="created_at")
        assert [(c.felt_safe, c.someone_to_talk, c.would_help, c.person_id) for c in taken] == [
            ("yes", "yes", "more_sessions", ""),
            ("not_sure", "", "indoors", ""),
            ("no", "not_sure", "nothing", kai.id),
        ]
        anonymous, named = {c.id for c in taken[:2]}, taken[2].id
        # The anonymous ones have no person link on the coach's laptop, in its table or its outbox.
        for cid in anonymous:
            (row,) = coach.db.query("SELECT person_id FROM session_checkins WHERE id = ?", (cid,))
            (queued,) = coach.db.query("SELECT fields FROM outbox WHERE record_id = ?", (cid,))
            assert row[0] == "" and not json.loads(queued[0]).get("person_id")

        sync_once(coach)
        sync_once(jo)
        # Nor on the service; the named one names Kai there.
        stored = _service_checkins(server)
        assert set(stored) == {c.id for c in taken}
        assert [cid for cid, data in stored.items() if data.get("person_id")] == [named]
        assert stored[named]["person_id"] == kai.id
        quarter = Period.quarter_of(starts.date())
        pack = board_summary(jo.db, quarter)
        voice = {(v.kind, v.key): v for v in pack.voice}
        assert set(voice[("all", "all")].ids) == {c.id for c in taken}
        assert len(voice[("place", "Brenchley Gardens")].ids) == 3 and len(voice[("programme", "kicks")].ids) == 3
        assert voice[("all", "all")].felt_safe == 1
        assert pack.figure("check_ins").value == 3
        # The quarter's summary shows no one's name or id, the named check-in's included.
        shown = json.dumps(pack.to_dict()["young_peoples_voice"])
        assert kai.id not in shown and "Kai" not in shown
        # On the supervisor's laptop only the one Kai chose names anyone.
        rows = {r[0]: r[1] for r in jo.db.query("SELECT id, person_id FROM session_checkins")}
        assert rows == {**{cid: "" for cid in anonymous}, named: kai.id}
    finally:
        coach.close()
        jo.close()
