-- +goose Up
-- Search terms move beside the invoice, written once when it is created (see the PostgreSQL
-- migration of the same number); SQLite scans them, so only the e-mail gets an index.
CREATE TABLE invoice_search (
    invoice_id  TEXT PRIMARY KEY REFERENCES invoices(id) ON DELETE CASCADE,
    merchant_id TEXT NOT NULL,
    search_text TEXT NOT NULL,
    email       TEXT NOT NULL
);
INSERT INTO invoice_search (invoice_id, merchant_id, search_text, email)
    SELECT id, merchant_id, search_text, lower(customer_email) FROM invoices;
CREATE INDEX invoice_search_email ON invoice_search (merchant_id, email);
ALTER TABLE invoices DROP COLUMN search_text;

-- Indexes that background jobs scan for rows in one state only hold the rows in that state.
DROP INDEX invoices_expiry;
CREATE INDEX invoices_open_expiry ON invoices (expires_at) WHERE status = 'open';
DROP INDEX payments_link_status;
CREATE INDEX payments_link_failed ON payments (link_id) WHERE status = 'failed';
DROP INDEX payments_authorization_expiry;
CREATE INDEX payments_authorized_expiry ON payments (authorization_expires_at) WHERE status = 'authorized';
DROP INDEX transactions_pending;
CREATE INDEX transactions_pending ON transactions (next_attempt_at) WHERE result = 'pending';
DROP INDEX emails_due;
CREATE INDEX emails_due ON emails (next_attempt_at, id) WHERE status = 'queued';
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
DROP INDEX events_undispatched;
CREATE INDEX events_undispatched ON events (id) WHERE dispatched_at IS NULL;

-- +goose Down
DROP INDEX events_undispatched;
CREATE INDEX events_undispatched ON events (dispatched_at, id);
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
DROP INDEX emails_due;
CREATE INDEX emails_due ON emails (status, next_attempt_at);
DROP INDEX transactions_pending;
CREATE INDEX transactions_pending ON transactions (result, next_attempt_at);
DROP INDEX payments_authorized_expiry;
CREATE INDEX payments_authorization_expiry ON payments (status, authorization_expires_at);
DROP INDEX payments_link_failed;
CREATE INDEX payments_link_status ON payments (link_id, status);
DROP INDEX invoices_open_expiry;
CREATE INDEX invoices_expiry ON invoices (status, expires_at);
ALTER TABLE invoices ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE invoices SET search_text = (SELECT s.search_text FROM invoice_search s WHERE s.invoice_id = invoices.id);
DROP TABLE invoice_search;
