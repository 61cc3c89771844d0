-- Each young person's first attendance: the start of the earliest session (by its stored text, as the reports
-- compare it) on any register naming them. "New or returning" in the weekly report and the board pack asks whether
-- someone attended before the period; over a quarter that was a probe of the attendance index per young person
-- reached (tens of thousands of scattered pages), now one lookup here. Derived, never synced: the triggers below keep
-- it true on every write of a register or a session, whoever makes it (the forms, import, sync, merges, erasure).

CREATE TABLE first_attendance (
    person_id TEXT PRIMARY KEY NOT NULL,
    starts_at TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO first_attendance (person_id, starts_at)
SELECT a.person_id, MIN(s.starts_at) FROM attendance a JOIN sessions s ON s.id = a.session_id
WHERE s.starts_at IS NOT NULL GROUP BY a.person_id;

-- A register entry added: its session may be their earliest.
CREATE TRIGGER first_attendance_register_insert AFTER INSERT ON attendance BEGIN
    INSERT INTO first_attendance (person_id, starts_at)
    SELECT new.person_id, s.starts_at FROM sessions s WHERE s.id = new.session_id AND s.starts_at IS NOT NULL
    ON CONFLICT (person_id) DO UPDATE SET starts_at = excluded.starts_at
    WHERE excluded.starts_at < first_attendance.starts_at;
END;

-- A register entry removed (a correction, an erasure, a tombstone): worked out again only if it was the earliest.
CREATE TRIGGER first_attendance_register_delete AFTER DELETE ON attendance
WHEN (SELECT starts_at FROM sessions WHERE id = old.session_id)
    <= (SELECT starts_at FROM first_attendance WHERE person_id = old.person_id)
BEGIN
    DELETE FROM first_attendance WHERE person_id = old.person_id;
    INSERT INTO first_attendance (person_id, starts_at)
    SELECT a.person_id, MIN(s.starts_at) FROM attendance a JOIN sessions s ON s.id = a.session_id
    WHERE a.person_id = old.person_id AND s.starts_at IS NOT NULL GROUP BY a.person_id;
END;

-- A register entry moved to another young person (a merge, its undoing) or another session: the one it left is worked
-- out again if it was their earliest, the one it names now may have an earlier first.
CREATE TRIGGER first_attendance_register_left AFTER UPDATE OF person_id, session_id ON attendance
WHEN (old.person_id IS NOT new.person_id OR old.session_id IS NOT new.session_id)
    AND (SELECT starts_at FROM sessions WHERE id = old.session_id)
    <= (SELECT starts_at FROM first_attendance WHERE person_id = old.person_id)
BEGIN
    DELETE FROM first_attendance WHERE person_id = old.person_id;
    INSERT INTO first_attendance (person_id, starts_at)
    SELECT a.person_id, MIN(s.starts_at) FROM attendance a JOIN sessions s ON s.id = a.session_id
    WHERE a.person_id = old.person_id AND s.starts_at IS NOT NULL GROUP BY a.person_id;
END;

CREATE TRIGGER first_attendance_register_moved AFTER UPDATE OF person_id, session_id ON attendance
WHEN old.person_id IS NOT new.person_id OR old.session_id IS NOT new.session_id
BEGIN
    INSERT INTO first_attendance (person_id, starts_at)
    SELECT new.person_id, s.starts_at FROM sessions s WHERE s.id = new.session_id AND s.starts_at IS NOT NULL
    ON CONFLICT (person_id) DO UPDATE SET starts_at = excluded.starts_at
    WHERE excluded.starts_at < first_attendance.starts_at;
END;

-- A session arriving after its register (sync may deliver them in either order).
CREATE TRIGGER first_attendance_session_insert AFTER INSERT ON sessions WHEN new.starts_at IS NOT NULL BEGIN
    INSERT INTO first_attendance (person_id, starts_at)
    SELECT a.person_id, new.starts_at FROM attendance a WHERE a.session_id = new.id
    ON CONFLICT (person_id) DO UPDATE SET starts_at = excluded.starts_at
    WHERE excluded.starts_at < first_attendance.starts_at;
END;

-- A session's start changed, or the session removed: everyone on its register is worked out again.
CREATE TRIGGER first_attendance_session_update AFTER UPDATE OF starts_at ON sessions
WHEN old.starts_at IS NOT new.starts_at
BEGIN
    DELETE FROM first_attendance WHERE person_id IN (SELECT person_id FROM attendance WHERE session_id = new.id);
    INSERT INTO first_attendance (person_id, starts_at)
    SELECT a.person_id, MIN(s.starts_at) FROM attendance a JOIN sessions s ON s.id = a.session_id
    WHERE a.person_id IN (SELECT person_id FROM attendance WHERE session_id = new.id)
    AND s.starts_at IS NOT NULL GROUP BY a.person_id;
END;

CREATE TRIGGER first_attendance_session_delete AFTER DELETE ON sessions BEGIN
    DELETE FROM first_attendance WHERE person_id IN (SELECT person_id FROM attendance WHERE session_id = old.id);
    INSERT INTO first_attendance (person_id, starts_at)
    SELECT a.person_id, MIN(s.starts_at) FROM attendance a JOIN sessions s ON s.id = a.session_id
    WHERE a.person_id IN (SELECT person_id FROM attendance WHERE session_id = old.id)
    AND s.starts_at IS NOT NULL GROUP BY a.person_id;
END;

-- Young people by date of birth: the board pack's "turned 18 in the quarter" (and the transitions list) read a few
-- months of birthdays, not every young person.
CREATE INDEX people_by_birth ON people (date_of_birth);

-- The reports' covering index on young people also holds what the board pack's measures read for each young person
-- reached (education status, risk indicators), so the pack reads them from the index in the same pass.
DROP INDEX people_for_reports;
CREATE INDEX people_for_reports ON people (
    id, gender, ethnicity, date_of_birth, estimated_age, age_estimated_on, created_at, education_status, risk_indicators
);
