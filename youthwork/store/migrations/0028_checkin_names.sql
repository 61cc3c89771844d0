-- A young person may choose to put their name on their check-in (issue 22: "never linked to a named young person
-- unless they choose"). Empty for an anonymous one, which is every check-in taken before this.
ALTER TABLE session_checkins ADD COLUMN person_id TEXT NOT NULL DEFAULT '';
-- Erasure, subject access and merges look a young person's records up by their id.
CREATE INDEX session_checkins_by_person ON session_checkins (person_id);
