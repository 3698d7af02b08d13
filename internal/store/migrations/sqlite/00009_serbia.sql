-- +goose Up
-- Serbia: the merchant's identity (PIB, matični broj), its IPS QR settings (account, payee, payment
-- code), whether the link e-mail carries the invoice PDF, and the statement columns it mapped once.
ALTER TABLE merchants ADD COLUMN pib TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN mb TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN ips_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE merchants ADD COLUMN ips_account TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN ips_payee TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN ips_payment_code TEXT NOT NULL DEFAULT '221';
ALTER TABLE merchants ADD COLUMN email_attach_pdf BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE merchants ADD COLUMN statement_columns TEXT NOT NULL DEFAULT '';
-- A company customer's PIB and matični broj, printed on its invoice.
ALTER TABLE invoices ADD COLUMN customer_pib TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN customer_mb TEXT NOT NULL DEFAULT '';
-- A payment is by card or a bank transfer the merchant recorded: the transfer's reference, payer,
-- day of arrival and, when it came from a statement import, the line's fingerprint, unique per
-- merchant so that importing a statement twice records nothing twice.
ALTER TABLE payments ADD COLUMN method TEXT NOT NULL DEFAULT 'card';
ALTER TABLE payments ADD COLUMN bank_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN payer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN received_at DATETIME;
ALTER TABLE payments ADD COLUMN statement_line TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX payments_statement_line ON payments (merchant_id, statement_line) WHERE statement_line <> '';
-- At most one card payment per invoice holds or took money; bank transfers may be several (a
-- smaller transfer leaves the rest due, paid by another transfer or a card).
DROP INDEX payments_one_success;
CREATE UNIQUE INDEX payments_one_success ON payments (invoice_id)
    WHERE method = 'card' AND status IN ('authorized', 'captured', 'partially_refunded', 'refunded', 'voided');
-- The link e-mail of a merchant that chose it carries the invoice PDF, rendered when it is sent.
ALTER TABLE emails ADD COLUMN attach_invoice_pdf BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
DROP INDEX payments_one_success;
CREATE UNIQUE INDEX payments_one_success ON payments (invoice_id)
    WHERE status IN ('authorized', 'captured', 'partially_refunded', 'refunded', 'voided');
ALTER TABLE emails DROP COLUMN attach_invoice_pdf;
DROP INDEX payments_statement_line;
ALTER TABLE payments DROP COLUMN statement_line;
ALTER TABLE payments DROP COLUMN received_at;
ALTER TABLE payments DROP COLUMN payer_name;
ALTER TABLE payments DROP COLUMN bank_reference;
ALTER TABLE payments DROP COLUMN method;
ALTER TABLE invoices DROP COLUMN customer_mb;
ALTER TABLE invoices DROP COLUMN customer_pib;
ALTER TABLE merchants DROP COLUMN statement_columns;
ALTER TABLE merchants DROP COLUMN email_attach_pdf;
ALTER TABLE merchants DROP COLUMN ips_payment_code;
ALTER TABLE merchants DROP COLUMN ips_payee;
ALTER TABLE merchants DROP COLUMN ips_account;
ALTER TABLE merchants DROP COLUMN ips_enabled;
ALTER TABLE merchants DROP COLUMN mb;
ALTER TABLE merchants DROP COLUMN pib;
