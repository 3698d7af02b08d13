-- +goose Up
-- Trigram index so invoice search (search_text LIKE '%…%') does not read every invoice.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX invoices_search ON invoices USING gin (search_text gin_trgm_ops);

-- +goose Down
DROP INDEX invoices_search;
