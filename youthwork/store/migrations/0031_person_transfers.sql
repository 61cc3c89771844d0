-- Moves of a young person to another team (youthwork.domain.transfers): synced like any record; the service
-- changes the owning team when the receiving team accepts. (youthwork.store.tables wrote the table.)

CREATE TABLE person_transfers (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    to_team_id TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    goes TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'proposed',
    proposed_by TEXT NOT NULL DEFAULT '',
    proposed_at TEXT,
    answered_by TEXT NOT NULL DEFAULT '',
    answered_at TEXT,
    decline_reason TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX person_transfers_person ON person_transfers (person_id);
CREATE INDEX person_transfers_to_team ON person_transfers (to_team_id, status);
