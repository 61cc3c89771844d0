-- The first schema: one table per record type with real columns. Lists and dicts are JSON text, dates and times ISO
-- 8601 text, booleans 0/1. `_server_version` is the record's last known version on the central service (0: never
-- synced). Bookkeeping tables (outbox, sync_state, settings, drafts, secrets) never leave the laptop.

CREATE TABLE people (
    rid INTEGER PRIMARY KEY,  -- stable rowid for the full-text index (a TEXT key alone may be renumbered by VACUUM)
    id TEXT NOT NULL UNIQUE,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    known_as TEXT NOT NULL DEFAULT '',
    date_of_birth TEXT,
    estimated_age INTEGER,
    age_estimated_on TEXT,
    gender TEXT NOT NULL DEFAULT 'not_known',
    ethnicity TEXT,
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    nhs_number TEXT NOT NULL DEFAULT '',
    ni_number TEXT NOT NULL DEFAULT '',
    education_status TEXT NOT NULL DEFAULT 'not_known',
    school TEXT NOT NULL DEFAULT '',
    send_ehcp INTEGER NOT NULL DEFAULT 0,
    looked_after INTEGER NOT NULL DEFAULT 0,
    lead_worker_id TEXT NOT NULL DEFAULT '',
    rag TEXT,
    rag_set_at TEXT,
    rag_set_by TEXT NOT NULL DEFAULT '',
    risk_indicators TEXT NOT NULL DEFAULT '[]',
    nfa_count INTEGER NOT NULL DEFAULT 0,
    lawful_basis TEXT,
    consent_given_by TEXT,
    consent_date TEXT,
    consent_review_date TEXT,
    consent_withdrawn_on TEXT,
    competence_note TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    incomplete INTEGER NOT NULL DEFAULT 0,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE rag_ratings (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL,
    rating TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    set_by TEXT NOT NULL DEFAULT '',
    set_at TEXT NOT NULL,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    session_type TEXT NOT NULL DEFAULT 'detached',
    status TEXT NOT NULL DEFAULT 'draft',
    starts_at TEXT,
    ends_at TEXT,
    area TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    workers TEXT NOT NULL DEFAULT '[]',
    topics TEXT NOT NULL DEFAULT '[]',
    core_activities TEXT NOT NULL DEFAULT '[]',
    incidents TEXT NOT NULL DEFAULT '',
    concern INTEGER NOT NULL DEFAULT 0,
    concern_details TEXT NOT NULL DEFAULT '',
    narrative TEXT NOT NULL DEFAULT '',
    headcounts TEXT NOT NULL DEFAULT '{}',
    submitted_at TEXT,
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT,
    review_comment TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

-- No foreign keys on record tables: sync may deliver a register entry before the person it names.
CREATE TABLE attendance (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    session_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    new_face INTEGER NOT NULL DEFAULT 0,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE case_notes (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL,
    session_id TEXT,
    author_id TEXT NOT NULL DEFAULT '',
    written_at TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    corrects_id TEXT,
    restricted INTEGER NOT NULL DEFAULT 0,
    _server_version INTEGER NOT NULL DEFAULT 0
);

-- Local changes waiting to be pushed, in the order they were made.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id TEXT NOT NULL UNIQUE,
    tbl TEXT NOT NULL,
    record_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    fields TEXT NOT NULL DEFAULT '{}',
    base_version INTEGER NOT NULL DEFAULT 0,
    hlc TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sync_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE drafts (key TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE secrets (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
