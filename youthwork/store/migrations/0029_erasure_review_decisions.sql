-- Erasure reviews record what the team decided: erased its own records too, or kept them for a reason of its own
-- (a code from youthwork.domain.privacy.KeepReason, never free text: the review outlives the young person).
ALTER TABLE erasure_reviews ADD COLUMN decision TEXT NOT NULL DEFAULT '';
ALTER TABLE erasure_reviews ADD COLUMN keep_reason TEXT NOT NULL DEFAULT '';
