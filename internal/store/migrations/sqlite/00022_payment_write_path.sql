-- +goose Up
-- Index entries nobody looks up are left out: invoices that are no order of a reusable link
-- (payment_link_id NULL, almost all of them), and payments before the PSP has named them
-- (psp_reference ''). Every write of such a row then skips those indexes.
DROP INDEX invoices_payment_link;
CREATE INDEX invoices_payment_link ON invoices (payment_link_id, id DESC) WHERE payment_link_id IS NOT NULL;
DROP INDEX payments_psp_reference;
CREATE INDEX payments_psp_reference ON payments (psp_reference) WHERE psp_reference <> '';

-- +goose Down
DROP INDEX payments_psp_reference;
CREATE INDEX payments_psp_reference ON payments (psp_reference);
DROP INDEX invoices_payment_link;
CREATE INDEX invoices_payment_link ON invoices (payment_link_id, id DESC);
