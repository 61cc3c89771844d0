"""Synthetic records for the privacy tests: one young person and look-alikes who must never leak into their export
or be touched by their erasure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from youthwork.domain.circumstances import CircumstanceChange
from youthwork.domain.disclosures import Disclosure
from youthwork.domain.family import Relationship
from youthwork.domain.joint_visits import JointVisit
from youthwork.domain.missing import EpisodePlace, MissingEpisode, ReturnHomeInterview
from youthwork.domain.nfa import NfaNotification
from youthwork.domain.outcomes import OutcomeRating
from youthwork.domain.places import Place
from youthwork.domain.records import Attendance, CaseNote, RagRating, Session, YoungPerson
from youthwork.domain.referrals import Referral, ReferralEvent, ShareRecord
from youthwork.domain.safety_plans import SafetyPlan, SafetyPlanVersion
from youthwork.store.profile import Profile

# Words that appear only in the subject's records / only in the look-alikes' records.
SUBJECT_SECRETS = ("Zebrawood", "N1 7QX", "07700900111", "943 476 5919", "Quokkaplan")
# The full-text index keeps its own copy of the fields it indexes, as lower-case tokens: the subject's postcode
# "N1 7QX" is also stored as 7qx (n1 is too short to search for in raw bytes; the names are shared with look-alikes).
# q and x are not hex digits, so the token cannot turn up by chance in the audit chain's hashes or other hex text
# (7ab did, about one run in fifty).
SUBJECT_INDEX_FORMS = ("7qx",)
UUID_TEXT = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def without_ids(raw: bytes) -> bytes:
    """`raw` with every id blanked: ids are lower-case hex, which could hold a hex-like token by chance."""
    return UUID_TEXT.sub(b"-" * 36, raw)


OTHER_SECRETS = ("Xylophonic", "N4 2ZZ", "07700900999", "Marmosetnote", "Ocelotplan")


@dataclass
class World:
    subject: YoungPerson
    others: list[YoungPerson]
    subject_ids: dict[str, set[str]] = field(default_factory=dict)  # table -> ids of records about the subject
    other_ids: dict[str, set[str]] = field(default_factory=dict)

    def add(self, which: dict[str, set[str]], table: str, rid: str) -> None:
        which.setdefault(table, set()).add(rid)


def build(profile: Profile, *, team: str = "team-1", when: datetime | None = None) -> World:
    when = when or datetime(2026, 10, 5, 18, 0, tzinfo=UTC)
    save = profile.records.save
    subject = YoungPerson(
        team_id=team,
        first_name="Jayden",
        last_name="Smith",
        known_as="Jay",
        date_of_birth=date(2010, 3, 4),
        address="12 Zebrawood Court",
        postcode="N1 7QX",
        phone="07700900111",
        nhs_number="943 476 5919",
        area="Andover estate",
        ethnicity="black_caribbean",
        risk_indicators=["cce"],
        nfa_count=1,
    )
    others = [
        YoungPerson(
            team_id=team,
            first_name="Jaydon",
            last_name="Smith",
            known_as="JJ",
            date_of_birth=date(2010, 4, 3),
            address="3 Xylophonic House",
            postcode="N4 2ZZ",
            phone="07700900999",
            area="Andover estate",
            ethnicity="white_british",
        ),
        YoungPerson(team_id=team, first_name="Jayden", last_name="Smyth", area="Andover estate"),
        YoungPerson(team_id=team, first_name="Kayden", last_name="Smith", area="Elthorne"),
    ]
    w = World(subject, others)
    for p in (subject, *others):
        save(p)
    w.add(w.subject_ids, "people", subject.id)
    for o in others:
        w.add(w.other_ids, "people", o.id)

    s1 = save(
        Session(
            team_id=team,
            starts_at=when,
            ends_at=when + timedelta(hours=2),
            area="Andover estate",
            narrative="Group at the cage, Marmosetnote mentioned",
        )
    )
    s2 = save(Session(team_id=team, starts_at=when + timedelta(days=7), ends_at=when + timedelta(days=7, hours=2)))
    for person, session in ((subject, s1), (others[0], s1), (others[1], s1), (others[0], s2)):
        a = save(Attendance(team_id=team, session_id=session.id, person_id=person.id))
        w.add(w.subject_ids if person is subject else w.other_ids, "attendance", a.id)

    n1 = save(
        CaseNote(
            team_id=team,
            person_id=subject.id,
            session_id=s1.id,
            text="Jay spoke about Zebrawood Court; was with Jaydon Smith and Kayden at the cage.",
        )
    )
    n2 = save(CaseNote(team_id=team, person_id=subject.id, text="Correction: it was Tuesday.", corrects_id=n1.id))
    n3 = save(CaseNote(team_id=team, person_id=others[0].id, text="Marmosetnote: JJ worried about Jayden Smyth."))
    w.add(w.subject_ids, "case_notes", n1.id)
    w.add(w.subject_ids, "case_notes", n2.id)
    w.add(w.other_ids, "case_notes", n3.id)

    r = save(RagRating(team_id=team, person_id=subject.id, rating="amber", reason="engaging"))
    w.add(w.subject_ids, "rag_ratings", r.id)
    r2 = save(RagRating(team_id=team, person_id=others[0].id, rating="red", reason="Xylophonic"))
    w.add(w.other_ids, "rag_ratings", r2.id)

    plan = save(SafetyPlan(team_id=team, person_id=subject.id, risks_triggers="Quokkaplan triggers"))
    v1 = save(SafetyPlanVersion(team_id=team, plan_id=plan.id, person_id=subject.id, risks_triggers="Quokkaplan v1"))
    v2 = save(
        SafetyPlanVersion(
            team_id=team,
            plan_id=plan.id,
            person_id=subject.id,
            number=2,
            based_on_version_id=v1.id,
            risks_triggers="v2",
        )
    )
    w.subject_ids["safety_plans"] = {plan.id}
    w.subject_ids["safety_plan_versions"] = {v1.id, v2.id}
    oplan = save(SafetyPlan(team_id=team, person_id=others[0].id, risks_triggers="Ocelotplan"))
    w.other_ids["safety_plans"] = {oplan.id}

    ref = save(
        Referral(
            team_id=team,
            person_id=subject.id,
            to_agency="tys",
            reason="Zebrawood concerns",
            lawful_basis="public_task",
            status="sent",
        )
    )
    ev = save(ReferralEvent(team_id=team, referral_id=ref.id, action="acknowledge"))
    share = save(
        ShareRecord(
            team_id=team, person_id=subject.id, referral_id=ref.id, with_agency="tys", lawful_basis="public_task"
        )
    )
    w.subject_ids["referrals"] = {ref.id}
    w.subject_ids["referral_events"] = {ev.id}
    w.subject_ids["share_records"] = {share.id}
    oref = save(Referral(team_id=team, person_id=others[0].id, to_agency="igt", reason="Xylophonic", status="draft"))
    w.other_ids["referrals"] = {oref.id}

    nfa = save(NfaNotification(team_id=team, person_id=subject.id, notified_on=date(2026, 9, 1), source="police"))
    w.subject_ids["nfa_notifications"] = {nfa.id}

    told = dict(kind="court_order", to_agency="courts", disclosed_on=date(2026, 9, 2), lawful_basis="legal_obligation")
    disclosure = save(
        Disclosure(team_id=team, person_id=subject.id, what="Zebrawood attendance", approved_by="A", **told)
    )
    w.subject_ids["disclosures"] = {disclosure.id}
    other = save(Disclosure(team_id=team, person_id=others[0].id, what="Xylophonic dates", approved_by="B", **told))
    w.other_ids["disclosures"] = {other.id}

    ep = save(
        MissingEpisode(
            team_id=team, person_id=subject.id, reported_at=when, reported_by="parent", returned_at=when + timedelta(1)
        )
    )
    rhi = save(
        ReturnHomeInterview(
            team_id=team,
            episode_id=ep.id,
            person_id=subject.id,
            offered_at=when + timedelta(days=1),
            places="Zebrawood Court stairwell",
        )
    )
    visit = save(JointVisit(team_id=team, person_id=subject.id, planned_for=date(2026, 9, 8)))
    w.subject_ids["missing_episodes"] = {ep.id}
    w.subject_ids["return_home_interviews"] = {rhi.id}
    stairwell = save(Place(team_id=team, name="Andover stairwell"))  # a place outlives any one person's erasure
    found = save(EpisodePlace(team_id=team, episode_id=ep.id, place_id=stairwell.id, how="found", note="Zebrawood"))
    w.subject_ids["joint_visits"] = {visit.id}
    w.subject_ids["missing_episode_places"] = {found.id}
    oep = save(MissingEpisode(team_id=team, person_id=others[0].id, reported_at=when, found_where="Xylophonic Park"))
    w.other_ids["missing_episodes"] = {oep.id}

    moved = save(
        CircumstanceChange(
            team_id=team,
            person_id=subject.id,
            what="address",
            value="12 Zebrawood Court, N1 7QX",
            from_date=date(2026, 3, 2),
        )
    )
    neet = save(
        CircumstanceChange(
            team_id=team, person_id=subject.id, what="education", value="neet", from_date=date(2026, 3, 2)
        )
    )
    w.subject_ids["circumstance_changes"] = {moved.id, neet.id}
    omoved = save(
        CircumstanceChange(
            team_id=team,
            person_id=others[0].id,
            what="address",
            value="Xylophonic House, N4 2ZZ",
            from_date=date(2026, 4, 1),
        )
    )
    w.other_ids["circumstance_changes"] = {omoved.id}

    mum = save(
        Relationship(
            team_id=team,
            person_id=subject.id,
            relation="mother",
            name="Zebrawood mum",
            phone="07700900111",
            parental_responsibility=True,
        )
    )
    w.subject_ids["relationships"] = {mum.id}
    odad = save(Relationship(team_id=team, person_id=others[0].id, relation="father", name="Xylophonic dad"))
    w.other_ids["relationships"] = {odad.id}

    rating = save(
        OutcomeRating(
            team_id=team,
            person_id=subject.id,
            rated_on=date(2026, 9, 1),
            scores={"communication": 2},
            note="Zebrawood friends",
        )
    )
    w.subject_ids["outcome_ratings"] = {rating.id}
    orating = save(
        OutcomeRating(team_id=team, person_id=others[0].id, rated_on=date(2026, 9, 1), scores={"creativity": 4})
    )
    w.other_ids["outcome_ratings"] = {orating.id}
    return w


# ---- looking at the bytes -------------------------------------------------------------------------------------------

PAGE_SIZE = 4096
RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of each page
WAL_HEADER, FRAME_HEADER = 32, 24


def _decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    start = 16 if first else 0  # page 1 begins with the file's salt
    data_end = PAGE_SIZE - RESERVE
    iv = page[data_end : data_end + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start:data_end]) + decryptor.finalize()


def decrypted_bytes(db_path, key: bytes) -> bytes:
    """Every page of the store file and its WAL, decrypted with the raw key: live rows, free pages, slack space and
    old WAL frames alike. A search here finds anything SQLite has not overwritten."""
    from pathlib import Path

    out = bytearray()
    raw = Path(db_path).read_bytes()
    for i in range(0, len(raw) - PAGE_SIZE + 1, PAGE_SIZE):
        out += _decrypt_page(raw[i : i + PAGE_SIZE], key, first=i == 0)
    wal = Path(str(db_path) + "-wal")
    if wal.exists():
        w = wal.read_bytes()
        pos = WAL_HEADER
        while pos + FRAME_HEADER + PAGE_SIZE <= len(w):
            page_no = int.from_bytes(w[pos : pos + 4], "big")
            out += _decrypt_page(w[pos + FRAME_HEADER : pos + FRAME_HEADER + PAGE_SIZE], key, first=page_no == 1)
            pos += FRAME_HEADER + PAGE_SIZE
    return bytes(out)
