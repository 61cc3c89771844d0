-- Missing episodes, their return home interviews, and third-NFA joint home visits (youthwork.domain.missing,
-- youthwork.domain.joint_visits). youthwork.store.tables wrote the tables.

CREATE TABLE missing_episodes (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    reported_at TEXT,
    reported_by TEXT NOT NULL DEFAULT '',
    reported_by_name TEXT NOT NULL DEFAULT '',
    from_care INTEGER NOT NULL DEFAULT 0,
    returned_at TEXT,
    found_where TEXT NOT NULL DEFAULT '',
    police_reference TEXT NOT NULL DEFAULT '',
    exploitation_concern INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE return_home_interviews (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    episode_id TEXT NOT NULL DEFAULT '',
    person_id TEXT NOT NULL DEFAULT '',
    offered_at TEXT,
    status TEXT NOT NULL DEFAULT 'not_yet',
    held_at TEXT,
    done_by TEXT NOT NULL DEFAULT '',
    learned TEXT NOT NULL DEFAULT '',
    places TEXT NOT NULL DEFAULT '',
    people_linked TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE joint_visits (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned',
    planned_for TEXT,
    visited_on TEXT,
    tys_workers TEXT NOT NULL DEFAULT '[]',
    police_officer TEXT NOT NULL DEFAULT '',
    outcomes TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX ix_missing_episodes_person ON missing_episodes (person_id, reported_at);
CREATE INDEX ix_missing_episodes_reported ON missing_episodes (reported_at);
CREATE INDEX ix_return_home_interviews_episode ON return_home_interviews (episode_id);
CREATE INDEX ix_joint_visits_person ON joint_visits (person_id);
