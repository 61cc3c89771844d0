-- A young person's physical or mental health needs (the privacy notice's special category "physical and mental health
-- details"), as they chose to tell them: behind the reason prompt, never sent to partner staff.
ALTER TABLE people ADD COLUMN health_needs TEXT NOT NULL DEFAULT '';
