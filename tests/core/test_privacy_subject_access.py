"""Subject access: every record about the person and nothing about anyone else (look-alike names), JSON and PDF,
redaction of third parties' names, and the export itself audited."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from privacy_world import OTHER_SECRETS, SUBJECT_SECRETS, build

from youthwork.privacy.subject_access import REDACTED, SubjectAccess
from youthwork.security.audit import AuditFilter, AuditTrail
from youthwork.store.profile import Profile

PASSPHRASE = "correct horse battery"  # as in conftest


def _all_ids(sections: dict) -> dict[str, set[str]]:
    return {t: {r["id"] for r in rows if "id" in r} for t, rows in sections.items() if t != "audit_log"}


def test_export_has_everything_about_the_person_and_nothing_else(profile: Profile) -> None:
    w = build(profile)
    AuditTrail(profile).record("viewed", "people", w.subject.id, person_id=w.subject.id)
    data = SubjectAccess(profile).collect(w.subject.id)["subject_access_export"]
    sections = data["sections"]
    assert _all_ids(sections) == w.subject_ids
    text = json.dumps(data, ensure_ascii=False)
    for secret in SUBJECT_SECRETS:
        assert secret in text, secret
    for secret in OTHER_SECRETS:
        assert secret not in text, secret
    other_ids = {rid for ids in w.other_ids.values() for rid in ids}
    assert not any(rid in text for rid in other_ids)
    # Restricted fields are the subject's own data: included.
    assert sections["people"][0]["ethnicity"] == "black_caribbean"
    assert sections["attendance"][0]["session"]["area"] == "Andover estate"
    assert [e["action"] for e in sections["audit_log"]] == ["viewed"]
    assert len(sections["safety_plan_versions"]) == 2
    # Without redaction the subject's own note still names who they were with.
    assert "Jaydon Smith" in text


def test_redaction_replaces_other_young_peoples_names_only(profile: Profile) -> None:
    w = build(profile)
    data = SubjectAccess(profile).collect(w.subject.id, redact_third_parties=True)["subject_access_export"]
    note = next(n for n in data["sections"]["case_notes"] if "Zebrawood" in n["text"])
    assert note["text"] == f"Jay spoke about Zebrawood Court; was with {REDACTED} and {REDACTED} at the cage."
    person = data["sections"]["people"][0]
    assert (person["first_name"], person["last_name"], person["known_as"]) == ("Jayden", "Smith", "Jay")
    text = json.dumps(data)
    for name in ("Jaydon", "Kayden", "Smyth", "JJ"):
        assert name not in text, name


def _pdf_text(path: Path) -> str:
    raw = path.read_bytes()
    assert raw.startswith(b"%PDF-1.4") and raw.rstrip().endswith(b"%%EOF")
    return raw.decode("cp1252", errors="replace")


def test_cli_export_json_and_pdf(profile: Profile, profile_dir: Path, tmp_path: Path) -> None:
    w = build(profile)
    profile.close()
    env = {**os.environ, "YOUTHWORK_PASSPHRASE": PASSPHRASE}
    cwd = Path(__file__).resolve().parents[2]
    base = [sys.executable, "-m", "youthwork.cli", "export", "--profile", str(profile_dir), "--person", w.subject.id]
    out_json = tmp_path / "sar.json"
    r = subprocess.run([*base, "--format", "json", "--out", str(out_json)], env=env, cwd=cwd, capture_output=True)
    assert r.returncode == 0, r.stderr
    data = json.loads(out_json.read_text())["subject_access_export"]
    assert _all_ids(data["sections"]) == w.subject_ids
    assert oct(out_json.stat().st_mode & 0o777) == "0o600"

    out_pdf = tmp_path / "sar.pdf"
    r = subprocess.run(
        [*base, "--format", "pdf", "--redact-third-parties", "--out", str(out_pdf)],
        env=env,
        cwd=cwd,
        capture_output=True,
    )
    assert r.returncode == 0, r.stderr
    text = _pdf_text(out_pdf)
    assert "Zebrawood" in text and "Quokkaplan" in text and "Who accessed this record" in text
    assert "Jaydon" not in text and "Xylophonic" not in text

    r = subprocess.run(
        [*base, "--format", "pdf", "--out", str(tmp_path / "x.pdf"), "--person"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "youthwork.cli",
            "export",
            "--profile",
            str(profile_dir),
            "--person",
            "nobody",
            "--format",
            "json",
            "--out",
            str(tmp_path / "n.json"),
        ],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1 and "no young person" in r.stderr and "Traceback" not in r.stderr

    with Profile.open(profile_dir, PASSPHRASE) as again:
        assert AuditTrail(again).count(AuditFilter(action="exported", record_id=w.subject.id)) == 2
