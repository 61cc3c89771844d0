-- Issue 19, item 4: a team's own agencies (with a kind) and disclosures made without a referral.
CREATE TABLE agencies (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'other',
    active INTEGER NOT NULL DEFAULT 1,
    _server_version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE disclosures (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'information_request',
    to_agency TEXT NOT NULL DEFAULT '',
    to_agency_name TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL DEFAULT '',
    disclosed_on TEXT,
    lawful_basis TEXT NOT NULL DEFAULT '',
    approved_by TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS disclosures_by_person ON disclosures (person_id, disclosed_on);
