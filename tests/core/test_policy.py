"""The declared policies: every record type has one, docs/access.md is what they say, and each laptop table is what
its dataclass says (youthwork.store.tables), so a record type has one home."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import youthwork.domain  # noqa: F401
from youthwork.domain import access_doc
from youthwork.domain.policy import POLICIES
from youthwork.domain.records import RECORD_TYPES, Record
from youthwork.store.migrations import all_migrations
from youthwork.store.tables import EXTRA_COLUMNS, Column, columns

ACCESS_MD = Path(__file__).resolve().parents[2] / "docs" / "access.md"


def _subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | _subclasses(sub)
    return out


def test_every_record_type_declares_its_policy() -> None:
    domain_types = {c for c in _subclasses(Record) if c.__module__.startswith("youthwork.domain")}
    assert {c.TABLE for c in domain_types} == set(POLICIES) == set(RECORD_TYPES)
    for table, p in POLICIES.items():
        assert table == p.cls.TABLE and p.label and p.roles, table


def test_docs_access_md_is_generated_from_the_declarations() -> None:
    expected = access_doc.render()
    assert ACCESS_MD.read_text(encoding="utf-8") == expected, (
        "docs/access.md is stale: run `python -m youthwork.domain.access_doc > docs/access.md`"
    )


def _laptop_schema() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for m in all_migrations():
        m.run(conn)
    return conn


# Column defaults that shipped different from the dataclass's. Harmless (the store always writes every column), and
# SQLite can't change a default without rebuilding the table, so they are listed here; anything new fails.
SHIPPED_DIFFERENCES = {
    "attendance.person_id",  # NOT NULL without a default: stricter than the dataclass's ''
    "attendance.session_id",
    "case_notes.person_id",
    "rag_ratings.person_id",
    "audit_log.prev_hash",  # '' rather than the genesis hash: every entry sets its own
    "erasures.reason",  # '' rather than 'request': every erasure names its reason
}


def test_each_laptop_table_is_what_its_dataclass_says() -> None:
    conn = _laptop_schema()
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = sorted(set(POLICIES) - tables)
    assert not missing, f"no laptop table (add a migration from youthwork.store.tables.create_table_sql): {missing}"
    problems = []
    for table, p in sorted(POLICIES.items()):
        rows = conn.execute(f"PRAGMA table_info({table})").fetchall()
        have = {r[1]: Column(r[1], r[2], bool(r[3]) or bool(r[5]), r[4]) for r in rows if r[1] not in EXTRA_COLUMNS}
        want = {c.name: c for c in columns(p.cls)}
        for name in sorted(set(have) | set(want)):
            if name == "id" or f"{table}.{name}" in SHIPPED_DIFFERENCES:
                continue  # id: TEXT PRIMARY KEY (or UNIQUE beside people's rid)
            if have.get(name) != want.get(name):
                problems.append(f"{table}.{name}: laptop {have.get(name)}, dataclass {want.get(name)}")
    assert not problems, "\n".join(problems)
