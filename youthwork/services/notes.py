"""Case notes: facts on a child's record. A correction is a new note pointing at the one it corrects."""

from __future__ import annotations

import logging

from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import CaseNote, YoungPerson
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


class NoteService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    def add(self, person_id: str, text: str, session_id: str | None = None, *, restricted: bool = False) -> CaseNote:
        if self._repo.get(YoungPerson, person_id) is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        note = CaseNote(
            person_id=person_id,
            session_id=session_id,
            text=text.strip(),
            author_id=self._profile.user_id,
            created_by=self._profile.user_id,
            team_id=self._profile.team_id,
            restricted=restricted,
        )
        check(note)
        return self._save(note, "note_added")

    def amend(self, note_id: str, text: str) -> CaseNote:
        """Add a correction to a note; the original stays as it was."""
        original = self._repo.get(CaseNote, note_id)
        if original is None:
            raise ValidationError([Problem("corrects_id", "The note being corrected can't be found.")])
        note = CaseNote(
            person_id=original.person_id,
            session_id=original.session_id,
            text=text.strip(),
            corrects_id=original.id,
            author_id=self._profile.user_id,
            created_by=self._profile.user_id,
            team_id=original.team_id or self._profile.team_id,
            restricted=original.restricted,
        )
        check(note)
        return self._save(note, "note_amended")

    def _save(self, note: CaseNote, code: str) -> CaseNote:
        # The note and its audit entry (ids and a code, never the text) are written together or not at all.
        with self._profile.transaction():
            saved = self._repo.save(note)
            AuditTrail(self._profile).record(
                AuditAction.CHANGED, CaseNote.TABLE, note.id, person_id=note.person_id, reason=code
            )
        return saved

    def get(self, note_id: str) -> CaseNote | None:
        return self._repo.get(CaseNote, note_id)

    def for_person(self, person_id: str) -> list[CaseNote]:
        """Oldest first; the UI shows each amendment under the note it corrects."""
        return self._repo.select(CaseNote, "person_id = ?", (person_id,), order="written_at, rowid")
