-- The newest messages each conversation took in, and how it stood before
-- the newest one (JSON, see src/store/applied.rs): a follow-up handled
-- again after a crash is handled from there, so it gets the same reply
-- under the same nonce instead of moving the case twice. NULL: none.
ALTER TABLE conversations ADD COLUMN applied TEXT;
