-- +goose Up
-- PostgreSQL adds a trigram index for invoice search here; SQLite has no equivalent, and the
-- embedded default's data sets are small enough to scan.
SELECT 1;

-- +goose Down
SELECT 1;
