-- +goose Up
-- The merchant's logo, shown to payers on the checkout, receipts, e-mails and PDFs. The image lives
-- in its own table; merchants.logo_file names it as "<sha-256>.<ext>", the address it is served at
-- (content-addressed, so it can be cached for a year), and is empty when there is none.
ALTER TABLE merchants ADD COLUMN logo_file TEXT NOT NULL DEFAULT '';
CREATE TABLE merchant_logos (
    merchant_id  TEXT PRIMARY KEY REFERENCES merchants(id),
    file         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX merchant_logos_file ON merchant_logos (file);

-- +goose Down
DROP TABLE merchant_logos;
ALTER TABLE merchants DROP COLUMN logo_file;
