-- Erasure reviews: another team erased a young person this team holds records about; its supervisors decide what
-- to do with the team's own records. Made by the service, synced like any record. (youthwork.store.tables wrote it.)

CREATE TABLE erasure_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    erasure_id TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT 'erase',
    tables TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'open',
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT,
    _server_version INTEGER NOT NULL DEFAULT 0
);
