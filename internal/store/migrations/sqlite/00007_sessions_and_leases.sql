-- +goose Up
-- Portal sessions live on the server: the session cookie names a row here, checked on every request,
-- so logging out, "log out everywhere", a password change or removal from a merchant ends it at once.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL,
    revoked_at  DATETIME
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- An Idempotency-Key's in-flight record holds a lease: a request that died (killed process, dropped
-- connection) no longer blocks its key once the lease has run out. claim names the request that holds
-- it, so only that request finishes or releases the record.
ALTER TABLE idempotency_keys ADD COLUMN lease_until DATETIME;
ALTER TABLE idempotency_keys ADD COLUMN claim TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN claim;
ALTER TABLE idempotency_keys DROP COLUMN lease_until;
DROP TABLE sessions;
