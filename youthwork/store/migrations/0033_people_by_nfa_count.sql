-- Young people by their count of police NFAs: the Today page asks each time it is shown who has three or more
-- (youthwork.services.joint_visits, the third-NFA joint home visit), which without an index read every young person's
-- row (66 ms of the page at 100,000 young people, 4,917 of them with three or more).
CREATE INDEX people_by_nfa_count ON people (nfa_count);
