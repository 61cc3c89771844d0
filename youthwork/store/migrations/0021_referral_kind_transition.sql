-- A referral's kind: "transition" is a planned handover at 18 to the 18-24 transitions service in the IGT, with the
-- day it is planned for (youthwork.domain.referrals.ReferralKind).

ALTER TABLE referrals ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN handover_on TEXT;
CREATE INDEX ix_referrals_kind_person ON referrals (kind, person_id);
