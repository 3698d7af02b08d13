-- +goose Up
-- An e-mail an event planned is stored as its message (the data it shows, in JSON, a few hundred
-- bytes) and rendered when it is sent or shown, instead of as its text and HTML (a few kilobytes).
-- Rows written before keep their bodies and an empty message.
ALTER TABLE emails ADD COLUMN message TEXT NOT NULL DEFAULT '';

-- +goose Down
-- The bodies of an e-mail stored as its message exist only once rendered, which SQL cannot do:
-- going back is refused while such an e-mail exists (a trigger is SQLite's way to raise an error),
-- so none is left without its text.
CREATE TEMP TABLE email_messages_guard (x INTEGER);
-- +goose StatementBegin
CREATE TEMP TRIGGER email_messages_guard_check BEFORE INSERT ON email_messages_guard
WHEN EXISTS (SELECT 1 FROM main.emails WHERE message <> '')
BEGIN
    SELECT RAISE(ABORT, 'emails stored as messages exist: this schema version cannot be undone without losing their text');
END;
-- +goose StatementEnd
INSERT INTO email_messages_guard (x) VALUES (1);
DROP TABLE email_messages_guard;
ALTER TABLE emails DROP COLUMN message;
