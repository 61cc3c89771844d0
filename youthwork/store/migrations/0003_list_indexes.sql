-- Fast filtered lists of young people: area and lead worker indexes that also give the name order, and an index
-- of risk indicators (a JSON list on the person) kept in step by triggers.

DROP INDEX people_by_area;
DROP INDEX people_by_lead;
CREATE INDEX people_by_area_name ON people (area, first_name COLLATE NOCASE, last_name COLLATE NOCASE);
CREATE INDEX people_by_lead_name ON people (lead_worker_id, first_name COLLATE NOCASE, last_name COLLATE NOCASE);

CREATE TABLE people_risk (
    indicator TEXT NOT NULL,
    rid INTEGER NOT NULL,
    PRIMARY KEY (indicator, rid)
) WITHOUT ROWID;

CREATE TRIGGER people_risk_insert AFTER INSERT ON people BEGIN
    INSERT OR IGNORE INTO people_risk (indicator, rid)
    SELECT value, new.rid FROM json_each(CASE WHEN json_valid(new.risk_indicators) THEN new.risk_indicators END);
END;

CREATE TRIGGER people_risk_update AFTER UPDATE OF risk_indicators ON people BEGIN
    DELETE FROM people_risk WHERE rid = old.rid AND indicator IN (SELECT value FROM json_each(old.risk_indicators));
    INSERT OR IGNORE INTO people_risk (indicator, rid)
    SELECT value, new.rid FROM json_each(CASE WHEN json_valid(new.risk_indicators) THEN new.risk_indicators END);
END;

CREATE TRIGGER people_risk_delete AFTER DELETE ON people BEGIN
    DELETE FROM people_risk WHERE rid = old.rid AND indicator IN (SELECT value FROM json_each(old.risk_indicators));
END;

INSERT OR IGNORE INTO people_risk (indicator, rid)
SELECT j.value, p.rid FROM people p, json_each(CASE WHEN json_valid(p.risk_indicators) THEN p.risk_indicators END) j;
