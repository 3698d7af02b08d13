-- +goose Up
-- An e-mail an event planned is stored as its message (the data it shows, in JSON, a few hundred
-- bytes) and rendered when it is sent or shown, instead of as its text and HTML (a few kilobytes).
-- Writing the bodies of a payment's two e-mails was about a tenth of the payment's CPU. Rows
-- written before keep their bodies and an empty message.
ALTER TABLE emails ADD COLUMN message TEXT NOT NULL DEFAULT '';

-- +goose Down
-- The bodies of an e-mail stored as its message exist only once rendered, which SQL cannot do:
-- going back is refused while such an e-mail exists, so none is left without its text.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM emails WHERE message <> '') THEN
        RAISE EXCEPTION 'emails stored as messages exist: this schema version cannot be undone without losing their text';
    END IF;
END
$$;
-- +goose StatementEnd
ALTER TABLE emails DROP COLUMN message;
