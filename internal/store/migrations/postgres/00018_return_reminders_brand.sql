-- +goose Up
-- The way back to the merchant: an invoice may name where the payer goes after paying (success_url)
-- or when leaving the checkout (cancel_url); the checkout signs both with the merchant's return
-- secret of the invoice's mode. auto_return sends the payer back a few seconds after paying.
ALTER TABLE invoices ADD COLUMN success_url TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN cancel_url TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN auto_return BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE merchants ADD COLUMN return_secret_test TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN return_secret_live TEXT NOT NULL DEFAULT '';

-- Reminders, off by default: a number of days after the link was first e-mailed, and a number of
-- days before it expires (0 = that rule is off). sent_at is when the link was first e-mailed.
ALTER TABLE merchants ADD COLUMN remind_after_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE merchants ADD COLUMN remind_before_expiry_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN sent_at TIMESTAMPTZ;
-- One row per reminder sent; an automatic rule reminds an invoice at most once (the partial unique
-- index), a merchant's "Remind now" as often as it asks.
CREATE TABLE reminders (
    id          TEXT COLLATE "C" PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    livemode    BOOLEAN NOT NULL DEFAULT FALSE,
    invoice_id  TEXT NOT NULL,
    rule        TEXT NOT NULL,
    email_id    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX reminders_rule_once ON reminders (invoice_id, rule) WHERE rule <> 'manual';
CREATE INDEX reminders_invoice ON reminders (invoice_id, id);

-- The merchant's brand colour (#RRGGBB) for the checkout and e-mails; empty: the product's own.
ALTER TABLE merchants ADD COLUMN brand_color TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE merchants DROP COLUMN brand_color;
DROP TABLE reminders;
ALTER TABLE invoices DROP COLUMN sent_at;
ALTER TABLE merchants DROP COLUMN remind_before_expiry_days;
ALTER TABLE merchants DROP COLUMN remind_after_days;
ALTER TABLE merchants DROP COLUMN return_secret_live;
ALTER TABLE merchants DROP COLUMN return_secret_test;
ALTER TABLE merchants DROP COLUMN auto_return;
ALTER TABLE invoices DROP COLUMN cancel_url;
ALTER TABLE invoices DROP COLUMN success_url;
