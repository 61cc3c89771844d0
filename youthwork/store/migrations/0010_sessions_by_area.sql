-- The area filter lists every estate on record; without this it read every session to find them.
CREATE INDEX IF NOT EXISTS sessions_by_area ON sessions (area);
