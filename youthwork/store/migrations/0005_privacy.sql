-- Privacy: the hash-chained audit trail, consent history, supervisors' acknowledgements of withdrawals, erasure
-- tombstones and legal holds. These records sync like any other; `erasures_applied` is local bookkeeping (which
-- erasures this laptop has carried out) and never leaves it.

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    seq INTEGER NOT NULL DEFAULT 0,
    user_id TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL DEFAULT '',
    table_name TEXT NOT NULL DEFAULT '',
    record_id TEXT NOT NULL DEFAULT '',
    person_id TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL DEFAULT '',
    hash TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_by_device ON audit_log (device, seq);
CREATE INDEX audit_by_at ON audit_log (at);
CREATE INDEX audit_by_person ON audit_log (person_id);

CREATE TABLE consent_events (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'recorded',
    lawful_basis TEXT,
    consent_given_by TEXT,
    competence_note TEXT NOT NULL DEFAULT '',
    consent_date TEXT,
    consent_review_date TEXT,
    withdrawn_on TEXT,
    recorded_by TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    _server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX consent_by_person ON consent_events (person_id, at);

CREATE TABLE consent_acks (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    consent_event_id TEXT NOT NULL DEFAULT '',
    person_id TEXT NOT NULL DEFAULT '',
    by_user_id TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE erasures (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT 'erase',
    reason TEXT NOT NULL DEFAULT '',
    requested_by TEXT NOT NULL DEFAULT '',
    confirmed_by TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    _server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX erasures_by_person ON erasures (person_id);

CREATE TABLE erasures_applied (erasure_id TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL);

CREATE TABLE legal_holds (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    placed_by TEXT NOT NULL DEFAULT '',
    placed_at TEXT NOT NULL,
    lifted_by TEXT NOT NULL DEFAULT '',
    lifted_at TEXT,
    _server_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX holds_by_person ON legal_holds (person_id);
