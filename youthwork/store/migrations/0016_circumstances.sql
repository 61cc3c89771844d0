-- Circumstances with dates (youthwork.domain.circumstances): a child in need or protection plan on the profile, and
-- every change of education, looked-after, social care, risk indicators or address, dated. (youthwork.store.tables
-- wrote the table.)

ALTER TABLE people ADD COLUMN social_care TEXT NOT NULL DEFAULT 'none';

CREATE TABLE circumstance_changes (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '',
    special_value TEXT NOT NULL DEFAULT '',
    criminal_value TEXT NOT NULL DEFAULT '',
    from_date TEXT,
    recorded_by TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX circumstance_changes_by_person ON circumstance_changes (person_id, what, from_date);
