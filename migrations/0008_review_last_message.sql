-- The message the latest sighting was read in: a message handled again
-- after a crash (its review note written, the crash before it was marked
-- answered) is the same sighting, not a second one. NULL: not known (a
-- press, a form, the terminal).
ALTER TABLE review_items ADD COLUMN last_message INTEGER;
