-- Imports (youthwork.services.importing): bookkeeping that never leaves the laptop. One row per file imported (its
-- id is the file's SHA-256) and one per sheet row imported, keyed by a hash of what the row says in its mapped
-- columns and written in the same transaction as the records it made: a rerun after a crash, or of a corrected
-- file, skips exactly the rows already imported. No names; a row names the young person it made or matched, and
-- goes with them when they are erased (youthwork.privacy.erasure).

CREATE TABLE import_runs (
    import_id TEXT PRIMARY KEY NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    mapping TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    finished_at TEXT,
    rows_total INTEGER NOT NULL DEFAULT 0,
    rows_added INTEGER NOT NULL DEFAULT 0,
    rows_refused INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE import_rows (
    row_key TEXT PRIMARY KEY NOT NULL,
    import_id TEXT NOT NULL,
    row_no INTEGER NOT NULL,
    outcome TEXT NOT NULL,  -- added | matched (joined to a young person already recorded)
    person_id TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE INDEX import_rows_by_person ON import_rows (person_id);
