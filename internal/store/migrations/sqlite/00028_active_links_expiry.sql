-- +goose Up
-- The expiry job looks for active links only, so its index holds only those. Indexed by status
-- and expiry, every closed link stayed in it, and each payment moved its link's entry to a place
-- among all the links ever closed, set by the link's expiry: a random page of a large index,
-- which after a while had to be read back from disk while the payment held the writer.
DROP INDEX links_expiry;
CREATE INDEX links_active_expiry ON links (expires_at) WHERE status = 'active';

-- +goose Down
DROP INDEX links_active_expiry;
CREATE INDEX links_expiry ON links (status, expires_at);
