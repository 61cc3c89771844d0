"""Young people: add, update, find (full-text), list a page at a time, spot duplicates, set RAG ratings."""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from youthwork.domain.circumstances import CircumstanceChange, changes_between
from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import RagRating, YoungPerson
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.domain.vocab import Role
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.rowcodec import codec_for
from youthwork.store.settings import ROLE, WORKER_NAMES

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)
CLOSE_NAME = 0.8
RANK_AT_MOST = 500
MANY_MATCHES = 2000
_MATCH_ROWIDS = "SELECT rowid FROM people_fts WHERE people_fts MATCH ? LIMIT ?"


def fts_query(text: str) -> str | None:
    """Each word the user typed becomes a prefix term; all must match. None when there is nothing to search."""
    words = _WORD.findall(text.lower())
    return " ".join(f'"{w}"*' for w in words) or None


@dataclass(slots=True, kw_only=True)
class PeopleFilter:
    text: str = ""
    area: str | None = None
    rag: str | None = None
    lead_worker_id: str | None = None
    risk_indicator: str | None = None
    active: bool | None = None  # None = any


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonRow:
    """What a list of young people shows: light, so 100,000 of them scroll smoothly."""

    id: str
    display_name: str
    first_name: str
    last_name: str
    known_as: str
    age: int | None
    area: str
    postcode: str
    rag: str | None
    lead_worker_id: str
    lead_worker: str
    nfa_count: int
    risk_indicators: tuple[str, ...]
    incomplete: bool
    active: bool
    last_seen: datetime | None


_ROW_COLUMNS = (
    "id, first_name, last_name, known_as, date_of_birth, estimated_age, age_estimated_on, created_at, area, postcode,"
    " rag, lead_worker_id, nfa_count, risk_indicators, incomplete, active"
)


class PeopleService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db
        self._repo = profile.records

    # ---- writing ------------------------------------------------------------------------------------------------

    def add(self, person: YoungPerson, changed_on: date | None = None) -> YoungPerson:
        check(person)
        if self._repo.get(YoungPerson, person.id) is not None:
            raise ValidationError([Problem("id", "This young person has already been added.")])
        person.created_by = person.created_by or self._profile.user_id
        person.team_id = person.team_id or self._profile.team_id
        person.postcode = person.postcode.strip().upper()
        with self._profile.transaction():
            saved = self._repo.save(person)
            self._record_circumstances(None, saved, changed_on)
        return saved

    def update(self, person: YoungPerson, changed_on: date | None = None) -> YoungPerson:
        """Save the profile; each circumstance it changes (education, looked-after, social care, risk indicators,
        address) is also recorded with its date, `changed_on` or today."""
        check(person)
        before = self._repo.get(YoungPerson, person.id)
        if before is None:
            raise ValidationError([Problem("id", "This young person is no longer on this laptop.")])
        person.postcode = person.postcode.strip().upper()
        with self._profile.transaction():
            saved = self._repo.save(person)
            self._record_circumstances(before, saved, changed_on)
            AuditTrail(self._profile).record(AuditAction.CHANGED, YoungPerson.TABLE, person.id, person_id=person.id)
        return saved

    def _record_circumstances(self, before: YoungPerson | None, after: YoungPerson, changed_on: date | None) -> None:
        if self._profile.get_setting(ROLE) == Role.PARTNER:
            return  # partner staff hold none of these details, nor their history
        day = changed_on or date.today()
        for change in changes_between(before, after, day, self._profile.user_id):
            check(change)
            self._repo.save(change)

    def circumstances(self, person_id: str) -> list[CircumstanceChange]:
        """Their dated changes of circumstances, newest first."""
        return self._repo.select(
            CircumstanceChange, "person_id = ?", (person_id,), order="from_date DESC, created_at DESC, rowid DESC"
        )

    def record_viewed(self, person_id: str) -> None:
        """The worker opened this young person's profile: one audit entry per opening, not per tab."""
        AuditTrail(self._profile).record(AuditAction.VIEWED, YoungPerson.TABLE, person_id, person_id=person_id)

    def quick_add(self, name: str, area: str, estimated_age: int | None) -> YoungPerson:
        """A new face on a register: just a name, where, and a guessed age. Marked incomplete for later."""
        first, _, last = name.strip().partition(" ")
        person = YoungPerson(
            first_name=first,
            last_name=last.strip(),
            area=area.strip(),
            estimated_age=estimated_age,
            age_estimated_on=date.today() if estimated_age is not None else None,
            incomplete=True,
        )
        return self.add(person)

    def set_rag(self, person_id: str, rating: str, reason: str) -> RagRating:
        """Append a rating to the history and make it the person's current one, together."""
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        by = self._profile.user_id
        entry = RagRating(
            person_id=person_id, rating=rating, reason=reason.strip(), set_by=by, created_by=by, team_id=person.team_id
        )
        check(entry)
        with self._profile.transaction():
            self._repo.save(entry)
            person.rag, person.rag_set_at, person.rag_set_by = rating, entry.set_at, by
            self._repo.save(person)
        return entry

    # ---- reading ------------------------------------------------------------------------------------------------

    def get(self, person_id: str) -> YoungPerson | None:
        return self._repo.get(YoungPerson, person_id)

    def rag_history(self, person_id: str) -> list[RagRating]:
        """Newest first."""
        return self._repo.select(RagRating, "person_id = ?", (person_id,), order="set_at DESC, rowid DESC")

    def search(self, text: str, limit: int = 50) -> list[YoungPerson]:
        """Best matches first. Every word typed must start a word in a name, known-as, area or postcode."""
        query = fts_query(text)
        if query is None:
            return []
        # Ranking (bm25) costs time for every match, so it is used when the matches are few. A short prefix such
        # as "ma" can match tens of thousands: then exact words come first, the rest in the order they were added.
        candidates = [r[0] for r in self._db.query(_MATCH_ROWIDS, (query, RANK_AT_MOST + 1))]
        if len(candidates) <= RANK_AT_MOST:
            rows = self._db.query(
                "SELECT p.* FROM people_fts JOIN people p ON p.rid = people_fts.rowid"
                " WHERE people_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            )
        else:
            exact = [r[0] for r in self._db.query(_MATCH_ROWIDS, (query.replace('"*', '"'), limit))]
            chosen = list(dict.fromkeys(exact + candidates))[:limit]
            marks = ",".join("?" * len(chosen))
            by_rid = {r["rid"]: r for r in self._db.query(f"SELECT * FROM people WHERE rid IN ({marks})", chosen)}
            rows = [by_rid[rid] for rid in chosen if rid in by_rid]
        return codec_for(YoungPerson).from_rows(rows)  # type: ignore[return-value]

    def _where(self, f: PeopleFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        query = fts_query(f.text or "")
        if query:
            clauses.append("rid IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)")
            params.append(query)
        for column, value in (("area", f.area), ("rag", f.rag), ("lead_worker_id", f.lead_worker_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if f.risk_indicator is not None:
            clauses.append("rid IN (SELECT rid FROM people_risk WHERE indicator = ?)")
            params.append(f.risk_indicator)
        if f.active is not None:
            clauses.append("active = ?")
            params.append(int(f.active))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count(self, filters: PeopleFilter | None = None) -> int:
        f = filters or PeopleFilter()
        query = fts_query(f.text or "")
        if query and (f.area, f.rag, f.lead_worker_id, f.risk_indicator, f.active) == (None,) * 5:
            # Text alone: count in the index, without visiting tens of thousands of people rows.
            return int(self._db.scalar("SELECT count(*) FROM people_fts WHERE people_fts MATCH ?", (query,)))
        where, params = self._where(f)
        return int(self._db.scalar(f"SELECT count(*) FROM people{where}", params))

    def page(self, filters: PeopleFilter | None, offset: int, limit: int) -> list[PersonRow]:
        f = filters or PeopleFilter()
        where, params = self._where(f)
        # The page is found in the name index alone (rid, not id, breaks ties so no sort is needed), then only
        # its rows are read: a page in the middle of 100,000 costs about as much as the first.
        order = "first_name COLLATE NOCASE, last_name COLLATE NOCASE, rid"
        source = "people"
        query = fts_query(f.text or "")
        if query and f.area is None and f.lead_worker_id is None:
            # SQLite would fetch and sort every text match; when they are many, walking the name index in order
            # and keeping the matches is far cheaper (a one-letter search matches a quarter of everyone).
            many = self._db.scalar(f"SELECT count(*) FROM ({_MATCH_ROWIDS})", (query, MANY_MATCHES + 1))
            if many > MANY_MATCHES:
                source = "people INDEXED BY people_by_name"
        rows = self._db.query(
            f"SELECT {_ROW_COLUMNS} FROM people WHERE rid IN"
            f" (SELECT rid FROM {source}{where} ORDER BY {order} LIMIT ? OFFSET ?) ORDER BY {order}",
            [*params, limit, offset],
        )
        last_seen = self._last_seen([r["id"] for r in rows])
        names = self._profile.get_setting(WORKER_NAMES) or {}
        codec = codec_for(YoungPerson)
        today = date.today()
        out = []
        for r in rows:
            person: YoungPerson = codec.from_row(r)  # type: ignore[assignment]
            out.append(
                PersonRow(
                    id=person.id,
                    display_name=person.display_name,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    known_as=person.known_as,
                    age=person.age_on(today),
                    area=person.area,
                    postcode=person.postcode,
                    rag=person.rag,
                    lead_worker_id=person.lead_worker_id,
                    lead_worker=names.get(person.lead_worker_id, person.lead_worker_id),
                    nfa_count=person.nfa_count,
                    risk_indicators=tuple(person.risk_indicators),
                    incomplete=person.incomplete,
                    active=person.active,
                    last_seen=last_seen.get(person.id),
                )
            )
        return out

    def _last_seen(self, ids: list[str]) -> dict[str, datetime]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._db.query(
            "SELECT a.person_id, max(s.starts_at) FROM attendance a JOIN sessions s ON s.id = a.session_id"
            f" WHERE a.person_id IN ({marks}) GROUP BY a.person_id",
            ids,
        )
        return {r[0]: datetime.fromisoformat(r[1]) for r in rows if r[1]}

    def possible_duplicates(self, person: YoungPerson) -> list[YoungPerson]:
        """Someone already recorded with the same name and date of birth, or a close name on the same estate."""
        found: dict[str, YoungPerson] = {}
        first, last = person.first_name.strip().lower(), person.last_name.strip().lower()
        if first and person.date_of_birth:
            for p in self._repo.select(
                YoungPerson,
                "lower(first_name) = ? AND lower(last_name) = ? AND date_of_birth = ? AND id != ?",
                (first, last, person.date_of_birth.isoformat(), person.id),
            ):
                found[p.id] = p
        name = _name_key(person)
        if person.area.strip() and name:
            initials = {w[0] for w in (first, person.known_as.strip().lower()) if w}
            marks = ",".join("?" * len(initials))
            candidates = self._repo.select(
                YoungPerson,
                f"area = ? AND id != ? AND (substr(lower(first_name), 1, 1) IN ({marks})"
                f" OR substr(lower(known_as), 1, 1) IN ({marks}))",
                (person.area.strip(), person.id, *initials, *initials),
                limit=2000,
            )
            for p in candidates:
                if difflib.SequenceMatcher(None, name, _name_key(p)).ratio() >= CLOSE_NAME or (
                    person.known_as and person.known_as.lower() in (p.known_as.lower(), p.first_name.lower())
                ):
                    found.setdefault(p.id, p)
        return list(found.values())

    def areas(self) -> list[str]:
        # Each side's distinct areas come from an index alone (a UNION of the raw columns read every row: 325 ms
        # at 100,000 young people, holding the connection while the list wanted its first page).
        rows = self._db.query(
            "SELECT area FROM (SELECT DISTINCT area FROM people WHERE area != '')"
            " UNION SELECT area FROM (SELECT DISTINCT area FROM sessions WHERE area != '') ORDER BY 1"
        )
        return [r[0] for r in rows]


def _name_key(p: YoungPerson) -> str:
    return " ".join(w for w in (p.first_name.strip().lower(), p.last_name.strip().lower()) if w)
