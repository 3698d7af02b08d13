package store_test

import (
	"context"
	"testing"
	"time"

	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// Upgrading to the dispatcher's queue keeps every event that was waiting for the dispatcher
// waiting, and only those; undoing it marks the others dispatched again.
func TestEventQueueMigrationKeepsWaitingEvents(t *testing.T) {
	const beforeQueue, queue = 24, 25
	atVersion(t, beforeQueue, func(t *testing.T, ctx context.Context, db *store.DB) {
		at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		insert := `INSERT INTO events (id, merchant_id, type, object_id, payload, webhook, created_at, dispatched_at)
				VALUES (?, 'mer_1', 'invoice.paid', 'inv_1', '{}', true, ?, ?)`
		for _, ev := range []struct {
			id           string
			dispatchedAt *time.Time
		}{{"evt_1", &at}, {"evt_2", nil}, {"evt_3", &at}, {"evt_4", nil}} {
			if err := db.Gorm.Exec(insert, ev.id, at, ev.dispatchedAt).Error; err != nil {
				t.Fatal(err)
			}
		}

		if err := db.MigrateTo(ctx, queue); err != nil {
			t.Fatal(err)
		}
		pending, err := (&store.Notify{DB: db}).PendingEvents(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range pending {
			got = append(got, e.ID)
		}
		if len(got) != 2 || got[0] != "evt_2" || got[1] != "evt_4" {
			t.Fatalf("pending events after the upgrade: %v, want [evt_2 evt_4]", got)
		}

		if err := db.MigrateTo(ctx, beforeQueue); err != nil {
			t.Fatal(err)
		}
		var waiting []string
		if err := db.Gorm.Raw("SELECT id FROM events WHERE dispatched_at IS NULL ORDER BY id").Scan(&waiting).Error; err != nil {
			t.Fatal(err)
		}
		if len(waiting) != 2 || waiting[0] != "evt_2" || waiting[1] != "evt_4" {
			t.Fatalf("undispatched events after undoing the queue: %v, want [evt_2 evt_4]", waiting)
		}
	})
}

// atVersion runs fn on a fresh database of each dialect with its schema at version, for tests of
// one migration.
func atVersion(t *testing.T, version int64, fn func(t *testing.T, ctx context.Context, db *store.DB)) {
	for _, dialect := range storetest.DialectsFor(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(storetest.URL(t, dialect))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			if err := db.MigrateTo(ctx, version); err != nil {
				t.Fatal(err)
			}
			fn(t, ctx, db)
		})
	}
}
