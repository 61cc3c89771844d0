-- Registers by session with the young person in the index: the weekly report and the board pack read the period's
-- registers as each session's young people (youthwork.reports.weekly), from the index alone rather than one table
-- row per register entry (a quarter's ~55,000). Replaces attendance_by_session, of which it is an extension, so a
-- register row written keeps the same number of indexes.
DROP INDEX attendance_by_session;
CREATE INDEX attendance_by_session ON attendance (session_id, person_id);
