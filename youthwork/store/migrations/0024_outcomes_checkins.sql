-- Outcomes and fair figures (issue 22): outcome ratings (distance travelled), anonymous session check-ins (no person id),
-- and the borough's population baseline for the fair figures' rates. (youthwork.store.tables wrote them.)

CREATE TABLE outcome_ratings (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    rated_on TEXT,
    stage TEXT NOT NULL DEFAULT 'start',
    programme TEXT NOT NULL DEFAULT '',
    framework TEXT NOT NULL DEFAULT 'foyp',
    scores TEXT NOT NULL DEFAULT '{}',
    rated_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE session_checkins (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    session_id TEXT NOT NULL DEFAULT '',
    taken_on TEXT,
    place TEXT NOT NULL DEFAULT '',
    programme TEXT NOT NULL DEFAULT '',
    felt_safe TEXT NOT NULL DEFAULT '',
    someone_to_talk TEXT NOT NULL DEFAULT '',
    would_help TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE population_baselines (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    loaded_on TEXT,
    rows TEXT NOT NULL DEFAULT '[]',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX outcome_ratings_by_person ON outcome_ratings (person_id, rated_on);
CREATE INDEX session_checkins_by_day ON session_checkins (taken_on);
