-- Referrals, their steps and the shares they record; safety plans and their agreed versions; police NFA notifications.
-- Steps, shares, versions and NFAs are append-only. No foreign keys: sync may deliver a step before its referral.

CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    to_agency TEXT NOT NULL DEFAULT 'tys',
    to_team_id TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    risk_indicators TEXT NOT NULL DEFAULT '[]',
    urgency TEXT NOT NULL DEFAULT 'routine',
    lawful_basis TEXT,
    consent_given_by TEXT,
    consent_date TEXT,
    shared_fields TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'draft',
    sent_at TEXT,
    sent_by TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    to_agency_name TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE referral_events (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    referral_id TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL DEFAULT '',
    by_user_id TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    allocated_to TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE share_records (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    referral_id TEXT NOT NULL DEFAULT '',
    with_agency TEXT NOT NULL DEFAULT '',
    with_agency_name TEXT NOT NULL DEFAULT '',
    with_team_id TEXT NOT NULL DEFAULT '',
    shared_fields TEXT NOT NULL DEFAULT '[]',
    shared_at TEXT NOT NULL,
    shared_by TEXT NOT NULL DEFAULT '',
    lawful_basis TEXT NOT NULL DEFAULT '',
    consent_given_by TEXT,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE safety_plans (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    risks_triggers TEXT NOT NULL DEFAULT '',
    warning_signs TEXT NOT NULL DEFAULT '',
    safe_places TEXT NOT NULL DEFAULT '',
    trusted_adults TEXT NOT NULL DEFAULT '[]',
    contacts TEXT NOT NULL DEFAULT '[]',
    actions TEXT NOT NULL DEFAULT '[]',
    own_words TEXT NOT NULL DEFAULT '',
    review_date TEXT,
    nrm_decision_date TEXT,
    nrm_outcome TEXT,
    current_version_id TEXT NOT NULL DEFAULT '',
    agreed_at TEXT,
    closed_reason TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE safety_plan_versions (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    plan_id TEXT NOT NULL DEFAULT '',
    person_id TEXT NOT NULL DEFAULT '',
    number INTEGER NOT NULL DEFAULT 1,
    based_on_version_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'agreed',
    agreed_by TEXT NOT NULL DEFAULT '',
    agreed_at TEXT NOT NULL,
    change_note TEXT NOT NULL DEFAULT '',
    risks_triggers TEXT NOT NULL DEFAULT '',
    warning_signs TEXT NOT NULL DEFAULT '',
    safe_places TEXT NOT NULL DEFAULT '',
    trusted_adults TEXT NOT NULL DEFAULT '[]',
    contacts TEXT NOT NULL DEFAULT '[]',
    actions TEXT NOT NULL DEFAULT '[]',
    own_words TEXT NOT NULL DEFAULT '',
    review_date TEXT,
    nrm_decision_date TEXT,
    nrm_outcome TEXT,
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE nfa_notifications (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    notified_on TEXT,
    offence_category TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX ix_referrals_person ON referrals (person_id);
CREATE INDEX ix_referrals_to_team ON referrals (to_team_id, status);
CREATE INDEX ix_referral_events_referral ON referral_events (referral_id);
CREATE INDEX ix_share_records_person ON share_records (person_id);
CREATE INDEX ix_safety_plans_person ON safety_plans (person_id);
CREATE INDEX ix_safety_plans_review ON safety_plans (status, review_date);
CREATE INDEX ix_safety_plan_versions_plan ON safety_plan_versions (plan_id);
CREATE INDEX ix_nfa_notifications_person ON nfa_notifications (person_id);
