-- Finding everything about one young person (subject access, erasure) follows every id field; amendments were found
-- by scanning all case notes. Only amendments carry corrects_id, so the index holds just those.
CREATE INDEX IF NOT EXISTS case_notes_by_correction ON case_notes (corrects_id) WHERE corrects_id IS NOT NULL;
