-- Family and household (youthwork.domain.family): siblings on the team's records, parents and carers with contact
-- details, parental responsibility and what each may be told. (youthwork.store.tables wrote the table.)

CREATE TABLE relationships (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    relation TEXT NOT NULL DEFAULT '',
    other_person_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    parental_responsibility INTEGER NOT NULL DEFAULT 0,
    lives_with INTEGER NOT NULL DEFAULT 0,
    may_be_told TEXT NOT NULL DEFAULT 'safety',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX relationships_by_person ON relationships (person_id);
CREATE INDEX relationships_by_other ON relationships (other_person_id) WHERE other_person_id != '';
