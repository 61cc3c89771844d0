"""End to end, on SQLite and PostgreSQL (issue 19, item 4): a worker adds an agency to the team's list and records
two disclosures without a referral (a police information request answered, a share with the team's own agency);
each is in the audit trail and the subject access export; the team's supervisor receives them by sync, TYS never
does; the supervisor erases the young person and the disclosures go from every laptop and the service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.disclosures import Agency, Disclosure
from youthwork.domain.privacy import AuditEntry
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.privacy.erasure import ErasureService
from youthwork.privacy.subject_access import SubjectAccess
from youthwork.services.disclosures import DisclosureService
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"
SECRET = "Pangolinquest attendance dates"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-disclosures"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Targeted Youth Support", "tys")
    server.add_user("sam", "Detached North")
    server.add_user("sue", "Detached North", role="supervisor")
    server.add_user("tess", "Targeted Youth Support", role="receiving")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title())
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    return profile


def _server_text(url: str) -> str:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT data FROM records WHERE table_name = 'disclosures'")).all()
    finally:
        engine.dispose()
    return json.dumps([str(r[0]) for r in rows])


@pytest.mark.slow
def test_disclosures_stay_with_the_team_are_audited_exported_and_erased(tmp_path: Path, server: ServerProcess) -> None:
    sam, sue, tess = (_laptop(tmp_path, server, u) for u in ("sam", "sue", "tess"))
    try:
        person = PeopleService(sam).add(YoungPerson(first_name="Jay", last_name="Okafor", area="Acorn Estate"))
        service = DisclosureService(sam)
        # The police and Victim Support are on the list for disclosures; the team adds its own agency, with a kind.
        codes = {c.code for c in service.agencies(disclosing=True)}
        assert {"police", "victim_support", "dwp", "border_force", "courts", "probation"} <= codes
        law_centre = service.add_agency("Islington Law Centre", "voluntary")
        assert law_centre.code == "islington_law_centre"
        with pytest.raises(ValidationError, match="already on the list"):
            service.add_agency("Islington  law centre", "voluntary")
        with pytest.raises(ValidationError, match="approved"):
            service.record(Disclosure(person_id=person.id, to_agency="police", what=SECRET, disclosed_on=date.today()))
        police = service.record(
            Disclosure(
                person_id=person.id,
                kind="information_request",
                to_agency="police",
                what=SECRET,
                disclosed_on=date.today(),
                lawful_basis="legal_obligation",
                approved_by="Sue, team manager",
                reference="MPS/2026/4471",
            )
        )
        share = service.record(
            Disclosure(
                person_id=person.id,
                kind="safeguarding",
                to_agency="islington_law_centre",
                what="That he is open to the detached team",
                disclosed_on=date.today(),
                lawful_basis="consent",
                approved_by="Sue, team manager",
            )
        )
        assert share.to_agency_name == "Islington Law Centre"
        audited = sam.records.select(AuditEntry, "table_name = 'disclosures'", order="seq")
        assert {(a.action, a.record_id) for a in audited} == {("shared", police.id), ("shared", share.id)}
        sync_once(sam)
        for laptop in (sue, tess):
            sync_once(laptop)
        # The team has them; TYS never does.
        assert {d.id for d in DisclosureService(sue).for_person(person.id)} == {police.id, share.id}
        assert sue.records.get(Agency, law_centre.id) is not None
        assert tess.records.get(Disclosure, police.id) is None and tess.records.get(Agency, law_centre.id) is None
        # In the young person's subject access export, on the supervisor's laptop.
        sections = SubjectAccess(sue).collect(person.id)["subject_access_export"]["sections"]
        assert {r["id"] for r in sections["disclosures"]} == {police.id, share.id}

        assert SECRET in _server_text(server.database_url)
        ErasureService(sue).erase(person.id, reason="request", confirm=True)
        sync_once(sue)
        sync_once(sam)
        for laptop in (sam, sue):
            assert DisclosureService(laptop).for_person(person.id) == []
        assert SECRET not in _server_text(server.database_url)
        assert sam.records.get(Agency, law_centre.id) is not None  # the agency outlives one young person
    finally:
        for laptop in (sam, sue, tess):
            laptop.close()
