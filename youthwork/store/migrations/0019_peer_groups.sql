-- Peer groups, their memberships (which lapse at their review date and are then erased), the shares of a group's
-- context conference pack, and context safety plans with their agreed versions. (youthwork.store.tables wrote them.)

CREATE TABLE peer_groups (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    place_ids TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'active',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE group_memberships (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    group_id TEXT NOT NULL DEFAULT '',
    person_id TEXT NOT NULL DEFAULT '',
    recorded_on TEXT,
    recorded_by TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    confidence TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    own_account TEXT NOT NULL DEFAULT '',
    review_date TEXT,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE group_shares (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    group_id TEXT NOT NULL DEFAULT '',
    to_team_id TEXT NOT NULL DEFAULT '',
    to_agency TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'sent',
    reason TEXT NOT NULL DEFAULT '',
    shared_by TEXT NOT NULL DEFAULT '',
    pack_text TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE context_plans (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    group_id TEXT NOT NULL DEFAULT '',
    place_id TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    concern TEXT NOT NULL DEFAULT '',
    partners TEXT NOT NULL DEFAULT '[]',
    actions TEXT NOT NULL DEFAULT '[]',
    review_date TEXT,
    current_version_id TEXT NOT NULL DEFAULT '',
    agreed_at TEXT,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE context_plan_versions (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    plan_id TEXT NOT NULL DEFAULT '',
    number INTEGER NOT NULL DEFAULT 1,
    based_on_version_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'agreed',
    agreed_by TEXT NOT NULL DEFAULT '',
    agreed_at TEXT NOT NULL,
    change_note TEXT NOT NULL DEFAULT '',
    concern TEXT NOT NULL DEFAULT '',
    partners TEXT NOT NULL DEFAULT '[]',
    actions TEXT NOT NULL DEFAULT '[]',
    review_date TEXT,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX group_memberships_by_group ON group_memberships (group_id);
CREATE INDEX group_memberships_by_person ON group_memberships (person_id);
CREATE INDEX group_memberships_by_review ON group_memberships (review_date);
CREATE INDEX context_plans_by_group ON context_plans (group_id);
CREATE INDEX context_plan_versions_by_plan ON context_plan_versions (plan_id);
