-- Indexes for the weekly report (youthwork.reports.weekly): each figure family is one indexed query.
-- "New or returning" probes every reached young person's earlier attendance: (person_id, session_id) answers it from
-- the index alone, and (id, starts_at) gives the session's start without reading the session row. The covering index
-- on people serves the age, gender and ethnicity breakdowns. Case notes by time, sessions by sign-off status and
-- referrals by status and sent time replace full scans.

DROP INDEX IF EXISTS attendance_by_person;
CREATE INDEX attendance_by_person_session ON attendance (person_id, session_id);
CREATE INDEX sessions_by_id_start ON sessions (id, starts_at);
CREATE INDEX sessions_by_status ON sessions (status, starts_at);
CREATE INDEX notes_by_written ON case_notes (written_at);
CREATE INDEX people_for_reports ON people (id, gender, ethnicity, date_of_birth, estimated_age, age_estimated_on, created_at);
CREATE INDEX referrals_by_status ON referrals (status, sent_at);
CREATE INDEX referrals_by_sent ON referrals (sent_at);
