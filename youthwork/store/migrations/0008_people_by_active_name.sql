-- The young people list shows the active ones by default. Paging that list walked people_by_name and read every row
-- to check `active`, so a page near the end of 100,000 cost 200 ms on the UI thread (fetchMore) and scrolling to the
-- end grew with the square of the list. With `active` in the index the page is found in the index alone.
CREATE INDEX IF NOT EXISTS people_by_active_name ON people (active, first_name COLLATE NOCASE, last_name COLLATE NOCASE);
