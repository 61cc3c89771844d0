-- The deployment log (issue 20): the report that sent workers to a place, what they found, what went back to tasking.
CREATE TABLE deployments (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    place_id TEXT NOT NULL DEFAULT '',
    session_id TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'asb_report',
    reference TEXT NOT NULL DEFAULT '',
    received_on TEXT,
    reported TEXT NOT NULL DEFAULT '',
    found TEXT NOT NULL DEFAULT '',
    fed_back TEXT NOT NULL DEFAULT '',
    fed_back_on TEXT,
    recorded_by TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS deployments_by_place ON deployments (place_id, received_on);
