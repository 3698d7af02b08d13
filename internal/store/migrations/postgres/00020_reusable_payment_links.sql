-- +goose Up
-- Reusable payment links: one link a merchant shares with many payers. Each payer's order is an
-- ordinary invoice that names its link (invoices.payment_link_id). The price is fixed lines (times a
-- quantity the payer may change within quantity_min..quantity_max; both 0 when it is fixed) or an
-- amount the payer chooses within amount_min..amount_max. max_payments (0: no limit) bounds the
-- orders paid or being paid: every payment attempt counts the link's orders that hold a slot while
-- it holds the link's row, so simultaneous payers never exceed it. lines and custom_fields are JSON.
CREATE TABLE payment_links (
    id               TEXT COLLATE "C" PRIMARY KEY,
    merchant_id      TEXT NOT NULL REFERENCES merchants(id),
    livemode         BOOLEAN NOT NULL DEFAULT FALSE,
    token            TEXT NOT NULL,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    currency         TEXT NOT NULL,
    pricing          TEXT NOT NULL,
    lines            TEXT NOT NULL DEFAULT '[]',
    quantity_min     BIGINT NOT NULL DEFAULT 0,
    quantity_max     BIGINT NOT NULL DEFAULT 0,
    amount_min       BIGINT NOT NULL DEFAULT 0,
    amount_max       BIGINT NOT NULL DEFAULT 0,
    amount_suggested BIGINT NOT NULL DEFAULT 0,
    max_payments     BIGINT NOT NULL DEFAULT 0,
    expires_at       TIMESTAMPTZ,
    collect_name     BOOLEAN NOT NULL DEFAULT FALSE,
    collect_phone    BOOLEAN NOT NULL DEFAULT FALSE,
    collect_address  BOOLEAN NOT NULL DEFAULT FALSE,
    custom_fields    TEXT NOT NULL DEFAULT '[]',
    locale           TEXT NOT NULL,
    capture_mode     TEXT NOT NULL,
    success_url      TEXT NOT NULL DEFAULT '',
    cancel_url       TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    created_by       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    ended_at         TIMESTAMPTZ
);
CREATE UNIQUE INDEX payment_links_token ON payment_links (token);
CREATE INDEX payment_links_merchant ON payment_links (merchant_id, id DESC);
CREATE INDEX payment_links_merchant_status ON payment_links (merchant_id, status, id DESC);

-- An order names its link; the payer's answers to the link's custom fields are kept with it (JSON).
ALTER TABLE invoices ADD COLUMN payment_link_id TEXT;
ALTER TABLE invoices ADD COLUMN custom_fields TEXT NOT NULL DEFAULT '';
CREATE INDEX invoices_payment_link ON invoices (payment_link_id, id DESC);

-- +goose Down
DROP INDEX invoices_payment_link;
ALTER TABLE invoices DROP COLUMN custom_fields;
ALTER TABLE invoices DROP COLUMN payment_link_id;
DROP TABLE payment_links;
