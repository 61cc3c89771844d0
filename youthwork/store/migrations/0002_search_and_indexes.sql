-- Full-text search of young people by name, known-as, area and postcode (prefix matching), kept in step with the
-- people table by triggers; and the indexes the lists, registers and the outbox need.

CREATE VIRTUAL TABLE people_fts USING fts5(
    first_name, last_name, known_as, area, postcode,
    content='people', content_rowid='rid',
    tokenize="unicode61 remove_diacritics 2",
    prefix='1 2 3'
);

CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_fts(rowid, first_name, last_name, known_as, area, postcode)
    VALUES (new.rid, new.first_name, new.last_name, new.known_as, new.area, new.postcode);
END;

CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_fts(people_fts, rowid, first_name, last_name, known_as, area, postcode)
    VALUES ('delete', old.rid, old.first_name, old.last_name, old.known_as, old.area, old.postcode);
END;

CREATE TRIGGER people_fts_update AFTER UPDATE OF first_name, last_name, known_as, area, postcode ON people BEGIN
    INSERT INTO people_fts(people_fts, rowid, first_name, last_name, known_as, area, postcode)
    VALUES ('delete', old.rid, old.first_name, old.last_name, old.known_as, old.area, old.postcode);
    INSERT INTO people_fts(rowid, first_name, last_name, known_as, area, postcode)
    VALUES (new.rid, new.first_name, new.last_name, new.known_as, new.area, new.postcode);
END;

INSERT INTO people_fts(people_fts) VALUES ('rebuild');

CREATE INDEX people_by_name ON people (first_name COLLATE NOCASE, last_name COLLATE NOCASE);
CREATE INDEX people_by_area ON people (area);
CREATE INDEX people_by_lead ON people (lead_worker_id);
CREATE INDEX rag_by_person ON rag_ratings (person_id, set_at);
CREATE INDEX sessions_by_start ON sessions (starts_at);
CREATE INDEX attendance_by_session ON attendance (session_id);
CREATE INDEX attendance_by_person ON attendance (person_id);
CREATE INDEX notes_by_person ON case_notes (person_id, written_at);
CREATE INDEX outbox_by_record ON outbox (tbl, record_id);
