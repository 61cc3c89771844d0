"""Sessions and their registers: save a draft as the worker goes, submit it for sign-off when done."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import Attendance, CaseNote, Session, YoungPerson, utc_now
from youthwork.domain.validation import Problem, ValidationError, validate_session
from youthwork.domain.vocab import SessionStatus
from youthwork.security.audit import AuditTrail
from youthwork.services.people import PeopleService, fts_query
from youthwork.store.profile import Profile
from youthwork.store.rowcodec import codec_for
from youthwork.store.settings import DISPLAY_NAME, WORKER_NAME, WORKER_NAMES

log = logging.getLogger(__name__)

MATCH_CANDIDATES = 50  # names matching what was typed, before they are ranked for this session's place


@dataclass(frozen=True, slots=True)
class RegisterMatch:
    """A young person matching what was typed into a register's find box, and why they rank where they do."""

    person: YoungPerson
    same_area: bool  # lives on (is recorded at) this session's estate or place
    been_here: bool  # on an earlier register at this estate or place
    exact: bool  # every word typed is a whole name, not only the start of one

    @property
    def rank(self) -> tuple[int, int]:
        return int(self.same_area) + int(self.been_here), int(self.exact)


def team_names(profile: Profile) -> dict[str, str]:
    """The team's users by id, as known on this laptop (synced names), with this laptop's own user under the name
    of their account once enrolled (the local name before)."""
    names = {str(k): str(v) for k, v in (profile.get_setting(WORKER_NAMES) or {}).items()}
    me = profile.user_id
    if me:
        mine = profile.get_setting(DISPLAY_NAME) or profile.get_setting(WORKER_NAME) or names.get(me, "")
        names[me] = str(mine or "Me")
    return names


def ambiguous(matches: list[RegisterMatch]) -> bool:
    """More than one match is as good as the best: the worker must choose, or the wrong child may be ticked."""
    return len(matches) > 1 and matches[0].rank == matches[1].rank


# A draft may be missing these; submitting needs them.
_MAY_BE_MISSING_IN_DRAFT = {"starts_at", "ends_at", "area", "concern_details"}


class SessionService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db
        self._repo = profile.records

    def save_draft(self, session: Session, register: list[str], concern_about: list[str] | None = None) -> Session:
        """Save the session and its register (person ids) together. Incomplete drafts are fine.

        `concern_about`: who on the register the safeguarding concern is about (None keeps what is recorded; no
        concern on the session clears it)."""
        old = self._repo.get(Session, session.id)
        if old is not None and old.status == SessionStatus.APPROVED:
            raise ValidationError([Problem("status", "This session has been signed off and can't be changed.")])
        problems = [
            p
            for p in validate_session(session)
            if p.field not in _MAY_BE_MISSING_IN_DRAFT or _has_value(session, p.field)
        ]
        if problems:
            raise ValidationError(problems)
        if old is None:
            session.created_by = session.created_by or self._profile.user_id
            session.team_id = session.team_id or self._profile.team_id
            if not session.workers and self._profile.user_id:
                session.workers = [self._profile.user_id]
        if session.status not in (SessionStatus.DRAFT, SessionStatus.RETURNED):
            session.status = SessionStatus.DRAFT.value
        wanted = list(dict.fromkeys(register))  # keep order, drop repeats
        with self._profile.transaction():
            # One query each for "are they all here?" and "who has been to a session before?" (not 20 of each).
            listed = json.dumps(wanted)
            here = self._db.query("SELECT id FROM people WHERE id IN (SELECT value FROM json_each(?))", (listed,))
            if len(here) < len(wanted):
                raise ValidationError([Problem("register", "Someone on the register is not on this laptop.")])
            self._repo.save(session)
            current = {a.person_id: a for a in self._repo.select(Attendance, "session_id = ?", (session.id,))}
            if not session.concern:
                about: set[str] = set()
            elif concern_about is None:
                about = {pid for pid, a in current.items() if a.concern}
            else:
                about = set(concern_about)
            for pid, a in current.items():
                if pid not in wanted:
                    self._repo.delete(Attendance, a.id)
                elif a.concern != (pid in about):
                    a.concern = pid in about
                    self._repo.save(a)
            adding = [pid for pid in wanted if pid not in current]
            seen_before = {
                r[0]
                for r in self._db.query(
                    "SELECT DISTINCT person_id FROM attendance"
                    " WHERE person_id IN (SELECT value FROM json_each(?)) AND session_id != ?",
                    (json.dumps(adding), session.id),
                )
            }
            for pid in adding:
                self._repo.save(
                    Attendance(
                        session_id=session.id,
                        person_id=pid,
                        new_face=pid not in seen_before,
                        concern=pid in about,
                        team_id=session.team_id,
                        created_by=self._profile.user_id,
                    )
                )
            AuditTrail(self._profile).record(AuditAction.CHANGED, Session.TABLE, session.id, reason="session_saved")
        return session

    def submit(self, session_id: str) -> Session:
        """Send a finished session for sign-off; refuses an empty register with no headcount."""
        session = self._repo.get(Session, session_id)
        if session is None:
            raise ValidationError([Problem("id", "That session can't be found.")])
        if session.status in (SessionStatus.SUBMITTED, SessionStatus.APPROVED):
            return session
        size = self._repo.count(Attendance, "session_id = ?", (session_id,))
        problems = validate_session(session, register_size=size)
        if problems:
            raise ValidationError(problems)
        session.status = SessionStatus.SUBMITTED.value
        session.submitted_at = utc_now()
        with self._profile.transaction():
            saved = self._repo.save(session)
            AuditTrail(self._profile).record(AuditAction.CHANGED, Session.TABLE, session.id, reason="session_submitted")
        return saved

    def discard_draft(self, session_id: str) -> None:
        """Throw away a draft the worker no longer wants (a session logged twice, a slip): the session and its
        register go, with an audit line. Submitted or signed-off sessions are kept: they are delivered work."""
        session = self._repo.get(Session, session_id)
        if session is None:
            return
        if session.status != SessionStatus.DRAFT:
            raise ValidationError(
                [Problem("status", "Only a draft can be discarded. This session has been submitted, so it is kept.")]
            )
        if self._repo.count(CaseNote, "session_id = ?", (session_id,)):
            # A case note is a fact on a child's record and is never deleted: the session it came from stays too.
            raise ValidationError(
                [Problem("status", "Case notes were written from this draft, so it is kept. Submit it instead.")]
            )
        with self._profile.transaction():
            for a in self._repo.select(Attendance, "session_id = ?", (session_id,)):
                self._repo.delete(Attendance, a.id)
            self._repo.delete(Session, session_id)
            AuditTrail(self._profile).record(
                AuditAction.CHANGED, Session.TABLE, session_id, reason="session_draft_discarded"
            )

    def register_matches(self, text: str, area: str, place: str, limit: int = 8) -> list[RegisterMatch]:
        """Young people matching `text` for a session at `area`/`place`: those recorded at that estate or place and
        those on an earlier register there first; otherwise in the search's own order."""
        query = fts_query(text)
        if query is None:
            return []
        people = PeopleService(self._profile).search(text, limit=MATCH_CANDIDATES)
        wheres = {w.strip().lower() for w in (area, place) if w.strip()}
        if area.strip():
            codec = codec_for(YoungPerson)
            local = self._db.query(
                "SELECT * FROM people WHERE area = ? AND rid IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)"
                " LIMIT ?",
                (area.strip(), query, MATCH_CANDIDATES),
            )
            known = {p.id for p in people}
            people += [p for p in (codec.from_row(r) for r in local) if p.id not in known]  # type: ignore[misc]
        been_here: set[str] = set()
        if wheres and people:
            been_here = {
                r[0]
                for r in self._db.query(
                    "SELECT DISTINCT a.person_id FROM attendance a JOIN sessions s ON s.id = a.session_id"
                    " WHERE a.person_id IN (SELECT value FROM json_each(?))"
                    " AND (lower(trim(s.area)) IN (SELECT value FROM json_each(?))"
                    " OR lower(trim(s.place)) IN (SELECT value FROM json_each(?)))",
                    (json.dumps([p.id for p in people]), json.dumps(sorted(wheres)), json.dumps(sorted(wheres))),
                )
            }
        words = [w.lower() for w in text.split()]
        matches = []
        for p in people:
            names = {n.lower() for n in f"{p.first_name} {p.last_name} {p.known_as}".split()}
            matches.append(
                RegisterMatch(
                    person=p,
                    same_area=bool(wheres) and p.area.strip().lower() in wheres,
                    been_here=p.id in been_here,
                    exact=all(w in names for w in words),
                )
            )
        matches.sort(key=lambda m: m.rank, reverse=True)  # stable: equals keep the search's order
        return matches[:limit]

    def get(self, session_id: str) -> Session | None:
        return self._repo.get(Session, session_id)

    def register(self, session_id: str) -> list[YoungPerson]:
        rows = self._db.query(
            "SELECT p.* FROM attendance a JOIN people p ON p.id = a.person_id WHERE a.session_id = ?"
            " ORDER BY p.first_name COLLATE NOCASE, p.last_name COLLATE NOCASE",
            (session_id,),
        )
        return codec_for(YoungPerson).from_rows(rows)  # type: ignore[return-value]

    def concern_about(self, session_id: str) -> list[str]:
        """Who on the register the session's safeguarding concern is about (person ids)."""
        rows = self._db.query("SELECT person_id FROM attendance WHERE session_id = ? AND concern = 1", (session_id,))
        return [r[0] for r in rows]

    def concerns_about_person(self, person_id: str) -> set[str]:
        """Sessions whose safeguarding concern is about this young person (session ids)."""
        rows = self._db.query("SELECT session_id FROM attendance WHERE person_id = ? AND concern = 1", (person_id,))
        return {r[0] for r in rows}

    def register_sizes(self, session_ids: list[str]) -> dict[str, int]:
        """How many are on each session's register by name (the anonymous headcount is on the session)."""
        if not session_ids:
            return {}
        rows = self._db.query(
            "SELECT session_id, count(*) FROM attendance WHERE session_id IN (SELECT value FROM json_each(?))"
            " GROUP BY session_id",
            (json.dumps(session_ids),),
        )
        return {r[0]: int(r[1]) for r in rows}

    def recent(self, offset: int = 0, limit: int = 50) -> list[Session]:
        """Newest first."""
        order = "starts_at IS NULL, starts_at DESC, id DESC"
        return self._repo.select(Session, order=order, limit=limit, offset=offset)

    def for_person(self, person_id: str) -> list[Session]:
        """Sessions the young person was registered at, newest first."""
        return self._repo.select(
            Session,
            "id IN (SELECT session_id FROM attendance WHERE person_id = ?)",
            (person_id,),
            order="starts_at DESC, id DESC",
        )


def _has_value(session: Session, name: str) -> bool:
    if name == "area":
        return bool(session.area.strip() or session.place.strip())
    if name == "concern_details":
        return not session.concern
    return getattr(session, name) is not None
