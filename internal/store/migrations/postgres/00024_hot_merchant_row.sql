-- +goose Up
-- Every payment and each of its transactions checked its merchant_id against merchants, which
-- share-locks the merchant's row: with many payments of one merchant in flight, each lock records
-- every concurrent locker anew (a multixact) on that one row, a sixth of a payment's insert. The
-- merchant of a payment is its invoice's, and a transaction's is its payment's; the store copies it
-- from there (a test holds it), and those rows keep their checked references (invoice_id,
-- payment_id). Merchants are never deleted.
ALTER TABLE payments DROP CONSTRAINT payments_merchant_id_fkey;
ALTER TABLE transactions DROP CONSTRAINT transactions_merchant_id_fkey;
-- A receipt's HTML, compressed, is about 1.5 KB: kept in its row instead of the TOAST table, an
-- e-mail is one row written instead of two rows and a TOAST index entry. A body too large for a
-- page still moves out of the row.
ALTER TABLE emails ALTER COLUMN html_body SET STORAGE MAIN;
ALTER TABLE emails ALTER COLUMN text_body SET STORAGE MAIN;

-- +goose Down
ALTER TABLE emails ALTER COLUMN text_body SET STORAGE EXTENDED;
ALTER TABLE emails ALTER COLUMN html_body SET STORAGE EXTENDED;
ALTER TABLE transactions ADD CONSTRAINT transactions_merchant_id_fkey FOREIGN KEY (merchant_id) REFERENCES merchants(id);
ALTER TABLE payments ADD CONSTRAINT payments_merchant_id_fkey FOREIGN KEY (merchant_id) REFERENCES merchants(id);
