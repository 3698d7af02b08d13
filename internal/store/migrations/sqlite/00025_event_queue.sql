-- +goose Up
-- An event waiting for the dispatcher is a row of event_queue, deleted when the event is
-- dispatched, instead of an events row whose dispatched_at is set then: that update wrote every
-- event a second time, payload and all. Events are now only inserted.
CREATE TABLE event_queue (
    event_id TEXT PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO event_queue (event_id) SELECT id FROM events WHERE dispatched_at IS NULL;
DROP INDEX events_undispatched;
ALTER TABLE events DROP COLUMN dispatched_at;

-- +goose Down
ALTER TABLE events ADD COLUMN dispatched_at DATETIME;
UPDATE events SET dispatched_at = created_at WHERE id NOT IN (SELECT event_id FROM event_queue);
CREATE INDEX events_undispatched ON events (id) WHERE dispatched_at IS NULL;
DROP TABLE event_queue;
