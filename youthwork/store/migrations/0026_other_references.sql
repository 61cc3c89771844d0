-- Other agencies' ID numbers on a young person's record (the privacy notice's "other ID numbers"): criminal-offence
-- data, as a YOS or police number says the young person is known to youth justice.
ALTER TABLE people ADD COLUMN other_references TEXT NOT NULL DEFAULT '';
