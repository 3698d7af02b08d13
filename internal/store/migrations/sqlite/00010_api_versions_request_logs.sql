-- +goose Up
-- Every API key is pinned to the dated API version that was current when it was created; keys made
-- before versions existed get the first one.
ALTER TABLE api_keys ADD COLUMN api_version TEXT NOT NULL DEFAULT '2026-11-25';

-- The merchant's request log: one row per API-key request (never a body, a query or a secret),
-- kept 30 days by a background purge.
CREATE TABLE request_logs (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    api_key_id  TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    status      INTEGER NOT NULL,
    request_id  TEXT NOT NULL,
    api_version TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX request_logs_merchant ON request_logs (merchant_id, id);
CREATE INDEX request_logs_created ON request_logs (created_at);

-- +goose Down
DROP TABLE request_logs;
ALTER TABLE api_keys DROP COLUMN api_version;
