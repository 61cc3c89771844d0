-- The sessions list (newest first, undated drafts last) sorted every session to show its first page: 73 ms on the UI
-- thread while unlocking 100,000 young people's records. An index in exactly that order makes it a short walk.
CREATE INDEX IF NOT EXISTS sessions_recent ON sessions (starts_at IS NULL, starts_at DESC, id DESC);
