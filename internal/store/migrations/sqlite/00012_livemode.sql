-- +goose Up
-- Test and live data side by side. Every object a merchant owns belongs to one mode; a request sees
-- only its mode's objects (an API key's mode, or the portal session's Test mode switch). Everything
-- that existed before modes is test data.
ALTER TABLE invoices ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE links ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE payments ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE refunds ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE transactions ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE events ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE emails ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE webhook_endpoints ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE webhook_deliveries ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE webhook_attempts ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE api_keys ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE request_logs ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
-- The mode the action was taken in; the audit log lists both modes (logins, team and settings
-- belong to the whole account).
ALTER TABLE audit_log ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
-- The portal's Test mode switch, kept with the session.
ALTER TABLE sessions ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;

-- Live invoices have their own gap-free numbers: invoice_seq counts test invoices (every invoice
-- so far was one), live_invoice_seq live ones, so test invoices never take a live number.
ALTER TABLE merchants ADD COLUMN live_invoice_seq BIGINT NOT NULL DEFAULT 0;
DROP INDEX invoices_number;
CREATE UNIQUE INDEX invoices_number ON invoices (merchant_id, livemode, number);

-- Lists read one merchant's objects of one mode, newest first.
DROP INDEX invoices_merchant_id;
CREATE INDEX invoices_merchant_id ON invoices (merchant_id, livemode, id DESC);
DROP INDEX invoices_merchant_status;
CREATE INDEX invoices_merchant_status ON invoices (merchant_id, livemode, status, id DESC);
DROP INDEX payments_merchant;
CREATE INDEX payments_merchant ON payments (merchant_id, livemode, id DESC);
DROP INDEX refunds_merchant;
CREATE INDEX refunds_merchant ON refunds (merchant_id, livemode, id DESC);
DROP INDEX events_merchant;
CREATE INDEX events_merchant ON events (merchant_id, livemode, id DESC);
DROP INDEX emails_merchant;
CREATE INDEX emails_merchant ON emails (merchant_id, livemode, id DESC);
DROP INDEX webhook_endpoints_merchant;
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id, livemode, id DESC);
DROP INDEX api_keys_merchant;
CREATE INDEX api_keys_merchant ON api_keys (merchant_id, livemode, id);
DROP INDEX request_logs_merchant;
CREATE INDEX request_logs_merchant ON request_logs (merchant_id, livemode, id);
-- A statement line is recorded once per mode: importing a statement in test mode leaves it
-- importable in live mode.
DROP INDEX payments_statement_line;
CREATE UNIQUE INDEX payments_statement_line ON payments (merchant_id, livemode, statement_line) WHERE statement_line <> '';

-- +goose Down
DROP INDEX payments_statement_line;
CREATE UNIQUE INDEX payments_statement_line ON payments (merchant_id, statement_line) WHERE statement_line <> '';
DROP INDEX request_logs_merchant;
CREATE INDEX request_logs_merchant ON request_logs (merchant_id, id);
DROP INDEX api_keys_merchant;
CREATE INDEX api_keys_merchant ON api_keys (merchant_id, id);
DROP INDEX webhook_endpoints_merchant;
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id, id DESC);
DROP INDEX emails_merchant;
CREATE INDEX emails_merchant ON emails (merchant_id, id DESC);
DROP INDEX events_merchant;
CREATE INDEX events_merchant ON events (merchant_id, id DESC);
DROP INDEX refunds_merchant;
CREATE INDEX refunds_merchant ON refunds (merchant_id, id DESC);
DROP INDEX payments_merchant;
CREATE INDEX payments_merchant ON payments (merchant_id, id DESC);
DROP INDEX invoices_merchant_status;
CREATE INDEX invoices_merchant_status ON invoices (merchant_id, status, id DESC);
DROP INDEX invoices_merchant_id;
CREATE INDEX invoices_merchant_id ON invoices (merchant_id, id DESC);
-- Fails while a live and a test invoice share a number: going back would mix them up.
DROP INDEX invoices_number;
CREATE UNIQUE INDEX invoices_number ON invoices (merchant_id, number);
ALTER TABLE merchants DROP COLUMN live_invoice_seq;
ALTER TABLE sessions DROP COLUMN livemode;
ALTER TABLE audit_log DROP COLUMN livemode;
ALTER TABLE request_logs DROP COLUMN livemode;
ALTER TABLE api_keys DROP COLUMN livemode;
ALTER TABLE webhook_attempts DROP COLUMN livemode;
ALTER TABLE webhook_deliveries DROP COLUMN livemode;
ALTER TABLE webhook_endpoints DROP COLUMN livemode;
ALTER TABLE emails DROP COLUMN livemode;
ALTER TABLE events DROP COLUMN livemode;
ALTER TABLE transactions DROP COLUMN livemode;
ALTER TABLE refunds DROP COLUMN livemode;
ALTER TABLE payments DROP COLUMN livemode;
ALTER TABLE links DROP COLUMN livemode;
ALTER TABLE invoices DROP COLUMN livemode;
