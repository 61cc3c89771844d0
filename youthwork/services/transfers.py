"""Moving a young person to another team: proposing it, answering one sent to this team, and what follows on this
laptop once a move from this team is accepted.

    moves = TransferService(profile)
    moves.propose(person_id, to_team_id, "Moving north with mum; sees Amy on Tuesdays.")   # a supervisor
    moves.incoming()                                   # moves waiting for this team's answer
    moves.accept(move_id) / moves.decline(move_id, "Not our area: ask Camberwell.") / moves.withdraw(move_id)

The move is a synced record (`PersonTransfer`); the service checks every step and changes the owning team when the
receiving team accepts (youthwork/server/transfers.py). After every pull `apply_incoming` makes this laptop hold what
its team may hold now: for a move from this team that was accepted, the records that went leave this laptop and the
young person's record keeps only the minimum (name, known as, area), so the team's own notes still say who they are
about. Nothing is queued: the service made the change, this laptop only follows it.
"""

from __future__ import annotations

import logging

from youthwork.domain.errors import ShownError
from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import MINIMUM_PERSON_FIELDS, YoungPerson, utc_now
from youthwork.domain.transfers import CAN_GO, GOES_BY_DEFAULT, PersonTransfer, TransferStatus, moving_tables
from youthwork.domain.validation import check
from youthwork.domain.vocab import Role
from youthwork.privacy.erasure import records_about
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.rowcodec import codec_for
from youthwork.store.settings import OTHER_TEAMS, ROLE
from youthwork.sync import device
from youthwork.sync.errors import SyncError

log = logging.getLogger(__name__)

_DONE = "transfer_done:"  # sync_state key: a move from this team already followed on this laptop


class TransferRefused(ShownError):
    """A move this laptop's user can't make or answer, in words a youth worker understands."""


class TransferService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db
        self._repo = profile.records

    def is_supervisor(self) -> bool:
        return self._profile.get_setting(ROLE) == Role.SUPERVISOR

    # ---- the other teams ------------------------------------------------------------------------------------------

    def teams(self) -> dict[str, str]:
        """The other teams this laptop knows of (id -> name), sorted by name."""
        known = {str(k): str(v) for k, v in (self._profile.get_setting(OTHER_TEAMS) or {}).items()}
        return dict(sorted(known.items(), key=lambda kv: (kv[1].lower(), kv[0])))

    def team_name(self, team_id: str) -> str:
        if team_id == self._profile.team_id:
            return "your team"
        return self.teams().get(team_id) or "another team"

    def fetch_teams(self) -> dict[str, str]:
        """Ask the service for the teams a young person can move to, and remember them. Needs the network: run it
        off the UI thread. Keeps what it knew when the service can't be reached."""
        try:
            client = device.client_for(self._profile)
        except SyncError as e:
            log.info("other teams not available: %s", type(e).__name__)
            return self.teams()
        try:
            teams = client.other_teams()
        except SyncError as e:
            log.info("other teams not available: %s", type(e).__name__)
            return self.teams()
        finally:
            close = getattr(client.transport, "close", None)
            if close:
                close()
        known = dict(self._profile.get_setting(OTHER_TEAMS) or {})
        known.update({t["id"]: t.get("name") or t["id"] for t in teams if t.get("id")})
        self._profile.set_setting(OTHER_TEAMS, known)
        return self.teams()

    # ---- reading --------------------------------------------------------------------------------------------------

    def incoming(self) -> list[PersonTransfer]:
        """Moves to this team waiting for an answer, oldest first."""
        return self._repo.select(
            PersonTransfer,
            "to_team_id = ? AND status = ?",
            (self._profile.team_id, TransferStatus.PROPOSED.value),
            order="created_at, id",
        )

    def for_person(self, person_id: str) -> list[PersonTransfer]:
        """Moves of this young person, newest first."""
        return self._repo.select(PersonTransfer, "person_id = ?", (person_id,), order="created_at DESC, id")

    def waiting(self, person_id: str) -> PersonTransfer | None:
        return next((m for m in self.for_person(person_id) if m.status == TransferStatus.PROPOSED), None)

    def person_name(self, move: PersonTransfer) -> str:
        """Who a move is about, as far as this laptop knows them (the receiving team holds only the minimum)."""
        person = self._repo.get(YoungPerson, move.person_id)
        if person is None:
            return "A young person not yet on this laptop"
        name = f"{person.first_name} {person.last_name}".strip()
        return f"{name} ({person.known_as})" if person.known_as else name or "A young person"

    # ---- writing --------------------------------------------------------------------------------------------------

    def propose(
        self, person_id: str, to_team_id: str, note: str, goes: list[str] | tuple[str, ...] = GOES_BY_DEFAULT
    ) -> PersonTransfer:
        if not self.is_supervisor():
            raise TransferRefused("Only a supervisor can move a young person to another team. Ask your supervisor.")
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise TransferRefused("This young person is no longer on this laptop.")
        if person.team_id and person.team_id != self._profile.team_id:
            raise TransferRefused("This young person is held by another team, so only that team can move them.")
        if self.waiting(person_id) is not None:
            raise TransferRefused("This young person already has a move waiting for an answer.")
        move = PersonTransfer(
            team_id=self._profile.team_id,
            created_by=self._profile.user_id,
            person_id=person_id,
            to_team_id=to_team_id,
            note=note.strip(),
            goes=[table for table in CAN_GO if table in set(goes)],
            proposed_by=self._profile.user_id,
            proposed_at=utc_now(),
        )
        check(move)
        with self._profile.transaction():
            saved = self._repo.save(move)
            AuditTrail(self._profile).record(
                AuditAction.MOVE_PROPOSED, PersonTransfer.TABLE, move.id, person_id=person_id
            )
        return saved

    def accept(self, move_id: str) -> PersonTransfer:
        return self._answer(move_id, TransferStatus.ACCEPTED, "")

    def decline(self, move_id: str, reason: str) -> PersonTransfer:
        return self._answer(move_id, TransferStatus.DECLINED, reason)

    def _answer(self, move_id: str, status: TransferStatus, reason: str) -> PersonTransfer:
        move = self._open(move_id)
        if move.to_team_id != self._profile.team_id:
            raise TransferRefused("Only the receiving team can accept or decline a move.")
        if not self.is_supervisor():
            raise TransferRefused("Only a supervisor can accept or decline a move from another team.")
        move.status = status.value
        move.answered_by = self._profile.user_id
        move.answered_at = utc_now()
        move.decline_reason = reason.strip()
        check(move)
        action = AuditAction.MOVE_ACCEPTED if status == TransferStatus.ACCEPTED else AuditAction.MOVE_DECLINED
        with self._profile.transaction():
            saved = self._repo.save(move)
            AuditTrail(self._profile).record(action, PersonTransfer.TABLE, move.id, person_id=move.person_id)
        return saved

    def withdraw(self, move_id: str) -> PersonTransfer:
        move = self._open(move_id)
        if move.team_id != self._profile.team_id or not self.is_supervisor():
            raise TransferRefused("Only a supervisor of the team that proposed a move can withdraw it.")
        move.status = TransferStatus.WITHDRAWN.value
        with self._profile.transaction():
            saved = self._repo.save(move)
            AuditTrail(self._profile).record(
                AuditAction.MOVE_WITHDRAWN, PersonTransfer.TABLE, move.id, person_id=move.person_id
            )
        return saved

    def _open(self, move_id: str) -> PersonTransfer:
        move = self._repo.get(PersonTransfer, move_id)
        if move is None:
            raise TransferRefused("This move is no longer on this laptop.")
        if move.status != TransferStatus.PROPOSED:
            raise TransferRefused("This move has already been answered or withdrawn.")
        return move

    # ---- after a pull ---------------------------------------------------------------------------------------------

    def apply_incoming(self) -> int:
        """Follow accepted moves from this team not yet followed here; returns how many records left this laptop."""
        done = {
            key.removeprefix(_DONE)
            for (key,) in self._db.query("SELECT key FROM sync_state WHERE key LIKE ?", (f"{_DONE}%",))
        }
        gone = 0
        moves = self._repo.select(
            PersonTransfer, "team_id = ? AND status = ?", (self._profile.team_id, TransferStatus.ACCEPTED.value)
        )
        for move in moves:
            if move.id not in done:
                gone += self._follow(move)
        return gone

    def _follow(self, move: PersonTransfer) -> int:
        """What went with the young person leaves this laptop; their record keeps only the minimum."""
        tables = moving_tables(set(move.goes))
        mine = self._profile.team_id
        gone = 0
        with self._profile.transaction():
            for table, ids in records_about(self._db, move.person_id).items():
                if table not in tables or not ids:
                    continue
                marks = ",".join("?" * len(ids))
                sql = f"DELETE FROM {table} WHERE team_id = ? AND id IN ({marks})"
                gone += int(self._db.execute(sql, [mine, *sorted(ids)]).rowcount)
            codec = codec_for(YoungPerson)
            blank = codec.to_row(YoungPerson())
            keep = MINIMUM_PERSON_FIELDS | {"created_at", "updated_at", "created_by"}
            cleared = {n: v for n, v in blank.items() if n not in keep}
            cleared["active"] = codec.to_column("active", False)  # no longer on this team's caseload
            cleared["team_id"] = move.to_team_id
            sets = ", ".join(f"{n} = ?" for n in cleared)
            self._db.execute(f"UPDATE {YoungPerson.TABLE} SET {sets} WHERE id = ?", [*cleared.values(), move.person_id])
            self._db.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, '1') ON CONFLICT (key) DO NOTHING", (_DONE + move.id,)
            )
        log.info("a move to another team followed on this laptop: %d records left it", gone)
        return gone
