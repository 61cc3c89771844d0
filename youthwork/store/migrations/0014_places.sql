-- Places as records (contextual safeguarding): sessions, NFAs and referrals name a place by id instead of free text;
-- a safety plan names its safe places and places to avoid by one plan_places row each. No foreign keys: sync may
-- deliver a session before its place. The old free-text area and place stay: they are offered as places to confirm.
CREATE TABLE places (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'other',
    ward TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    boundary TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    confirmed_from TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE plan_places (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    plan_id TEXT NOT NULL DEFAULT '',
    place_id TEXT NOT NULL DEFAULT '',
    stance TEXT NOT NULL DEFAULT 'safe',
    note TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS places_by_name ON places (name);
CREATE INDEX IF NOT EXISTS plan_places_by_place ON plan_places (place_id);
CREATE INDEX IF NOT EXISTS plan_places_by_plan ON plan_places (plan_id);

ALTER TABLE sessions ADD COLUMN place_id TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS sessions_by_place ON sessions (place_id, starts_at);
ALTER TABLE nfa_notifications ADD COLUMN place_id TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS nfa_by_place ON nfa_notifications (place_id);
ALTER TABLE referrals ADD COLUMN place_id TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS referrals_by_place ON referrals (place_id);
