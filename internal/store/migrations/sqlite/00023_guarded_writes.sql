-- +goose Up
-- PostgreSQL gains a function that fails a guarded write matching no row, for writes sent ahead of
-- their COMMIT. On SQLite the store reads each write's row count before the next statement, so
-- nothing changes here; the version keeps both dialects' migrations in step.
SELECT 1;

-- +goose Down
SELECT 1;
