-- +goose Up
-- An event waiting for the dispatcher is a row of event_queue, deleted when the event is
-- dispatched, instead of an events row whose dispatched_at is set then. That update wrote every
-- event a second time, payload and all, with new entries in the events indexes (the column is in
-- an index's predicate, so the update can never be HOT), twice per payment. Events are now only
-- inserted. No foreign key to events: the queue row is written in its event's transaction, and the
-- check would look the event up again.
CREATE TABLE event_queue (
    event_id TEXT COLLATE "C" PRIMARY KEY
);
INSERT INTO event_queue (event_id) SELECT id FROM events WHERE dispatched_at IS NULL;
DROP INDEX events_undispatched;
ALTER TABLE events DROP COLUMN dispatched_at;

-- +goose Down
ALTER TABLE events ADD COLUMN dispatched_at TIMESTAMPTZ;
UPDATE events SET dispatched_at = created_at WHERE id NOT IN (SELECT event_id FROM event_queue);
CREATE INDEX events_undispatched ON events (id) WHERE dispatched_at IS NULL;
DROP TABLE event_queue;
