-- Issue 19: referrals in from outside (who from, when it arrived), the first appointment, and the answers a referrer
-- records for an agency with no team on the service (who told them, where it was passed on to).
ALTER TABLE referrals ADD COLUMN from_source TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN from_name TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN received_on TEXT;
ALTER TABLE referrals ADD COLUMN first_appointment_on TEXT;
ALTER TABLE referral_events ADD COLUMN told_by TEXT NOT NULL DEFAULT '';
ALTER TABLE referral_events ADD COLUMN first_appointment_on TEXT;
ALTER TABLE referral_events ADD COLUMN passed_to TEXT NOT NULL DEFAULT '';
