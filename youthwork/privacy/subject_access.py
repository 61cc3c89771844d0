"""Subject access: everything held about one young person, in one export (JSON or PDF).

    sar = SubjectAccess(profile)
    data = sar.collect(person_id, redact_third_parties=True)
    sar.export(person_id, Path("sar.pdf"), fmt="pdf")

The export holds the person's details (restricted fields included: it is their own data), the sessions they attended,
case notes, safety plans and every version, referrals and their steps, shares, consent history, RAG ratings, NFAs,
peer group memberships (with the group's name), legal holds, and the audit of who accessed their record. Records
about anyone else are never included; with `redact_third_parties`, names of other young people (on the same
registers, or named in notes) are replaced.
Making an export is itself audited ("exported").
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from youthwork.domain.codec import to_dict
from youthwork.domain.groups import PeerGroup
from youthwork.domain.merges import MergeStatus
from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import RECORD_TYPES, Session, YoungPerson, utc_now
from youthwork.domain.validation import Problem, ValidationError
from youthwork.domain.vocab import (
    ConsentGivenBy,
    EducationStatus,
    Ethnicity,
    Gender,
    LawfulBasis,
    Rag,
    RiskIndicator,
    SessionType,
    Vocab,
)
from youthwork.platform import files
from youthwork.privacy.erasure import records_about
from youthwork.security.audit import AuditTrail
from youthwork.security.exports import record_export
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

REDACTED = "[another young person]"
FORMATS = ("json", "pdf")

# Section titles in the order a reader expects them; unknown record types follow under their table name.
SECTIONS: dict[str, str] = {
    "people": "Details held",
    "consent_events": "Lawful basis and consent history",
    "attendance": "Sessions attended",
    "session_checkins": "Check-ins they chose to put their name on",
    "case_notes": "Case notes",
    "rag_ratings": "RAG ratings",
    "safety_plans": "Safety plans",
    "safety_plan_versions": "Safety plan versions",
    "referrals": "Referrals",
    "referral_events": "Referral steps",
    "share_records": "Information shared",
    "disclosures": "Information disclosed without a referral",
    "nfa_notifications": "No further action (NFA) records",
    "legal_holds": "Legal holds",
    "consent_acks": "Supervisor acknowledgements",
    "person_merges": "Duplicate records merged into this one",
    "person_transfers": "Moves to another team",
    "audit_log": "Who accessed this record",
}
# Bookkeeping fields a reader does not need.
_HIDDEN_FIELDS = frozenset({"team_id"})
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


class SubjectAccess:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db
        self._repo = profile.records

    def collect(self, person_id: str, *, redact_third_parties: bool = False) -> dict[str, Any]:
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person", "There is no young person with that id on this laptop.")])
        sections: dict[str, list[dict[str, Any]]] = {}
        for table, ids in records_about(self._db, person_id).items():
            cls = RECORD_TYPES[table]
            rows = self._repo.select(cls, f"id IN ({','.join('?' * len(ids))})", sorted(ids), order="created_at, id")
            sections[table] = [self._clean(to_dict(r)) for r in rows]
        # What each attended session was (type, when, where), not its narrative about the whole group.
        session_ids = sorted({a["session_id"] for a in sections.get("attendance", [])})
        sessions = {
            s.id: s for s in self._repo.select(Session, f"id IN ({','.join('?' * len(session_ids))})", session_ids)
        }
        for a in sections.get("attendance", []):
            s = sessions.get(a["session_id"])
            if s is not None:
                a["session"] = {
                    "session_type": s.session_type,
                    "starts_at": s.starts_at.isoformat() if s.starts_at else None,
                    "ends_at": s.ends_at.isoformat() if s.ends_at else None,
                    "area": s.area,
                    "place": s.place,
                }
        # Which group each membership is of, by the group's name: never who else is in it.
        for m in sections.get("group_memberships", []):
            group = self._repo.get(PeerGroup, m["group_id"])
            if group is not None:
                m["group"] = {"label": group.label}
        # A record merged into this one is their history too: what was done to it before the merge.
        merged_away = [
            r[0]
            for r in self._db.query(
                "SELECT from_person_id FROM person_merges WHERE into_person_id = ? AND status = ?",
                (person_id, MergeStatus.MERGED.value),
            )
        ]
        trail = AuditTrail(self._profile)
        audit = sorted(
            (e for pid in [person_id, *merged_away] for e in trail.about_person(pid)), key=lambda e: (e.at, e.seq)
        )
        sections["audit_log"] = [
            {
                k: v
                for k, v in to_dict(e).items()
                if k in ("at", "user_id", "action", "table_name", "record_id", "reason")
            }
            for e in audit
        ]
        data = {
            "subject_access_export": {
                "generated_at": utc_now().isoformat(),
                "generated_by": self._profile.user_id,
                "person_id": person_id,
                "third_parties_redacted": redact_third_parties,
                "sections": {t: sections[t] for t in _ordered(sections)},
            }
        }
        if redact_third_parties:
            names = self._third_party_names(person, data, session_ids)
            data = _redact(data, names)
        return data

    def export(self, person_id: str, out: Path, *, fmt: str = "json", redact_third_parties: bool = False) -> Path:
        if fmt not in FORMATS:
            raise ValidationError([Problem("format", "Choose json or pdf for the export.")])
        data = self.collect(person_id, redact_third_parties=redact_third_parties)
        out = Path(out)
        with files.private_files():  # this user's only from the first byte, not made private afterwards
            if fmt == "json":
                out.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
            else:
                from youthwork.privacy.pdf_text import write_pdf

                write_pdf(out, "Subject access export", _blocks(data))
        files.restrict(out)  # a file that was already there keeps its old mode otherwise
        record_export(self._profile, out)  # removed by a remote wipe
        AuditTrail(self._profile).record(AuditAction.EXPORTED, "people", person_id, person_id=person_id)
        log.info("subject access export written (%s)", fmt)
        return out

    @staticmethod
    def _clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if k not in _HIDDEN_FIELDS}

    def _third_party_names(self, person: YoungPerson, data: dict[str, Any], session_ids: list[str]) -> list[str]:
        """Names of other young people who could appear: on the same registers, or any whose name is a word used
        in the export's text. The subject's own names are never redacted."""
        own = {n.lower() for n in (person.first_name, person.last_name, person.known_as) if n}
        words = {w.lower() for w in _WORD.findall(json.dumps(data, ensure_ascii=False))} - own
        candidates: dict[str, tuple[str, str, str]] = {}
        if session_ids:
            marks = ",".join("?" * len(session_ids))
            for r in self._db.query(
                "SELECT p.id, p.first_name, p.last_name, p.known_as FROM attendance a"
                f" JOIN people p ON p.id = a.person_id WHERE a.session_id IN ({marks}) AND p.id != ?",
                [*session_ids, person.id],
            ):
                candidates[r[0]] = (r[1], r[2], r[3])
        wl = sorted(words)
        for i in range(0, len(wl), 300):
            chunk = wl[i : i + 300]
            marks = ",".join("?" * len(chunk))
            for r in self._db.query(
                "SELECT id, first_name, last_name, known_as FROM people WHERE id != ? AND ("
                f"lower(first_name) IN ({marks}) OR lower(last_name) IN ({marks}) OR lower(known_as) IN ({marks}))",
                [person.id, *chunk, *chunk, *chunk],
            ):
                candidates[r[0]] = (r[1], r[2], r[3])
        names: set[str] = set()
        for first, last, known in candidates.values():
            if first and last:
                names.add(f"{first} {last}")
            for n in (first, last, known):
                if n and n.lower() not in own:
                    names.add(n)
        return sorted(names, key=len, reverse=True)  # full names before their parts


def _ordered(sections: dict[str, Any]) -> list[str]:
    known = [t for t in SECTIONS if t in sections]
    return known + sorted(t for t in sections if t not in SECTIONS)


def _redact(value: Any, names: Iterable[str]) -> Any:
    names = list(names)
    if not names:
        return value
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return pattern.sub(REDACTED, v)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return v

    return walk(value)


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


# Codes a reader of the PDF should see in words (the JSON keeps the codes, for other systems).
_VOCABS: dict[str, type[Vocab]] = {
    "gender": Gender,
    "ethnicity": Ethnicity,
    "education_status": EducationStatus,
    "risk_indicators": RiskIndicator,
    "lawful_basis": LawfulBasis,
    "consent_given_by": ConsentGivenBy,
    "rating": Rag,
    "rag": Rag,
    "session_type": SessionType,
}


def _words(name: str, value: Any) -> str:
    vocab = _VOCABS.get(name)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if vocab is not None and isinstance(value, list):
        return ", ".join(_code(vocab, v) for v in value) or "None"
    if vocab is not None and isinstance(value, str):
        return _code(vocab, value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_words(k, v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _code(vocab: type[Vocab], value: str) -> str:
    try:
        return vocab(value).label
    except ValueError:
        return value


def _blocks(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The export as headed paragraphs for the PDF."""
    body = data["subject_access_export"]
    restricted = set(YoungPerson.restricted_fields())
    blocks: list[tuple[str, str]] = [
        ("h", "Subject access export"),
        (
            "p",
            f"Everything held about one young person (record {body['person_id']}), made {body['generated_at']}"
            + (". Other young people's names are replaced." if body["third_parties_redacted"] else "."),
        ),
    ]
    for table, rows in body["sections"].items():
        blocks.append(("h", f"{SECTIONS.get(table, _label(table))} ({len(rows)})"))
        if not rows:
            blocks.append(("p", "None."))
        for row in rows:
            lines = []
            for k, v in row.items():
                if v in (None, "", [], {}):
                    continue
                mark = " (special category or criminal-offence data)" if table == "people" and k in restricted else ""
                lines.append(f"{_label(k)}{mark}: {_words(k, v)}")
            blocks.append(("p", "\n".join(lines) + "\n"))
    return blocks
