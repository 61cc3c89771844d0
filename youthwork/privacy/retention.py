"""Retention: records kept for a set time after the last contact with a young person, then erased everywhere.

    retention = RetentionService(profile)
    retention.years                       # 6 unless configured (the Limitation Act 1980, s.2, as the notice cites)
    due = retention.review_list()         # past retention, for a supervisor to confirm
    retention.confirm([d.person_id for d in due])   # erased here, then on the server and every laptop by sync

"Last contact" is the latest of: the record being made, a session they attended, and anything recorded about them
(notes, referrals, plans, RAG ratings, NFAs...). Viewing a record is not contact. A legal hold keeps a record off the
erasure step (it is listed, marked as held). Backups must follow the same rule: see docs/data-protection.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from youthwork.domain.privacy import KEPT_ON_ERASURE, AuditAction, ErasureMode, ErasureReason
from youthwork.domain.records import RECORD_TYPES
from youthwork.domain.validation import Problem, ValidationError
from youthwork.privacy.erasure import ErasureService, local_tables
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.settings import RETENTION_YEARS

log = logging.getLogger(__name__)

DEFAULT_YEARS = RETENTION_YEARS.default
# Records about a person that are not contact with them.
NOT_CONTACT = KEPT_ON_ERASURE | {"consent_acks", "legal_holds"}


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class RetentionDue:
    person_id: str
    name: str
    last_contact: date
    expired_on: date
    on_hold: bool


class RetentionService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db

    @property
    def years(self) -> int:
        return int(self._profile.get_setting(RETENTION_YEARS) or DEFAULT_YEARS)

    def set_years(self, years: int) -> None:
        if not 1 <= int(years) <= 100:
            raise ValidationError([Problem("years", "Give a retention period between 1 and 100 years.")])
        self._profile.set_setting(RETENTION_YEARS, int(years))

    def last_contacts(self) -> dict[str, date]:
        """person id -> the date of the latest contact recorded with them."""
        present = local_tables(self._db)
        parts = ["SELECT id AS person_id, created_at AS at FROM people"]
        for table, cls in RECORD_TYPES.items():
            if table in present and table not in NOT_CONTACT and "person_id" in cls.field_names():
                if table == "attendance" and "sessions" in present:
                    parts.append(
                        "SELECT a.person_id, coalesce(s.starts_at, a.created_at) FROM attendance a"
                        " LEFT JOIN sessions s ON s.id = a.session_id"
                    )
                else:
                    parts.append(f"SELECT person_id, created_at FROM {table}")
        sql = f"SELECT person_id, max(at) FROM ({' UNION ALL '.join(parts)}) GROUP BY person_id"
        out: dict[str, date] = {}
        people = {r[0] for r in self._db.query("SELECT id FROM people")}
        for pid, at in self._db.query(sql):
            if pid in people and at:
                out[pid] = datetime.fromisoformat(at).date()
        return out

    def review_list(self, today: date | None = None) -> list[RetentionDue]:
        """Young people whose records are past retention, oldest first, for a supervisor to confirm."""
        today = today or date.today()
        years = self.years
        held = {r[0] for r in self._db.query("SELECT person_id FROM legal_holds WHERE lifted_at IS NULL")}
        names = {
            r["id"]: " ".join(x for x in (r["first_name"], r["last_name"]) if x) or r["known_as"]
            for r in self._db.query("SELECT id, first_name, last_name, known_as FROM people")
        }
        due = []
        for pid, last in self.last_contacts().items():
            expires = add_years(last, years)
            if expires <= today:
                due.append(RetentionDue(pid, names.get(pid, ""), last, expires, pid in held))
        due.sort(key=lambda d: (d.last_contact, d.person_id))
        return due

    def confirm(self, person_ids: list[str], today: date | None = None) -> list[str]:
        """Erase the confirmed young people who are still past retention and not on hold. Returns those erased."""
        due = {d.person_id: d for d in self.review_list(today)}
        erasure = ErasureService(self._profile)
        audit = AuditTrail(self._profile)
        done = []
        for pid in person_ids:
            item = due.get(pid)
            if item is None or item.on_hold:
                continue  # had contact since the list was made, or held: not erased
            audit.record(AuditAction.RETENTION_CONFIRMED, "people", pid, person_id=pid, reason=ErasureReason.RETENTION)
            erasure.erase(pid, mode=ErasureMode.ERASE, reason=ErasureReason.RETENTION, confirm=True, wipe=False)
            done.append(pid)
        if done:
            erasure.wipe()
            erasure.erase_in_backups(done)
        log.info("retention: %d records erased", len(done))
        return done
