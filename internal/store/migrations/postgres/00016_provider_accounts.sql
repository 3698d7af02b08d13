-- +goose Up
-- A merchant's account with a payment provider in one mode. Settings are plain JSON; the secrets are
-- one AES-256-GCM box (base64) sealed with the encryption key named by key_id, so the key can be
-- rotated; secret_last4 (JSON) keeps the last four characters of each secret for the masked view.
-- Connecting another account ends this one (status replaced) but keeps it: the payments it took are
-- captured and refunded through it. At most one account per merchant and mode is active.
CREATE TABLE provider_accounts (
    id                TEXT COLLATE "C" PRIMARY KEY,
    merchant_id       TEXT NOT NULL,
    livemode          BOOLEAN NOT NULL,
    provider          TEXT NOT NULL,
    settings          TEXT NOT NULL,
    secrets           TEXT NOT NULL,
    key_id            TEXT NOT NULL,
    secret_last4      TEXT NOT NULL,
    status            TEXT NOT NULL,
    last_test_at      TIMESTAMPTZ,
    last_test_ok      BOOLEAN NOT NULL DEFAULT FALSE,
    last_test_message TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    ended_at          TIMESTAMPTZ
);
CREATE UNIQUE INDEX provider_accounts_active ON provider_accounts (merchant_id, livemode) WHERE status = 'active';
CREATE INDEX provider_accounts_merchant ON provider_accounts (merchant_id);

-- Each payment remembers the account that took it ('' for the deployment's default account).
ALTER TABLE payments ADD COLUMN provider_account_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE payments DROP COLUMN provider_account_id;
DROP TABLE provider_accounts;
