-- Merges of two records of one young person: synced like any record; the service carries each out and fills in what
-- it needs to undo it. (youthwork.store.tables wrote the table.)

CREATE TABLE person_merges (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    from_person_id TEXT NOT NULL DEFAULT '',
    into_person_id TEXT NOT NULL DEFAULT '',
    kept TEXT NOT NULL DEFAULT '{}',
    reason TEXT NOT NULL DEFAULT '',
    merged_by TEXT NOT NULL DEFAULT '',
    merged_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'merged',
    undone_by TEXT NOT NULL DEFAULT '',
    undone_at TEXT,
    applied_at TEXT,
    snapshot TEXT NOT NULL DEFAULT '{}',
    before TEXT NOT NULL DEFAULT '{}',
    moved TEXT NOT NULL DEFAULT '[]',
    _server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX person_merges_from ON person_merges (from_person_id);
CREATE INDEX person_merges_into ON person_merges (into_person_id);
