"""End to end, on SQLite and PostgreSQL: a coach takes anonymous check-ins at a session on one laptop, in the real
check-in window with the number keys; after both laptops sync with a real `youthwork-server` process, the check-ins
are in the quarter's board pack on the supervisor's laptop (and the service's), by place and programme, with no link
to anyone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from server_process import PASSWORD, ServerProcess, sync_once

from ui.backend import Backend
from ui.checkins.dialog import CheckinDialog
from youthwork.domain.checkins import SessionCheckin
from youthwork.domain.clock import utc_now
from youthwork.domain.records import Session
from youthwork.domain.weeks import Period
from youthwork.reports.board import board_summary
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


@pytest.mark.slow
def test_a_checkin_reaches_the_supervisors_quarter(tmp_path: Path, server: ServerProcess, qtbot) -> None:
    coach = _laptop(tmp_path, server, "coach")
    jo = _laptop(tmp_path, server, "jo")
    try:
        starts = utc_now() - timedelta(days=1)  # yesterday's session: its quarter is this one or the last
        session = SessionService(coach).save_draft(
            Session(
                session_type="kicks", area="Brenchley Gardens", starts_at=starts, ends_at=starts + timedelta(hours=2)
            ),
            [],
        )
        backend = Backend.for_profile(coach, tmp_path / "coach")
        dialog = CheckinDialog(backend, session)
        qtbot.addWidget(dialog)
        dialog.show()
        for keys in ("113", "2", "0", "4"):  # yes, yes, more sessions · not sure, skip, indoors
            for key in keys:
                qtbot.keyClick(dialog, key)
        assert dialog.saved == 2 and "Saved (2" in dialog.status.text()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        taken = coach.records.select(SessionCheckin, "session_id = ?", (session.id,), order="created_at")
        assert [(c.felt_safe, c.someone_to_talk, c.would_help) for c in taken] == [
            ("yes", "yes", "more_sessions"),
            ("not_sure", "", "indoors"),
        ]

        sync_once(coach)
        sync_once(jo)
        quarter = Period.quarter_of(starts.date())
        pack = board_summary(jo.db, quarter)
        voice = {(v.kind, v.key): v for v in pack.voice}
        assert set(voice[("all", "all")].ids) == {c.id for c in taken}
        assert len(voice[("place", "Brenchley Gardens")].ids) == 2 and len(voice[("programme", "kicks")].ids) == 2
        assert voice[("all", "all")].felt_safe == 1
        assert pack.figure("check_ins").value == 2
        # Nothing on the supervisor's laptop ties a check-in to a young person.
        row = dict(jo.db.query("SELECT * FROM session_checkins LIMIT 1")[0])
        assert not any("person" in k for k in row) and row["session_id"] == session.id
    finally:
        coach.close()
        jo.close()
