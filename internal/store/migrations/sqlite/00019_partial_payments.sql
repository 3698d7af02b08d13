-- +goose Up
-- An invoice may allow paying in parts: the payer chooses each part's amount (the first at least
-- min_first_amount, 0 meaning any), so an invoice may have several card payments that took money.
-- That the parts never exceed the total is kept by the claim every attempt makes on its invoice,
-- one attempt at a time, each for at most what is due.
ALTER TABLE invoices ADD COLUMN allow_partial BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE invoices ADD COLUMN min_first_amount BIGINT NOT NULL DEFAULT 0;
DROP INDEX payments_one_success;

-- +goose Down
CREATE UNIQUE INDEX payments_one_success ON payments (invoice_id)
    WHERE method = 'card' AND status IN ('authorized', 'captured', 'partially_refunded', 'refunded', 'voided');
ALTER TABLE invoices DROP COLUMN min_first_amount;
ALTER TABLE invoices DROP COLUMN allow_partial;
