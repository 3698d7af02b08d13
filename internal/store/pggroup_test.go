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
		settleTogether := func(sets []payments.AuthSettlement) ([]error, store.GroupCommitStats) {
			t.Helper()
			calls := make([]func() error, len(sets))
			for i, set := range sets {
				calls[i] = func() error { return st.SettleAuthorization(ctx, set) }
			}
			return together(t, db, calls)
		}

		first := make([]payments.AuthSettlement, n)
		for i := range first {
			first[i] = captured(seedClaimed(t, db, int64(100+i)))
		}
		errs, stats := settleTogether(first)
		for i, err := range errs {
			if err != nil {
				t.Errorf("settlement %d of a group: %v", i, err)
			}
		}
		if db.Dialect == store.DialectPostgres {
			if stats.Transactions != n || 2*stats.Commits > n {
				t.Errorf("%d settlements arriving together took %d commits for %d of them, want at most one for two", n, stats.Commits, stats.Transactions)
			}
			// Settlements only write: a group's writes all go with its COMMIT.
			if stats.RoundTrips != stats.Commits {
				t.Errorf("%d settlements in %d groups took %d round trips, want one for each group", n, stats.Commits, stats.RoundTrips)
			}
		}

		// A second settlement of a captured payment, grouped with fresh ones, loses alone.
		late := withEvent(first[3])
		second := []payments.AuthSettlement{late}
		for range n - 1 {
			second = append(second, captured(seedClaimed(t, db, 700)))
		}
		errs, _ = settleTogether(second)
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

// Claims that arrive together share a commit on PostgreSQL too. Each is judged as it would be
// alone: of two claims of one invoice (a double click) grouped with others, one wins and the other
// finds the invoice taken and leaves nothing, and every other claim stores its attempt.
func TestGroupCommitOfClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := &store.Payments{DB: db}
		const n = 10
		claimTogether := func(open []openInvoice) ([]payments.Attempt, []error, store.GroupCommitStats) {
			t.Helper()
			attempts := make([]payments.Attempt, len(open))
			calls := make([]func() error, len(open))
			for i, o := range open {
				calls[i] = func() (err error) {
					attempts[i], err = st.BeginPayment(ctx, o.claim, o.newAttempt)
					return err
				}
			}
			errs, stats := together(t, db, calls)
			return attempts, errs, stats
		}

		open := make([]openInvoice, n)
		for i := range open {
			open[i] = seedOpen(t, db, int64(100+i))
		}
		attempts, errs, stats := claimTogether(open)
		for i, err := range errs {
			if err != nil || attempts[i].Invoice.ID != open[i].invoiceID || attempts[i].Invoice.Status != domain.InvoiceProcessing {
				t.Errorf("claim %d of a group: %+v, %v", i, attempts[i].Invoice, err)
			}
		}
		if db.Dialect == store.DialectPostgres {
			if stats.Transactions != n || 2*stats.Commits > n {
				t.Errorf("%d claims arriving together took %d commits for %d of them, want at most one for two", n, stats.Commits, stats.Transactions)
			}
			// A group's claims share one round trip, its attempts go with its COMMIT.
			if stats.RoundTrips != 2*stats.Commits {
				t.Errorf("%d claims in %d groups took %d round trips, want two for each group", n, stats.Commits, stats.RoundTrips)
			}
		}

		// A double click: the same invoice claimed twice in one group, with fresh ones around it.
		second := []openInvoice{seedOpen(t, db, 500)}
		second = append(second, second[0])
		for range n - 2 {
			second = append(second, seedOpen(t, db, 600))
		}
		attempts, errs, _ = claimTogether(second)
		won := 0
		for i, err := range errs[:2] {
			switch {
			case err == nil:
				won++
				if attempts[i].Invoice.ID != second[0].invoiceID || attempts[i].Payment.InvoiceID != second[0].invoiceID {
					t.Errorf("the winning claim of a double click: %+v", attempts[i])
				}
			case !errors.Is(err, apperr.ErrConflict):
				t.Errorf("claim %d of a double click: %v, want success or conflict", i, err)
			}
		}
		if won != 1 {
			t.Errorf("%d of two claims of one invoice won (%v)", won, errs[:2])
		}
		for i, err := range errs[2:] {
			if err != nil {
				t.Errorf("claim %d grouped with a double click: %v", i+2, err)
			}
		}
		for _, o := range append(open, second[1:]...) {
			var inFlight int64
			if err := db.Gorm.Raw("SELECT count(*) FROM payments WHERE invoice_id = ? AND status = ?", o.invoiceID, string(domain.PaymentProcessing)).Scan(&inFlight).Error; err != nil || inFlight != 1 {
				t.Errorf("invoice %s has %d payments in flight (%v), want 1", o.invoiceID, inFlight, err)
			}
			var txns int64
			if err := db.Gorm.Raw("SELECT count(*) FROM transactions t JOIN payments p ON p.id = t.payment_id WHERE p.invoice_id = ?", o.invoiceID).Scan(&txns).Error; err != nil || txns != 1 {
				t.Errorf("invoice %s has %d pending transactions (%v), want 1", o.invoiceID, txns, err)
			}
		}
	})
}

// together runs calls at once: on PostgreSQL they queue behind held group-commit lanes and then go,
// so that they share groups. It returns each call's error and the group commit's counts of
// meanwhile (zero on SQLite).
func together(t *testing.T, db *store.DB, calls []func() error) (errs []error, stats store.GroupCommitStats) {
	t.Helper()
	return togetherBehind(t, db.HoldGroupLanes, db.GroupCommitStats, calls)
}

// togetherBehind is together behind the lanes hold takes, with the counts stats reads.
func togetherBehind(t *testing.T, hold func() (func(), func() int, bool), stats func() (store.GroupCommitStats, bool),
	calls []func() error) ([]error, store.GroupCommitStats) {
	t.Helper()
	before, _ := stats()
	release, waiting, grouped := hold()
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() { errs[i] = call() })
	}
	if grouped {
		for deadline := time.Now().Add(10 * time.Second); waiting() < len(calls); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				release()
				t.Fatalf("%d of %d transactions queued for a lane", waiting(), len(calls))
			}
		}
		release()
	}
	wg.Wait()
	after, _ := stats()
	return errs, store.GroupCommitStats{Commits: after.Commits - before.Commits, Transactions: after.Transactions - before.Transactions,
		RoundTrips: after.RoundTrips - before.RoundTrips}
}

func countRows(t *testing.T, db *store.DB, table, id string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Raw("SELECT count(*) FROM "+table+" WHERE id = ?", id).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// On PostgreSQL a transaction waiting for a group gives up when its request ends, having written
// nothing, and leaves the queue: a settlement waiting behind busy lanes, and a merchant's invoice
// creation waiting behind that merchant's lane, which takes no number. Once the lanes are free
// the same settlement goes through and the next creation gets the first number.
func TestGroupedTransactionGivesUpWithItsRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// waitThenCancel runs call with a context it cancels once call waits in the queue, and
		// returns what call returned; the queue must then be empty.
		waitThenCancel := func(hold func() (func(), func() int, bool), call func(context.Context) error) (release func(), err error) {
			t.Helper()
			release, waiting, grouped := hold()
			if !grouped {
				t.Skip("SQLite queues writes for its one writer instead (writequeue_internal_test.go)")
			}
			short, cancel := context.WithCancel(ctx)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- call(short) }()
			for deadline := time.Now().Add(10 * time.Second); waiting() == 0; time.Sleep(time.Millisecond) {
				if time.Now().After(deadline) {
					release()
					t.Fatal("the transaction never queued for a lane")
				}
			}
			cancel()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				release()
				t.Fatal("the transaction kept waiting after its request ended")
			}
			if n := waiting(); n != 0 {
				t.Errorf("%d transactions still queued after the only one gave up", n)
			}
			return release, err
		}

		st := &store.Payments{DB: db}
		set := seedClaimed(t, db, 300)
		set.Payment.Status, set.Payment.AmountAuthorized, set.Payment.AmountCaptured = domain.PaymentCaptured, set.Payment.Amount, set.Payment.Amount
		set.Payment.CapturedAt, set.Payment.AuthorizedAt = &set.At, &set.At
		set.Txn.Result = domain.TxnSucceeded
		release, err := waitThenCancel(db.HoldGroupLanes, func(ctx context.Context) error { return st.SettleAuthorization(ctx, set) })
		release()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("a settlement whose request ended while it waited for a group: %v, want canceled", err)
		}
		if p, err := st.GetPayment(ctx, set.Payment.MerchantID, set.Payment.ID); err != nil || p.Status == domain.PaymentCaptured {
			t.Fatalf("the settlement that gave up was kept: %+v, %v", p, err)
		}
		if err := st.SettleAuthorization(ctx, set); err != nil {
			t.Fatalf("the same settlement once the lanes were free: %v", err)
		}
		if p, err := st.GetPayment(ctx, set.Payment.MerchantID, set.Payment.ID); err != nil || p.Status != domain.PaymentCaptured {
			t.Fatalf("payment after its settlement: %+v, %v", p, err)
		}

		m := newMerchant(t, db)
		invoices := &store.Invoices{DB: db}
		create := func(ctx context.Context) (string, error) {
			inv, link := newInvoice(m.ID)
			return invoices.CreateInvoice(ctx, inv, link, func(string) []domain.Event { return nil }, nil)
		}
		release, err = waitThenCancel(func() (func(), func() int, bool) { return db.HoldCreationLane(m.ID) },
			func(ctx context.Context) error { _, err := create(ctx); return err })
		release()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("an invoice creation whose request ended while it waited for its merchant's lane: %v, want canceled", err)
		}
		if n := db.CreationQueues(); n != 0 {
			t.Errorf("%d merchants keep a queue of creations after the only one gave up", n)
		}
		number, err := create(ctx)
		if err != nil || number != "INV-000001" {
			t.Fatalf("the next creation: %q, %v, want the first number", number, err)
		}
	})
}
