package notify_test

import (
	"context"
	"sync/atomic"
	"testing"

	"securelink/internal/domain"
	"securelink/internal/notify"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// batchCounter counts the batches a dispatcher reads.
type batchCounter struct {
	notify.Store
	batches atomic.Int32
}

func (c *batchCounter) PendingEvents(ctx context.Context, limit int) ([]domain.Event, error) {
	c.batches.Add(1)
	return c.Store.PendingEvents(ctx, limit)
}

// TestDispatcherRunBacklog: the dispatch job's run goes on at once while batches come back full,
// so a backlog larger than a batch does not wait a pause per batch, and it stops at the first batch
// that is not full.
func TestDispatcherRunBacklog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, c := range []struct {
			name                  string
			events, batch         int
			wantBatches, wantDone int
		}{
			{name: "fewer events than a batch: one batch", events: 2, batch: 3, wantBatches: 1, wantDone: 2},
			{name: "exactly a batch: the next read finds none", events: 3, batch: 3, wantBatches: 2, wantDone: 3},
			{name: "more than two batches: all of them in one run", events: 7, batch: 3, wantBatches: 3, wantDone: 7},
		} {
			t.Run(c.name, func(t *testing.T) {
				f := newFixture(t, db, "")
				for range c.events {
					f.invoice(t, domain.LocaleEn, domain.CaptureAutomatic, createdEvent)
				}
				counter := &batchCounter{Store: f.st}
				done, err := (&notify.Dispatcher{Store: counter, Batch: c.batch}).RunBacklog(context.Background())
				if err != nil {
					t.Fatalf("run: %v", err)
				}
				if done != c.wantDone || int(counter.batches.Load()) != c.wantBatches {
					t.Errorf("dispatched %d events in %d batches, want %d in %d", done, counter.batches.Load(), c.wantDone, c.wantBatches)
				}
				if left, err := f.st.PendingEvents(context.Background(), 100); err != nil || len(left) != 0 {
					t.Errorf("undispatched events after the run: %d (%v), want 0", len(left), err)
				}
			})
		}
	})
}
