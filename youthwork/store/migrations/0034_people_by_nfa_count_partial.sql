-- The index on the NFA count (migration 0033) holds only the young people the Today page asks for, those with three
-- or more (youthwork.services.joint_visits, JOINT_VISIT_AT): nearly everyone has none, and each of them was an entry
-- kept up to date on every write of a young person (an import of 20,000 wrote 20,000 entries nobody reads). SQLite
-- reads a partial index only for a query whose WHERE implies the index's own, so the Today page's queries say
-- `nfa_count >= 3` as written here (tests/core/test_missing_and_visits.py checks their plans).
DROP INDEX people_by_nfa_count;
CREATE INDEX people_by_nfa_count ON people (nfa_count) WHERE nfa_count >= 3;
