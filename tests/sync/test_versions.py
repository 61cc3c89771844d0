"""The version an edit claims to have seen (`base_version`) is what this laptop has applied, never what a push
acknowledgement reported. Each test is a way the old rule lost a safety-critical edit (B's red RAG) with no conflict
kept; the rule itself is model-checked in youthwork/sync/model/.

The real engine and a real server app in this process; a transport that fails pulls stands for a dropped connection
between the push and the pull of one sync.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import Server, client_for, enrolled_profile, start_server

from youthwork.domain.records import YoungPerson
from youthwork.store.profile import Profile
from youthwork.sync.engine import SyncEngine, SyncReport
from youthwork.sync.errors import Offline, SyncError
from youthwork.sync.transport import HttpTransport


class PullsFail:
    """Pushes reach the server; every pull is lost (the connection drops after the push)."""

    def __init__(self, inner: HttpTransport) -> None:
        self.inner = inner

    def request(self, method: str, path: str, body: dict[str, Any] | None, token: str | None) -> tuple[int, bytes]:
        if path == "/sync/pull":
            raise Offline("The server could not be reached. Your work is safe on this laptop.")
        return self.inner.request(method, path, body, token)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = start_server(tmp_path)
    yield s
    s.close()


def sync(server: Server, profile: Profile, **kw: Any) -> SyncReport:
    return SyncEngine(profile, client_for(server, profile), **kw).run()


def sync_push_only(server: Server, profile: Profile) -> None:
    engine = SyncEngine(profile, client_for(server, profile, PullsFail(HttpTransport(client=server.http))))
    with pytest.raises(SyncError):
        engine.run()


def edit(profile: Profile, rid: str, **values: Any) -> None:
    p = profile.records.get(YoungPerson, rid)
    assert p is not None
    for k, v in values.items():
        setattr(p, k, v)
    profile.records.save(p)


def rag_conflicts(server: Server, rid: str) -> list[Any]:
    return [c for c in server.conflicts() if c.record_id == rid and c.field == "rag"]


def two_laptops_and_red(server: Server, tmp_path: Path) -> tuple[Profile, Profile, str]:
    """A and B hold Jay at amber; B raises RAG to red and syncs; A has not pulled it."""
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    jay = a.records.save(YoungPerson(first_name="Jay", area="Peckham", rag="amber", team_id=a.team_id))
    sync(server, a)
    sync(server, b)
    edit(b, jay.id, rag="red")
    sync(server, b)
    return a, b, jay.id


def test_acknowledged_push_then_failed_pull_then_offline_rag_edit_keeps_the_servers_red(
    server: Server, tmp_path: Path
) -> None:
    a, _b, rid = two_laptops_and_red(server, tmp_path)
    edit(a, rid, area="Nunhead")
    sync_push_only(server, a)  # acknowledged (the server's version is now past B's red), pull lost
    assert a.records.server_version(YoungPerson, rid) == 1, "an acknowledgement moved the applied version"
    edit(a, rid, rag="green")  # offline: A never saw red
    (entry,) = a.outbox.pending()
    assert entry.base_version == 1
    report = sync(server, a)
    assert report.conflicts == 1
    (c,) = rag_conflicts(server, rid)
    assert (c.kept, c.server_value, c.incoming_value) == ("server", "red", "green")
    assert server.records()[rid]["rag"] == "red" == a.records.get(YoungPerson, rid).rag


def test_save_between_push_and_pull_of_a_background_sync_keeps_the_servers_red(server: Server, tmp_path: Path) -> None:
    a, _b, rid = two_laptops_and_red(server, tmp_path)
    edit(a, rid, area="Nunhead")
    background = a.another_connection()  # the app's sync thread has its own connection; the worker uses `a`
    saved: list[int] = []

    def worker_saves(point: str) -> None:
        if point == "pulled" and not saved:  # pushed and acknowledged; the page is on its way
            edit(a, rid, rag="green")
            saved.append(1)

    try:
        SyncEngine(background, client_for(server, background), hook=worker_saves).run()
    finally:
        background.close()
    assert saved
    (entry,) = a.outbox.pending()
    assert entry.base_version == 1, "the edit claimed a version this laptop had not applied"
    sync(server, a)
    (c,) = rag_conflicts(server, rid)
    assert (c.kept, c.server_value, c.incoming_value) == ("server", "red", "green")
    assert server.records()[rid]["rag"] == "red" == a.records.get(YoungPerson, rid).rag


def test_second_edit_of_a_field_a_pull_left_alone_claims_the_first_edits_base(server: Server, tmp_path: Path) -> None:
    """A pulled page skips a field with an unsent change, so a later edit of it has seen no more than the first."""
    a, _b, rid = two_laptops_and_red(server, tmp_path)
    edit(a, rid, rag="green")  # offline, on top of amber (version 1)
    SyncEngine(a, client_for(server, a)).pull_all(SyncReport())  # B's red arrives; RAG left alone (unsent)
    assert a.records.get(YoungPerson, rid).rag == "green" and a.records.server_version(YoungPerson, rid) == 2
    edit(a, rid, area="Nunhead")  # a field the pull did apply: this edit has seen version 2
    edit(a, rid, rag="amber")
    bases = [e.base_version for e in a.outbox.pending()]
    assert bases == [1, 2, 1]
    sync(server, a)
    held = [(c.kept, c.incoming_value) for c in rag_conflicts(server, rid)]
    assert held == [("server", "green"), ("server", "amber")]
    assert server.records()[rid]["rag"] == "red" == a.records.get(YoungPerson, rid).rag
    assert server.records()[rid]["area"] == "Nunhead"


def test_safety_critical_conflict_shows_the_servers_value_even_when_the_pull_fails(
    server: Server, tmp_path: Path
) -> None:
    """The server kept its red: the laptop shows it at once, not only when a later pull happens to bring it."""
    a, _b, rid = two_laptops_and_red(server, tmp_path)
    edit(a, rid, rag="green")
    SyncEngine(a, client_for(server, a)).pull_all(SyncReport())  # red arrives but RAG is unsent: left alone
    assert a.records.get(YoungPerson, rid).rag == "green"
    sync_push_only(server, a)  # the conflict answer comes back; no pull after it
    (c,) = rag_conflicts(server, rid)
    assert c.kept == "server"
    assert a.records.get(YoungPerson, rid).rag == "red"
    assert a.outbox.count() == 0


def test_an_acknowledged_creation_is_this_laptops_own_version(server: Server, tmp_path: Path) -> None:
    a = enrolled_profile(server, tmp_path / "a", "ana")
    jay = a.records.save(YoungPerson(first_name="Jay", team_id=a.team_id))
    sync_push_only(server, a)
    assert a.records.server_version(YoungPerson, jay.id) == 1 and a.outbox.count() == 0


class PushReplyLost:
    """The first push reaches the server and commits, but its reply never arrives."""

    def __init__(self, inner: HttpTransport) -> None:
        self.inner = inner
        self.lost = False

    def request(self, method: str, path: str, body: dict[str, Any] | None, token: str | None) -> tuple[int, bytes]:
        reply = self.inner.request(method, path, body, token)
        if path == "/sync/push" and not self.lost:
            self.lost = True
            raise Offline("The server could not be reached. Your work is safe on this laptop.")
        return reply


def test_a_value_pulled_while_a_change_waited_for_its_lost_reply_is_shown_after_the_resend(
    server: Server, tmp_path: Path
) -> None:
    """Found by the model (youthwork/sync/model): the page left the field alone for the unsent change; the resend is
    answered from the server's record, older than the page; nothing more comes to pull. Without putting the page's
    value back, this laptop would show its own older value for ever."""
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    jay = a.records.save(YoungPerson(first_name="Jay", area="Peckham", team_id=a.team_id))
    sync(server, a)
    sync(server, b)
    edit(a, jay.id, area="Nunhead")
    with pytest.raises(SyncError):
        SyncEngine(a, client_for(server, a, PushReplyLost(HttpTransport(client=server.http)))).run()
    edit(b, jay.id, area="Camberwell")
    sync(server, b)  # a conflict: the later arrival wins, Nunhead is kept in the conflicts list
    SyncEngine(a, client_for(server, a)).pull_all(SyncReport())  # Camberwell arrives; area unsent here: left alone
    assert a.records.get(YoungPerson, jay.id).area == "Nunhead"
    sync(server, a)  # the resend is answered from what the server stored
    assert server.records()[jay.id]["area"] == "Camberwell" == a.records.get(YoungPerson, jay.id).area
    assert a.db.scalar("SELECT count(*) FROM sync_state WHERE key LIKE 'skipped:%'") == 0
