-- A safeguarding concern raised at a session is about someone: the register entry of each young person it is about
-- carries the flag, so it shows on their profile and in the supervisor's sign-off list (and goes with them on erasure).
ALTER TABLE attendance ADD COLUMN concern INTEGER NOT NULL DEFAULT 0;
