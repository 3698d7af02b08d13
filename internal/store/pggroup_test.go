package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/payments"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// Settlements that arrive together share a commit on PostgreSQL (on SQLite the writer groups
// them). Each still ends as it would alone: every payment is captured with its invoice, link and
// event, and a settlement that loses its guard, grouped with others, fails alone and leaves nothing,
// while the ones grouped with it are kept.
func TestGroupCommitOfSettlements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := &store.Payments{DB: db}
		const n = 12
		// withEvent gives a settlement an event of its own, to find out whether it was kept.
		withEvent := func(set payments.AuthSettlement) payments.AuthSettlement {
			set.Events = []domain.Event{{ID: domain.NewID("evt"), MerchantID: set.Payment.MerchantID, Type: "payment.succeeded",
				ObjectID: set.Payment.ID, Payload: []byte(`{}`), CreatedAt: set.At}}
			return set
		}
		captured := func(set payments.AuthSettlement) payments.AuthSettlement {
			set.Payment.Status, set.Payment.AmountAuthorized, set.Payment.AmountCaptured = domain.PaymentCaptured, set.Payment.Amount, set.Payment.Amount
			set.Payment.CapturedAt, set.Payment.AuthorizedAt = &set.At, &set.At
			set.Txn.Result = domain.TxnSucceeded
			return withEvent(set)
		}
		// settleTogether queues the settlements behind held lanes (PostgreSQL), lets them go at once
		// and returns each one's error and how many commits they took there.
		settleTogether := func(sets []payments.AuthSettlement) (errs []error, commits, writes int64) {
			t.Helper()
			before, _ := db.GroupCommitStats()
			release, waiting, grouped := db.HoldGroupLanes()
			errs = make([]error, len(sets))
			var wg sync.WaitGroup
			for i, set := range sets {
				wg.Go(func() { errs[i] = st.SettleAuthorization(ctx, set) })
			}
			if grouped {
				for deadline := time.Now().Add(10 * time.Second); waiting() < len(sets); time.Sleep(time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("%d of %d settlements queued for a lane", waiting(), len(sets))
					}
				}
				release()
			}
			wg.Wait()
			after, _ := db.GroupCommitStats()
			return errs, after.Commits - before.Commits, after.Writes - before.Writes
		}

		first := make([]payments.AuthSettlement, n)
		for i := range first {
			first[i] = captured(seedClaimed(t, db, int64(100+i)))
		}
		errs, commits, writes := settleTogether(first)
		for i, err := range errs {
			if err != nil {
				t.Errorf("settlement %d of a group: %v", i, err)
			}
		}
		if db.Dialect == store.DialectPostgres && (writes != n || commits > 2) {
			t.Errorf("%d settlements arriving together took %d commits for %d of them, want at most 2 for all", n, commits, writes)
		}

		// A second settlement of a captured payment, grouped with fresh ones, loses alone.
		late := withEvent(first[3])
		second := []payments.AuthSettlement{late}
		for range n - 1 {
			second = append(second, captured(seedClaimed(t, db, 700)))
		}
		errs, _, _ = settleTogether(second)
		if !errors.Is(errs[0], apperr.ErrConflict) {
			t.Errorf("a second settlement of %s in a group: %v, want conflict", late.Payment.ID, errs[0])
		}
		for i, err := range errs[1:] {
			if err != nil {
				t.Errorf("settlement %d grouped with a losing one: %v", i+1, err)
			}
		}

		for _, set := range append(first, second[1:]...) {
			p, err := st.GetPayment(ctx, set.Payment.MerchantID, set.Payment.ID)
			if err != nil || p.Status != domain.PaymentCaptured || p.AmountCaptured != set.Payment.Amount {
				t.Errorf("payment %s after its grouped settlement: %+v, %v", set.Payment.ID, p, err)
			}
			var inv, link string
			if err := db.Gorm.Raw("SELECT status FROM invoices WHERE id = ?", set.Payment.InvoiceID).Scan(&inv).Error; err != nil || inv != string(domain.InvoicePaid) {
				t.Errorf("invoice %s: %q, %v", set.Payment.InvoiceID, inv, err)
			}
			if err := db.Gorm.Raw("SELECT status FROM links WHERE id = ?", set.Payment.LinkID).Scan(&link).Error; err != nil || link != string(domain.LinkCompleted) {
				t.Errorf("link %s: %q, %v", set.Payment.LinkID, link, err)
			}
			if got := countRows(t, db, "events", set.Events[0].ID); got != 1 {
				t.Errorf("event of settlement %s stored %d times", set.Payment.ID, got)
			}
		}
		if got := countRows(t, db, "events", late.Events[0].ID); got != 0 {
			t.Errorf("the losing settlement's event was stored %d times", got)
		}
	})
}

func countRows(t *testing.T, db *store.DB, table, id string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Raw("SELECT count(*) FROM "+table+" WHERE id = ?", id).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
