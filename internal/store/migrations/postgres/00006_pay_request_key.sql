-- +goose Up
-- The payer's Idempotency-Key is kept on the attempt it started: a retry of the pay call finds that
-- attempt through this unique index instead of paying twice, and paying writes no separate
-- idempotency record (two statements and two commits fewer per payment).
ALTER TABLE payments ADD COLUMN request_key TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX payments_request_key ON payments (link_id, request_key) WHERE request_key <> '';

-- +goose Down
DROP INDEX payments_request_key;
ALTER TABLE payments DROP COLUMN request_hash;
ALTER TABLE payments DROP COLUMN request_key;
