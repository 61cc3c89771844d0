"""Use cases the desktop app and the CLI call. They validate with the domain's rules and raise ValidationError
with messages for a youth worker; they write through the store's repository (one transaction per use case)."""

from youthwork.services.drafts import DraftService
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleFilter, PeopleService, PersonRow
from youthwork.services.sessions import SessionService

__all__ = ["DraftService", "NoteService", "PeopleFilter", "PeopleService", "PersonRow", "SessionService"]
